using System.Text;
using MeshMessenger.Cli.Commands;
using MeshMessenger.Cli.Demo;

namespace MeshMessenger.Cli.Tests;

public sealed class DemoTests
{
    [Fact]
    public void Demo_runs_every_check_and_exits_zero()
    {
        var console = new RecordingConsole();

        int exit = DemoCommand.Run("hello from the valley, twenty-one+ bytes", console.Console);

        Assert.Equal(0, exit);
        Assert.Contains("Bob reads: hello from the valley", console.Text);
        Assert.DoesNotContain("FAILED", console.Text);
    }

    [Fact]
    public void Envelope_carries_150_bytes_of_text_in_one_LoRa_frame()
    {
        var alice = DemoIdentity.Create("alice");
        var bob = DemoIdentity.Create("bob");
        byte[] text = Encoding.UTF8.GetBytes(new string('x', 150));

        byte[] envelope = DemoEnvelope.Seal(alice, bob.AgreementPublicKey, text);

        Assert.Equal(text.Length + DemoEnvelope.Overhead, envelope.Length);
        Assert.True(envelope.Length <= 255, $"{envelope.Length} bytes exceed one LoRa frame");
        DemoOpenResult opened = DemoEnvelope.Open(bob, alice.SigningPublicKey, alice.AgreementPublicKey, envelope);
        Assert.Equal(DemoOpenStatus.Opened, opened.Status);
        Assert.Equal(text, opened.Plaintext);
    }

    [Fact]
    public void Every_flipped_bit_of_an_envelope_is_rejected()
    {
        var alice = DemoIdentity.Create("alice");
        var bob = DemoIdentity.Create("bob");
        byte[] envelope = DemoEnvelope.Seal(alice, bob.AgreementPublicKey, Encoding.UTF8.GetBytes("short"));

        for (int bit = 0; bit < envelope.Length * 8; bit++)
        {
            byte[] tampered = (byte[])envelope.Clone();
            tampered[bit / 8] ^= (byte)(1 << (bit % 8));
            DemoOpenResult result = DemoEnvelope.Open(bob, alice.SigningPublicKey, alice.AgreementPublicKey, tampered);
            Assert.NotEqual(DemoOpenStatus.Opened, result.Status);
        }
    }

    [Fact]
    public void A_truncated_envelope_is_malformed()
    {
        var alice = DemoIdentity.Create("alice");
        var bob = DemoIdentity.Create("bob");
        byte[] envelope = DemoEnvelope.Seal(alice, bob.AgreementPublicKey, Encoding.UTF8.GetBytes("short"));

        DemoOpenResult result = DemoEnvelope.Open(bob, alice.SigningPublicKey, alice.AgreementPublicKey, envelope[..(DemoEnvelope.Overhead - 1)]);

        Assert.Equal(DemoOpenStatus.Malformed, result.Status);
    }
}
