using MeshMessenger.Gateway.Storage;
using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Frames;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Node;
using MeshMessenger.Protocol.Sync;
using MeshMessenger.Protocol.Wire;
using Microsoft.Data.Sqlite;

namespace MeshMessenger.Gateway.Links;

/// <summary>
/// Answers a neighbour's sync (docs/protocol.md §8) from the gateway's store, as a <see cref="MessengerNode"/>
/// answers on the mesh: Heads asking for a reply get the gateway's heads (the chains a query asked about first,
/// then the others from a rotating offset, as many as fit one IP frame); a Want addressed to the gateway (or to
/// anyone) gets the stored entries of its ranges, at most <see cref="MessengerNode.MaxEntriesPerAnswer"/>, each
/// in IP frames with hop limit 0. Reads only; the link decides who may ask (a proven neighbour).
/// </summary>
public sealed class SyncResponder(GatewayDatabase database, NodeIdentity identity)
{
    /// <summary>Heads in one answer: as many as always fit an IP frame's payload (55).</summary>
    public static readonly int HeadsPerFrame = HeadsMessage.Fit(FrameLimits.Ip - FrameLimits.HeaderSize);

    /// <summary>
    /// The Heads frame answering <paramref name="asked"/>, or null if it asks for no reply or the store holds no
    /// chain. <paramref name="askedBy"/> is the node the asking socket proved; its own chain comes first.
    /// <paramref name="offset"/> is the asker's rotation through the other chains; it moves on by the number
    /// advertised, so repeated asks advertise every chain in turn.
    /// </summary>
    public byte[]? AnswerHeads(HeadsMessage asked, uint? askedBy, ref int offset) => AnswerHeads(asked, askedBy, ref offset, FrameLimits.Ip);

    /// <summary>As <see cref="AnswerHeads(HeadsMessage, uint?, ref int)"/>, with as many heads as fit a frame of <paramref name="maxFrameSize"/> (the radio: 255).</summary>
    public byte[]? AnswerHeads(HeadsMessage asked, uint? askedBy, ref int offset, int maxFrameSize)
    {
        int perFrame = HeadsMessage.Fit(maxFrameSize - FrameLimits.HeaderSize);
        if (!asked.RequestReply)
        {
            return null;
        }

        using SqliteConnection c = database.Open();
        var heads = new List<ChainHead>(perFrame);
        // The asker's own chain first: it learns how far the gateway holds what it sent (its "sent" state).
        IEnumerable<uint> first = askedBy is uint own ? [own] : [];
        if (asked.Query || askedBy is not null)
        {
            foreach (uint author in first.Concat(asked.Query ? asked.Heads.Select(h => h.Author) : []).Distinct().Take(perFrame))
            {
                heads.AddRange(Heads(c, "SELECT author, low, high, head FROM chains WHERE author = $a", p => p.AddWithValue("$a", (long)author)));
            }
        }

        long total = GatewayDatabase.Scalar(c, "SELECT COUNT(*) FROM chains");
        int room = (int)Math.Min(perFrame - heads.Count, Math.Max(0, total - heads.Count));
        if (room > 0)
        {
            int start = (int)(offset % total);
            var answered = new HashSet<uint>(heads.Select(h => h.Author));
            var rest = new List<ChainHead>(room);
            const string Page = "SELECT author, low, high, head FROM chains ORDER BY author LIMIT $n OFFSET $o";
            rest.AddRange(Heads(c, Page, p => { p.AddWithValue("$n", room + answered.Count); p.AddWithValue("$o", start); }).Where(h => !answered.Contains(h.Author)).Take(room));
            if (rest.Count < room)
            {
                // Wrapped past the last author: carry on from the first.
                rest.AddRange(Heads(c, Page, p => { p.AddWithValue("$n", room + answered.Count); p.AddWithValue("$o", 0); })
                    .Where(h => !answered.Contains(h.Author) && !rest.Exists(r => r.Author == h.Author)).Take(room - rest.Count));
            }

            offset = (int)((start + rest.Count) % total);
            heads.AddRange(rest);
        }

        return heads.Count == 0
            ? null
            : FrameCodec.Encode(new Frame(FrameType.Heads, 0, 0, false, 0, NodeId.HintOf(identity.Id), new HeadsMessage(false, [.. heads]).Encode()), maxFrameSize);
    }

    /// <summary>
    /// The frames answering <paramref name="want"/> (from a frame whose next hop is <paramref name="nextHop"/> and
    /// whose relay byte, the sender's hint, is <paramref name="asker"/>), one array per entry (a whole frame, or its
    /// fragments): as <see cref="WantedEntries"/>. Per entry, so the link can pay for each from its downlink budget
    /// and stop at the first that does not fit.
    /// </summary>
    public List<byte[][]> AnswerWant(WantMessage want, byte nextHop, byte asker) => AnswerWant(want, nextHop, asker, FrameLimits.Ip);

    /// <summary>As <see cref="AnswerWant(WantMessage, byte, byte)"/>, each entry split for frames of <paramref name="maxFrameSize"/> (the radio: 255), hop limit 0.</summary>
    public List<byte[][]> AnswerWant(WantMessage want, byte nextHop, byte asker, int maxFrameSize) =>
        [.. WantedEntries(want, nextHop, asker).Select(bytes => maxFrameSize == FrameLimits.Ip ? IpFrames.OfEntry(bytes, identity.Id) : Encoded(Fragmenter.Split(bytes, maxFrameSize, 0, false, NodeId.HintOf(identity.Id)), maxFrameSize))];

