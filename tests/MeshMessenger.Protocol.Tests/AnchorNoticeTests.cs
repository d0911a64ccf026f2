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
    // The leaf written out by hand (docs/anchoring.md §1): author ‖ sequence ‖ entry hash ‖ leaf index ‖ tree size, big-endian.
    private static byte[] Leaf(uint author, uint seq, byte[] hash, uint index, uint size) =>
        SHA256.HashData([0x00, .. BigEndian(author), .. BigEndian(seq), .. hash, .. BigEndian(index), .. BigEndian(size)]);

    private static byte[] BigEndian(uint v) => [(byte)(v >> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v];

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
        byte[] l0 = Leaf(7, 3, new byte[32], 0, 3);
        byte[] l1 = Leaf(alice.Id, 1, head, 1, 3);
        byte[] l2 = Leaf(9, 0, new byte[32], 2, 3);
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

        // Leaf 1 of 3 has a 2-hash path, as in a tree of 4: the bare RFC 9162 walk would accept size 4, the leaf does not.
        var wrongSize = new AnchorNotice(alice.Id, 1, root, new byte[32], 1234, 1, 4, [l0, l2]);
        Assert.False(wrongSize.Proves(head));
        byte[] resized = FrameCodec.Encode(new Frame(FrameType.Anchor, 0, 0, false, 0, 0, wrongSize.Encode()), FrameLimits.Ip);
        Assert.Equal(ProtocolError.InvalidField, alice.Receive(resized, 0, resized.Length));
    }

    [Fact]
    public void A_notice_a_neighbour_makes_up_over_a_root_of_its_own_is_kept_only_as_an_unchecked_claim_and_changes_nothing_else()
    {
        // The limit docs/anchoring.md §5 states: the notice is unsigned and a device has no chain node, so anyone who heard
        // an entry can build a tree around it and send the notice. This test pins what such a forgery can and cannot do;
        // it fails once notices are authenticated (then a forged one must be refused).
        var alice = new MessengerNode(NodeIdentity.FromRootSecret(new byte[32]), "alice", new MemoryEntryStore(), new TestClock(), FrameLimits.Ip, false);
        alice.TakeOutbox();
        alice.PostPublic("anchored soon");
        alice.TakeOutbox();
        byte[] head = alice.Chains.HashOf(alice.Id, 1)!;
        byte[] l0 = Leaf(7, 3, new byte[32], 0, 2);
        byte[] genuineRoot = Node(l0, Leaf(alice.Id, 1, head, 1, 2));
        byte[] genuine = FrameCodec.Encode(new Frame(FrameType.Anchor, 0, 0, false, 0, 0, new AnchorNotice(alice.Id, 1, genuineRoot, new byte[32], 1234, 1, 2, [l0]).Encode()), FrameLimits.Ip);
        Assert.Equal(ProtocolError.None, alice.Receive(genuine, 0, genuine.Length));
        int held = alice.Chains.Store.Count;
        int messages = alice.Messages.Count;

        // Mallory heard entry 1, so she knows its hash: a one-leaf tree of her own, a transaction and block that do not exist.
        byte[] madeUpRoot = Leaf(alice.Id, 1, head, 0, 1);
        byte[] forged = FrameCodec.Encode(new Frame(FrameType.Anchor, 0, 0, false, 0, 0, new AnchorNotice(alice.Id, 1, madeUpRoot, Enumerable.Repeat((byte)0xEE, 32).ToArray(), 999_999, 0, 1, []).Encode()), FrameLimits.Ip);
        Assert.Equal(ProtocolError.None, alice.Receive(forged, 0, forged.Length));

        Assert.Equal(madeUpRoot, alice.LatestAnchor!.Root); // believed: a claim consistent with her own entry, nothing more
        Assert.Equal(999_999u, alice.LatestAnchor.BlockNumber);
        Assert.Equal(head, alice.Chains.HashOf(alice.Id, 1)); // her chain, store and inbox are untouched
        Assert.Equal(held, alice.Chains.Store.Count);
        Assert.Equal(messages, alice.Messages.Count);
        Assert.Empty(alice.TakeOutbox()); // she neither answers nor passes the notice on

        // Only a path from her own entry is taken: a made-up root over anything else is still refused.
        byte[] other = FrameCodec.Encode(new Frame(FrameType.Anchor, 0, 0, false, 0, 0, new AnchorNotice(alice.Id, 1, Leaf(alice.Id, 1, new byte[32], 0, 1), new byte[32], 5, 0, 1, []).Encode()), FrameLimits.Ip);
        Assert.Equal(ProtocolError.InvalidField, alice.Receive(other, 0, other.Length));
        Assert.Equal(madeUpRoot, alice.LatestAnchor.Root);
    }

    [Fact]
    public void A_notice_of_another_format_or_with_a_path_of_the_wrong_length_for_its_index_and_size_is_refused()
    {
        byte[] bytes = new AnchorNotice(1, 2, new byte[32], new byte[32], 3, 3, 11, [new byte[32], new byte[32], new byte[32], new byte[32]]).Encode();
        Assert.Equal(ProtocolError.None, AnchorNotice.TryDecode(bytes, 0, bytes.Length, out _));
        Assert.Equal(AnchorLeaf.FormatVersion, bytes[0]);
        Assert.Equal(ProtocolError.UnsupportedVersion, AnchorNotice.TryDecode([0x01, .. bytes[1..]], 0, bytes.Length, out _));
        byte[] bigger = new AnchorNotice(1, 2, new byte[32], new byte[32], 3, 3, 32, [new byte[32], new byte[32], new byte[32], new byte[32]]).Encode();
        Assert.Equal(ProtocolError.InvalidField, AnchorNotice.TryDecode(bigger, 0, bigger.Length, out _)); // leaf 3 of 32 needs 5 hashes
        byte[] outside = new AnchorNotice(1, 2, new byte[32], new byte[32], 3, 11, 11, [new byte[32], new byte[32], new byte[32], new byte[32]]).Encode();
        Assert.Equal(ProtocolError.InvalidField, AnchorNotice.TryDecode(outside, 0, outside.Length, out _));
    }

    [Theory]
    [InlineData(0u, 1u, 0)]
    [InlineData(3u, 11u, 4)]
    [InlineData(3u, 12u, 4)]
    [InlineData(3u, 16u, 4)]
    [InlineData(10u, 11u, 2)]
    [InlineData(4u, 5u, 1)]
    [InlineData(0u, 0x80000000u, 31)]
    [InlineData(1u, 1u, -1)]
    [InlineData(0u, 0u, -1)]
    [InlineData(0u, 0x80000001u, -1)]
    public void The_path_length_is_the_number_of_levels_RFC_9162_walks(uint index, uint size, int hashes) =>
        Assert.Equal(hashes, MerkleProof.PathLength(index, size));

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    [InlineData(80)]
    public void Truncated_or_padded_notices_are_refused(int cut)
    {
        byte[] bytes = new AnchorNotice(1, 2, new byte[32], new byte[32], 3, 0, 2, [new byte[32]]).Encode();
        Assert.NotEqual(ProtocolError.None, AnchorNotice.TryDecode(bytes, 0, cut, out _));
        byte[] padded = [.. bytes, 0];
        Assert.Equal(ProtocolError.TrailingBytes, AnchorNotice.TryDecode(padded, 0, padded.Length, out _));
    }
}
