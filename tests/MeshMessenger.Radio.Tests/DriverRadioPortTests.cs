using MeshMessenger.Emulator.Chips;
using MeshMessenger.Firmware.Platform;
using MeshMessenger.Protocol.Platform;
using MeshMessenger.Radio.Drivers;

namespace MeshMessenger.Radio.Tests;

/// <summary>The firmware's radio port over each driver and its simulated chip: listen before talk, then transmit, then listen again.</summary>
public sealed class DriverRadioPortTests
{
    private static readonly byte[] Frame = "a frame for the mesh"u8.ToArray();

    [Theory]
    [InlineData("SX1262")]
    [InlineData("SX1276")]
    public void A_clear_channel_is_checked_by_CAD_then_the_frame_goes_out_and_the_radio_listens_again(string chip)
    {
        var bench = new RadioBench();
        var (simulated, driver) = bench.Radio(chip);
        driver.Initialize(RadioBench.EuLongFast());
        var port = new DriverRadioPort(driver, new BenchClock(bench.Clock));
        port.Attach(null!);
        Assert.Equal(RadioActivity.Receiving, driver.Activity);

        Assert.False(port.IsChannelBusy);
        Assert.False(port.Transmit(Frame)); // CAD first
        Assert.Equal(RadioActivity.DetectingActivity, driver.Activity);
        Assert.False(port.Transmit(Frame)); // still detecting
        WaitUntil(bench, port.NextPollMs);
        port.Poll();
        Assert.Equal(1, port.CadClear);
        Assert.Equal(RadioActivity.Receiving, driver.Activity); // back to listening while DeviceApp waits its slot
        Assert.False(port.IsChannelBusy);
        Assert.True(port.Transmit(Frame));
        Assert.True(port.IsTransmitting);
        Assert.Equal(Frame, bench.Air.Packets[^1].Bytes);
        WaitUntil(bench, port.NextPollMs);
        port.Poll();
        Assert.False(port.IsTransmitting);
        Assert.Equal(RadioActivity.Receiving, driver.Activity);
        Assert.Empty(simulated.Violations);
        Assert.Equal(0, port.RadioErrors);
    }

    [Theory]
    [InlineData("SX1262")]
    [InlineData("SX1276")]
    public void A_busy_channel_is_reported_once_so_the_application_backs_off(string chip)
    {
        var bench = new RadioBench();
        var (_, neighbour) = bench.Radio(chip, 200);
        var (_, driver) = bench.Radio(chip);
        neighbour.Initialize(RadioBench.EuLongFast());
        driver.Initialize(RadioBench.EuLongFast());
        var port = new DriverRadioPort(driver, new BenchClock(bench.Clock));
        port.Attach(null!);

        long start = bench.Clock.NowMicroseconds;
        long airtime = neighbour.BeginTransmit(Frame, 0, Frame.Length);
        Assert.False(port.Transmit(Frame));
        WaitUntil(bench, port.NextPollMs);
        port.Poll();
        Assert.Equal(1, port.CadBusy);
        Assert.True(port.IsChannelBusy); // the CAD verdict

        // Back in receive, the chip locked on to the neighbour's preamble: still busy (CAD would abort the packet).
        Assert.True(port.IsChannelBusy);
        bench.Clock.Advance(start + airtime + 1000 - bench.Clock.NowMicroseconds);
        port.Poll();
        Assert.Equal(Frame, port.LastPacket.ToArray());
        Assert.False(port.IsChannelBusy); // one verdict, one back-off; the packet is in
        Assert.False(port.Transmit(Frame)); // a new CAD, not a transmission
        Assert.Equal(RadioActivity.DetectingActivity, driver.Activity);
        Assert.Single(bench.Air.Packets);
    }

    [Fact]
    public void A_port_over_an_uninitialised_driver_is_refused()
    {
        var bench = new RadioBench();
        var ex = Assert.Throws<RadioException>(() => new DriverRadioPort(bench.Sx1262().Driver, new BenchClock(bench.Clock)));
        Assert.Equal(RadioError.NotInitialized, ex.Error);
    }

    private static void WaitUntil(RadioBench bench, long ms)
    {
        Assert.NotEqual(long.MaxValue, ms);
        long us = (ms * 1000) - bench.Clock.NowMicroseconds;
        if (us > 0)
        {
            bench.Clock.Advance(us);
        }
    }

    private sealed class BenchClock(ChipClock clock) : IClock
    {
        public long MonotonicMilliseconds => clock.NowMicroseconds / 1000;

        public uint EntrySeconds => 0;
    }
}
