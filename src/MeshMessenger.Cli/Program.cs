using System.CommandLine;
using MeshMessenger.Cli.Commands;

namespace MeshMessenger.Cli;

/// <summary>
/// Entry point of <c>meshmsg</c>. Exit codes: 0 success, 1 the command ran and found a failure
/// (a check did not hold, a benchmark could not run, a gateway or port was unavailable), 2 bad usage
/// (System.CommandLine's parse errors, invalid option values).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        ParseResult parse = BuildRoot().Parse(args);
        int code = parse.Invoke(); // prints the parse errors and the usage, if any
        return parse.Errors.Count > 0 ? 2 : code;
    }

    /// <summary>The command tree (tests walk it to hold every command to the same conventions).</summary>
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand(
            "MeshMessenger: an off-grid, end-to-end encrypted mesh messenger.\n\n" +
            "Examples:\n" +
            "  meshmsg up                        the whole system: gateway, emulated devices, dev chain, web app on :8080\n" +
            "  meshmsg demo                      two nodes exchange messages and receipts; one is wiped and rebuilds\n" +
            "  meshmsg keygen --name Amina       create your identity (prints the 24-word recovery phrase)\n" +
            "  meshmsg contact show              your contact card as text and QR code\n" +
            "  meshmsg emulate village-30        30 virtual devices, both routing policies, table and plots\n" +
            "  meshmsg emulate sweep             10 to 1,000 devices: managed flooding against learned routes\n" +
            "  meshmsg hardware boards           the supported boards; `hardware show NAME` for wiring and parts\n" +
            "  meshmsg hardware power heltec-wifi-lora-32-v3 --sent 20 --heard 200\n" +
            "  meshmsg verify proof.json --rpc URL   check an anchoring proof against any Ethereum node\n" +
            "  meshmsg bench crypto              compare managed crypto with BouncyCastle and NSec\n" +
            "  meshmsg status --json             what a running gateway hears and anchors, as JSON\n" +
            "  meshmsg provision --port /dev/ttyUSB0 device.mmb   provision a board over its serial port\n" +
            "  meshmsg bench crypto --out r.json --seconds 2\n\n" +
            "Query commands take --json for machine-readable output. Exit codes: 0 success; 1 the command ran and a check " +
            "failed or something it needs was unavailable; 2 bad usage.");
        root.Subcommands.Add(UpCommand.Create());
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(KeygenCommand.Create());
        root.Subcommands.Add(ContactCommand.Create());
        root.Subcommands.Add(EmulateCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(HardwareCommand.Create());
        root.Subcommands.Add(VerifyCommand.Create());
        root.Subcommands.Add(StatusCommand.Create());
        root.Subcommands.Add(WalletCommand.Create());
        root.Subcommands.Add(ProvisionCommand.Create());
        return root;
    }
}
