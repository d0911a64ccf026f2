using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Frames;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Sync;
using MeshMessenger.Protocol.Wire;

namespace MeshMessenger.Protocol.Node;

/// <summary>
/// Answers neighbours' wants with held entries (docs/protocol.md §8.2), and wants relayed from past the neighbours with
/// the conversation between this node and the asker (§8.4). Holds nothing: each answer is read from the store and
/// queued in the outbox, at most <see cref="MaxEntriesPerAnswer"/> entries.
/// </summary>
internal sealed class WantResponder
{
    /// <summary>Entries sent in answer to one want message.</summary>
    public const int MaxEntriesPerAnswer = 64;

    private readonly uint _id;
    private readonly ChainStore _chains;
    private readonly Outbox _outbox;
    private readonly int _maxFrameSize;

    /// <summary>A responder for node <paramref name="id"/> answering from <paramref name="chains"/> into <paramref name="outbox"/>.</summary>
    public WantResponder(uint id, ChainStore chains, Outbox outbox)
    {
        _id = id;
        _chains = chains;
        _outbox = outbox;
        _maxFrameSize = outbox.MaxFrameSize;
    }

    private byte Hint => NodeId.HintOf(_id);

    /// <summary>
    /// A neighbour's want: answers with at most <see cref="MaxEntriesPerAnswer"/> held entries (for a want flagged readable
    /// by the asker only, those <see cref="WantMessage.Serves"/> lets through), unless it was asked of another neighbour.
    /// </summary>
    public ProtocolError Take(Frame frame)
    {
        if (frame.HopStart > 0)
        {
            return TakeRelayed(frame);
        }

        WantMessage? want;
        ProtocolError error = WantMessage.TryDecode(frame.Payload, out want);
        if (error != ProtocolError.None)
        {
            return error;
        }

        if (frame.NextHop != 0 && frame.NextHop != Hint)
        {
            return ProtocolError.None; // asked of another neighbour
        }

        int sent = 0;
        for (int i = 0; i < want!.Ranges.Length && sent < MaxEntriesPerAnswer; i++)
        {
            SequenceRange range = want.Ranges[i];
            for (uint s = range.From; sent < MaxEntriesPerAnswer; s++)
            {
                StoredEntry? stored = _chains.Store.Get(range.Author, s);
                if (stored != null && want.Serves(stored.Entry, frame.Relay))
                {
                    // A hop-0 want's relay byte is its sender's hint: the asker (docs/protocol.md §8.2).
                    _outbox.QueueEntry(stored.Entry, 0, false, true);
                    sent++;
                }

                if (s == range.To)
                {
                    break;
                }
            }
        }

        return ProtocolError.None;
    }

    // A want from past the neighbours (docs/protocol.md §8.4): only the conversation between this node and the
    // asker is answered, at most RelayedWant.MaxAnswer entries, with the hops the want took so the answer goes as far.
    private ProtocolError TakeRelayed(Frame frame)
    {
        RelayedWant? want;
        ProtocolError error = RelayedWant.TryDecode(frame.Payload, out want);
        if (error != ProtocolError.None || want!.Asker == _id)
        {
            return error;
        }

        byte via;
        int hops = RelayedWant.AnswerHops(frame, Hint, out via);
        int sent = 0;
        for (int i = 0; i < want.Ranges.Length && sent < RelayedWant.MaxAnswer; i++)
        {
            SequenceRange range = want.Ranges[i];
            for (uint s = range.From; sent < RelayedWant.MaxAnswer; s++)
            {
                StoredEntry? stored = _chains.Store.Get(range.Author, s);
                if (stored != null && RelayedWant.Answers(stored.Entry, _id, want.Asker))
                {
                    Frame[] frames = Fragmenter.Split(stored.Entry.Encoded, _maxFrameSize, hops, false, Hint);
                    for (int f = 0; f < frames.Length; f++)
                    {
                        Frame answer = frames[f].Readdressed(hops, via, Hint);
                        _outbox.Queue(_outbox.UplinkConsent ? answer : answer.AsLocalOnly(), true);
                    }

                    sent++;
                }

                if (s == range.To)
                {
                    break;
                }
            }
        }

        return ProtocolError.None;
    }
}
