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

    [Theory]
    [InlineData("SX1262", false)]
    [InlineData("SX1276", false)]
    [InlineData("SX1262", true)]
    [InlineData("SX1276", true)]
    public void After_the_chip_resets_behind_the_driver_the_port_reinitialises_it_and_gets_a_frame_on_air(string chip, bool reset)
    {
        var bench = new RadioBench();
        var (simulated, driver) = bench.Radio(chip);
        var (_, neighbour) = bench.Radio(chip, 100);
        driver.Initialize(RadioBench.EuLongFast());
        neighbour.Initialize(RadioBench.EuLongFast());
        neighbour.StartReceive(0);
        var port = new DriverRadioPort(driver, new BenchClock(bench.Clock));
        port.Attach(null!);

        // A brown-out or an NRESET glitch: every register and mode back to power-on values, the driver unaware.
        if (reset)
        {
            simulated.SetReset(false);
            simulated.SetReset(true);
        }

        // DeviceApp's loop for a minute: try to send, poll, wait 10 ms.
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
            $"nothing a neighbour could receive in a minute (Transmit said {sent}); {port.RadioErrors} radio errors, {port.Reinitialisations} re-initialisations; chip: {string.Join("; ", simulated.Violations.Take(3))}");
        Assert.Equal(reset ? 1 : 0, port.Reinitialisations);
        Assert.Equal(0, port.FailedReinitialisations);
        Assert.Equal(1, port.TransmissionsEnded);
        Assert.True(driver.ReadBackReceiving());
        Assert.Empty(simulated.Violations);
    }

    [Theory]
    [InlineData("SX1262")]
    [InlineData("SX1276")]
    public void A_chip_that_resets_while_listening_is_caught_by_the_periodic_mode_read_back(string chip)
    {
        var bench = new RadioBench();
        var (simulated, driver) = bench.Radio(chip);
        driver.Initialize(RadioBench.EuLongFast());
        var port = new DriverRadioPort(driver, new BenchClock(bench.Clock));
        port.Attach(null!);
        Assert.True(driver.ReadBackReceiving());

        simulated.SetReset(false);
        simulated.SetReset(true);
        Assert.False(driver.ReadBackReceiving()); // power-on mode: not LoRa receive
        port.Poll();
        Assert.Equal(0, port.Reinitialisations); // not yet: one read-back per interval

        bench.Clock.Advance((DriverRadioPort.HealthCheckIntervalMs + 1) * 1000);
        port.Poll(); // the read-back finds the chip not receiving and marks it for re-initialisation
        port.Poll(); // which runs at once
        Assert.Equal(1, port.Reinitialisations);
        Assert.False(port.RadioDown);
        Assert.True(driver.ReadBackReceiving());
        Assert.Equal(RadioActivity.Receiving, driver.Activity);
        Assert.Empty(simulated.Violations);
    }

    [Fact]
    public void A_chip_with_BUSY_stuck_high_ends_the_transmission_once_and_is_reinitialised_with_back_off()
    {
        var bench = new RadioBench();
        var (simulated, driver) = bench.Sx1262();
        driver.Initialize(RadioBench.EuLongFast());
        var port = new DriverRadioPort(driver, new BenchClock(bench.Clock));
        port.Attach(null!);
        Assert.False(port.Transmit(Frame)); // CAD
        WaitUntil(bench, port.NextPollMs);
        port.Poll();
        Assert.True(port.Transmit(Frame));

        // BUSY sticks high mid-transmission: the TxDone service call and Standby both fail.
        simulated.BusyStuckHigh = true;
        long end = bench.Clock.NowMicroseconds + 600_000_000; // ten minutes of 10 ms polls
        while (bench.Clock.NowMicroseconds < end)
        {
            Assert.False(port.Transmit(Frame));
            port.Poll();
            bench.Clock.Advance(10_000);
        }

        Assert.Equal(1, port.TransmissionsEnded); // the application hears of the transmission's end once, not per poll
        Assert.True(port.RadioDown);
        Assert.Equal(port.Reinitialisations, port.FailedReinitialisations);

        // Back-off 0.1 s doubling to 60 s: attempts at 0, 0.1, 0.3, 0.7, ... 51.1 s, then one a minute.
        Assert.InRange(port.Reinitialisations, 10, 20);

        // The fault clears: within the longest back-off the port re-initialises the chip and listens again.
        simulated.BusyStuckHigh = false;
        end = bench.Clock.NowMicroseconds + ((DriverRadioPort.MaxReinitialiseDelayMs + 1000) * 1000);
        while (bench.Clock.NowMicroseconds < end && port.RadioDown)
        {
            port.Poll();
            bench.Clock.Advance(10_000);
        }

        Assert.False(port.RadioDown);
        Assert.Equal(RadioActivity.Receiving, driver.Activity);
        Assert.True(driver.ReadBackReceiving());
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
