using MeshMessenger.Firmware.Platform;
using MeshMessenger.Protocol.Platform;
using MeshMessenger.Radio.Drivers;

namespace MeshMessenger.Radio.Tests;

/// <summary>A chip that loses its configuration (brown-out, a glitch on NRESET) must not leave the port deaf and mute for good.</summary>
public sealed class ReviewPortRecoveryTests
{
    private static readonly byte[] Frame = "a frame for the mesh"u8.ToArray();

    [Theory]
    [InlineData("SX1262", false)] // control: passes
    [InlineData("SX1276", false)] // control: passes
    [InlineData("SX1262", true)]
    [InlineData("SX1276", true)]
    public void After_the_chip_resets_the_port_gets_a_frame_on_air_again(string chip, bool reset)
    {
        var bench = new RadioBench();
        var (simulated, driver) = bench.Radio(chip);
        var (_, neighbour) = bench.Radio(chip, 100);
        driver.Initialize(RadioBench.EuLongFast());
        neighbour.Initialize(RadioBench.EuLongFast());
        neighbour.StartReceive(0);
        var clock = new BenchClock(bench.Clock);
        var port = new DriverRadioPort(driver, clock);
        port.Attach(null!);

        // The chip resets behind the driver's back: every register and mode back to power-on values.
        if (reset)
        {
            simulated.SetReset(false);
            simulated.SetReset(true);
        }

        // DeviceApp's loop for a minute: try to send, poll, wait a few ms.
        bool sent = false;
        for (int i = 0; i < 6000 && !sent; i++)
        {
            sent = port.Transmit(Frame);
            port.Poll();
            bench.Clock.Advance(10_000);
        }

        bench.Clock.Advance(5_000_000);
        port.Poll();
        var packet = new ReceivedPacket();
        Assert.True(
            neighbour.PollReceive(packet) == ReceiveStatus.Packet && packet.ToArray().SequenceEqual(Frame),
            $"nothing a neighbour could receive in a minute after the chip reset (Transmit said {sent}); {port.RadioErrors} radio errors counted, no re-initialisation; chip: {string.Join("; ", simulated.Violations.Take(3))}");
    }

    private sealed class BenchClock(Emulator.Chips.ChipClock clock) : IClock
    {
        public long MonotonicMilliseconds => clock.NowMicroseconds / 1000;

        public uint EntrySeconds => 0;
    }
}
