using System.Device.Gpio;
using MeshMessenger.Emulator.Channel;
using MeshMessenger.Emulator.Chips;
using MeshMessenger.Gateway.Hardware.Boards;
using MeshMessenger.Gateway.Hardware.Linux;
using MeshMessenger.Radio.Drivers;
using MeshMessenger.Radio.LoRa;

namespace MeshMessenger.Gateway.Hardware.Tests;

/// <summary>Opening a board's radio: the host adapter's checks, and each board's driver against its simulated chip.</summary>
public sealed class BoardRadioTests
{
    private static readonly BoardCatalog Source = new(SourceTree.BoardsDirectory);

    private static LoRaRadioSettings Settings() => LoRaRadioSettings.For(Region.Eu868, ModemPreset.LongFast, 30);

    private static SimulatedChip ChipFor(BoardProfile board, ChipAir air, ChipClock clock, double x) =>
        board.Chip == "SX1262" ? new SimulatedSx1262(air, clock, x) : new SimulatedSx1276(air, clock, x);

    [Fact]
    public void A_missing_spidev_node_says_which_lines_config_txt_needs()
    {
        string dev = Directory.CreateTempSubdirectory("dev-").FullName;
        try
        {
            var ex = Assert.Throws<HardwareException>(() => BoardRadio.Open(Source.Load("waveshare-sx1262-hat"), Settings(), dev));
            Assert.Contains($"SPI device {Path.Combine(dev, "spidev0.0")} not found", ex.Message);
            Assert.Contains("'dtoverlay=spi0-0cs'", ex.Message);

            ex = Assert.Throws<HardwareException>(() => BoardRadio.Open(Source.Load("adafruit-rfm9x-bonnet"), Settings(), dev));
            Assert.Contains("spidev0.1 not found", ex.Message);
        }
        finally
        {
            Directory.Delete(dev, recursive: true);
        }
    }

    [Fact]
    public void An_ESP32_board_is_not_opened_by_the_gateway()
    {
        var ex = Assert.Throws<HardwareException>(() => BoardRadio.Open(Source.Load("heltec-wifi-lora-32-v3"), Settings()));
        Assert.Contains("esp32 board", ex.Message);
    }

    [Theory]
    [InlineData("waveshare-sx1262-hat")]
    [InlineData("adafruit-rfm9x-bonnet")]
    [InlineData("meshadv-mini-sx1262-hat")]
    [InlineData("heltec-wifi-lora-32-v3")]
    [InlineData("lilygo-t-beam-sx1276")]
    public void Each_board_brings_its_chip_up_with_its_options_and_sends_a_packet(string name)
    {
        BoardProfile board = Source.Load(name);
        var air = new ChipAir(new LogDistancePathLoss());
        var clock = new ChipClock();
        SimulatedChip chip = ChipFor(board, air, clock, 0);
        SimulatedChip peer = ChipFor(board, air, clock, 80);
        LoRaTransceiver radio = BoardRadio.Initialize(board, Settings(), chip, chip, clock);
        LoRaTransceiver listener = BoardRadio.Initialize(board, Settings(), peer, peer, clock);

        Assert.Equal(board.MaxTxPowerDbm, radio.Settings!.TxPowerDbm); // 30 dBm asked, capped by the module
        Assert.Equal(board.TcxoVoltage, radio.Settings.TcxoVoltage);
        listener.StartReceive(0);
        byte[] frame = [1, 2, 3, 4, 5];
        radio.Transmit(frame, 0, frame.Length);
        Assert.False(chip.AntennaOnTransmit);
        var packet = new ReceivedPacket();
        Assert.Equal(ReceiveStatus.Packet, listener.PollReceive(packet));
        Assert.Equal(frame, packet.ToArray());
        Assert.Empty(chip.Violations);
    }

