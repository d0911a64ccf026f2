using System.CommandLine;
using MeshMessenger.Anchoring.Ethereum;
using MeshMessenger.Anchoring.Proofs;
using MeshMessenger.Anchoring.Rpc;
using MeshMessenger.Cli.Terminal;
using Spectre.Console;

namespace MeshMessenger.Cli.Commands;

/// <summary><c>meshmsg verify FILE --rpc URL</c>: checks a proof bundle against any Ethereum node, with no need for the gateway.</summary>
public static class VerifyCommand
{
    public static Command Create()
    {
        var proof = new Argument<string>("entry-or-file") { Description = "A proof bundle file (JSON), or an entry as AUTHOR:SEQUENCE (8 hex digits, a number) to fetch from --gateway." };
        var rpc = new Option<string>("--rpc") { Description = "Any Ethereum JSON-RPC endpoint on the chain the gateway anchors to.", Required = true };
        var gateway = new Option<string>("--gateway") { Description = "Gateway to fetch an entry's proof from.", DefaultValueFactory = _ => "http://localhost:8080" };
        var save = new Option<FileInfo?>("--save") { Description = "Also write the fetched proof bundle to this file." };
        var json = new Option<bool>("--json") { Description = "Print the checks as JSON." };
        var anchorer = new Option<string?>("--anchorer") { Description = "The gateway's anchoring address (from its signed profile, /api/anchoring or /health): the anchor must be sent by it." };
        var command = new Command(
            "verify",
            "Check that a message's chain checkpoint was anchored on Ethereum: its Merkle path to the root, the transaction carrying the root, " +
            "and that transaction's block on the node you name. Exit code 0 if every check holds.\n\n" +
            "Examples:\n  meshmsg verify proof-0c80b9c4-17.json --rpc https://ethereum-rpc.example.org\n" +
            "  meshmsg verify 0c80b9c4:17 --gateway http://gateway.local:8080 --rpc http://127.0.0.1:8545 --save proof.json")
        {
            proof, rpc, gateway, save, json, anchorer,
        };
        command.Subcommands.Add(VerifyTipCommand.Create());
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(proof)!, parse.GetValue(rpc)!, AnsiConsole.Console, parse.GetValue(gateway)!, parse.GetValue(save), ct, parse.GetValue(json), parse.GetValue(anchorer)));
        return command;
    }

    public static async Task<int> RunAsync(string entryOrFile, string rpc, IAnsiConsole console, string gateway = "http://localhost:8080", FileInfo? save = null, CancellationToken ct = default, bool printJson = false, string? anchorer = null)
    {
        if (!Uri.TryCreate(rpc, UriKind.Absolute, out Uri? endpoint) || endpoint.Scheme is not ("http" or "https"))
        {
            console.MarkupLineInterpolated($"[red]error:[/] --rpc must be an http(s) URL, got '{rpc}'");
            return 2;
        }

        EthereumAddress? expectedSender = null;
        if (anchorer is not null && !EthereumAddress.TryParse(anchorer, out expectedSender, out string? addressError))
        {
            console.MarkupLineInterpolated($"[red]error:[/] --anchorer: {addressError}");
            return 2;
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        string? json;
        (uint Author, uint Sequence)? asked = null;
        if (File.Exists(entryOrFile))
        {
            json = new FileInfo(entryOrFile).Length < (1 << 20) ? await File.ReadAllTextAsync(entryOrFile, ct) : null;
        }
        else if (System.Text.RegularExpressions.Regex.IsMatch(entryOrFile, "^[0-9a-fA-F]{8}:[0-9]{1,10}$"))
        {
            string[] parts = entryOrFile.Split(':');
            if (!uint.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out uint sequence))
            {
                console.MarkupLineInterpolated($"[red]error:[/] sequence {parts[1]} is above 4294967295");
                return 2;
            }

            asked = (Convert.ToUInt32(parts[0], 16), sequence);
            HttpResponseMessage response;
            try
            {
                response = await http.GetAsync($"{gateway.TrimEnd('/')}/api/proofs/{parts[0]}/{parts[1]}", ct);
            }
            catch (HttpRequestException e)
            {
                console.MarkupLineInterpolated($"[red]error:[/] cannot reach the gateway at {gateway}: {e.Message}");
                return 1;
            }

            json = response.IsSuccessStatusCode ? await response.Content.ReadAsStringAsync(ct) : null;
            if (json is null)
            {
                console.MarkupLineInterpolated($"[red]error:[/] the gateway has no anchored proof for {entryOrFile} yet (HTTP {(int)response.StatusCode})");
                return 1;
            }

            if (save is not null)
            {
                await File.WriteAllTextAsync(save.FullName, json, ct);
                console.MarkupLineInterpolated($"proof bundle saved to [bold]{save.FullName}[/]");
            }
        }
        else
        {
            console.MarkupLineInterpolated($"[red]error:[/] '{entryOrFile}' is neither a file nor an entry written AUTHOR:SEQUENCE");
            return 1;
        }

        ProofBundle? bundle = json is null ? null : ProofBundle.FromJson(json);
        if (bundle is null || bundle.Path is null || bundle.Leaf is null || bundle.RawTransaction is null || bundle.TransactionHash is null || bundle.BlockHash is null || bundle.Root is null)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {entryOrFile} is not a proof bundle");
            return 1;
        }

        var checks = await ProofVerifier.VerifyAsync(bundle, new EthereumRpcClient(http, endpoint), expectedSender, ct);
        if (asked is { } entry)
        {
            // The gateway chose the bundle: it proves what was asked only if its leaf is that author's checkpoint at or after the entry.
            checks.Insert(0, ProofVerifier.CoversCheck(bundle, entry.Author, entry.Sequence));
        }
        if (printJson)
        {
            RawOutput.Line(console, System.Text.Json.JsonSerializer.Serialize(new { holds = checks.All(c => c.Passed), transaction = bundle.TransactionHash, block = bundle.BlockNumber, checks = checks.Select(c => new { passed = c.Passed, statement = c.Statement }) }));
            return checks.All(c => c.Passed) ? 0 : 1;
        }

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
