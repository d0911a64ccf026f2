using MeshMessenger.Emulator.Metrics;
using ScottPlot;

namespace MeshMessenger.Emulator.Plots;

/// <summary>PNG figures of emulation results, drawn with ScottPlot.</summary>
public static class ResultPlots
{
    private const int Width = 900;
    private const int Height = 560;

    /// <summary>
    /// DM delivery and channel-post reachability against node count for one path-loss model and load, one line per
    /// policy, with the 95 % interval of each mean as an error bar.
    /// </summary>
    public static string Delivery(SweepReport report, string pathLoss, string load, string path)
    {
        ArgumentNullException.ThrowIfNull(report);
        var plot = new Plot();
        var points = Of(report, pathLoss, load);
        int series = 0;
        foreach (var group in points.GroupBy(p => p.Policy))
        {
            WithErrors(plot, group, "dmDeliveryPercent", 1, $"{group.Key}: DM delivery", LinePattern.Solid, series++);
            WithErrors(plot, group, "reachabilityPercent", 1, $"{group.Key}: post reachability", LinePattern.Dashed, series++);
        }

        LogNodeAxis(plot, points.Select(p => p.Nodes));
        plot.Title($"Delivery against node count ({pathLoss}, {load} load; bars: 95 % interval)");
        plot.YLabel("percent");
        plot.Axes.SetLimitsY(0, 105);
        plot.ShowLegend(Alignment.LowerLeft);
        plot.SavePng(path, Width, Height);
        return path;
    }

    /// <summary>Airtime per delivered message against node count for one path-loss model and load, with 95 % intervals.</summary>
    public static string Airtime(SweepReport report, string pathLoss, string load, string path)
    {
        ArgumentNullException.ThrowIfNull(report);
        var plot = new Plot();
        var points = Of(report, pathLoss, load);
        int series = 0;
        foreach (var group in points.GroupBy(p => p.Policy))
        {
            WithErrors(plot, group, "airtimePerDeliveredMs", 0.001, group.Key, LinePattern.Solid, series++);
        }

        LogNodeAxis(plot, points.Select(p => p.Nodes));
        plot.Title($"Airtime per delivered message ({pathLoss}, {load} load; bars: 95 % interval)");
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

    private static List<SweepPoint> Of(SweepReport report, string pathLoss, string load) =>
        report.Points.Where(p => p.PathLoss == pathLoss && p.Load == load).OrderBy(p => p.Nodes).ToList();

    private static void WithErrors(Plot plot, IEnumerable<SweepPoint> points, string figure, double scale, string legend, LinePattern pattern, int series)
    {
        SweepPoint[] ordered = points.OrderBy(p => p.Nodes).ToArray();
        // Each series a little to the side (0.01 decade apart) so bars at the same node count do not hide each other.
        double[] xs = ordered.Select(p => Math.Log10(p.Nodes) + ((series - 1.5) * 0.01)).ToArray();
        double[] ys = ordered.Select(p => p.Figures[figure].Mean * scale).ToArray();
        double[] errors = ordered.Select(p => p.Figures[figure].HalfWidth * scale).ToArray();
        var line = plot.Add.Scatter(xs, ys);
        line.LegendText = legend;
        line.LinePattern = pattern;
        var bars = plot.Add.ErrorBar(xs, ys, errors);
        bars.Color = line.Color;
    }

    private static void LogNodeAxis(Plot plot, IEnumerable<int> nodeCounts)
    {
        int[] counts = nodeCounts.Distinct().Order().ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(counts.Select(c => Math.Log10(c)).ToArray(), counts.Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray());
        plot.XLabel("devices (log scale)");
    }
}
