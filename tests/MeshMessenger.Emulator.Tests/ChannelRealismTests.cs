using System.Globalization;
using MeshMessenger.Emulator.Channel;
using MeshMessenger.Emulator.Metrics;
using MeshMessenger.Emulator.Scenarios;
using MeshMessenger.Radio.LoRa;

namespace MeshMessenger.Emulator.Tests;

/// <summary>The channel's realism options: path-loss models against hand-computed values, per-direction shadowing, CAD, mobility.</summary>
public sealed class ChannelRealismTests
{
    private static readonly LoRaModulation LongFast = ModemPreset.LongFast.Modulation;

    public static TheoryData<string, double, double, double, double, double> HandComputed()
    {
        var data = new TheoryData<string, double, double, double, double, double>();
        foreach (string line in File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Data", "path-loss-by-hand.csv")))
        {
            if (line.StartsWith('#') || line.StartsWith("model,", StringComparison.Ordinal))
            {
                continue;
            }

            string[] f = line.Split(',');
            double D(int i) => double.Parse(f[i], CultureInfo.InvariantCulture);
            data.Add(f[0], D(1), D(2), D(3), D(4), D(5));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(HandComputed))]
    public void Path_loss_models_match_values_computed_by_hand_from_their_tables(string model, double frequencyMHz, double baseHeightM, double userHeightM, double distanceM, double lossDb)
    {
        PathLossModel m = PathLossModel.Create(model, frequencyMHz, baseHeightM, userHeightM);
        Assert.Equal(lossDb, m.LossDb(distanceM), 2);
    }

    [Fact]
    public void The_hand_computed_table_covers_every_model_at_three_distances()
    {
        var rows = HandComputed().Select(r => (string)r[0]).ToList();
        foreach (string name in PathLossModel.Names.Where(n => n is "3gpp-uma" or "3gpp-sma" or "log-distance" or "okumura-hata-suburban"))
        {
            Assert.True(rows.Count(r => r == name) >= 3, name);
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    [InlineData(0.9)]
    public void Shadowing_is_drawn_per_direction_with_the_asked_deviation_and_correlation(double rho)
    {
        var s = new Shadowing(seed: 4, sigmaDb: 4, correlation: rho);
        var ab = new List<double>();
        var ba = new List<double>();
        for (int a = 0; a < 300; a++)
        {
            for (int b = a + 1; b < 300; b += 7)
            {
                s.Pair(a, b, out double x, out double y);
                s.Pair(b, a, out double y2, out double x2);
                Assert.Equal(x, x2); // the same link whichever end asks
                Assert.Equal(y, y2);
                ab.Add(x);
                ba.Add(y);
            }
        }

        double Sd(List<double> v)
        {
            double m = v.Average();
            return Math.Sqrt(v.Sum(e => (e - m) * (e - m)) / (v.Count - 1));
        }

        double ma = ab.Average(), mb = ba.Average();
        double r = ab.Zip(ba, (x, y) => (x - ma) * (y - mb)).Sum() / ((ab.Count - 1) * Sd(ab) * Sd(ba));
        Assert.InRange(Sd(ab), 3.9, 4.1);
        Assert.InRange(Sd(ba), 3.9, 4.1);
        Assert.InRange(Math.Abs(ma), 0, 0.1);
        Assert.InRange(r, rho - 0.03, rho + 0.03);
    }

    [Fact]
    public void Links_are_asymmetric_unless_the_directions_are_fully_correlated()
    {
        double[] x = [0, 300, 600, 900];
        double[] y = [0, 0, 0, 0];
        var budget = new LinkBudget(LongFast, 20, 0, 6);
        var asym = new LinkMap(x, y, new LogDistancePathLoss(), new Shadowing(1, 4, 0.5), budget);
        var sym = new LinkMap(x, y, new LogDistancePathLoss(), new Shadowing(1, 4, 1), budget);
        Assert.NotEqual(asym.RssiDbm(0, 1), asym.RssiDbm(1, 0));
        Assert.Equal(sym.RssiDbm(0, 1), sym.RssiDbm(1, 0));
        double heard = asym.Links[0].Single(l => l.To == 1).RssiDbm;
        Assert.Equal(asym.RssiDbm(0, 1), heard); // row 0 lists who hears device 0, at the power they hear it
    }

    private static RadioMedium Pair(ChannelActivityDetection cad, double rssi = -110) =>
        new([[(1, rssi)], [(0, rssi)]], LongFast, new LinkBudget(LongFast, 20, 0, 6), cad);

    [Fact]
    public void Carrier_sense_needs_a_whole_scan_of_the_packet()
    {
        var cad = new ChannelActivityDetection(2, LongFast.SymbolMicroseconds / 1000.0, 0, 0, 6, 1);
        Assert.Equal(2.5 * 8.192, cad.DurationMs, 3); // (2 + 0.5) LongFast symbols
        RadioMedium medium = Pair(cad);
        medium.Start(medium.CreateTransmission(0, new byte[50], 1000), _ => true);
        Assert.False(medium.IsBusy(1, 1000));
        Assert.False(medium.IsBusy(1, 1020)); // 20 ms on air: not a whole scan yet
        Assert.True(medium.IsBusy(1, 1021));
        Assert.Equal(2, medium.CadTooEarly);
        // A packet between the CAD threshold (−134.5 dBm) and sensitivity (−131.5 dBm) is found by CAD alone, which may miss it.
        RadioMedium blind = Pair(new ChannelActivityDetection(2, LongFast.SymbolMicroseconds / 1000.0, 1, 1, 6, 1), -133);
        blind.Start(blind.CreateTransmission(0, new byte[50], 1000), _ => true);
        Assert.False(blind.IsBusy(1, 1100));
        Assert.Equal(1, blind.CadMisses);
        RadioMedium sharp = Pair(cad, -133);
        sharp.Start(sharp.CreateTransmission(0, new byte[50], 1000), _ => true);
        Assert.True(sharp.IsBusy(1, 1100));

        RadioMedium ideal = Pair(ChannelActivityDetection.Ideal);
        ideal.Start(ideal.CreateTransmission(0, new byte[50], 1000), _ => true);
        Assert.True(ideal.IsBusy(1, 1000)); // the former model: busy the instant the packet starts
    }

    [Fact]
    public void A_scan_misses_weak_packets_about_as_often_as_the_model_says_and_repeats_its_verdict_within_a_scan()
    {
        var cad = new ChannelActivityDetection(2, LongFast.SymbolMicroseconds / 1000.0, 0.5, 0.01, 6, 3);
        Assert.Equal(0.5, cad.MissProbability(0));
        Assert.Equal(0.255, cad.MissProbability(3), 6);
        Assert.Equal(0.01, cad.MissProbability(20));
        Assert.Equal(1, cad.MissProbability(-0.1));
        int misses = 0;
        const int Trials = 4000;
        for (int i = 0; i < Trials; i++)
        {
            var tx = new Transmission(i % 50, new byte[10], i * 1000L, (i * 1000L) + 500, (i * 1000L) + 90);
            long scan = (long)Math.Ceiling((Math.Floor(((i * 1000L) + 100) / cad.DurationMs) + 1) * cad.DurationMs); // a slot's first ms
            bool miss = cad.Misses(7, tx, scan, 0);
            Assert.Equal(miss, cad.Misses(7, tx, scan + 1, 0)); // same scan slot, same verdict
            misses += miss ? 1 : 0;
        }

        Assert.InRange(misses / (double)Trials, 0.47, 0.53);
    }

    [Fact]
    public void A_device_transmitting_through_a_preamble_is_deaf_to_that_packet_but_one_that_stops_in_time_locks_on()
    {
        var budget = new LinkBudget(LongFast, 20, 0, 6);
        (int, double)[][] links = [[(1, -110.0)], [(0, -110.0)]];
        var medium = new RadioMedium(links, LongFast, budget, ChannelActivityDetection.Ideal);

        // Device 1 sends a long frame; device 0 starts while it is still on air: 1 misses 0's packet and cannot sense it after.
        Transmission own = medium.CreateTransmission(1, new byte[200], 0);
        medium.Start(own, _ => true);
        Transmission other = medium.CreateTransmission(0, new byte[200], 100);
        Reception r = medium.Start(other, _ => true).Single(x => x.Receiver == 1);
        Assert.True(r.Missed);
        medium.EndTransmission(own);
        Assert.False(medium.IsBusy(1, own.EndMs + 1));
        Assert.False(medium.EndReception(r));

        // A frame that ends before the other's critical section does not cost the reception.
        foreach (bool datasheet in new[] { true, false })
        {
            var medium2 = new RadioMedium(links, LongFast, budget, datasheet ? new ChannelActivityDetection(2, LongFast.SymbolMicroseconds / 1000.0, 0, 0, 6, 1) : ChannelActivityDetection.Ideal);
            Transmission shortOwn = new(1, new byte[1], 0, 50, 0);
            medium2.Start(shortOwn, _ => true);
            Transmission late = medium2.CreateTransmission(0, new byte[20], 10); // critical section from 10 + 11 symbols ≈ 100 ms
            Reception r2 = medium2.Start(late, _ => true).Single(x => x.Receiver == 1);
            medium2.EndTransmission(shortOwn);

            // The ideal (former) model keeps its cruder rule: transmitting at the packet's start is enough to miss it.
            Assert.Equal(!datasheet, r2.Missed);
            Assert.Equal(datasheet, medium2.EndReception(r2));
        }
    }

    [Fact]
    public void Realistic_carrier_sense_makes_half_duplex_losses_appear_where_perfect_sensing_hid_them()
    {
        Scenario s = Busy();
        s.Cad.Model = "datasheet";
        EmulationResult real = new Emulation(s, "managed-flooding").Run();
        Scenario ideal = Busy();
        ideal.Cad.Model = "ideal";
        EmulationResult perfect = new Emulation(ideal, "managed-flooding").Run();
        Assert.True(real.HalfDuplexLosses > 0, $"half-duplex losses {real.HalfDuplexLosses}");
        Assert.True(real.HalfDuplexLosses > perfect.HalfDuplexLosses, $"datasheet {real.HalfDuplexLosses} against ideal {perfect.HalfDuplexLosses}");
    }

    private static Scenario Busy() => new()
    {
        Name = "busy",
        Seed = 3,
        Nodes = 30,
        DurationMinutes = 20,
        Placement = new PlacementSpec { Kind = PlacementKind.Random, SpacingM = 250 },
        Traffic = new TrafficSpec { DmPerNodePerHour = 20, ChannelPostsPerNodePerHour = 4, Friends = 3, FriendRadiusM = 900, QuietTailMinutes = 3 },
        Policies = ["managed-flooding"],
    };

    [Fact]
    public void Random_waypoint_moves_devices_within_the_area_at_the_drawn_speeds()
    {
        double[] x = [0, 1000, 0, 1000];
        double[] y = [0, 0, 1000, 1000];
        var map = new LinkMap(x, y, new LogDistancePathLoss(), new Shadowing(1, 4, 0.5), new LinkBudget(LongFast, 20, 0, 6));
        var walk = new RandomWaypoint(map, [true, true, true, false], 1, 2, 0, seed: 9);
        bool[] moved = walk.Advance(10_000);
        Assert.Equal(new[] { true, true, true, false }, moved);
        for (int i = 0; i < 3; i++)
        {
            double d = Math.Sqrt(Math.Pow(map.X(i) - x[i], 2) + Math.Pow(map.Y(i) - y[i], 2));
            Assert.InRange(d, 10 - 1e-9, 20 + 1e-9); // 10 s at 1..2 m/s, with no waypoint within reach for this seed
        }

        Assert.Equal((1000.0, 1000.0), (map.X(3), map.Y(3)));
        for (long t = 20_000; t <= 3_600_000; t += 10_000)
        {
            walk.Advance(t);
            for (int i = 0; i < 4; i++)
            {
                Assert.InRange(map.X(i), 0, 1000);
                Assert.InRange(map.Y(i), 0, 1000);
            }
        }
    }

    [Fact]
    public void Recomputing_only_moved_devices_gives_the_same_links_as_computing_all_of_them()
    {
        var rng = new Random(5);
        double[] x = Enumerable.Range(0, 60).Select(_ => rng.NextDouble() * 3000).ToArray();
        double[] y = Enumerable.Range(0, 60).Select(_ => rng.NextDouble() * 3000).ToArray();
        var budget = new LinkBudget(LongFast, 20, 0, 6);
        var model = new ThreeGppUrbanMacroPathLoss(869.525, 1.5, 1.5);
        var map = new LinkMap(x, y, model, new Shadowing(2, 6, 0.5), budget);
        var walk = new RandomWaypoint(map, Enumerable.Range(0, 60).Select(i => i % 3 == 0).ToArray(), 5, 10, 5, seed: 1);
        for (long t = 30_000; t <= 300_000; t += 30_000)
        {
            map.Update(walk.Advance(t));
        }

        var fresh = new LinkMap(
            Enumerable.Range(0, 60).Select(map.X).ToArray(),
            Enumerable.Range(0, 60).Select(map.Y).ToArray(),
            model,
            new Shadowing(2, 6, 0.5),
            budget);
        Assert.NotEqual(x, Enumerable.Range(0, 60).Select(map.X).ToArray());
        for (int a = 0; a < 60; a++)
        {
            Assert.Equal(fresh.Links[a].OrderBy(l => l.To), map.Links[a].OrderBy(l => l.To));
        }
    }

    [Fact]
    public void A_mobile_run_changes_the_links_and_still_delivers()
    {
        Scenario s = Busy();
        s.Traffic.DmPerNodePerHour = 6;
        s.Mobility = new MobilitySpec { Model = "random-waypoint", SpeedMinMps = 5, SpeedMaxMps = 15, PauseSeconds = 0, UpdateSeconds = 5 };
        var e = new Emulation(s, "managed-flooding");
        var before = Enumerable.Range(0, 30).Select(i => e.Medium.LinksOf(i).Select(l => l.To).Order().ToArray()).ToArray();
        EmulationResult r = e.Run();
        var after = Enumerable.Range(0, 30).Select(i => e.Medium.LinksOf(i).Select(l => l.To).Order().ToArray()).ToArray();
        Assert.Contains(Enumerable.Range(0, 30), i => !before[i].SequenceEqual(after[i]));
        Assert.True(r.DmDeliveryPercent > 0);
    }

    [Theory]
    [InlineData("""{"pathLoss": {"model": "3gpp-uma", "shadowingCorrelation": 0.2}}""", null)]
    [InlineData("""{"pathLoss": {"model": "3gpp-sma"}, "cad": {"model": "ideal"}, "mobility": {"model": "random-waypoint"}}""", null)]
    [InlineData("""{"pathLoss": {"model": "3gpp-rma"}}""", "pathLoss.model")]
    [InlineData("""{"pathLoss": {"shadowingCorrelation": 1.5}}""", "shadowingCorrelation")]
    [InlineData("""{"cad": {"symbols": 3}}""", "cad.symbols")]
    [InlineData("""{"mobility": {"model": "random-waypoint", "speedMinMps": 0}}""", "mobility.speedMinMps")]
    [InlineData("""{"radio": "sx1262", "mobility": {"model": "random-waypoint"}}""", "mobility needs")]
    public void Scenario_json_exposes_the_channel_options_and_names_a_bad_field(string json, string? error)
    {
        string path = Path.Combine(Path.GetTempPath(), $"channel-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        try
        {
            if (error is null)
            {
                Scenario s = Scenario.Load(path);
                Assert.StartsWith("3gpp-", s.PathLoss.Model, StringComparison.Ordinal);
                Assert.NotNull(new Emulation(s.WithNodes(5), "managed-flooding").Medium);
            }
            else
            {
                ScenarioException e = Assert.Throws<ScenarioException>(() => Scenario.Load(path));
                Assert.Contains(error, e.Message, StringComparison.Ordinal);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }
}
