using System.Globalization;
using QRCoder;

namespace MeshMessenger.Gateway.Hardware.Display;

/// <summary>Draws the status display's pages into a <see cref="MonoFrame"/>: a title bar, then label and value lines.</summary>
public static class StatusPages
{
    private const int Columns = MonoFrame.Width / PixelFont.CellWidth; // 21

    /// <summary>Draws <paramref name="page"/> of <paramref name="status"/>.</summary>
    public static MonoFrame Render(DisplayPage page, DisplayStatus status)
    {
        var frame = new MonoFrame();
        switch (page)
        {
            case DisplayPage.Identity:
                Title(frame, "GATEWAY", page);
                frame.Text(0, 13, Fit(status.GatewayName, Columns));
                Line(frame, 26, "NODE", status.NodeId);
                Line(frame, 38, "REGION", status.Region);
                Line(frame, 50, "HEALTH", status.Health);
                break;
            case DisplayPage.Traffic:
                Title(frame, "TRAFFIC", page);
                Line(frame, 14, "NEIGHBOURS 1H", status.NeighboursLastHour.ToString(CultureInfo.InvariantCulture));
                Line(frame, 30, "FRAMES IN", status.FramesIn.ToString(CultureInfo.InvariantCulture));
                Line(frame, 46, "FRAMES OUT", status.FramesOut.ToString(CultureInfo.InvariantCulture));
                break;
            case DisplayPage.Links:
                Title(frame, "LINKS", page);
                Line(frame, 14, "MQTT", status.Mqtt);
                Line(frame, 30, "ANCHOR", status.Anchoring);
                Line(frame, 46, "TIME", status.TimeSource);
                break;
            default:
                WebAddress(frame, status.WebAddress);
                break;
        }

        return frame;
    }

    /// <summary>
    /// The QR code of <paramref name="address"/> (QRCoder, error correction L so a LAN address fits version 2 at two
    /// pixels a module), lit background and dark modules as on paper, with a two-module margin, left; the address in
    /// text on the right. Returns the module matrix drawn (quiet zone excluded), for checks.
    /// </summary>
    public static bool[,] WebAddress(MonoFrame frame, string address)
    {
        bool[,] modules = QrModules(address);
        int n = modules.GetLength(0);
        const int Margin = 2;
        int scale = Math.Max(1, MonoFrame.Height / (n + (2 * Margin)));
        int side = (n + (2 * Margin)) * scale;
        int top = (MonoFrame.Height - side) / 2;
        frame.Fill(0, top, side, side, true);
        for (int y = 0; y < n; y++)
        {
            for (int x = 0; x < n; x++)
            {
                if (modules[y, x])
                {
                    frame.Fill((Margin + x) * scale, top + ((Margin + y) * scale), scale, scale, false);
                }
            }
        }

        int left = side + 4;
        int width = (MonoFrame.Width - left) / PixelFont.CellWidth;
        frame.Text(left, 0, Fit("SCAN TO", width));
        frame.Text(left, 9, Fit("OPEN", width));
        string shown = address.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ? address[7..] : address;
        int y0 = 24;
        for (int i = 0; i < shown.Length && y0 <= MonoFrame.Height - PixelFont.CellHeight; y0 += PixelFont.CellHeight)
        {
            // Break after a '.', ':' or '/' where one falls in the line, so a host or port is not split.
            int take = Math.Min(width, shown.Length - i);
            int cut = take < shown.Length - i ? shown.LastIndexOfAny(['.', ':', '/'], i + take - 1, take) : -1;
            take = cut > i ? cut - i + 1 : take;
            frame.Text(left, y0, shown.Substring(i, take));
            i += take;
        }

        return modules;
    }

    /// <summary>The QR code's modules for <paramref name="text"/>, true = dark, without the quiet zone.</summary>
    public static bool[,] QrModules(string text)
    {
        using var generator = new QRCodeGenerator();
        using QRCodeData data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.L);
        List<System.Collections.BitArray> matrix = data.ModuleMatrix;
        // QRCoder pads the matrix with a quiet zone; a finder pattern's corner module is always dark, so a light
        // top-left module means the padding is there (ISO/IEC 18004 §6.3.3: four modules).
        int quiet = matrix[0][0] ? 0 : 4;
        int n = matrix.Count - (2 * quiet);
        var modules = new bool[n, n];
        for (int y = 0; y < n; y++)
        {
            for (int x = 0; x < n; x++)
            {
                modules[y, x] = matrix[y + quiet][x + quiet];
            }
        }

        return modules;
    }

    private static void Title(MonoFrame frame, string title, DisplayPage page)
    {
        frame.Fill(0, 0, MonoFrame.Width, PixelFont.CellHeight + 1, true);
        frame.Text(1, 1, title, inverse: true);
        string number = $"{(int)page + 1}/{Enum.GetValues<DisplayPage>().Length}";
        frame.Text(MonoFrame.Width - 1 - (number.Length * PixelFont.CellWidth), 1, number, inverse: true);
    }

    // Label on the left, value right-aligned; a long value is cut with '~' so the label stays readable.
    private static void Line(MonoFrame frame, int y, string label, string value)
    {
        frame.Text(0, y, label);
        int room = Columns - label.Length - 1;
        string shown = Fit(value, room);
        frame.Text(MonoFrame.Width - (shown.Length * PixelFont.CellWidth), y, shown);
    }

    private static string Fit(string text, int room) =>
        room <= 0 ? "" : text.Length <= room ? text : text[..(room - 1)] + "~";
}
