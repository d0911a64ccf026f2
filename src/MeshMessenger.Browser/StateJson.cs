using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Node;
using MeshMessenger.Protocol.Sync;
using MeshMessenger.Protocol.Wire;

namespace MeshMessenger.Browser;

/// <summary>
/// The JSON the page reads (src/MeshMessenger.Browser/README.md, "API"), written by hand with
/// <see cref="Utf8JsonWriter"/> so trimming keeps nothing reflection needs. Times are Unix seconds.
/// </summary>
internal static class StateJson
{
    /// <summary>Longest feed answer.</summary>
    public const int FeedLimit = 200;

    /// <summary>Longest channel answer.</summary>
    public const int ChannelLimit = 500;

    /// <summary>Runs <paramref name="write"/> on a fresh writer and returns the text.</summary>
    public static string Write(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>{ id, name, card }: what open answers.</summary>
    public static void Opened(Utf8JsonWriter w, NodeSession s)
    {
        w.WriteStartObject();
        w.WriteString("id", NodeNames.Hex(s.Identity.Id));
        w.WriteString("name", s.Name);
        w.WriteString("card", s.Card);
        w.WriteEndObject();
    }

    // Own entries held after the genesis, resume entries left out (docs/protocol.md §8.3): what a restore has brought
    // back. The sequence numbers cannot say it, since a resume entry skips 64. Probes at most SyncPlanner.MaxHoleProbe.
    private static int OwnEntriesBack(NodeSession s)
    {
        IEntryStore store = s.Node.Chains.Store;
        if (!store.TryGetRange(s.Identity.Id, out uint low, out uint high))
        {
            return 0;
        }

        int count = 0;
        for (uint q = low < 1 ? 1 : low, probed = 0; q <= high && q != 0 && probed < SyncPlanner.MaxHoleProbe; q++, probed++)
        {
            count += store.Get(s.Identity.Id, q)?.Entry.Kind is EntryKind k && k != EntryKind.Resume ? 1 : 0;
        }

        return count;
    }

    /// <summary>The whole state: identity, restore flag, next sequence, own entries back, contacts, channels, conversations.</summary>
    public static void State(Utf8JsonWriter w, NodeSession s)
    {
        Dictionary<uint, string> names = NodeNames.Distinct(s.Node.Chains.KnownProfiles());
        w.WriteStartObject();
        w.WriteString("id", NodeNames.Hex(s.Identity.Id));
        w.WriteString("name", s.Name);
        w.WriteString("card", s.Card);
        w.WriteBoolean("restoring", s.Node.OwnChain.Restoring);
        w.WriteBoolean("rebuilding", s.Node.Rebuilding);
        w.WriteNumber("nextSequence", s.Node.OwnChain.NextSequence);
        w.WriteNumber("ownEntriesBack", OwnEntriesBack(s));
        w.WriteStartArray("contacts");
        foreach (uint c in s.Contacts.OrderBy(c => NameOf(names, c), StringComparer.Ordinal))
        {
            w.WriteStartObject();
            w.WriteString("id", NodeNames.Hex(c));
            w.WriteString("name", NameOf(names, c));
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("channels");
        foreach (var channel in s.Channels.Values.OrderBy(c => c.Name, StringComparer.Ordinal))
        {
            w.WriteStartObject();
            w.WriteString("id", NodeNames.Hex(channel.Id));
            w.WriteString("name", NodeNames.Clean(channel.Name));
            w.WriteString("invite", channel.ToText());
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("conversations");
        List<MessageRecord> direct = [.. s.Node.Messages.Cast<MessageRecord>().Where(m => m.Kind == EntryKind.Text)];
        var rows = s.Contacts.Select(p =>
        {
            MessageRecord? last = direct.Where(m => PeerOf(m) == p).OrderBy(m => m.Time).ThenBy(m => m.Outgoing ? 0 : 1).LastOrDefault();
            s.ReadUpTo.TryGetValue(p, out uint read);
            return (Peer: p, Name: NameOf(names, p), Last: last, Unread: direct.Count(m => !m.Outgoing && m.Author == p && m.Sequence > read));
        }).OrderByDescending(r => r.Last is null ? 0 : EntryTime.ToUnixSeconds(r.Last.Time)).ThenBy(r => r.Name, StringComparer.Ordinal);
        foreach (var row in rows)
        {
            w.WriteStartObject();
            w.WriteString("peer", NodeNames.Hex(row.Peer));
            w.WriteString("name", row.Name);
            if (row.Last is null)
            {
                w.WriteNull("lastText");
                w.WriteNumber("lastTime", 0);
            }
            else
            {
                w.WriteString("lastText", row.Last.Text);
                w.WriteNumber("lastTime", EntryTime.ToUnixSeconds(row.Last.Time));
            }

            w.WriteNumber("unread", row.Unread);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>The direct messages with <paramref name="peer"/>, oldest first (in the order the node learned them).</summary>
    public static void Conversation(Utf8JsonWriter w, NodeSession s, uint peer)
    {
        w.WriteStartArray();
        foreach (MessageRecord m in s.Node.Messages.Cast<MessageRecord>().Where(m => m.Kind == EntryKind.Text && PeerOf(m) == peer))
        {
            w.WriteStartObject();
            w.WriteString("author", NodeNames.Hex(m.Author));
            w.WriteNumber("seq", m.Sequence);
            w.WriteString("text", m.Text);
            w.WriteNumber("time", EntryTime.ToUnixSeconds(m.Time));
            w.WriteBoolean("outgoing", m.Outgoing);
            if (m.Outgoing)
            {
                w.WriteString("state", s.StateOf(m.Sequence));
            }
            else
            {
                w.WriteNull("state");
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    /// <summary>Public and channel posts matching <paramref name="which"/>, newest first or (<paramref name="ascending"/>) oldest first.</summary>
    public static void Posts(Utf8JsonWriter w, NodeSession s, Func<MessageRecord, bool> which, bool ascending, int limit)
    {
        Dictionary<uint, string> names = NodeNames.Distinct(s.Node.Chains.KnownProfiles());
        IEnumerable<MessageRecord> posts = s.Node.Messages.Cast<MessageRecord>().Where(which).OrderByDescending(m => m.Time).ThenByDescending(m => m.Sequence).Take(limit);
        posts = ascending ? posts.Reverse() : posts;
        w.WriteStartArray();
        foreach (MessageRecord m in posts)
        {
            w.WriteStartObject();
            w.WriteString("author", NodeNames.Hex(m.Author));
            w.WriteString("name", NameOf(names, m.Author));
            w.WriteNumber("seq", m.Sequence);
            w.WriteString("kind", m.Kind == EntryKind.ChannelPost ? "channel" : "public");
            if (m.Channel == 0)
            {
                w.WriteNull("channel");
                w.WriteNull("channelName");
            }
            else
            {
                w.WriteString("channel", NodeNames.Hex(m.Channel));
                w.WriteString("channelName", s.Channels.TryGetValue(m.Channel, out var c) ? NodeNames.Clean(c.Name) : null);
            }

            w.WriteString("text", m.Text);
            w.WriteNumber("time", EntryTime.ToUnixSeconds(m.Time));
            w.WriteNumber("mediaType", m.Media is null ? PostBody.NoMedia : m.MediaType);
            if (m.Media is null)
            {
                w.WriteNull("media");
            }
            else
            {
                w.WriteBase64String("media", m.Media);
            }

            w.WriteBoolean("outgoing", m.Outgoing);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static uint PeerOf(MessageRecord m) => m.Outgoing ? m.Peer : m.Author;

    private static string NameOf(Dictionary<uint, string> names, uint node) => names.TryGetValue(node, out string? name) ? name : NodeNames.Hex(node);
}
