using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Frames;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Links;
using MeshMessenger.Protocol.Node;
using MeshMessenger.Protocol.Platform;
using MeshMessenger.Protocol.Sealing;
using MeshMessenger.Protocol.Tests.Support;

namespace MeshMessenger.Protocol.Tests;

/// <summary>Challenge and Proof frames (docs/protocol.md §5.4): exact, bounded decoding and proofs that bind one challenge and one key.</summary>
public sealed class LinkProofTests
{
    private static readonly byte[] Nonce = [.. Enumerable.Range(0x40, LinkChallenge.NonceSize).Select(i => (byte)i)];

    [Fact]
    public void A_challenge_round_trips_and_its_empty_form_is_21_bytes()
    {
        var challenge = new LinkChallenge(0x0c80b9c4, Nonce, [1, 0xFFFFFFFF], [0, uint.MaxValue]);
        byte[] encoded = challenge.Encode();
        Assert.Equal(ProtocolError.None, LinkChallenge.TryDecode(encoded, 0, encoded.Length, out LinkChallenge? back));
        Assert.Equal(challenge.Gateway, back!.Gateway);
        Assert.Equal(Nonce, back.Nonce);
        Assert.Equal(challenge.Authors, back.Authors);
        Assert.Equal(challenge.Sequences, back.Sequences);
        Assert.Equal(21, new LinkChallenge(1, Nonce, [], []).Encode().Length);
    }

    [Fact]
    public void Challenge_decoding_refuses_too_many_items_truncation_and_trailing_bytes()
    {
        byte[] full = new LinkChallenge(9, Nonce, [.. Enumerable.Range(0, 32).Select(i => (uint)i)], [.. Enumerable.Range(0, 32).Select(i => (uint)i)]).Encode();
        Assert.Equal(ProtocolError.None, LinkChallenge.TryDecode(full, 0, full.Length, out _));
        for (int n = 0; n < full.Length; n++)
        {
            Assert.Equal(ProtocolError.Truncated, LinkChallenge.TryDecode(full, 0, n, out LinkChallenge? none));
            Assert.Null(none);
        }

        byte[] tooMany = (byte[])full.Clone();
        tooMany[20] = 33;
        Assert.Equal(ProtocolError.InvalidField, LinkChallenge.TryDecode(tooMany, 0, tooMany.Length, out _));
        tooMany[20] = 255;
        Assert.Equal(ProtocolError.InvalidField, LinkChallenge.TryDecode(tooMany, 0, tooMany.Length, out _));
        byte[] longer = [.. full, 0];
        Assert.Equal(ProtocolError.TrailingBytes, LinkChallenge.TryDecode(longer, 0, longer.Length, out _));
        Assert.Equal(ProtocolError.Truncated, LinkChallenge.TryDecode(null!, 0, 0, out _));
        Assert.Equal(ProtocolError.Truncated, LinkChallenge.TryDecode(full, 5, full.Length, out _));
    }

    [Fact]
    public void Proof_decoding_takes_exactly_88_bytes()
    {
        byte[] proof = new LinkProof(1, Nonce, 5, new byte[64]).Encode();
        Assert.Equal(LinkProof.Size, proof.Length);
        Assert.Equal(ProtocolError.None, LinkProof.TryDecode(proof, 0, proof.Length, out LinkProof? back));
        Assert.Equal(5u, back!.Held);
        Assert.Equal(ProtocolError.Truncated, LinkProof.TryDecode(proof, 0, proof.Length - 1, out _));
        byte[] longer = [.. proof, 0];
        Assert.Equal(ProtocolError.TrailingBytes, LinkProof.TryDecode(longer, 0, longer.Length, out _));
        Assert.Equal(ProtocolError.Truncated, LinkProof.TryDecode(proof, -1, 10, out _));
    }

