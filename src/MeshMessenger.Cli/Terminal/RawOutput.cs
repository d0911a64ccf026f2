using Spectre.Console;

namespace MeshMessenger.Cli.Terminal;

/// <summary>
/// Writes text straight to the console's output, past Spectre's word wrapping, for anything a person or a
/// program copies: JSON, contact cards, QR codes.
/// </summary>
public static class RawOutput
{
    /// <summary>Writes one line as is.</summary>
    public static void Line(IAnsiConsole console, string text)
    {
        console.Profile.Out.Writer.WriteLine(text);
        console.Profile.Out.Writer.Flush();
    }
}
