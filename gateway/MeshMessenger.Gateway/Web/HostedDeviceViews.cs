using MeshMessenger.Gateway.Links;
using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Node;
using MeshMessenger.Protocol.Receipts;

namespace MeshMessenger.Gateway.Web;

/// <summary>What the web app shows of a hosted demo device: its card, conversations, posts and the names it knows.</summary>
internal static class HostedDeviceViews
{
    public static object Conversations(VirtualDevice d)
    {
        List<MessageRecord> direct = [.. d.Node.Messages.Cast<MessageRecord>().Where(m => m.Kind == EntryKind.Text)];
        Func<uint, string> nameOf = NamesOf(d);
        IEnumerable<uint> peers = d.Contacts.Concat(direct.Select(m => m.Outgoing ? m.Peer : m.Author)).Distinct();
        return peers.Select(p =>
        {
            MessageRecord? last = direct.Where(m => (m.Outgoing ? m.Peer : m.Author) == p).OrderBy(m => m.Time).ThenBy(m => m.Outgoing ? 0 : 1).LastOrDefault();
            d.ReadUpTo.TryGetValue(p, out uint read);
            return new
            {
                peer = NodeIdText.Hex(p),
                name = nameOf(p),
                last = last?.Text,
                time = last is null ? 0 : EntryTime.ToUnixSeconds(last.Time) * 1000,
                unread = direct.Count(m => !m.Outgoing && m.Author == p && m.Sequence > read),
            };
        }).OrderByDescending(c => c.time).ThenBy(c => c.name).ToList();
    }

    public static object Conversation(VirtualDevice d, uint peer) =>
        d.Node.Messages.Cast<MessageRecord>()
            .Where(m => m.Kind == EntryKind.Text && (m.Outgoing ? m.Peer == peer : m.Author == peer))
            .Select(m => new
            {
                author = NodeIdText.Hex(m.Author),
                seq = m.Sequence,
                text = m.Text,
                time = EntryTime.ToUnixSeconds(m.Time) * 1000,
                outgoing = m.Outgoing,
                state = !m.Outgoing ? null : StateOf(d, m.Sequence),
            })
            .ToList();

    /// <summary>A receipt or a relay heard wins; short of those, "sent" only once the gateway stored it and handed it to a link.</summary>
    public static string StateOf(VirtualDevice d, uint sequence)
    {
        MessageState state = d.Node.Tracker.StateOf(sequence);
        return state == MessageState.Sent && sequence > d.SentThrough ? "sending" : StateName(state);
    }

    public static string StateName(MessageState state) => state switch
    {
        MessageState.Read => "read",
        MessageState.Delivered => "delivered",
        MessageState.Relayed => "relayed",
        _ => "sent",
    };

    public static object Posts(VirtualDevice d, Func<MessageRecord, bool> which, bool ascending, int limit)
    {
        IEnumerable<MessageRecord> posts = d.Node.Messages.Cast<MessageRecord>().Where(which).OrderByDescending(m => m.Time).ThenByDescending(m => m.Sequence).Take(limit);
        posts = ascending ? posts.Reverse() : posts;
        Func<uint, string> nameOf = NamesOf(d);
        return posts.Select(m => new
        {
            author = NodeIdText.Hex(m.Author),
            name = nameOf(m.Author),
            seq = m.Sequence,
            text = m.Text,
            time = EntryTime.ToUnixSeconds(m.Time) * 1000,
            channel = m.Channel == 0 ? null : d.Channels.GetValueOrDefault(m.Channel)?.Name is string channel ? DisplayNames.Clean(channel) : null,
            photo = m.Media is null ? null : $"/api/devices/{NodeIdText.Hex(d.Id)}/media/{NodeIdText.Hex(m.Author)}/{m.Sequence}",
            photoBytes = m.Media?.Length,
            outgoing = m.Outgoing,
        }).ToList();
    }

    public static string Card(VirtualDevice d) => ContactCard.Create(d.Identity, d.Name, null).ToText();

    /// <summary>
    /// The names <paramref name="d"/> shows: profile names from the mesh without hidden characters, with the node id
    /// added where two known nodes share a name, and the node id for a node whose profile is unknown.
    /// </summary>
    public static Func<uint, string> NamesOf(VirtualDevice d)
    {
        Dictionary<uint, string> names = DisplayNames.Distinct(d.Node.Chains.KnownProfiles().Select(p => (p.NodeId, p.Name)));
        return node => names.TryGetValue(node, out string? name) ? name : NodeIdText.Hex(node);
    }
}
