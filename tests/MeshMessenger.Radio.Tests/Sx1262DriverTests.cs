using MeshMessenger.Radio.Drivers;
using MeshMessenger.Radio.LoRa;

namespace MeshMessenger.Radio.Tests;

/// <summary>The SX1262 driver against a simulated SX1262 that speaks the chip's SPI command protocol.</summary>
public sealed class Sx1262DriverTests
{
    private static readonly byte[] Hello = "hello over LoRa, signed and sealed"u8.ToArray();

    [Fact]
    public void Initialisation_programs_frequency_modulation_power_and_sync_word_without_a_BUSY_violation()
    {
        var bench = new RadioBench();
        var (chip, driver) = bench.Sx1262();
        LoRaRadioSettings settings = RadioBench.EuLongFast(22);
        driver.Initialize(settings);
        Assert.Equal(869_525_000, settings.FrequencyHz);
        Assert.InRange(chip.FrequencyHz, 869_524_990, 869_525_010); // one register step is 0.95 Hz
        Assert.Equal(11, chip.Modulation.SpreadingFactor);
        Assert.Equal(250_000, chip.Modulation.BandwidthHz);
        Assert.Equal(5, chip.Modulation.CodingRateDenominator);
        Assert.Equal(16, chip.Modulation.PreambleSymbols);
        Assert.Equal(22, chip.TxPowerDbm);
        Assert.Equal(0x12, chip.SyncWord);
        Assert.Equal(2, chip.Mode); // STDBY_RC
        Assert.Empty(chip.Violations);
    }

    [Fact]
    public void Nothing_on_air_ends_the_window_with_the_chips_timeout()
    {
        var bench = new RadioBench();
        var (chip, driver) = bench.Sx1262();
        driver.Initialize(RadioBench.EuLongFast());
        long start = bench.Clock.NowMicroseconds;
        Assert.Equal(ReceiveStatus.Timeout, driver.Receive(new ReceivedPacket(), 300));
        long waited = bench.Clock.NowMicroseconds - start;
        Assert.InRange(waited, 300_000, 302_000); // the chip's timer fired, not the driver's 50 ms fallback
        Assert.Equal(2, chip.Mode);
    }

    [Fact]
    public void A_receiver_out_of_range_hears_nothing()
    {
        var bench = new RadioBench();
        var (_, sender) = bench.Sx1262();
        var (_, receiver) = bench.Sx1262(30_000, 0);
        sender.Initialize(RadioBench.EuLongFast());
        receiver.Initialize(RadioBench.EuLongFast());
        receiver.StartReceive(5000);
        sender.Transmit(Hello, 0, Hello.Length);
        var packet = new ReceivedPacket();
        ReceiveStatus status;
        while ((status = receiver.PollReceive(packet)) == ReceiveStatus.None)
        {
            bench.Clock.Delay(1000);
        }

        Assert.Equal(ReceiveStatus.Timeout, status);
    }

    [Fact]
    public void Two_equal_packets_collide_but_one_6_dB_stronger_is_captured()
    {
        var bench = new RadioBench();
        var (_, near) = bench.Sx1262(0, 0);
        var (far, _) = bench.Sx1262(400, 0); // keyed straight onto the air: the driver would block while it sends
        var (_, receiver) = bench.Sx1262(200, 0);
        LoRaRadioSettings settings = RadioBench.EuLongFast();
        near.Initialize(settings);
        receiver.Initialize(settings);

        // The same distance and power, overlapping in time: both lost.
        receiver.StartReceive(0);
        bench.Air.Transmit(far, Hello, bench.Clock.NowMicroseconds, settings.FrequencyHz, settings.Modulation, 0x12, settings.TxPowerDbm);
        near.Transmit(Hello, 0, Hello.Length);
        var packet = new ReceivedPacket();
        Assert.Equal(ReceiveStatus.None, receiver.PollReceive(packet));

        // The far sender 10 dB weaker: the near one is captured.
        bench.Air.Transmit(far, Hello, bench.Clock.NowMicroseconds, settings.FrequencyHz, settings.Modulation, 0x12, settings.TxPowerDbm - 10);
        near.Transmit(Hello, 0, 6);
        Assert.Equal(ReceiveStatus.Packet, receiver.PollReceive(packet));
        Assert.Equal(6, packet.Length);
    }

    [Fact]
    public void BUSY_stuck_high_is_a_clear_error()
    {
        var bench = new RadioBench();
        var (chip, driver) = bench.Sx1262();
        chip.BusyStuckHigh = true;
        var ex = Assert.Throws<RadioException>(() => driver.Initialize(RadioBench.EuLongFast()));
        Assert.Equal(RadioError.BusyTimeout, ex.Error);
        Assert.Contains("BUSY stayed high for 20 ms", ex.Message);
        Assert.Contains("BUSY pin", ex.Message);
    }

    [Fact]
    public void An_SX1276_wired_where_an_SX1262_belongs_is_refused()
    {
        var bench = new RadioBench();
        var (sx1276, _) = bench.Sx1276();
        var driver = new Sx126x.Sx1262Driver(sx1276, sx1276, bench.Clock);
        var ex = Assert.Throws<RadioException>(() => driver.Initialize(RadioBench.EuLongFast()));
        Assert.True(ex.Error is RadioError.ChipNotFound or RadioError.WrongChip, ex.Message);
    }