    [Fact]
    public void A_node_answers_a_direct_challenge_on_an_IP_link_with_a_proof_of_only_the_entries_held_for_it()
    {
        var clock = new TestClock();
        MessengerNode alice = TestLink.Node(1, "alice", clock, FrameLimits.Ip);
        MessengerNode bob = TestLink.Node(2, "bob", clock, FrameLimits.Ip);
        MessengerNode carol = TestLink.Node(3, "carol", clock, FrameLimits.Ip);
        alice.AddContact(ContactCard.Create(Identities.Fixed(2), "bob", null));
        bob.AddContact(ContactCard.Create(Identities.Fixed(1), "alice", null));
        bob.AddContact(ContactCard.Create(Identities.Fixed(3), "carol", null));
        alice.PostPublic("one");
        uint toAlice = bob.SendText(alice.Id, "for alice");
        uint toCarol = bob.SendText(carol.Id, "for carol");
        uint post = bob.PostPublic("public");
        new TestLink(alice, bob).Run();
        var gateway = Identities.Fixed(9);

        // Alice holds every listed entry but the last; only bob's message to her carries her hint.
        var challenge = new LinkChallenge(gateway.Id, Nonce, [bob.Id, bob.Id, bob.Id, bob.Id, alice.Id, alice.Id, bob.Id], [toAlice, toCarol, post, 0, 0, 1, 99]);
        byte[] payload = challenge.Encode();
        byte[] frame = FrameCodec.Encode(new Frame(FrameType.Challenge, 0, 0, false, 0, 3, payload), FrameLimits.Ip);
        Assert.Equal(ProtocolError.None, alice.Receive(frame, 0, frame.Length));
        byte[] answer = Assert.Single(alice.TakeOutbox());
        Assert.Equal(ProtocolError.None, FrameCodec.TryDecode(answer, 0, answer.Length, FrameLimits.Ip, out Frame? f));
        Assert.Equal(FrameType.Proof, f!.Type);
        Assert.Equal(0, f.HopStart);
        Assert.Equal(ProtocolError.None, LinkProof.TryDecode(f.Payload, 0, f.Payload.Length, out LinkProof? proof));
        Assert.Equal(0b0000001u, proof!.Held); // nothing about bob's post, his message to carol, or alice's own entries
        Assert.Equal(alice.Id, proof.Node);
        Assert.True(proof.Verify(new Ed25519SignatureVerifier(), alice.Profile.SigningKey, payload));

        // A relayed copy (hop start above 0) is not answered, so no stranger far away makes the node sign.
        byte[] relayed = FrameCodec.Encode(new Frame(FrameType.Challenge, 0, 2, false, 0, 3, payload), FrameLimits.Ip);
        Assert.Equal(ProtocolError.InvalidField, alice.Receive(relayed, 0, relayed.Length));
        Assert.Empty(alice.TakeOutbox());
    }

