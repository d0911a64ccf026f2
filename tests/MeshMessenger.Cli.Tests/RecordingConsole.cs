using Spectre.Console;

namespace MeshMessenger.Cli.Tests;

/// <summary>A Spectre console that writes plain text into a string, for asserting on what a command printed.</summary>
internal sealed class RecordingConsole
{
    private readonly StringWriter _writer = new();

    public RecordingConsole()
    {
        Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(_writer),
        });
        Console.Profile.Width = 200;
    }

    public IAnsiConsole Console { get; }

    public string Text => _writer.ToString();
}
