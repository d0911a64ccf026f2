using System.Text;
using QRCoder;

namespace MeshMessenger.Cli.Terminal;

/// <summary>
/// Draws a QR code with Unicode half blocks, two module rows per text line, with the 4-module quiet zone
/// ISO/IEC 18004 asks for. Light modules are drawn as blocks by default, which is what scanners need on
/// the usual dark terminal; <c>invert</c> suits light terminals.
/// </summary>
public static class TerminalQrRenderer
{
    /// <summary>Renders <paramref name="text"/> at error-correction level M (15 % of modules may be lost).</summary>
    public static string Render(string text, bool invert = false)
    {
        using var generator = new QRCodeGenerator();
        using QRCodeData data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        var rows = data.ModuleMatrix; // includes the quiet zone
        int size = rows.Count;
        var output = new StringBuilder();
        for (int y = 0; y < size; y += 2)
        {
            for (int x = 0; x < size; x++)
            {
                bool top = Ink(rows[y][x], invert);
                bool bottom = Ink(y + 1 < size && rows[y + 1][x], invert);
                output.Append((top, bottom) switch
                {
                    (true, true) => '█',
                    (true, false) => '▀',
                    (false, true) => '▄',
                    _ => ' ',
                });
            }

            output.Append('\n');
        }

        return output.ToString();
    }

    private static bool Ink(bool dark, bool invert) => invert ? dark : !dark;
}
