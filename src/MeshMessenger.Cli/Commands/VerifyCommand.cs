using System.CommandLine;
using MeshMessenger.Anchoring.Proofs;
using MeshMessenger.Anchoring.Rpc;
using Spectre.Console;

namespace MeshMessenger.Cli.Commands;

/// <summary><c>meshmsg verify FILE --rpc URL</c>: checks a proof bundle against any Ethereum node, with no need for the gateway.</summary>
public static class VerifyCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("proof") { Description = "A proof bundle (JSON) exported by a gateway." };
        var rpc = new Option<string>("--rpc") { Description = "Any Ethereum JSON-RPC endpoint on the chain the gateway anchors to.", Required = true };
        var command = new Command(
            "verify",
            "Check that a message's chain checkpoint was anchored on Ethereum: its Merkle path to the root, the transaction carrying the root, " +
            "and that transaction's block on the node you name. Exit code 0 if every check holds.\n\n" +
            "Example:\n  meshmsg verify proof-0c80b9c4-17.json --rpc https://ethereum-rpc.example.org")
        {
            file, rpc,
        };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(file)!, parse.GetValue(rpc)!, AnsiConsole.Console, ct));
        return command;
    }

    public static async Task<int> RunAsync(FileInfo file, string rpc, IAnsiConsole console, CancellationToken ct = default)
    {
        if (!file.Exists)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {file.FullName} does not exist");
            return 1;
        }

        ProofBundle? bundle = file.Length < (1 << 20) ? ProofBundle.FromJson(await File.ReadAllTextAsync(file.FullName, ct)) : null;
        if (bundle is null || bundle.Path is null || bundle.Leaf is null || bundle.RawTransaction is null || bundle.TransactionHash is null || bundle.BlockHash is null || bundle.Root is null)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {file.Name} is not a proof bundle");
            return 1;
        }

        if (!Uri.TryCreate(rpc, UriKind.Absolute, out Uri? endpoint) || endpoint.Scheme is not ("http" or "https"))
        {
            console.MarkupLineInterpolated($"[red]error:[/] --rpc must be an http(s) URL, got '{rpc}'");
            return 2;
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        var checks = await ProofVerifier.VerifyAsync(bundle, new EthereumRpcClient(http, endpoint), ct);
        foreach (var (passed, statement) in checks)
        {
            console.MarkupLine($"{(passed ? "[green]✓[/]" : "[red]✗[/]")} {Markup.Escape(statement)}");
        }

        bool all = checks.All(c => c.Passed);
        console.MarkupLine(all
            ? "[green]The checkpoint, and every earlier entry of that author's chain, existed unaltered when this block was made.[/]"
            : "[red]The proof does not hold.[/]");
        return all ? 0 : 1;
    }
}
