using MeshMessenger.Radio.Drivers;

namespace MeshMessenger.Radio.Tests;

/// <summary>What both drivers must do the same way, each against its own simulated chip.</summary>
public sealed class DriverBehaviourTests
{
    private static readonly byte[] Hello = "hello over LoRa, signed and sealed"u8.ToArray();

    [Theory]
    [InlineData("SX1262", 200.0, 0.5)] // RssiPkt in 0.5 dB steps
    [InlineData("SX1276", 20.0, 1.1)]  // SNR above 0: RSSI = -157 + 16/15 · PacketRssi (steps of about 1.07 dB)
    [InlineData("SX1276", 200.0, 1.1)] // SNR below 0: RSSI = -157 + PacketRssi + PacketSnr/4 (the SNR in dB)
    public void A_packet_arrives_with_the_RSSI_and_SNR_the_channel_gives(string chip, double distance, double rssiStep)
    {
        var bench = new RadioBench();
        var (_, sender) = bench.Radio(chip);
        var (receiverChip, receiver) = bench.Radio(chip, distance);
        LoRaRadioSettings settings = RadioBench.EuLongFast();
        sender.Initialize(settings);
        receiver.Initialize(settings);

        receiver.StartReceive(0);
        sender.Transmit(Hello, 0, Hello.Length);
        var packet = new ReceivedPacket();
        Assert.Equal(ReceiveStatus.Packet, receiver.PollReceive(packet));
        Assert.Equal(Hello, packet.ToArray());
        var (rssi, snr) = RadioBench.Expected(settings, distance);
        Assert.Equal(distance < 40, snr > 0);
        Assert.InRange(packet.RssiDbm, rssi - rssiStep, rssi + rssiStep);
        Assert.InRange(packet.SnrDb, snr - 0.25, snr + 0.25); // both report SNR in 0.25 dB steps
        Assert.Equal(ReceiveStatus.None, receiver.PollReceive(packet));
        Assert.Empty(receiverChip.Violations);
    }

    [Theory]
    [InlineData("SX1262")]
    [InlineData("SX1276")]
    public void A_corrupted_payload_is_reported_as_a_CRC_error_and_the_next_packet_still_arrives(string chip)
    {
        var bench = new RadioBench();
        var (_, sender) = bench.Radio(chip);
        var (_, receiver) = bench.Radio(chip, 100);
        sender.Initialize(RadioBench.EuLongFast());
        receiver.Initialize(RadioBench.EuLongFast());
        receiver.StartReceive(0);
        bench.Air.CorruptNextPacket();
        sender.Transmit(Hello, 0, Hello.Length);
        var packet = new ReceivedPacket();
        Assert.Equal(ReceiveStatus.CrcError, receiver.PollReceive(packet));
        sender.Transmit(Hello, 0, 5);
        Assert.Equal(ReceiveStatus.Packet, receiver.PollReceive(packet));
        Assert.Equal(Hello[..5], packet.ToArray());
    }

    [Theory]
    [InlineData("SX1262", "no SX126x answers on the SPI bus (status byte 0xFF)")]
    [InlineData("SX1276", "no SX127x answers on the SPI bus (RegVersion reads 0xFF)")]
    public void An_empty_bus_is_reported_as_no_chip(string chip, string expected)
    {
        var bench = new RadioBench();
        var (simulated, driver) = bench.Radio(chip);
        simulated.Absent = true;
        var ex = Assert.Throws<RadioException>(() => driver.Initialize(RadioBench.EuLongFast()));
        Assert.Equal(RadioError.ChipNotFound, ex.Error);
        Assert.Contains(expected, ex.Message);
        Assert.Equal(RadioError.NotInitialized, Assert.Throws<RadioException>(() => driver.Transmit(Hello, 0, 4)).Error);
    }
}
