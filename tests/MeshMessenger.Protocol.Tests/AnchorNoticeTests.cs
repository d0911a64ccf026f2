using System.Security.Cryptography;
using MeshMessenger.Protocol.Anchors;
using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Frames;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Node;
using MeshMessenger.Protocol.Tests.Support;

namespace MeshMessenger.Protocol.Tests;

/// <summary>The gateway's anchor notice: wire form, untrusted decoding, and the device's own check of the Merkle path.</summary>
public sealed class AnchorNoticeTests
{
    private static byte[] Leaf(uint author, uint seq, byte[] hash) =>
        SHA256.HashData([0x00, (byte)(author >> 24), (byte)(author >> 16), (byte)(author >> 8), (byte)author, (byte)(seq >> 24), (byte)(seq >> 16), (byte)(seq >> 8), (byte)seq, .. hash]);

    private static byte[] Node(byte[] left, byte[] right) => SHA256.HashData([0x01, .. left, .. right]);

    [Fact]
    public void A_node_keeps_a_notice_whose_path_leads_from_its_own_entry_to_the_root_and_refuses_a_wrong_one()
    {
        var alice = new MessengerNode(NodeIdentity.FromRootSecret(new byte[32]), "alice", new MemoryEntryStore(), new TestClock(), FrameLimits.Ip, false);
        alice.TakeOutbox();
        alice.PostPublic("anchored soon");
        alice.TakeOutbox();
        byte[] head = alice.Chains.HashOf(alice.Id, 1)!;

        // A three-leaf tree: [other, alice's checkpoint, another]; root = Node(Node(l0, l1), l2).
        byte[] l0 = Leaf(7, 3, new byte[32]);
        byte[] l1 = Leaf(alice.Id, 1, head);
        byte[] l2 = Leaf(9, 0, new byte[32]);
        byte[] root = Node(Node(l0, l1), l2);
        var notice = new AnchorNotice(alice.Id, 1, root, new byte[32], 1234, 1, 3, [l0, l2]);

        Assert.Equal(ProtocolError.None, AnchorNotice.TryDecode(notice.Encode(), 0, notice.Encode().Length, out AnchorNotice? decoded));
        Assert.True(decoded!.Proves(head));
        byte[] frame = FrameCodec.Encode(new Frame(FrameType.Anchor, 0, 0, false, 0, 0, notice.Encode()), FrameLimits.Ip);
        Assert.Equal(ProtocolError.None, alice.Receive(frame, 0, frame.Length));
        Assert.Equal(1u, alice.LatestAnchor!.Sequence);
        Assert.Equal(1234u, alice.LatestAnchor.BlockNumber);

        var wrongIndex = new AnchorNotice(alice.Id, 1, root, new byte[32], 1234, 0, 3, [l0, l2]);
        byte[] bad = FrameCodec.Encode(new Frame(FrameType.Anchor, 0, 0, false, 0, 0, wrongIndex.Encode()), FrameLimits.Ip);
        Assert.Equal(ProtocolError.InvalidField, alice.Receive(bad, 0, bad.Length));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    [InlineData(80)]
    public void Truncated_or_padded_notices_are_refused(int cut)
    {
        byte[] bytes = new AnchorNotice(1, 2, new byte[32], new byte[32], 3, 0, 2, [new byte[32]]).Encode();
        Assert.NotEqual(ProtocolError.None, AnchorNotice.TryDecode(bytes, 0, cut, out _));
        byte[] padded = [.. bytes, 0];
        Assert.Equal(ProtocolError.InvalidField, AnchorNotice.TryDecode(padded, 0, padded.Length, out _));
    }
}
