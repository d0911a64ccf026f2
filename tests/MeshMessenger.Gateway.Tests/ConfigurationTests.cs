using System.Diagnostics;

namespace MeshMessenger.Gateway.Tests;

/// <summary>
/// Bad configurations stop the gateway before it starts, with exit code 2 and the setting named; a port it cannot
/// bind stops the start with exit code 1 (systemd retries) and the cause.
/// </summary>
public sealed class ConfigurationTests : IDisposable
{
    private readonly TestFolder _folder = new("gw-config-");

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("--Gateway:Radio:Board=raspberry-pi-with-magic-hat", "Gateway:Radio:Board: unknown board 'raspberry-pi-with-magic-hat'; known boards: adafruit-rfm9x-bonnet")]
    [InlineData("--Gateway:Radio:Board=heltec-wifi-lora-32-v3", "Gateway:Radio:Board: 'heltec-wifi-lora-32-v3' is an esp32 board")]
    [InlineData("--Gateway:Region=ATLANTIS", "Gateway:Region: 'ATLANTIS' is unknown")]
    [InlineData("--Gateway:Mqtt:Mode=cloud", "Gateway:Mqtt:Mode: 'cloud' must be embedded, external or off")]
    [InlineData("--Gateway:Udp:Port=70000", "Gateway:Udp:Port: 70000 is not a port")]
    [InlineData("--Gateway:Display:Controller=ssd1309", "Gateway:Display:Controller: 'ssd1309' is not supported; use ssd1306 or sh1106")]
    [InlineData("--Gateway:Display:Address=0x99", "Gateway:Display:Address: '0x99' is not a 7-bit I2C device address")]
    [InlineData("--Gateway:IdentityFile=/nonexistent/gateway.key", "Gateway:IdentityFile: '/nonexistent/gateway.key' does not exist")]
    public void A_bad_setting_stops_start_up_naming_the_setting(string argument, string expected)
    {
        (int code, string error) = Run(argument);
        Assert.Equal(2, code);
        Assert.Contains(expected, error);
    }

    [Fact]
    public void A_pin_file_with_a_bad_pin_stops_start_up_naming_the_file_and_the_pin()
    {
        string boards = Path.Combine(_folder.Path, "boards", "my-hat");
        Directory.CreateDirectory(boards);
        File.WriteAllText(Path.Combine(boards, "board.json"), """
            { "name": "my-hat", "title": "t", "host": "raspberry-pi", "chip": "SX1262",
              "spi": { "bus": 0, "chipSelectLine": 0 }, "pins": { "reset": 22, "busy": 20, "irq": 22 },
              "maxTxPowerDbm": 22, "configTxt": ["dtparam=spi=on"] }
            """);
        (int code, string error) = Run($"--Gateway:Radio:BoardsDirectory={Path.Combine(_folder.Path, "boards")}", "--Gateway:Radio:Board=my-hat");
        Assert.Equal(2, code);
        Assert.Contains("Gateway:Radio:Board:", error);
        Assert.Contains("board.json: pins.reset and pins.irq: both use GPIO 22", error);
    }

    [Fact]
    public void Chain_access_settings_are_checked_naming_each_chain_entry()
    {
        (int code, string error) = Run("--Gateway:Chains:0:Chain=dogecoin", "--Gateway:Chains:0:RpcUrl=ftp://x",
            "--Gateway:Chains:1:Chain=litecoin-regtest", "--Gateway:Chains:1:RpcUrl=http://127.0.0.1:19443",
            "--Gateway:Chains:2:Chain=eip155:1", "--Gateway:Chains:2:RpcUrl=http://127.0.0.1:8545",
            "--Gateway:Chains:3:Chain=EIP155:1", "--Gateway:Chains:3:RpcUrl=http://127.0.0.1:8545", "--Gateway:ChainPollSeconds=0");
        Assert.Equal(2, code);
        Assert.Contains("Gateway:Chains:0:Chain: 'dogecoin' is not a chain", error);
        Assert.Contains("Gateway:Chains:0:RpcUrl: 'ftp://x' is not an http(s) URL", error);
        Assert.Contains("Gateway:Chains:1:RpcUser: a Bitcoin-family node needs RpcUser and RpcPassword", error);
        Assert.Contains("Gateway:Chains:3:Chain: 'EIP155:1' is configured twice", error);
        Assert.DoesNotContain("Gateway:Chains:2:", error);
        Assert.Contains("Gateway:ChainPollSeconds: must be positive", error);
    }

    [Theory]
    [InlineData(0x1A4, 1, "is readable by others (mode 644); run chmod 600 on it")]
    [InlineData(0x180, 1, "well-known development key (anvil/Hardhat); it is refused on chain 1")]
    [InlineData(0x180, 31337, null)]
    public void The_anchoring_key_must_be_owner_only_and_no_dev_key_off_the_dev_chain(int mode, long chain, string? expected)
    {
        string key = Path.Combine(_folder.Path, "anchor.key");
        File.WriteAllText(key, "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
        File.SetUnixFileMode(key, (UnixFileMode)mode);
        string? problem = Configuration.AnchoringKey.Problem(new Configuration.AnchoringOptions { Enabled = true, KeyFile = key, ChainId = chain });
        if (expected is null)
        {
            Assert.Null(problem);
        }
        else
        {
            Assert.Contains(expected, problem);
            (int code, string error) = Run("--Gateway:Anchoring:Enabled=true", $"--Gateway:Anchoring:KeyFile={key}", $"--Gateway:Anchoring:ChainId={chain}");
            Assert.Equal(2, code);
            Assert.Contains("Gateway:Anchoring:KeyFile: ", error);
        }
    }

    [Fact]
    public void A_corrupt_key_file_is_refused()
    {
        string key = Path.Combine(_folder.Path, "gateway.key");
        File.WriteAllText(key, "NOT-A-BACKUP-CODE\n");
        (int code, string error) = Run($"--Gateway:IdentityFile={key}");
        Assert.Equal(2, code);
        Assert.Contains("does not hold a valid backup code", error);
    }

    [Fact]
    public void A_taken_UDP_port_stops_start_up_with_exit_code_1_and_its_cause()
    {
        using var squatter = new System.Net.Sockets.UdpClient(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        int taken = ((System.Net.IPEndPoint)squatter.Client.LocalEndPoint!).Port;
        (int code, string error) = Run("--Gateway:Mqtt:Mode=off", $"--Gateway:Udp:Port={taken}", "--Gateway:Udp:Bind=127.0.0.1");
        Assert.Equal(1, code); // it exited 0 when the link failed in the background
        Assert.Contains($"error: the UDP link cannot listen on 127.0.0.1:{taken}: AddressAlreadyInUse", error);
    }

    private (int Code, string Error) Run(params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "meshmsg-gateway.dll"));
        info.ArgumentList.Add($"--Gateway:DataDirectory={Path.Combine(_folder.Path, "data")}");
        info.ArgumentList.Add("--Urls=http://127.0.0.1:0");
        foreach (string a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        using Process process = Process.Start(info)!;
        string error = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(30_000))
        {
            process.Kill(entireProcessTree: true);
            return (-1, "did not stop: " + error);
        }

        return (process.ExitCode, error);
    }
}