    [Fact]
    public void A_TCXO_that_does_not_start_is_named()
    {
        var bench = new RadioBench();
        var (chip, driver) = bench.Sx1262();
        chip.InjectedDeviceErrors = 0x20;
        var ex = Assert.Throws<RadioException>(() => driver.Initialize(RadioBench.EuLongFast()));
        Assert.Equal(RadioError.ChipError, ex.Error);
        Assert.Contains("TcxoVoltage", ex.Message);
    }

    [Theory]
    [InlineData(23, "-9 to +22 dBm")]
    [InlineData(-10, "-9 to +22 dBm")]
    public void Out_of_range_power_is_refused(int power, string expected)
    {
        var bench = new RadioBench();
        var (_, driver) = bench.Sx1262();
        LoRaRadioSettings settings = RadioBench.EuLongFast();
        settings.TxPowerDbm = power;
        var ex = Assert.Throws<RadioException>(() => driver.Initialize(settings));
        Assert.Equal(RadioError.InvalidSettings, ex.Error);
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void A_500_kHz_preset_has_no_slot_in_EU_868_and_is_refused()
    {
        var bench = new RadioBench();
        var (_, driver) = bench.Sx1262();
        var ex = Assert.Throws<RadioException>(() => driver.Initialize(LoRaRadioSettings.For(Region.Eu868, ModemPreset.ShortTurbo, 14)));
        Assert.Equal(RadioError.InvalidSettings, ex.Error);
    }

    [Fact]
    public void A_preamble_with_another_sync_word_stops_counting_as_a_reception_when_no_header_follows()
    {
        var bench = new RadioBench();
        var (_, stranger) = bench.Sx1262(100);
        var (_, neighbour) = bench.Sx1262(0, 100);
        var (chip, receiver) = bench.Sx1262();
        LoRaRadioSettings otherNetwork = RadioBench.EuLongFast();
        otherNetwork.SyncWord = 0x34;
        stranger.Initialize(otherNetwork);
        neighbour.Initialize(RadioBench.EuLongFast());
        receiver.Initialize(RadioBench.EuLongFast());
        receiver.StartReceive(0);
        LoRaModulation m = receiver.Settings!.Modulation;
        long symbol = (long)m.SymbolMicroseconds;

        // Another network's long packet: PreambleDetected latches (§13.3.3), but neither HeaderValid nor RxDone follow.
        long start = bench.Clock.NowMicroseconds;
        long airtime = stranger.BeginTransmit(new byte[200], 0, 200);
        bench.Clock.Advance(4 * symbol);
        Assert.True(receiver.IsReceivingPacket()); // a preamble: its sync word is still to come
        bench.Clock.Advance((m.PreambleSymbols + 14) * symbol);
        Assert.True(bench.Clock.NowMicroseconds < start + airtime - (1_000_000), "the stranger's packet is still on air for another second");
        Assert.False(receiver.IsReceivingPacket()); // no header within preamble + 13 symbols: a false detection, cleared
        Assert.Equal(1, receiver.FalsePreambles);
        bench.Clock.Advance(10 * symbol);
        Assert.False(receiver.IsReceivingPacket()); // not the 2 s of a 255-byte packet the old guard waited

        // Our own network's packet: its header is valid, so the channel stays busy past that figure until RxDone.
        bench.Clock.Advance(start + airtime + 1000 - bench.Clock.NowMicroseconds);
        long ours = bench.Clock.NowMicroseconds;
        long ourAirtime = neighbour.BeginTransmit(Hello, 0, Hello.Length);
        bench.Clock.Advance((m.PreambleSymbols + 20) * symbol);
        Assert.True(bench.Clock.NowMicroseconds < ours + ourAirtime);
        Assert.True(receiver.IsReceivingPacket());
        bench.Clock.Advance(ours + ourAirtime + 1000 - bench.Clock.NowMicroseconds);
        var packet = new ReceivedPacket();
        Assert.Equal(ReceiveStatus.Packet, receiver.PollReceive(packet));
        Assert.Equal(Hello, packet.ToArray());
        Assert.False(receiver.IsReceivingPacket());
        Assert.Equal(1, receiver.FalsePreambles);
        Assert.Empty(chip.Violations);
    }

    [Fact]
    public void A_sleeping_chip_is_woken_by_the_next_command()
    {
        var bench = new RadioBench();
        var (chip, driver) = bench.Sx1262();
        var (_, receiver) = bench.Sx1262(50, 0);
        driver.Initialize(RadioBench.EuLongFast());
        receiver.Initialize(RadioBench.EuLongFast());
        driver.Sleep();
        Assert.Equal(0, chip.Mode);
        Assert.True(chip.IsBusy);
        receiver.StartReceive(0);
        driver.Transmit(Hello, 0, 8);
        Assert.Equal(ReceiveStatus.Packet, receiver.PollReceive(new ReceivedPacket()));
        Assert.Empty(chip.Violations);
    }
}