    [Fact]
    public void An_absent_chip_names_the_board_its_bus_and_its_pins()
    {
        BoardProfile board = Source.Load("meshadv-mini-sx1262-hat");
        var clock = new ChipClock();
        var chip = new SimulatedSx1262(new ChipAir(new LogDistancePathLoss()), clock) { Absent = true };
        var ex = Assert.Throws<HardwareException>(() => BoardRadio.Initialize(board, Settings(), chip, chip, clock));
        Assert.Contains("board meshadv-mini-sx1262-hat (SX1262 on /dev/spidev0.0", ex.Message);
        Assert.Contains("busy GPIO 20", ex.Message);
        Assert.Contains("no SX126x answers on the SPI bus", ex.Message);
        Assert.Equal(RadioError.ChipNotFound, Assert.IsType<RadioException>(ex.InnerException).Error);
    }

    [Fact]
    public void A_stuck_BUSY_line_names_the_pin_to_check()
    {
        BoardProfile board = Source.Load("waveshare-sx1262-hat");
        var clock = new ChipClock();
        var chip = new SimulatedSx1262(new ChipAir(new LogDistancePathLoss()), clock) { BusyStuckHigh = true };
        var ex = Assert.Throws<HardwareException>(() => BoardRadio.Initialize(board, Settings(), chip, chip, clock));
        Assert.Contains("busy GPIO 20", ex.Message);
        Assert.Contains("BUSY stayed high", ex.Message);
    }

    [Fact]
    public void The_TCXO_board_without_its_TCXO_setting_fails_with_the_hint()
    {
        BoardProfile board = Source.Load("meshadv-mini-sx1262-hat") with { TcxoVoltage = 0 };
        var clock = new ChipClock();
        var chip = new SimulatedSx1262(new ChipAir(new LogDistancePathLoss()), clock) { InjectedDeviceErrors = 0x20 };
        var ex = Assert.Throws<HardwareException>(() => BoardRadio.Initialize(board, Settings(), chip, chip, clock));
        Assert.Contains("TcxoVoltage", ex.Message);
    }

    [Theory]
    [InlineData("waveshare-sx1262-hat")]    // chip select on GPIO 21, driven by SpiDeviceBus
    [InlineData("meshadv-mini-sx1262-hat")] // CE0, RXEN on GPIO 12
    [InlineData("adafruit-rfm9x-bonnet")]   // CE1, no BUSY line
    public void The_gateway_adapters_drive_the_chip_through_System_Device_Gpio(string name)
    {
        BoardProfile board = Source.Load(name);
        var air = new ChipAir(new LogDistancePathLoss());
        var clock = new ChipClock();
        SimulatedChip chip = ChipFor(board, air, clock, 0);
        SimulatedChip peer = ChipFor(board, air, clock, 60);
        var hardware = new ChipOnGpio(chip, board);
        using var bus = new SpiDeviceBus(hardware.Spi, board.Spi.ChipSelectLine < 0 ? hardware.Controller : null, board.Spi.ChipSelectLine < 0 ? board.Pins.ChipSelect!.Value : -1);
        var pins = new GpioRadioPins(hardware.Controller, board.Pins);
        LoRaTransceiver radio = BoardRadio.Initialize(board, Settings(), bus, pins, clock);
        LoRaTransceiver listener = BoardRadio.Initialize(board, Settings(), peer, peer, clock);

        listener.StartReceive(0);
        byte[] frame = [9, 8, 7, 6];
        radio.Transmit(frame, 0, frame.Length);
        var packet = new ReceivedPacket();
        Assert.Equal(ReceiveStatus.Packet, listener.PollReceive(packet));
        Assert.Equal(frame, packet.ToArray());

        radio.StartReceive(0);
        listener.Transmit(frame, 1, 3);
        Assert.Equal(ReceiveStatus.Packet, radio.PollReceive(packet));
        Assert.Equal(frame[1..], packet.ToArray());

        Assert.Equal(0, hardware.Spi.TransfersWithoutChipSelect);
        Assert.Empty(hardware.Driver.Log);
        Assert.Empty(chip.Violations);
        if (board.Spi.ChipSelectLine < 0)
        {
            Assert.Equal(PinValue.High, hardware.Driver.Output(board.Pins.ChipSelect!.Value)); // released between transfers
        }

        if (board.Pins.RxEnable is int rxEnable)
        {
            Assert.Equal(PinValue.High, hardware.Driver.Output(rxEnable)); // back to receive after transmitting
        }
    }
}
