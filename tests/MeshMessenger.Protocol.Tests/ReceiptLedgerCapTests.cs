using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Frames;
using MeshMessenger.Protocol.Node;
using MeshMessenger.Protocol.Platform;
using MeshMessenger.Protocol.Tests.Support;

namespace MeshMessenger.Protocol.Tests;

/// <summary>The per-peer receipt cap must not make a restored node receipt again what it already receipted.</summary>
public sealed class ReceiptLedgerCapTests
{
    [Theory]
    [InlineData(32)] // the device default
    [InlineData(3)] // fewer than the six messages: the list lets go of receipts
    public void A_restored_node_does_not_write_a_second_receipt_for_messages_it_receipted_before(int receiptsPerPeer)
    {
        var clock = new TestClock();
        var limits = new NodeLimits { ReceiptsPerPeer = receiptsPerPeer };
        var verifier = new Ed25519SignatureVerifier();
        var alice = new MessengerNode(Identities.Fixed(1), "alice", new MemoryEntryStore(), clock, FrameLimits.LoRa, false, verifier, limits);
        MessengerNode bob = TestLink.Node(2, "bob", clock);
        var link = new TestLink(alice, bob);
        link.Run();
        for (int i = 0; i < 6; i++)
        {
            bob.SendText(alice.Id, "hello " + i);
            link.Run();
        }

        int before = ReceiptsTo(alice, alice.Id);
        Assert.Equal(6, before);

        // Alice loses her device and restores from backup; bob holds her chain (her receipts were addressed to him).
        var restored = new MessengerNode(Identities.Fixed(1), "alice", new MemoryEntryStore(), clock, FrameLimits.LoRa, true, verifier, limits);
        var again = new TestLink(restored, bob);
        again.Run();
        restored.FinishRestore();
        again.Run();

        Assert.Equal(6, restored.Messages.Cast<MessageRecord>().Count(m => !m.Outgoing));
        Assert.Equal(before, ReceiptsTo(restored, restored.Id)); // the receipts she wrote before, and no more
    }

    private static int ReceiptsTo(MessengerNode node, uint own)
    {
        int n = 0;
        if (node.Chains.Store.TryGetRange(own, out uint low, out uint high))
        {
            for (uint s = low; s <= high; s++)
            {
                StoredEntry? e = node.Chains.Store.Get(own, s);
                n += e != null && e.Entry.Kind == EntryKind.DeliveryReceipt ? 1 : 0;
            }
        }

        return n;
    }
}