    [Fact]
    public void A_node_whose_hint_is_0_and_its_channel_s_proves_holding_only_the_direct_entry_listed()
    {
        // A public post carries hint 0 and a channel post its channel's hint; a node may have either hint, and only a
        // direct entry with its hint is held for it (docs/protocol.md §5.4), so only that one's bit is set.
        var clock = new TestClock();
        NodeIdentity zero = Enumerable.Range(1, 100_000).Select(i => NodeIdentity.FromRootSecret([.. BitConverter.GetBytes(i), .. new byte[28]]))
            .First(id => NodeId.HintOf(id.Id) == 0);
        ChannelKey channel = Enumerable.Range(1, 100_000).Select(i => new ChannelKey("hikers", [.. BitConverter.GetBytes(i), .. new byte[28]]))
            .First(c => c.Hint == 0);
        var zoe = new MessengerNode(zero, "zoe", new MemoryEntryStore(), clock, FrameLimits.Ip, restoring: false);
        MessengerNode bob = TestLink.Node(2, "bob", clock, FrameLimits.Ip);
        zoe.AddContact(ContactCard.Create(Identities.Fixed(2), "bob", null));
        bob.AddContact(ContactCard.Create(zero, "zoe", null));
        Assert.True(zoe.JoinChannel(channel));
        Assert.True(bob.JoinChannel(channel));
        uint post = bob.PostPublic("public");
        uint channelPost = bob.PostToChannel(channel.Id, "to the channel");
        uint toZoe = bob.SendText(zoe.Id, "for zoe");
        new TestLink(zoe, bob).Run();
        Assert.All(new[] { post, channelPost, toZoe }, s => Assert.NotNull(zoe.Chains.HashOf(bob.Id, s)));

        var challenge = new LinkChallenge(Identities.Fixed(9).Id, Nonce, [bob.Id, bob.Id, bob.Id], [post, channelPost, toZoe]);
        byte[] payload = challenge.Encode();
        byte[] frame = FrameCodec.Encode(new Frame(FrameType.Challenge, 0, 0, false, 0, 3, payload), FrameLimits.Ip);
        Assert.Equal(ProtocolError.None, zoe.Receive(frame, 0, frame.Length));
        byte[] answer = Assert.Single(zoe.TakeOutbox());
        Assert.Equal(ProtocolError.None, FrameCodec.TryDecode(answer, 0, answer.Length, FrameLimits.Ip, out Frame? f));
        Assert.Equal(ProtocolError.None, LinkProof.TryDecode(f!.Payload, 0, f.Payload.Length, out LinkProof? proof));
        Assert.Equal(0b100u, proof!.Held);
    }

    [Fact]
    public void A_node_on_the_radio_link_never_answers_a_challenge()
    {
        MessengerNode alice = TestLink.Node(1, "alice", new TestClock());
        alice.TakeOutbox();
        byte[] payload = new LinkChallenge(Identities.Fixed(9).Id, Nonce, [alice.Id], [0]).Encode();
        byte[] frame = FrameCodec.Encode(new Frame(FrameType.Challenge, 0, 0, false, 0, 3, payload), FrameLimits.LoRa);
        Assert.Equal(ProtocolError.InvalidField, alice.Receive(frame, 0, frame.Length));
        Assert.Empty(alice.TakeOutbox());
    }

    [Fact]
    public void A_forged_or_reused_proof_does_not_verify()
    {
        var alice = Identities.Fixed(1);
        var mallory = Identities.Fixed(6);
        var verifier = new Ed25519SignatureVerifier();
        byte[] payload = new LinkChallenge(5, Nonce, [2], [3]).Encode();
        LinkProof genuine = LinkProof.Answer(alice, payload, Nonce, 1);
        Assert.True(genuine.Verify(verifier, alice.SigningKey, payload));

        // Another key claiming alice's id; alice's proof checked against mallory's key; a flipped receipt bit.
        LinkProof claimed = new(alice.Id, Nonce, 1, mallory.Sign(LinkProof.HashOf(payload, alice.Id, 1), 0, 32));
        Assert.False(claimed.Verify(verifier, alice.SigningKey, payload));
        Assert.False(genuine.Verify(verifier, mallory.SigningKey, payload));
        Assert.False(new LinkProof(alice.Id, Nonce, 0, genuine.Signature).Verify(verifier, alice.SigningKey, payload));

        // The same proof for another challenge (new nonce, another gateway, another list) is useless.
        byte[] otherNonce = [.. Nonce.Select(b => (byte)(b ^ 0xFF))];
        Assert.False(genuine.Verify(verifier, alice.SigningKey, new LinkChallenge(5, otherNonce, [2], [3]).Encode()));
        Assert.False(new LinkProof(alice.Id, otherNonce, 1, genuine.Signature).Verify(verifier, alice.SigningKey, new LinkChallenge(5, otherNonce, [2], [3]).Encode()));
        Assert.False(genuine.Verify(verifier, alice.SigningKey, new LinkChallenge(6, Nonce, [2], [3]).Encode()));
        Assert.False(genuine.Verify(verifier, alice.SigningKey, new LinkChallenge(5, Nonce, [2], [4]).Encode()));
    }
}
