using MeshMessenger.Emulator.Channel;
using MeshMessenger.Emulator.Chips;
using MeshMessenger.Gateway.Configuration;
using MeshMessenger.Gateway.Ingest;
using MeshMessenger.Gateway.Links;
using MeshMessenger.Radio.Drivers;
using MeshMessenger.Radio.LoRa;
using MeshMessenger.Radio.Sx126x;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MeshMessenger.Gateway.Tests;

/// <summary>The gateway's radio link over the real SX1262 driver and a simulated chip on the emulator's air.</summary>
public sealed class RadioLinkTests : IAsyncDisposable
{
    private readonly IngestFixture _fixture = new("gw-radio-", new LinkBudgets(0, 0), _ => null);
    private readonly ChipAir _air = new(new LogDistancePathLoss());
    private readonly ChipClock _clock = new();

    private GatewayCounters _counters => _fixture.Counters;

    private FrameIngest _ingest => _fixture.Ingest;

    private readonly NodeDirectory _directory = new();

    public ValueTask DisposeAsync() => _fixture.DisposeAsync();

    [Fact]
    public async Task Frames_heard_on_the_radio_are_stored_and_a_direct_message_goes_back_to_the_neighbour()
    {
        Sx1262Driver gatewayRadio = Radio(0);
        Sx1262Driver deviceRadio = Radio(150);
        var options = Options.Create(new GatewayOptions { Region = "US" });
        var link = new RadioLink(options, _ingest, _counters, _directory, NullLogger<RadioLink>.Instance, () => gatewayRadio);
        link.Open();
        gatewayRadio.StartReceive(0);

        var device = new TestDevice("field");
        var friend = new TestDevice("friend");
        device.Befriend(friend);
        byte[] genesis = device.Take()[0];
        deviceRadio.Transmit(genesis, 0, genesis.Length);
        await link.PollOnceAsync(CancellationToken.None);
        Assert.Equal(1, _counters.Get("radio_rx"));
        Assert.Equal(1, _counters.Get("stored"));
        HeardNode heard = Assert.Single(_directory.Snapshot());
        Assert.Equal((device.Id, IngestSource.Radio), (heard.Id, heard.Link));
        Assert.InRange(heard.RssiDbm!.Value, -140, -20); // the simulated chip's packet RSSI at 150 m
        Assert.NotEqual("n/a", heard.Quality);

        // A friend's direct message to the device arrives over UDP; the radio hands it to its neighbour.
        await _ingest.IngestAsync(friend.Take()[0], IngestSource.Udp);
        friend.Node.SendText(device.Id, "meet at the well at noon");
        Assert.Equal(IngestOutcome.Stored, await _ingest.IngestAsync(friend.Take()[0], IngestSource.Udp));
        Assert.Equal(1, link.DownlinkQueue); // the friend's genesis is not for the device: only the message is
        deviceRadio.StartReceive(0);
        await link.PollOnceAsync(CancellationToken.None);
        var packet = new ReceivedPacket();
        Assert.Equal(ReceiveStatus.Packet, deviceRadio.PollReceive(packet));
        Assert.Equal(Protocol.ProtocolError.None, device.Node.Receive(packet.Data, 0, packet.Length));
        Assert.Contains(device.Node.Messages.Cast<Protocol.Node.MessageRecord>(), m => m.Text == "meet at the well at noon");
    }

    [Fact]
    public async Task A_CRC_error_is_counted_and_nothing_is_stored()
    {
        Sx1262Driver gatewayRadio = Radio(0);
        Sx1262Driver deviceRadio = Radio(100);
        var link = new RadioLink(Options.Create(new GatewayOptions()), _ingest, _counters, _directory, NullLogger<RadioLink>.Instance, () => gatewayRadio);
        link.Open();
        gatewayRadio.StartReceive(0);
        _air.CorruptNextPacket();
        byte[] genesis = new TestDevice("noisy").Take()[0];
        deviceRadio.Transmit(genesis, 0, genesis.Length);
        await link.PollOnceAsync(CancellationToken.None);
        Assert.Equal(1, _counters.Get("dropped_crc"));
        Assert.Equal(0, _counters.Get("stored"));
    }

    private Sx1262Driver Radio(double x)
    {
        var chip = new SimulatedSx1262(_air, _clock, x);
        var driver = new Sx1262Driver(chip, chip, _clock);
        driver.Initialize(LoRaRadioSettings.For(Region.Us915, ModemPreset.LongFast, 20));
        return driver;
    }
}
