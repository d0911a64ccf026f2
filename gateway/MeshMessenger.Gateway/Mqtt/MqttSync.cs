using MeshMessenger.Gateway.Ingest;
using MeshMessenger.Gateway.Links;
using MeshMessenger.Gateway.Storage;
using MeshMessenger.Protocol;
using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Frames;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Node;
using MeshMessenger.Protocol.Sync;
using MeshMessenger.Protocol.Wire;
using Microsoft.Data.Sqlite;

namespace MeshMessenger.Gateway.Mqtt;

/// <summary>
/// Sync between gateways over the broker (docs/protocol.md §8, docs/gateway.md "Sync on every link"): a gateway
/// publishes its heads (one IP frame, rotating through its chains, as <see cref="SyncResponder"/> answers on the
/// other links); a gateway that lacks a range of them (<see cref="SyncPlanner.Wants"/>) publishes a want addressed
/// to that gateway; the addressed gateway answers from its store with <see cref="SyncResponder.WantedEntries"/>,
/// at most <see cref="MessengerNode.MaxEntriesPerAnswer"/> entries, published on the entry topics so every receiver
/// ingests and verifies them as any other entry. Answers are paid from a per-asker byte budget.
/// </summary>
public sealed class MqttSync(GatewayDatabase database, SyncResponder responder, NodeIdentity identity, TopicLayout topics, GatewayCounters counters)
{
    /// <summary>Entry bytes one asking gateway may be sent per second.</summary>
    public const int AnswerBytesPerSecond = 32 * 1024;

    /// <summary>Entry bytes one asking gateway may be sent at once: a full answer of the largest entries.</summary>
    public const int AnswerBurst = MessengerNode.MaxEntriesPerAnswer * EntryCodec.MaxEncodedSize;

    /// <summary>Asking gateways whose budgets are kept; past this the table is cleared (each starts full again).</summary>
    public const int MaxAskers = 1024;

    private readonly Lock _lock = new();
    private readonly Dictionary<uint, TokenBucket> _budgets = [];
    private int _headsOffset;

    /// <summary>The topic this gateway publishes its heads on.</summary>
    public string HeadsTopic => topics.HeadsTopic(identity.Id);

    /// <summary>The filter for wants addressed to this gateway.</summary>
    public string WantFilter => topics.WantFilter(identity.Id);

    /// <summary>The next heads frame to publish (the next chains in turn), or null if the store holds none.</summary>
    public byte[]? NextHeads()
    {
        lock (_lock)
        {
            return responder.AnswerHeads(new HeadsMessage(true, []), null, ref _headsOffset);
        }
    }

    /// <summary>
    /// The want to publish (topic, frame) for a heads frame another gateway published on <paramref name="topic"/>,
    /// or null if this gateway lacks nothing of it or the message is not a heads frame of another gateway.
    /// </summary>
    public (string Topic, byte[] Frame)? WantFor(string topic, byte[] payload)
    {
        if (topics.HeadsOf(topic) is not uint peer || peer == identity.Id)
        {
            return null;
        }

        if (Decode(payload, FrameType.Heads) is not { } frame || HeadsMessage.TryDecode(frame.Payload, out HeadsMessage? heads) != ProtocolError.None)
        {
            counters.Add("dropped_mqtt_sync");
            return null;
        }

        SequenceRange[] ranges;
        using (SqliteConnection c = database.Open())
        {
            ranges = SyncPlanner.Wants(new ChainStore(new SqliteEntryStore(c)), heads!.Heads, allChains: true);
        }

        if (ranges.Length == 0)
        {
            return null;
        }

        counters.Add("mqtt_sync_wants_sent");
        var want = new Frame(FrameType.Want, 0, 0, false, NodeId.HintOf(peer), NodeId.HintOf(identity.Id), new WantMessage(ranges).Encode());
        return (topics.WantTopic(peer, identity.Id), FrameCodec.Encode(want, FrameLimits.Ip));
    }

    /// <summary>
    /// The entries (author, encoded entry) answering a want published on <paramref name="topic"/>: at most
    /// <see cref="MessengerNode.MaxEntriesPerAnswer"/>, and as many as the asker's budget pays for.
    /// </summary>
    public List<(uint Author, byte[] Entry)> Answer(string topic, byte[] payload)
    {
        var answer = new List<(uint Author, byte[] Entry)>();
        if (topics.AskerOf(topic, identity.Id) is not uint asker
            || Decode(payload, FrameType.Want) is not { } frame
            || WantMessage.TryDecode(frame.Payload, out WantMessage? want) != ProtocolError.None)
        {
            counters.Add("dropped_mqtt_sync");
            return answer;
        }

        List<byte[]> entries = responder.WantedEntries(want!, frame.NextHop, frame.Relay);
        long asked = want!.Ranges.Sum(r => (long)r.To - r.From + 1);
        if (entries.Count == MessengerNode.MaxEntriesPerAnswer && asked > entries.Count)
        {
            counters.Add("mqtt_sync_wants_cut"); // the rest is asked again after the next heads
        }

        long now = Environment.TickCount64;
        lock (_lock)
        {
            if (!_budgets.TryGetValue(asker, out TokenBucket? budget))
            {
                if (_budgets.Count >= MaxAskers)
                {
                    _budgets.Clear();
                }

                budget = _budgets[asker] = new TokenBucket(AnswerBurst, now);
            }

            foreach (byte[] bytes in entries)
            {
                if (!budget.TryTake(bytes.Length, now, AnswerBytesPerSecond, AnswerBurst))
                {
                    break; // the rest is asked again after the next heads
                }

                if (EntryCodec.TryDecode(bytes, 0, bytes.Length, out Entry? entry) == ProtocolError.None)
                {
                    answer.Add((entry!.Author, bytes));
                }
            }
        }

        counters.Add(answer.Count == 0 && entries.Count > 0 ? "mqtt_sync_wants_refused" : "mqtt_sync_wants_answered");
        counters.Add("mqtt_sync_entries_sent", answer.Count);
        return answer;
    }

    private static Frame? Decode(byte[] payload, FrameType type) =>
        FrameCodec.TryDecode(payload, 0, payload.Length, FrameLimits.Ip, out Frame? frame) == ProtocolError.None && frame!.Type == type ? frame : null;
}
