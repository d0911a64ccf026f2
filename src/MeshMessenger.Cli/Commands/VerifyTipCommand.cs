using System.CommandLine;
using MeshMessenger.Anchoring.Rpc;
using MeshMessenger.Cli.Terminal;
using MeshMessenger.Protocol;
using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Payments;
using MeshMessenger.Protocol.Wire;
using MeshMessenger.Wallet;
using MeshMessenger.Wallet.Chains;
using MeshMessenger.Wallet.Evm;
using MeshMessenger.Wallet.Tips;
using MeshMessenger.Wallet.Utxo;
using Spectre.Console;
using Profile = MeshMessenger.Protocol.Identity.Profile;

namespace MeshMessenger.Cli.Commands;

/// <summary>
/// <c>meshmsg verify tip</c>: checks a signed tip entry (its signature under the tipper's profile, then the payment on
/// its chain through <see cref="TipVerifier"/> against the post author's profile). Exit 0 only when confirmed.
/// </summary>
public static class VerifyTipCommand
{
    public static Command Create()
    {
        var entry = new Option<string>("--entry") { Description = "The signed tip entry, hex or base64.", Required = true };
        var profile = new Option<string>("--profile") { Description = "The tipped post author's signed profile entry (hex or base64): the recipient must be one of its addresses.", Required = true };
        var tipper = new Option<string>("--tipper-profile") { Description = "The tipper's signed profile entry (hex or base64): its key checks the tip entry's signature.", Required = true };
        var rpc = new Option<string>("--rpc") { Description = "A JSON-RPC node of the tip's chain (Bitcoin-family: http://user:password@host:port).", Required = true };
        var chain = new Option<string?>("--chain") { Description = "Expect the tip on this chain (eip155:<id>, bitcoin, litecoin, …)." };
        var command = new Command(
            "tip",
            "Check a tip: the entry's signature, then that the chain shows the payment it names to an address in the post author's profile. " +
            "Exit code 0 only when the payment is confirmed.\n\nExample:\n  meshmsg verify tip --entry 0b01… --profile 0600… --tipper-profile 0600… --rpc http://127.0.0.1:8545")
        {
            entry, profile, tipper, rpc, chain,
        };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(entry)!, parse.GetValue(profile)!, parse.GetValue(tipper)!, parse.GetValue(rpc)!, parse.GetValue(chain), AnsiConsole.Console, ct));
        return command;
    }

    public static async Task<int> RunAsync(string entryText, string profileText, string tipperText, string rpc, string? chainText, IAnsiConsole console, CancellationToken ct = default)
    {
        try
        {
            Profile author = SignedProfile(profileText, "--profile");
            Profile tipper = SignedProfile(tipperText, "--tipper-profile");
            Entry tipEntry = Decode(entryText, "--entry");
            if (tipEntry.Kind != EntryKind.Tip)
            {
                return WalletCommand.Fail(console, $"--entry is a {tipEntry.Kind} entry, not a tip");
            }

            if (tipEntry.Author != tipper.NodeId || !EntryHash.Verify(tipEntry, tipper.SigningKey, EntryHash.Of(tipEntry, tipper.SigningKey)))
            {
                return WalletCommand.Fail(console, $"the tip entry's signature does not verify under {NodeId.ToText(tipper.NodeId)}'s key");
            }

            if (TipBody.TryDecode(tipEntry.CopyBody(), out TipBody? tip) is var error && error != ProtocolError.None)
            {
                return WalletCommand.Fail(console, $"the tip entry's body is malformed ({error})");
            }

            ChainTag chain = tip!.Recipient.Chain;
            if (chainText is not null && !WalletCommand.Chain(chainText).Equals(chain))
            {
                return WalletCommand.Fail(console, $"the tip pays on {chain.ToText()}, not {chainText}");
            }

            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
            IChainBackend backend = chain.Family == ChainFamily.Evm
                ? new EvmChainBackend(chain, new EthereumRpcClient(http, WalletCommand.Url(rpc)))
                : WalletCommand.Utxo(rpc, (UtxoNetwork)chain.Reference);
            RawOutput.Line(console, $"signature  ok ({NodeId.ToText(tipper.NodeId)}, entry {tipEntry.Sequence})");
            RawOutput.Line(console, $"tip        post {NodeId.ToText(tip.PostAuthor)}:{tip.PostSequence} on {chain.ToText()}, tx {Convert.ToHexStringLower(tip.TxId)}");
            TipVerdict verdict = await new TipVerifier(backend).VerifyAsync(tip, author, null, ct);
            RawOutput.Line(console, $"payment    {verdict.Outcome.ToString().ToLowerInvariant()}{(verdict.Refusal == TipRefusal.None ? string.Empty : $" ({verdict.Refusal})")}: {verdict.Message}");
            return verdict.IsConfirmed ? 0 : 1;
        }
        catch (Exception e) when (e is WalletException or HttpRequestException or FormatException)
        {
            return WalletCommand.Fail(console, e.Message);
        }
    }

    private static Profile SignedProfile(string text, string option)
    {
        Entry entry = Decode(text, option);
        Profile? profile = null;
        var reader = new ByteReader(entry.Encoded, entry.BodyOffset, entry.BodyLength);
        if (entry.Kind != EntryKind.Profile || Profile.TryRead(reader, out profile) != ProtocolError.None || reader.Remaining != 0
            || profile!.NodeId != entry.Author || !EntryHash.Verify(entry, profile.SigningKey, EntryHash.Of(entry, profile.SigningKey)))
        {
            throw new FormatException($"{option} is not a profile entry signed by the key inside it");
        }

        return profile;
    }

    private static Entry Decode(string text, string option)
    {
        text = text.Trim();
        byte[] bytes;
        try
        {
            bytes = text.Length % 2 == 0 && text.All(Uri.IsHexDigit) ? Convert.FromHexString(text) : Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            throw new FormatException($"{option} is neither hex nor base64");
        }

        ProtocolError error = EntryCodec.TryDecode(bytes, 0, bytes.Length, out Entry? entry);
        return error == ProtocolError.None ? entry! : throw new FormatException($"{option} is not an entry ({error})");
    }
}
