using MeshMessenger.Radio.Drivers;
using MeshMessenger.Radio.Hardware;
using MeshMessenger.Radio.LoRa;
using MeshMessenger.Radio.Sx127x;

namespace MeshMessenger.Radio.Tests;

/// <summary>The SX1276 driver against a simulated SX1276 that implements the chip's register interface.</summary>
public sealed class Sx1276DriverTests
{
    private static readonly byte[] Hello = "from an RFM95W on a Pi bonnet"u8.ToArray();

    [Fact]
    public void Initialisation_enters_LoRa_mode_through_sleep_and_programs_the_modem()
    {
        var bench = new RadioBench();
        var (chip, driver) = bench.Sx1276();
        driver.Initialize(RadioBench.EuLongFast(20));
        Assert.True(chip.LoRaMode);
        Assert.Equal(1, chip.Mode); // standby
        Assert.InRange(chip.FrequencyHz, 869_524_940, 869_525_000); // one Frf step is 61 Hz
        Assert.Equal(11, chip.Modulation.SpreadingFactor);
        Assert.Equal(250_000, chip.Modulation.BandwidthHz);
        Assert.Equal(5, chip.Modulation.CodingRateDenominator);
        Assert.Equal(16, chip.Modulation.PreambleSymbols);
        Assert.True(chip.Modulation.CrcOn && chip.Modulation.ExplicitHeader);
        Assert.Equal(20, chip.TxPowerDbm);
    }

    [Fact]
    public void The_chip_keeps_FSK_mode_if_LoRa_is_asked_for_outside_sleep()
    {
        // The rule the driver's sleep-first sequence exists for (RegOpMode bit 7, writable only in sleep).
        var bench = new RadioBench();
        var (chip, _) = bench.Sx1276();
        chip.Transfer([0x81, 0x81], new byte[2], 2); // LoRa | standby, from FSK standby
        Assert.False(chip.LoRaMode);
        chip.Transfer([0x81, 0x00], new byte[2], 2); // FSK sleep
        chip.Transfer([0x81, 0x80], new byte[2], 2); // LoRa sleep
        Assert.True(chip.LoRaMode);
    }

    [Fact]
    public void A_quiet_channel_ends_the_window_at_the_drivers_deadline_in_standby()
    {
        var bench = new RadioBench();
        var (chip, driver) = bench.Sx1276();
        driver.Initialize(RadioBench.EuLongFast());
        long start = bench.Clock.NowMicroseconds;
        Assert.Equal(ReceiveStatus.Timeout, driver.Receive(new ReceivedPacket(), 250));
        Assert.InRange(bench.Clock.NowMicroseconds - start, 250_000, 252_000);
        Assert.Equal(1, chip.Mode);
    }

    [Fact]
    public void A_wrong_version_names_the_chip_it_found()
    {
        var bench = new RadioBench();
        var (chip, driver) = bench.Sx1276();
        chip.VersionValue = 0x22;
        var ex = Assert.Throws<RadioException>(() => driver.Initialize(RadioBench.EuLongFast()));
        Assert.Equal(RadioError.WrongChip, ex.Error);
        Assert.Contains("RegVersion is 0x22, expected 0x12", ex.Message);
        Assert.Contains("SX1272", ex.Message);
    }

    [Fact]
    public void A_dead_IRQ_line_is_a_clear_error_not_a_hang()
    {
        var bench = new RadioBench();
        var (chip, driver) = bench.Sx1276();
        driver.Initialize(RadioBench.EuLongFast());
        chip.Absent = true; // the chip stops answering mid-run: DIO0 never rises
        var ex = Assert.Throws<RadioException>(() => driver.Transmit(Hello, 0, 10));
        Assert.Equal(RadioError.IrqTimeout, ex.Error);
        Assert.Contains("IRQ pin", ex.Message);
    }

    [Fact]
    public void RFO_output_is_capped_at_14_dBm()
    {
        var bench = new RadioBench();
        var (_, driver) = bench.Sx1276();
        LoRaRadioSettings settings = RadioBench.EuLongFast(17);
        settings.PaBoost = false;
        var ex = Assert.Throws<RadioException>(() => driver.Initialize(settings));
        Assert.Contains("0 to 14 dBm on RFO", ex.Message);
    }

