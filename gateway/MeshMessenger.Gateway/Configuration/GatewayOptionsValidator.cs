using MeshMessenger.Gateway.Hardware.Boards;
using MeshMessenger.Protocol.Frames;
using MeshMessenger.Radio.LoRa;

namespace MeshMessenger.Gateway.Configuration;

/// <summary>Checks the configuration before anything starts; every problem names its setting ("Gateway:Radio:Board: ...").</summary>
public static class GatewayOptionsValidator
{
    /// <summary>Throws <see cref="ConfigurationException"/> listing every problem; returns the board profile if a radio is configured.</summary>
    public static BoardProfile? Validate(GatewayOptions o, BoardCatalog boards)
    {
        var problems = new List<string>();
        void Check(bool ok, string setting, string message)
        {
            if (!ok)
            {
                problems.Add($"Gateway:{setting}: {message}");
            }
        }

        Check(!string.IsNullOrWhiteSpace(o.Name) && o.Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'), "Name", $"'{o.Name}' must be letters, digits, '-' or '_' (it starts the MQTT client id)");
        Check(LoRaRegion(o.Region) is not null, "Region", $"'{o.Region}' is unknown; use one of {string.Join(", ", Region.All().Select(r => r.Name))}");
        Check(!string.IsNullOrWhiteSpace(o.DataDirectory), "DataDirectory", "must name a folder for the database");
        Check(o.RateLimitPerMinute >= 0, "RateLimitPerMinute", "must not be negative");
        Check(o.ChainRequestsPerMinute > 0, "ChainRequestsPerMinute", "must be more than 0");
        Check(o.Udp.Port is >= 0 and <= 65535, "Udp:Port", $"{o.Udp.Port} is not a port (0 turns UDP off)");
        Check(System.Net.IPAddress.TryParse(o.Udp.Bind, out _), "Udp:Bind", $"'{o.Udp.Bind}' is not an IP address");
        Check(o.Udp.NeighbourSeconds > 0, "Udp:NeighbourSeconds", "must be positive");
        Check(o.Udp.MaxNeighbours > 0, "Udp:MaxNeighbours", "must be positive");
        Check(o.Udp.ChallengeSeconds > 0, "Udp:ChallengeSeconds", "must be positive");
        Check(o.Udp.DownlinkBytesPerSecond > 0, "Udp:DownlinkBytesPerSecond", "must be positive");
        Check(o.Udp.DownlinkBurstBytes >= 2 * FrameLimits.Ip, "Udp:DownlinkBurstBytes", $"must be at least {2 * FrameLimits.Ip} (a 2,048-byte entry in two UDP frames)");
        Check(o.WebSocket.MaxConnectionsPerAddress > 0, "WebSocket:MaxConnectionsPerAddress", "must be positive");
        Check(o.WebSocket.MaxConnections >= o.WebSocket.MaxConnectionsPerAddress, "WebSocket:MaxConnections", $"must be at least MaxConnectionsPerAddress ({o.WebSocket.MaxConnectionsPerAddress})");
        Check(o.WebSocket.IdleSeconds > 0, "WebSocket:IdleSeconds", "must be positive");
        Check(o.WebSocket.KeepAliveSeconds > 0 && o.WebSocket.KeepAliveSeconds < o.WebSocket.IdleSeconds, "WebSocket:KeepAliveSeconds", "must be positive and less than IdleSeconds");
        Check(o.WebSocket.SendQueueFrames >= 2 * Protocol.Node.MessengerNode.MaxEntriesPerAnswer, "WebSocket:SendQueueFrames", $"must be at least {2 * Protocol.Node.MessengerNode.MaxEntriesPerAnswer} (one answer to a want, fragments included)");
        Check(o.WebSocket.ChallengeSeconds > 0, "WebSocket:ChallengeSeconds", "must be positive");
        Check(o.WebSocket.ProveWithinSeconds >= o.WebSocket.ChallengeSeconds, "WebSocket:ProveWithinSeconds", $"must be at least ChallengeSeconds ({o.WebSocket.ChallengeSeconds})");
        Check(o.WebSocket.DownlinkBytesPerSecond > 0, "WebSocket:DownlinkBytesPerSecond", "must be positive");
        Check(o.WebSocket.DownlinkBurstBytes >= 2 * FrameLimits.Ip, "WebSocket:DownlinkBurstBytes", $"must be at least {2 * FrameLimits.Ip} (a 2,048-byte entry in two frames)");
        Check(o.Mqtt.Mode is "embedded" or "external" or "off", "Mqtt:Mode", $"'{o.Mqtt.Mode}' must be embedded, external or off");
        Check(o.Mqtt.Port is > 0 and <= 65535, "Mqtt:Port", $"{o.Mqtt.Port} is not a port");
        Check(System.Net.IPAddress.TryParse(o.Mqtt.Bind, out _), "Mqtt:Bind", $"'{o.Mqtt.Bind}' is not an IP address");
        Check(o.Mqtt.Mode != "external" || !string.IsNullOrWhiteSpace(o.Mqtt.Host), "Mqtt:Host", "an external broker needs a host");
        Check(o.Mqtt.Password is null || o.Mqtt.Username is not null, "Mqtt:Username", "a password was given without a user name");
        Check(!o.Mqtt.TopicRoot.Contains('#') && !o.Mqtt.TopicRoot.Contains('+') && !o.Mqtt.TopicRoot.EndsWith('/'), "Mqtt:TopicRoot", $"'{o.Mqtt.TopicRoot}' must not contain wildcards or end with '/'");
        Check(o.Emulate.Devices is >= 0 and <= 10_000, "Emulate:Devices", $"{o.Emulate.Devices} must be 0 to 10000");
        Check(o.Emulate.MessagesPerMinute is > 0 and <= 60_000, "Emulate:MessagesPerMinute", $"{o.Emulate.MessagesPerMinute} must be more than 0 and at most 60000");
        if (o.Anchoring.Enabled)
        {
            Check(Uri.TryCreate(o.Anchoring.Rpc, UriKind.Absolute, out Uri? rpc) && rpc.Scheme is "http" or "https", "Anchoring:Rpc", $"'{o.Anchoring.Rpc}' is not an http(s) URL");
            Check(o.Anchoring.ChainId > 0, "Anchoring:ChainId", "must be positive");
            string? keyProblem = AnchoringKey.Problem(o.Anchoring);
            Check(keyProblem is null, string.IsNullOrEmpty(o.Anchoring.KeyFile) ? "Anchoring:KeyFile" : "Anchoring:KeyFile", keyProblem ?? "");
            Check(o.Anchoring.BatchMinutes > 0 && o.Anchoring.BatchLeaves > 0 && o.Anchoring.PollSeconds > 0 && o.Anchoring.StuckMinutes >= 0, "Anchoring", "BatchMinutes, BatchLeaves and PollSeconds must be positive");
        }

        Check(o.ChainPollSeconds > 0, "ChainPollSeconds", "must be positive");
        var chains = new HashSet<string>();
        for (int i = 0; i < o.Chains.Count; i++)
        {
            ChainOptions c = o.Chains[i];
            Protocol.Payments.ChainTag? tag = Protocol.Payments.ChainTag.Parse(c.Chain ?? "");
            Check(tag is not null, $"Chains:{i}:Chain", $"'{c.Chain}' is not a chain; use eip155:<chain id>, bitcoin, bitcoin-testnet, bitcoin-signet, bitcoin-regtest, litecoin or litecoin-regtest");
            Check(tag is null || chains.Add(tag.ToText()), $"Chains:{i}:Chain", $"'{c.Chain}' is configured twice");
            Check(Uri.TryCreate(c.RpcUrl, UriKind.Absolute, out Uri? url) && url.Scheme is "http" or "https", $"Chains:{i}:RpcUrl", $"'{c.RpcUrl}' is not an http(s) URL");
            Check(tag is null || tag.Family != Protocol.Payments.ChainFamily.Utxo || (!string.IsNullOrEmpty(c.RpcUser) && !string.IsNullOrEmpty(c.RpcPassword)), $"Chains:{i}:RpcUser", "a Bitcoin-family node needs RpcUser and RpcPassword");
        }

        if (o.Gnss.Enabled)
        {
            Check(o.Gnss.Port.StartsWith('/'), "Gnss:Port", $"'{o.Gnss.Port}' must be a device path such as /dev/serial0");
            Check(o.Gnss.Baud is 4800 or 9600 or 19200 or 38400 or 57600 or 115200, "Gnss:Baud", $"{o.Gnss.Baud} is not an NMEA receiver rate (4800, 9600, 19200, 38400, 57600 or 115200)");
            Check(o.Gnss.ThresholdSeconds > 0 && o.Gnss.JumpSeconds > 0 && o.Gnss.HoldMinutes > 0 && o.Gnss.NoDataSeconds > 0 && o.Gnss.NoFixSeconds > 0, "Gnss", "ThresholdSeconds, JumpSeconds, HoldMinutes, NoDataSeconds and NoFixSeconds must be positive");
            Check(o.Gnss.SyncedLimitSeconds >= o.Gnss.ThresholdSeconds, "Gnss:SyncedLimitSeconds", $"{o.Gnss.SyncedLimitSeconds} must be at least ThresholdSeconds ({o.Gnss.ThresholdSeconds})");
            Check(o.Gnss.JumpConfirmFixes is >= 1 and <= 3600, "Gnss:JumpConfirmFixes", $"{o.Gnss.JumpConfirmFixes} must be 1 to 3600");
        }

        Check(!o.Gnss.SharePosition || o.Gnss.Enabled, "Gnss:SharePosition", "is on but no Gnss:Port is set");
        Check(o.Radio.ArchivePullSeconds is >= 0 and <= 86_400, "Radio:ArchivePullSeconds", $"{o.Radio.ArchivePullSeconds} must be 0 (no archive pull) to 86400 seconds between pulls");
        Check(ModemPreset.Find(o.Radio.Preset) is not null, "Radio:Preset", $"'{o.Radio.Preset}' is unknown; use one of {string.Join(", ", ModemPreset.All().Select(p => p.Name))}");

        BoardProfile? board = null;
        if (!string.IsNullOrEmpty(o.Radio.Board))
        {
            try
            {
                board = boards.Load(o.Radio.Board);
                Check(board.IsRaspberryPi, "Radio:Board", $"'{o.Radio.Board}' is an {board.Host} board; the gateway runs on a Raspberry Pi board");
            }
            catch (BoardFileException e)
            {
                problems.Add($"Gateway:Radio:Board: {e.Message}");
            }
        }

        Check(o.Display.Controller is "ssd1306" or "sh1106", "Display:Controller", $"'{o.Display.Controller}' is not supported; use ssd1306 or sh1106");
        Check(o.Display.Bus >= 0, "Display:Bus", $"{o.Display.Bus}: the I2C bus is /dev/i2c-N, N 0 or more (1 on a Pi's header)");
        Check(o.Display.AddressValue is >= 0x08 and <= 0x77, "Display:Address", $"'{o.Display.Address}' is not a 7-bit I2C device address (0x08-0x77; modules use 0x3C or 0x3D)");
        Check(o.Display.DimSeconds > 0, "Display:DimSeconds", "must be positive");
        Check(o.Display.ButtonPin is >= -1 and <= 27, "Display:ButtonPin", $"GPIO {o.Display.ButtonPin} is not on a Raspberry Pi header (BCM 0-27; -1: the board file's button)");
        Check(string.IsNullOrEmpty(o.Display.WebAddress) || Uri.TryCreate(o.Display.WebAddress, UriKind.Absolute, out _), "Display:WebAddress", $"'{o.Display.WebAddress}' is not an absolute address (http://HOST:PORT)");
        if (o.Display.ButtonPin >= 0 && board is not null)
        {
            string? taken = LineOf(board, o.Display.ButtonPin);
            Check(taken is null, "Display:ButtonPin", $"GPIO {o.Display.ButtonPin} is {taken} of board '{o.Radio.Board}'");
        }

        if (problems.Count > 0)
        {
            throw new ConfigurationException(problems);
        }

        return board;
    }

    // What else on the board holds a line: the radio's pins, the Pi's SPI0 data lines the radio uses (MISO 9, MOSI 10,
    // SCLK 11: Raspberry Pi documentation, "GPIO"), and the other parts (the display's I2C, the GNSS UART and PPS).
    // The board's own button line is the one the setting overrides, so it is free.
    private static string? LineOf(BoardProfile board, int gpio) =>
        board.Pins.Assigned().Where(p => p.Gpio == gpio).Select(p => $"the radio's {p.Role} line")
            .Concat(board.IsRaspberryPi && gpio is >= 9 and <= 11 ? ["the radio's SPI0 line"] : [])
            .Concat(board.Peripherals().Where(part => part is not BoardButton).SelectMany(part => part.Lines()).Where(l => l.Gpio == gpio).Select(l => l.Role))
            .FirstOrDefault();

    private static Region? LoRaRegion(string name) => Region.Find(name);
}
