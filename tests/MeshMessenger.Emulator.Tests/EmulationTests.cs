using System.Text.Json;
using MeshMessenger.Firmware;
using MeshMessenger.Emulator.Metrics;
using MeshMessenger.Emulator.Scenarios;

namespace MeshMessenger.Emulator.Tests;

public sealed class EmulationTests
{
    private static Scenario Small(int seed = 2, int nodes = 20) => new()
    {
        Name = "test",
        Seed = seed,
        Nodes = nodes,
        DurationMinutes = 20,
        Placement = new PlacementSpec { Kind = PlacementKind.Random, SpacingM = 350 },
        Traffic = new TrafficSpec { DmPerNodePerHour = 6, ChannelPostsPerNodePerHour = 1, Friends = 3, FriendRadiusM = 900, QuietTailMinutes = 3 },
    };

    // 25 devices on a 300 m grid, no gateway; device 6 is wiped at minute 25.
    private static Scenario WipeWithoutArchive(int durationMinutes)
    {
        Scenario s = Small(seed: 11, nodes: 25);
        s.Placement = new PlacementSpec { Kind = PlacementKind.Grid, SpacingM = 300 };
        s.DurationMinutes = durationMinutes;
        s.Traffic.FriendRadiusM = 450;
        s.Events.Add(new ScenarioEvent { AtMinute = 25, Node = 6, Action = ScenarioEventKind.Wipe });
        return s;
    }

    private static string Figures(EmulationResult r) => JsonSerializer.Serialize(r with { WallSeconds = 0, SpeedUp = 0, EventsPerSecond = 0, PeakMemoryMb = 0 });

    [Fact]
    public void The_same_seed_gives_the_same_run_and_another_seed_another()
    {
        EmulationResult a = new Emulation(Small(), "managed-flooding").Run();
        EmulationResult b = new Emulation(Small(), "managed-flooding").Run();
        EmulationResult c = new Emulation(Small(seed: 3), "managed-flooding").Run();
        Assert.Equal(Figures(a), Figures(b));
        Assert.Equal(a.Delays, b.Delays);
        Assert.NotEqual(Figures(a), Figures(c));
        Assert.True(a.DmsCreated > 10 && a.FramesSent > 0);
    }

    [Fact]
    public void Both_policies_deliver_most_direct_messages_in_a_small_mesh()
    {
        foreach (string policy in new[] { "managed-flooding", "learned-routes" })
        {
            EmulationResult r = new Emulation(Small(), policy).Run();
            Assert.True(r.DmDeliveryPercent > 50, $"{policy}: {r.DmDeliveryPercent:F1} %");
            Assert.True(r.UsefulnessPercent is > 0 and < 100);
            Assert.True(r.AirtimePerDeliveredMs > 0);
        }
    }

    [Fact]
    public void A_wiped_device_without_an_archive_in_reach_writes_again_once_a_neighbour_vouches_and_signs_no_sequence_twice()
    {
        // No archive in reach: a plain neighbour whose heads show an own head that came back confirms it after the settling
        // time, and the device resumes past it; the resume entry's skip covers a head too low (docs/protocol.md §8.3).
        EmulationResult r = new Emulation(WipeWithoutArchive(durationMinutes: 40), "learned-routes").Run();
        WipeReport w = Assert.Single(r.Wipes);
        Assert.True(w.HeadRecovered);
        Assert.True(w.NextSequenceAfter > w.NextSequenceBefore + 1); // past the resume entry, which skips 64
        Assert.Equal(0, w.ReusedSequences);
        Assert.Equal(0, w.ReusedUnseen);
        Assert.Equal(0, w.ForksSeenByOthers);
        Assert.True(w.MessagesRecovered > 0);
        Assert.True(w.SyncAirtimeSeconds > 0);
    }

