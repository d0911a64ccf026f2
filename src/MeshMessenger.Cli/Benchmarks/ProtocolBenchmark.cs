using System.Runtime.InteropServices;
using MeshMessenger.Cli.Host;
using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Frames;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Node;
using MeshMessenger.Protocol.Sealing;

namespace MeshMessenger.Cli.Benchmarks;

/// <summary>
/// What the protocol core costs per message on this machine, one thread: composing a direct message
/// (seal + sign + frame), checking a received frame (decode + hash + Ed25519 verify, the work a relay or
/// gateway does before storing), opening it, and accepting a whole chain into a store.
/// </summary>
public sealed class ProtocolBenchmark(TimeSpan perMeasurement)
{
    public const int ChainLength = 1_000;

    public ProtocolBenchmarkReport Run(Action<string>? progress = null)
    {
        var clock = new FixedClock(60_000_000);
        NodeIdentity aliceKey = NodeIdentity.FromRootSecret(Enumerable.Repeat((byte)1, 32).ToArray());
        NodeIdentity bobKey = NodeIdentity.FromRootSecret(Enumerable.Repeat((byte)2, 32).ToArray());
        var alice = new MessengerNode(aliceKey, "Alice", new MemoryEntryStore(), clock, FrameLimits.LoRa, restoring: false);
        alice.AddContact(ContactCard.Create(bobKey, "Bob", null));
        alice.TakeOutbox();
        int capacity = alice.SingleFrameTextCapacity();
        string text = new('m', 150); // fits one frame up to sequence 2,097,151

        alice.SendText(bobKey.Id, new string('m', capacity)); // a full frame for the receive-side figures
        byte[] frame = alice.TakeOutbox().Single();
        FrameCodec.TryDecode(frame, 0, frame.Length, FrameLimits.LoRa, out Frame? decoded);
        EntryCodec.TryDecode(decoded!.Payload, 0, decoded.Payload.Length, out Entry? dm);
        byte[] key = DirectKey.Derive(bobKey, Profile.Of(aliceKey, "Alice", null), Profile.Of(bobKey, "Bob", null))!;

        var rows = new List<ProtocolBenchmarkRow>();
        progress?.Invoke("compose");
        rows.Add(new("compose a direct message (seal, sign, frame)", OperationTimer.Rate(() =>
        {
            alice.SendText(bobKey.Id, text);
            alice.TakeOutbox();
        }, perMeasurement)));

        progress?.Invoke("verify");
        rows.Add(new("check a received frame (decode, hash, Ed25519 verify)", OperationTimer.Rate(() =>
        {
            FrameCodec.TryDecode(frame, 0, frame.Length, FrameLimits.LoRa, out Frame? f);
            EntryCodec.TryDecode(f!.Payload, 0, f.Payload.Length, out Entry? e);
            if (!EntryHash.Verify(e!, aliceKey.SigningKey, EntryHash.Of(e!, aliceKey.SigningKey)))
            {
                throw new InvalidOperationException("benchmark entry does not verify");
            }
        }, perMeasurement)));

        progress?.Invoke("open");
        rows.Add(new("open a direct message (ChaCha20-Poly1305, cached key)", OperationTimer.Rate(() =>
        {
            if (BodyCipher.Open(key, dm!) is null)
            {
                throw new InvalidOperationException("benchmark entry does not open");
            }
        }, perMeasurement)));

        progress?.Invoke("accept");
        var author = new LocalChain(aliceKey, new ChainStore(new MemoryEntryStore()));
        var entries = new List<Entry> { author.StartNew(Profile.Of(aliceKey, "Alice", null), 1) };
        for (int i = 1; i < ChainLength; i++)
        {
            entries.Add(author.Commit(EntryKind.PublicPost, BodySealing.Clear, 0, (uint)i, "news from the valley"u8.ToArray()));
        }

        double chainsPerSecond = OperationTimer.Rate(() =>
        {
            var store = new ChainStore(new MemoryEntryStore());
            foreach (Entry e in entries)
            {
                if (store.Accept(e) != ChainVerdict.Accepted)
                {
                    throw new InvalidOperationException("benchmark chain refused");
                }
            }
        }, perMeasurement);
        rows.Add(new("accept entries into a chain store (verify, link, store)", chainsPerSecond * ChainLength));

        return new ProtocolBenchmarkReport(
            DateTimeOffset.UtcNow,
            $"{RuntimeInformation.OSDescription} {RuntimeInformation.ProcessArchitecture}",
            Environment.ProcessorCount,
            RuntimeInformation.FrameworkDescription,
            capacity,
            frame.Length,
            rows);
    }
}
