using MeshMessenger.Cli.Commands;

namespace MeshMessenger.Cli.Tests;

public sealed class DemoTests
{
    [Fact]
    public void Demo_exchanges_messages_and_receipts_then_rebuilds_a_wiped_node()
    {
        var console = new RecordingConsole();

        int exit = DemoCommand.Run(DemoCommand.DefaultText, console.Console);

        Assert.Equal(0, exit);
        Assert.DoesNotContain("FAILED", console.Text);
        Assert.Contains("the message frame is 255 bytes", console.Text);
        Assert.Contains("state Read", console.Text);
        Assert.Contains("Bob rebuilt his history (3 of 3 messages)", console.Text);
        Assert.Contains("refused: the chain head is not confirmed", console.Text);
    }

    [Fact]
    public void Demo_with_a_text_longer_than_a_frame_fragments_and_every_check_holds()
    {
        // A message too long for one frame still goes through (fragmented), so every check still holds.
        var console = new RecordingConsole();
        Assert.Equal(0, DemoCommand.Run(new string('x', 600), console.Console));
        Assert.Contains("frame(s) from Alice", console.Text);
    }
}