    [Fact]
    public void The_EU_duty_cycle_holds_transmissions_back()
    {
        Scenario s = Small(nodes: 10);
        s.Placement = new PlacementSpec { Kind = PlacementKind.Grid, SpacingM = 200 };
        s.DurationMinutes = 60;
        s.Traffic.DmPerNodePerHour = 400;
        var euRun = new Emulation(s, "managed-flooding");
        EmulationResult eu = euRun.Run();
        Assert.True(eu.DutyCycleHolds > 0);
        Assert.True(eu.QueueDrops > 0, "400 DMs an hour should overflow the bounded radio queue");
        Assert.All(euRun.Devices, d => Assert.InRange(d.App.QueueLength, 0, DeviceApp.MaxQueueLength));
        Assert.True(eu.TxAirUtilisationPercent <= 10.5, $"{eu.TxAirUtilisationPercent:F2} % exceeds EU_868's 10 %");
        s.Region = "US";
        EmulationResult us = new Emulation(s, "managed-flooding").Run();
        Assert.Equal(0, us.DutyCycleHolds);
        Assert.True(us.TxAirUtilisationPercent > eu.TxAirUtilisationPercent);
    }

    [Fact]
    public void Devices_stand_at_listed_coordinates_and_on_a_grid()
    {
        Scenario listed = Small();
        listed.Placement = new PlacementSpec { Kind = PlacementKind.List, Points = [[0, 0], [500, 0], [500, 700]] };
        var e = new Emulation(listed, "learned-routes");
        Assert.Equal([(0.0, 0.0), (500.0, 0.0), (500.0, 700.0)], e.Devices.Select(d => (d.X, d.Y)));

        Scenario grid = Small(nodes: 9);
        grid.Placement = new PlacementSpec { Kind = PlacementKind.Grid, SpacingM = 100 };
        var g = new Emulation(grid, "learned-routes");
        Assert.Equal(9, g.Devices.Select(d => (d.X, d.Y)).Distinct().Count());
        Assert.All(g.Devices, d => Assert.True(d.X % 100 == 0 && d.Y % 100 == 0 && d.X <= 200 && d.Y <= 200, $"({d.X}, {d.Y})"));
    }

    [Fact]
    public void A_switched_off_device_receives_nothing()
    {
        Scenario s = Small();
        s.Events.Add(new ScenarioEvent { AtMinute = 0, Node = 3, Action = ScenarioEventKind.Off });
        var e = new Emulation(s, "learned-routes");
        e.Run();
        Assert.Equal(0, e.Devices[3].App.Counters.RxFrames);
        Assert.Equal(0, e.Devices[3].App.Counters.TxFrames);
    }

    [Fact]
    public void Wifi_devices_exchange_frames_over_UDP_as_well()
    {
        Scenario s = Small();
        s.Wifi = new WifiSpec { Share = 1, RangeM = 5000 };
        EmulationResult r = new Emulation(s, "learned-routes").Run();
        Assert.True(r.WifiFrames > 0);
    }

    [Theory]
    [InlineData("{\"preset\": \"Warp\"}", "preset 'Warp'")]
    [InlineData("{\"region\": \"MARS\"}", "region 'MARS'")]
    [InlineData("{\"nodes\": 1}", "nodes must be")]
    [InlineData("{\"durationMinutes\": 0}", "durationMinutes")]
    [InlineData("{\"events\": [{\"atMinute\": 5, \"node\": 99, \"action\": \"wipe\"}]}", "event node 99")]
    [InlineData("{\"colour\": \"blue\"}", "colour")]
    [InlineData("{\"pathLoss\": {\"model\": \"moon\"}}", "pathLoss.model 'moon'")]
    public void Bad_scenarios_are_refused_with_the_field_named(string json, string expected)
    {
        string path = Path.Combine(Path.GetTempPath(), $"scenario-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        try
        {
            var ex = Assert.Throws<ScenarioException>(() => new Emulation(Scenario.Load(path), "learned-routes"));
            Assert.Contains(expected, ex.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
