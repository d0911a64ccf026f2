using MeshMessenger.Protocol.Node;
using Xunit;

namespace MeshMessenger.DeviceCost;

/// <summary>A relay forwards what is not for it without verifying or decrypting it (firmware/DeviceApp.OnReceive).</summary>
public sealed class RelayWorkTests
{
    [Fact]
    public void Relay_forwards_direct_messages_for_another_with_no_verification_and_no_crypto()
    {
        var mesh = new Mesh();
        int verifiedBefore = mesh.Relay.Verifier.Calls; // its own genesis, checked when it was appended
        for (int i = 0; i < 3; i++)
        {
            byte[] dm = mesh.DirectMessage("message " + i);
            int queuedBefore = mesh.Relay.App.Counters.RelaysQueued;
            OpCount relay = mesh.Relay.Receive(dm);
            Assert.True(relay.IsZero, $"relay counted {relay}");
            Assert.Equal(verifiedBefore, mesh.Relay.Verifier.Calls);
            Assert.Equal(queuedBefore + 1, mesh.Relay.App.Counters.RelaysQueued); // it did forward
        }

        Assert.Empty(mesh.Relay.Node.Messages);
    }

    [Fact]
    public void Relay_never_decrypts_a_channel_post_of_a_channel_it_has_not_joined()
    {
        var mesh = new Mesh();
        byte[] post = mesh.ChannelPost("to the hikers");
        int verifiedBefore = mesh.Relay.Verifier.Calls;
        OpCount relay = mesh.Relay.Receive(post);

        Assert.Equal(0, relay.ChaCha20Blocks);
        Assert.Equal(0, relay.Poly1305Blocks);
        Assert.Equal(1, mesh.Relay.App.Counters.RelaysQueued);
        // It verifies once, because it holds the post for the channel's members to sync from (docs/device-cost.md §3).
        Assert.Equal(verifiedBefore + 1, mesh.Relay.Verifier.Calls);
        Assert.Empty(mesh.Relay.Node.Messages);
    }

    [Fact]
    public void Recipient_verifies_and_opens_what_is_addressed_to_it()
    {
        var mesh = new Mesh();
        int verifiedBefore = mesh.Bob.Verifier.Calls;
        OpCount bob = mesh.Bob.Receive(mesh.DirectMessage("hello bob"));

        Assert.True(bob.ChaCha20Blocks > 0 && bob.Poly1305Blocks > 0, bob.ToString());
        // The message, and the delivery receipt it signs and stores in its own chain (LocalChain.Append checks it).
        Assert.Equal(verifiedBefore + 2, mesh.Bob.Verifier.Calls);
        Assert.Equal("hello bob", Assert.IsType<MessageRecord>(Assert.Single(mesh.Bob.Node.Messages)).Text);
    }
}
