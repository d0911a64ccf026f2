using System;
using System.IO;
using System.Text.Json;

namespace MeshMessenger.DeviceCost;

/// <summary>
/// The bench runner of the counting build:
/// <c>dotnet run --project tests/MeshMessenger.DeviceCost.Tests -c Release -- device-cost [--verify N] [--out FILE]</c>,
/// <c>... -- device-heap [--messages N] [--step N] [--peers N] [--out FILE]</c>.
/// </summary>
public static class Program
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>Entry point; exit code 2 on bad usage.</summary>
    public static int Main(string[] args)
    {
        string command = args.Length > 0 ? args[0] : string.Empty;
        switch (command)
        {
            case "device-cost":
            {
                DeviceCostReport report = DeviceCostBench.Run(Option(args, "--verify", 200), Option(args, "--n", 200), Option(args, "--rounds", 7), Console.Out);
                Write(OptionText(args, "--out", "results/device-cost.json"), report);
                return 0;
            }

            case "device-heap":
            {
                DeviceHeapReport report = DeviceHeapBench.Run(Option(args, "--messages", 10000), Option(args, "--step", 1000), Option(args, "--peers", 6), Console.Out);
                Write(OptionText(args, "--out", "results/device-heap.json"), report);
                return 0;
            }

            default:
                Console.Error.WriteLine("usage: device-cost [--verify N] [--n N] [--rounds N] [--out FILE] | device-heap [--messages N] [--step N] [--peers N] [--out FILE]");
                return 2;
        }
    }

    private static int Option(string[] args, string name, int fallback)
    {
        string text = OptionText(args, name, string.Empty);
        return text.Length == 0 ? fallback : int.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string OptionText(string[] args, string name, string fallback)
    {
        int at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
    }

    private static void Write<T>(string path, T report)
    {
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder != null)
        {
            Directory.CreateDirectory(folder);
        }

        File.WriteAllText(path, JsonSerializer.Serialize(report, Json));
        Console.WriteLine($"wrote {path}");
    }
}