    [Fact]
    public void An_SX1262_and_an_SX1276_on_the_same_settings_talk_to_each_other()
    {
        var bench = new RadioBench();
        var (_, sx1262) = bench.Sx1262();
        var (_, sx1276) = bench.Sx1276(100, 0);
        LoRaRadioSettings settings = LoRaRadioSettings.For(Region.Us915, ModemPreset.MediumFast, 17);
        sx1262.Initialize(settings);
        sx1276.Initialize(settings);
        var packet = new ReceivedPacket();

        sx1276.StartReceive(0);
        sx1262.Transmit(Hello, 0, Hello.Length);
        Assert.Equal(ReceiveStatus.Packet, sx1276.PollReceive(packet));
        Assert.Equal(Hello, packet.ToArray());

        sx1262.StartReceive(0);
        sx1276.Transmit(Hello, 3, 7);
        Assert.Equal(ReceiveStatus.Packet, sx1262.PollReceive(packet));
        Assert.Equal(Hello[3..10], packet.ToArray());
    }

    [Fact]
    public void A_different_sync_word_keeps_networks_apart()
    {
        var bench = new RadioBench();
        var (_, ours) = bench.Sx1276();
        var (_, meshtastic) = bench.Sx1262(100, 0);
        LoRaRadioSettings mine = RadioBench.EuLongFast();
        LoRaRadioSettings theirs = RadioBench.EuLongFast();
        theirs.SyncWord = 0x2B;
        ours.Initialize(mine);
        meshtastic.Initialize(theirs);
        meshtastic.StartReceive(3000);
        ours.Transmit(Hello, 0, Hello.Length);
        Assert.Equal(ReceiveStatus.Timeout, meshtastic.Receive(new ReceivedPacket(), 3000));
    }

    /// <summary>
    /// Against the datasheet's formula (SX1276/77/78/79 rev 7, §5.5.5) on a bare register file, not against the
    /// simulated chip, which encodes the inverse of the driver's formula and so cannot disagree with it.
    /// </summary>
    [Fact]
    public void Packet_RSSI_below_zero_SNR_adds_the_SNR_in_dB_per_the_datasheet_formula()
    {
        var bus = new RegisterFile();
        var driver = new Sx1276Driver(bus, bus, bus);
        driver.Initialize(RadioBench.EuLongFast());
        driver.StartReceive(0);

        // A 4-byte packet with PacketRssi = 60 and PacketSnr = -40 (SNR -10 dB) on the HF port:
        // §5.5.5: Packet Strength = -157 + PacketRssi + PacketSnr * 0.25 = -157 + 60 - 10 = -107 dBm.
        bus.Registers[Sx127xRegister.IrqFlags] = 0x40;
        bus.Registers[Sx127xRegister.RxNbBytes] = 4;
        bus.Registers[Sx127xRegister.FifoRxCurrentAddr] = 0;
        bus.Registers[Sx127xRegister.PktRssiValue] = 60;
        bus.Registers[Sx127xRegister.PktSnrValue] = unchecked((byte)(sbyte)-40);
        bus.Irq = true;
        var packet = new ReceivedPacket();
        Assert.Equal(ReceiveStatus.Packet, driver.PollReceive(packet));
        Assert.Equal(-10.0, packet.SnrDb, 3);
        Assert.Equal(-107.0, packet.RssiDbm, 3);
    }

    [Fact]
    public void Initialisation_keeps_the_reserved_bits_of_RegDetectOptimize()
    {
        // §6.4, table 41: RegDetectOptimize resets to 0xC3; bits 7:3 are reserved, only bits 2:0 (0x3 for SF7-12) are ours.
        var bus = new RegisterFile();
        bus.Registers[Sx127xRegister.DetectOptimize] = 0xC5;
        var driver = new Sx1276Driver(bus, bus, bus);
        driver.Initialize(RadioBench.EuLongFast());
        Assert.Equal(0xC3, bus.Registers[Sx127xRegister.DetectOptimize]);
    }

    /// <summary>A bare SX127x register file: writes store, reads return; RegFifo reads 0x55.</summary>
    private sealed class RegisterFile : ISpiBus, IRadioPins, IRadioTimer
    {
        private long _now;

        public byte[] Registers { get; } = CreateRegisters();

        public bool Irq { get; set; }

        public bool IsBusy => false;

        public bool IsIrqHigh => Irq;

        public long NowMicroseconds => _now;

        public void Delay(int microseconds) => _now += microseconds;

        public void SetReset(bool high)
        {
        }

        public void SetRfSwitch(bool transmit)
        {
        }

        public void Transfer(byte[] write, byte[] read, int count)
        {
            int address = write[0] & 0x7F;
            bool writing = (write[0] & 0x80) != 0;
            for (int i = 1; i < count; i++)
            {
                int at = address == 0 ? 0 : address + i - 1;
                if (writing)
                {
                    if (at != 0)
                    {
                        Registers[at] = write[i];
                    }
                }
                else
                {
                    read[i] = at == 0 ? (byte)0x55 : Registers[at];
                }
            }
        }

        private static byte[] CreateRegisters()
        {
            var registers = new byte[128];
            registers[Sx127xRegister.Version] = Sx127xRegister.ExpectedVersion;
            return registers;
        }
    }
}
