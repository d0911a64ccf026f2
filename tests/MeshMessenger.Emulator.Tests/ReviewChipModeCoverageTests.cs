using MeshMessenger.Emulator.Scenarios;

namespace MeshMessenger.Emulator.Tests;

/// <summary>
/// ChipModeTests checks SPI protocol violations only on the senders of packets still in ChipAir.Packets, which keeps
/// only the last RetainMicroseconds (60 s) of a 20-minute run with a 5-minute quiet tail.
/// </summary>
public sealed class ReviewChipModeCoverageTests
{
    [Theory]
    [InlineData("sx1262")]
    [InlineData("sx1276")]
    public void The_violation_check_reaches_every_chip(string chip)
    {
        var scenario = new Scenario
        {
            Name = "chip-vs-medium",
            Seed = 1,
            Nodes = 12,
            Radio = chip,
            DurationMinutes = 20,
            Placement = new PlacementSpec { Kind = PlacementKind.Grid, SpacingM = 300 },
            Traffic = new TrafficSpec { DmPerNodePerHour = 6, ChannelPostsPerNodePerHour = 3, Friends = 3, FriendRadiusM = 700, QuietTailMinutes = 5 },
        };
        var run = new Emulation(scenario, "learned-routes");
        run.Run();
        int checkedChips = run.Air!.Packets.Select(p => p.Sender).Distinct().Count();
        Assert.True(checkedChips == 12, $"ChipModeTests' violation check sees {checkedChips} of 12 chips ({run.Air.Packets.Count} packets retained)");
    }
}