    /// <summary>
    /// The stored entries (encoded, unframed) answering <paramref name="want"/> of the node with hint
    /// <paramref name="asker"/>: those of its ranges in order that the want serves (<see cref="WantMessage.Serves"/>:
    /// a want flagged "readable by the asker only" skips other pairs' direct entries, docs/protocol.md §8.2), at most
    /// <see cref="MessengerNode.MaxEntriesPerAnswer"/> sent; none if the want was addressed to another node. The MQTT
    /// bridge publishes them as entries; the other links frame them (<see cref="AnswerWant(WantMessage, byte, byte, int)"/>).
    /// </summary>
    public List<byte[]> WantedEntries(WantMessage want, byte nextHop, byte asker)
    {
        var entries = new List<byte[]>();
        if (nextHop != 0 && nextHop != NodeId.HintOf(identity.Id))
        {
            return entries; // asked of another neighbour
        }

        using SqliteConnection c = database.Open();
        using SqliteCommand select = c.CreateCommand();
        // Unflagged, the limit goes into the query; flagged, a range (≤ 64 sequences) is read whole and filtered.
        select.CommandText = "SELECT bytes FROM entries WHERE author = $a AND seq BETWEEN $from AND $to ORDER BY seq LIMIT $max";
        foreach (SequenceRange range in want.Ranges)
        {
            if (entries.Count >= MessengerNode.MaxEntriesPerAnswer)
            {
                break;
            }

            select.Parameters.Clear();
            select.Parameters.AddWithValue("$a", (long)range.Author);
            select.Parameters.AddWithValue("$from", (long)range.From);
            select.Parameters.AddWithValue("$to", (long)range.To);
            select.Parameters.AddWithValue("$max", want.ReadableOnly ? WantMessage.MaxRangeLength : MessengerNode.MaxEntriesPerAnswer - entries.Count);
            using SqliteDataReader reader = select.ExecuteReader();
            while (reader.Read() && entries.Count < MessengerNode.MaxEntriesPerAnswer)
            {
                byte[] bytes = (byte[])reader[0];
                if (!want.ReadableOnly
                    || (EntryCodec.TryDecode(bytes, 0, bytes.Length, out Entry? entry) == Protocol.ProtocolError.None && want.Serves(entry!, asker)))
                {
                    entries.Add(bytes);
                }
            }
        }

        return entries;
    }

    /// <summary>
    /// The LoRa frames answering a relayed want (docs/protocol.md §8.4) carried by <paramref name="frame"/>: only
    /// the conversation between the gateway and the asker (<see cref="RelayedWant.Answers"/>), at most
    /// <see cref="RelayedWant.MaxAnswer"/> entries, addressed back as <see cref="RelayedWant.AnswerHops"/> says,
    /// one array per entry. None for a want the gateway itself asked.
    /// </summary>
    public List<byte[][]> AnswerRelayedWant(Frame frame, RelayedWant want, bool uplinkConsent)
    {
        var frames = new List<byte[][]>();
        if (want.Asker == identity.Id)
        {
            return frames;
        }

        byte hint = NodeId.HintOf(identity.Id);
        int hops = RelayedWant.AnswerHops(frame, hint, out byte via);
        using SqliteConnection c = database.Open();
        using SqliteCommand select = c.CreateCommand();
        select.CommandText = "SELECT bytes FROM entries WHERE author = $a AND seq BETWEEN $from AND $to ORDER BY seq";
        foreach (SequenceRange range in want.Ranges)
        {
            select.Parameters.Clear();
            select.Parameters.AddWithValue("$a", (long)range.Author);
            select.Parameters.AddWithValue("$from", (long)range.From);
            select.Parameters.AddWithValue("$to", (long)range.To);
            using SqliteDataReader reader = select.ExecuteReader();
            while (reader.Read() && frames.Count < RelayedWant.MaxAnswer)
            {
                byte[] bytes = (byte[])reader[0];
                if (EntryCodec.TryDecode(bytes, 0, bytes.Length, out Entry? entry) == Protocol.ProtocolError.None && RelayedWant.Answers(entry!, identity.Id, want.Asker))
                {
                    Frame[] split = Fragmenter.Split(bytes, FrameLimits.LoRa, hops, false, hint);
                    frames.Add(Encoded([.. split.Select(f => uplinkConsent ? f.Readdressed(hops, via, hint) : f.Readdressed(hops, via, hint).AsLocalOnly())], FrameLimits.LoRa));
                }
            }
        }

        return frames;
    }

    private static byte[][] Encoded(Frame[] frames, int maxFrameSize) => [.. frames.Select(f => FrameCodec.Encode(f, maxFrameSize))];

    private static List<ChainHead> Heads(SqliteConnection c, string sql, Action<SqliteParameterCollection> bind)
    {
        using SqliteCommand select = c.CreateCommand();
        select.CommandText = sql;
        bind(select.Parameters);
        using SqliteDataReader reader = select.ExecuteReader();
        var heads = new List<ChainHead>();
        while (reader.Read())
        {
            heads.Add(new ChainHead((uint)reader.GetInt64(0), (uint)reader.GetInt64(1), (uint)reader.GetInt64(2), EntryHash.LinkOf((byte[])reader[3])));
        }

        return heads;
    }
}
