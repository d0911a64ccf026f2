using MeshMessenger.Emulator.Metrics;
using MeshMessenger.Emulator.Scenarios;
using Xunit.Abstractions;

namespace MeshMessenger.Emulator.Tests;

/// <summary>
/// Chip mode against the modelled channel: the same scenario and seed, once with every device's radio the
/// modelled medium and once with DeviceApp → DriverRadioPort → driver → simulated chip SPI bytes → ChipAir.
/// </summary>
/// <remarks>
/// Tolerance (docs/emulator.md, "Chip mode"): per seed, direct messages delivered differ by at most
/// max(2, 10 % of those created); over the four seeds by at most 10 % of those created; mean post
/// reachability by at most 20 points; total airtime within 0.85-1.5 times the medium's. Why not equal:
/// listen before talk is CAD on the chip (a verdict one slot before the transmission, the receiver deaf
/// during its own CAD) but an instantaneous carrier sense in the medium; ChipAir destroys a packet on any
/// overlap within 6 dB, the medium only from the preamble's critical section on; the chips quantise
/// RSSI and SNR, which moves SNR-based relay delays and so every later random draw.
/// </remarks>
public sealed class ChipModeTests(ITestOutputHelper output)
{
    private static Scenario Small(int seed, string radio) => new()
    {
        Name = "chip-vs-medium",
        Seed = seed,
        Nodes = 12,
        Radio = radio,
        DurationMinutes = 20,
        Placement = new PlacementSpec { Kind = PlacementKind.Grid, SpacingM = 300 },
        Traffic = new TrafficSpec { DmPerNodePerHour = 6, ChannelPostsPerNodePerHour = 3, Friends = 3, FriendRadiusM = 700, QuietTailMinutes = 5 },
    };

    [Theory]
    [InlineData("sx1262")]
    [InlineData("sx1276")]
    public void Chip_mode_delivers_what_the_modelled_channel_delivers_within_the_tolerance(string chip)
    {
        int created = 0;
        int deliveredMedium = 0;
        int deliveredChip = 0;
        for (int seed = 1; seed <= 4; seed++)
        {
            EmulationResult medium = new Emulation(Small(seed, "medium"), "learned-routes").Run();
            var chipRun = new Emulation(Small(seed, chip), "learned-routes");
            EmulationResult chips = chipRun.Run();
            foreach (EmulationResult r in new[] { medium, chips })
            {
                output.WriteLine($"seed {seed} {r.Radio}: DMs {r.DmsDelivered}/{r.DmsCreated}, posts {r.PostsCreated} reach {r.ReachabilityPercent:F1} %, frames {r.FramesSent}, airtime {r.TotalAirtimeSeconds:F1} s, LBT deferrals {r.LbtDeferrals}");
            }

            Assert.Equal(chip, chips.Radio);
            Assert.Equal(medium.DmsCreated, chips.DmsCreated); // same seed, same traffic
            Assert.Equal(medium.PostsCreated, chips.PostsCreated);
            Assert.True(Math.Abs(chips.DmsDelivered - medium.DmsDelivered) <= Math.Max(2, medium.DmsCreated / 10), $"seed {seed}: {chips.DmsDelivered} against {medium.DmsDelivered}");
            Assert.InRange(chips.ReachabilityPercent, medium.ReachabilityPercent - 20, medium.ReachabilityPercent + 20);
            Assert.InRange(chips.TotalAirtimeSeconds, 0.85 * medium.TotalAirtimeSeconds, 1.5 * medium.TotalAirtimeSeconds);
            Assert.True(chipRun.Ports.Sum(p => p.CadClear) >= chips.FramesSent, "every transmission is preceded by a clear CAD");
            Assert.True(chipRun.Ports.Sum(p => p.CadBusy) > 0, "a busy mesh makes some CAD find the channel taken");
            Assert.All(chipRun.Ports, p => Assert.Equal(0, p.RadioErrors));
            Assert.Equal(12, chipRun.Chips.Count); // every chip, not only the senders still in ChipAir.Packets (60 s kept)
            Assert.All(chipRun.Chips, c => Assert.Empty(c.Violations));
            created += medium.DmsCreated;
            deliveredMedium += medium.DmsDelivered;
            deliveredChip += chips.DmsDelivered;
        }

        Assert.True(created >= 40, $"{created} DMs is too few to compare");
        // 10 %, not 5 %: with a CAD of 4 symbols at SF11 and HeaderValid tracked, the SX1262 delivered 73 of 73
        // against the medium's 68 on these seeds, while on village-30 at n = 10 (bench chip-mode) it delivers
        // 85.5 % against 85.6 %: four seeds of 12 devices move by chance more than 5 %.
        Assert.True(Math.Abs(deliveredChip - deliveredMedium) <= created / 10, $"{deliveredChip} against {deliveredMedium} of {created}");
    }

    [Theory]
    [InlineData("sx1262")]
    [InlineData("sx1276")]
    public void Every_chip_of_a_run_is_exposed_and_speaks_its_SPI_protocol_without_violations(string chip)
    {
        // ChipAir keeps only the last RetainMicroseconds (60 s) of packets: a check through their senders
        // reached 3 of these 12 chips after the 5-minute quiet tail.
        var run = new Emulation(Small(1, chip), "learned-routes");
        run.Run();
        Assert.Equal(12, run.Chips.Count);
        Assert.Equal(12, run.Chips.Distinct().Count());
        Assert.All(run.Chips, c => Assert.Empty(c.Violations));
    }

    [Fact]
    public void An_unknown_radio_is_refused_with_the_field_named()
    {
        var ex = Assert.Throws<ScenarioException>(() => new Emulation(Small(1, "sx1280"), "learned-routes"));
        Assert.Contains("radio 'sx1280'", ex.Message);
    }
}
