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
