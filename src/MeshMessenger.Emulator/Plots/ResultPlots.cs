using MeshMessenger.Emulator.Metrics;
using ScottPlot;

namespace MeshMessenger.Emulator.Plots;

/// <summary>PNG figures of emulation results, drawn with ScottPlot.</summary>
public static class ResultPlots
{
    private const int Width = 900;
    private const int Height = 560;

    /// <summary>DM delivery and channel-post reachability against node count, one line per policy.</summary>
    public static string Delivery(IReadOnlyList<EmulationResult> sweep, string path)
    {
        var plot = new Plot();
        foreach (var group in sweep.GroupBy(r => r.Policy))
        {
            var ordered = group.OrderBy(r => r.Nodes).ToList();
            var dm = plot.Add.Scatter(ordered.Select(r => Math.Log10(r.Nodes)).ToArray(), ordered.Select(r => r.DmDeliveryPercent).ToArray());
            dm.LegendText = $"{group.Key}: DM delivery";
            var reach = plot.Add.Scatter(ordered.Select(r => Math.Log10(r.Nodes)).ToArray(), ordered.Select(r => r.ReachabilityPercent).ToArray());
            reach.LegendText = $"{group.Key}: post reachability";
            reach.LinePattern = LinePattern.Dashed;
        }

        LogNodeAxis(plot, sweep);
        plot.Title("Delivery against node count");
        plot.YLabel("percent");
        plot.Axes.SetLimitsY(0, 100);
        plot.ShowLegend(Alignment.LowerLeft);
        plot.SavePng(path, Width, Height);
        return path;
    }

    /// <summary>Airtime per delivered message against node count, one line per policy.</summary>
    public static string Airtime(IReadOnlyList<EmulationResult> sweep, string path)
    {
        var plot = new Plot();
        foreach (var group in sweep.GroupBy(r => r.Policy))
        {
            var ordered = group.OrderBy(r => r.Nodes).ToList();
            var line = plot.Add.Scatter(ordered.Select(r => Math.Log10(r.Nodes)).ToArray(), ordered.Select(r => r.AirtimePerDeliveredMs / 1000.0).ToArray());
            line.LegendText = group.Key;
        }

        LogNodeAxis(plot, sweep);
        plot.Title("Airtime per delivered message");
        plot.YLabel("seconds on air per delivered message");
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(path, Width, Height);
        return path;
    }

    /// <summary>Cumulative distribution of delivery delays, one line per result.</summary>
    public static string Latency(IReadOnlyList<EmulationResult> results, string path)
    {
        var plot = new Plot();
        foreach (EmulationResult r in results.Where(r => r.Delays.Count > 0))
        {
            double[] xs = r.Delays.Select(d => d / 1000.0).ToArray();
            double[] ys = Enumerable.Range(1, xs.Length).Select(i => 100.0 * i / xs.Length).ToArray();
            var line = plot.Add.ScatterLine(xs, ys);
            line.LegendText = $"{r.Policy} ({r.Nodes} nodes)";
        }

        plot.Title("Delivery delay (cumulative)");
        plot.XLabel("seconds from sending to delivery");
        plot.YLabel("percent of deliveries");
        plot.ShowLegend(Alignment.LowerRight);
        plot.SavePng(path, Width, Height);
        return path;
    }

    /// <summary>Devices and the links between them that can carry a frame.</summary>
    public static string Map(Emulation emulation, string path)
    {
        var plot = new Plot();
        double floor = emulation.Budget.SensitivityDbm;
        foreach (VirtualDevice d in emulation.Devices)
        {
            foreach ((int to, double rssi) in emulation.Medium.LinksOf(d.Index))
            {
                if (to > d.Index && rssi >= floor)
                {
                    VirtualDevice o = emulation.Devices[to];
                    var link = plot.Add.Line(d.X / 1000, d.Y / 1000, o.X / 1000, o.Y / 1000);
                    link.LineColor = Colors.Gray.WithAlpha(0.35);
                    link.LineWidth = 1;
                }
            }
        }

        var nodes = plot.Add.ScatterPoints(emulation.Devices.Select(d => d.X / 1000).ToArray(), emulation.Devices.Select(d => d.Y / 1000).ToArray());
        nodes.MarkerSize = emulation.Devices.Count > 300 ? 3 : 7;
        nodes.LegendText = $"{emulation.Devices.Count} devices";
        plot.Title("Devices and links above the demodulation floor");
        plot.XLabel("km");
        plot.YLabel("km");
        plot.Axes.SquareUnits();
        plot.SavePng(path, Width, Width);
        return path;
    }

    private static void LogNodeAxis(Plot plot, IReadOnlyList<EmulationResult> sweep)
    {
        int[] counts = sweep.Select(r => r.Nodes).Distinct().Order().ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(counts.Select(c => Math.Log10(c)).ToArray(), counts.Select(c => c.ToString()).ToArray());
        plot.XLabel("devices (log scale)");
    }
}
