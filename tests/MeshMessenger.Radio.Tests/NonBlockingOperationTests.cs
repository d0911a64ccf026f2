using MeshMessenger.Radio.Drivers;

namespace MeshMessenger.Radio.Tests;

/// <summary>
/// Start-and-interrupt operations on both drivers against their simulated chips: transmit completed by the
/// IRQ line, continuous receive, channel activity detection answered from the channel, and refusals.
/// </summary>
public sealed class NonBlockingOperationTests
{
    private static readonly byte[] Hello = "hello over LoRa, signed and sealed"u8.ToArray();

    [Theory]
    [InlineData("SX1262")]
    [InlineData("SX1276")]
    public void A_transmission_returns_at_once_and_ends_with_TxDone_on_the_interrupt_line(string chip)
    {
        var bench = new RadioBench();
        var (simulated, driver) = bench.Radio(chip);
        driver.Initialize(RadioBench.EuLongFast());
        var packet = new ReceivedPacket();
        long start = bench.Clock.NowMicroseconds;
        long airtime = driver.BeginTransmit(Hello, 0, Hello.Length);
        Assert.True(bench.Clock.NowMicroseconds - start < 5_000, "BeginTransmit must not wait for the packet to leave");
        Assert.Equal(RadioActivity.Transmitting, driver.Activity);
        Assert.True(simulated.AntennaOnTransmit);
        Assert.Equal(RadioInterrupt.None, driver.ServiceInterrupt(packet));

        bench.Clock.Advance(airtime - (bench.Clock.NowMicroseconds - start) - 1_000);
        Assert.False(simulated.IsIrqHigh);
        bench.Clock.Advance(2_000);
        Assert.True(simulated.IsIrqHigh);
        Assert.Equal(RadioInterrupt.TxDone, driver.ServiceInterrupt(packet));
        Assert.False(simulated.IsIrqHigh); // flags read and cleared
        Assert.Equal(RadioActivity.Idle, driver.Activity);
        Assert.False(simulated.AntennaOnTransmit);
        Assert.Equal(RadioInterrupt.None, driver.ServiceInterrupt(packet));
        Assert.Empty(simulated.Violations);
    }

    [Theory]
    [InlineData("SX1262")]
    [InlineData("SX1276")]
    public void Continuous_receive_delivers_two_packets_in_a_row_without_re_arming(string chip)
    {
        var bench = new RadioBench();
        var (_, sender) = bench.Radio(chip);
        var (receiverChip, receiver) = bench.Radio(chip, 150);
        sender.Initialize(RadioBench.EuLongFast());
        receiver.Initialize(RadioBench.EuLongFast());
        receiver.StartReceive(0);
        var packet = new ReceivedPacket();

        sender.Transmit(Hello, 0, Hello.Length);
        Assert.Equal(RadioInterrupt.Packet, receiver.ServiceInterrupt(packet));
        Assert.Equal(Hello, packet.ToArray());
        Assert.Equal(RadioActivity.Receiving, receiver.Activity);

        bench.Clock.Advance(3_000_000); // no timeout in continuous mode, however long the wait
        Assert.Equal(RadioInterrupt.None, receiver.ServiceInterrupt(packet));
        sender.Transmit(Hello, 3, 7);
        Assert.Equal(RadioInterrupt.Packet, receiver.ServiceInterrupt(packet));
        Assert.Equal(Hello[3..10], packet.ToArray());
        Assert.True(packet.RssiDbm < -30 && packet.SnrDb > -20, $"{packet.RssiDbm} dBm, {packet.SnrDb} dB");
        Assert.Equal(RadioActivity.Receiving, receiver.Activity);
        Assert.Empty(receiverChip.Violations);
    }

    [Theory]
    [InlineData("SX1262")]
    [InlineData("SX1276")]
    public void CAD_reports_an_ongoing_transmission_and_a_clear_idle_channel(string chip)
    {
        var bench = new RadioBench();
        var (_, sender) = bench.Radio(chip);
        var (listenerChip, listener) = bench.Radio(chip, 300);
        var (_, farAway) = bench.Radio(chip, 40_000, 0);
        sender.Initialize(RadioBench.EuLongFast());
        listener.Initialize(RadioBench.EuLongFast());
        farAway.Initialize(RadioBench.EuLongFast());
        var packet = new ReceivedPacket();
        long cad = listener.ChannelActivityMicroseconds;
        // SF11/250 kHz: 8.3 ms per CAD symbol; 4 symbols on the SX1262 from SF9 (DS_SX1261-2 rev 2.1 table),
        // about 2 on the SX1276 (receive phase plus correlation, SX1276 datasheet CAD section).
        Assert.Equal(chip == "SX1262" ? 33_280 : 16_640, cad);

        // Idle channel.
        Assert.Equal(RadioInterrupt.CadClear, RunCad(bench, listener, packet));
        Assert.Equal(RadioActivity.Idle, listener.Activity);

        // A packet on air, heard well by the listener and not at all 40 km away.
        long airtime = sender.BeginTransmit(Hello, 0, Hello.Length);
        bench.Clock.Advance(airtime / 3);
        Assert.Equal(RadioInterrupt.CadDetected, RunCad(bench, listener, packet));
        Assert.Equal(RadioInterrupt.CadClear, RunCad(bench, farAway, packet));

        // After the packet has left, the channel is clear again.
        bench.Clock.Advance(airtime);
        Assert.Equal(RadioInterrupt.TxDone, sender.ServiceInterrupt(packet));
        Assert.Equal(RadioInterrupt.CadClear, RunCad(bench, listener, packet));
        Assert.Empty(listenerChip.Violations);
    }

    [Theory]
    [InlineData("SX1262")]
    [InlineData("SX1276")]
    public void Operations_the_chip_cannot_take_now_are_refused_with_the_cause(string chip)
    {
        var bench = new RadioBench();
        var (_, driver) = bench.Radio(chip);
        driver.Initialize(RadioBench.EuLongFast());
        Assert.Equal(RadioError.NotInitialized, Assert.Throws<RadioException>(() => bench.Radio(chip).Driver.StartChannelActivityDetection()).Error);

        driver.BeginTransmit(Hello, 0, Hello.Length);
        var cadWhileTx = Assert.Throws<RadioException>(driver.StartChannelActivityDetection);
        Assert.Equal(RadioError.WrongState, cadWhileTx.Error);
        Assert.Contains("while a transmission is on air", cadWhileTx.Message);
        Assert.Equal(RadioError.WrongState, Assert.Throws<RadioException>(() => driver.BeginTransmit(Hello, 0, 4)).Error);
        Assert.Equal(RadioError.WrongState, Assert.Throws<RadioException>(() => driver.StartReceive(0)).Error);

        driver.Standby(); // aborts the transmission
        driver.StartChannelActivityDetection();
        var txWhileCad = Assert.Throws<RadioException>(() => driver.BeginTransmit(Hello, 0, 4));
        Assert.Equal(RadioError.WrongState, txWhileCad.Error);
        Assert.Contains("channel activity detection", txWhileCad.Message);
        Assert.Equal(RadioError.InvalidSettings, Assert.Throws<RadioException>(() => { driver.Standby(); driver.BeginTransmit(Hello, 0, 0); }).Error);
    }

    private static RadioInterrupt RunCad(RadioBench bench, LoRaTransceiver driver, ReceivedPacket packet)
    {
        driver.StartChannelActivityDetection();
        Assert.Equal(RadioInterrupt.None, driver.ServiceInterrupt(packet));
        bench.Clock.Advance(driver.ChannelActivityMicroseconds + 100);
        return driver.ServiceInterrupt(packet);
    }
}
