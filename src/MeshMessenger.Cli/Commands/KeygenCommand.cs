using System.CommandLine;
using System.Text.Json;
using MeshMessenger.Cli.Host;
using MeshMessenger.Cli.Terminal;
using MeshMessenger.Protocol;
using MeshMessenger.Protocol.Identity;
using Spectre.Console;

namespace MeshMessenger.Cli.Commands;

/// <summary><c>meshmsg keygen</c>: make (or restore) an identity and write the identity file.</summary>
public static class KeygenCommand
{
    public static Command Create()
    {
        var name = new Option<string>("--name") { Description = "Display name on your contact card (at most 32 UTF-8 bytes).", DefaultValueFactory = _ => Environment.UserName };
        var output = new Option<string>("--out") { Description = "Identity file to write.", DefaultValueFactory = _ => IdentityFile.DefaultPath };
        var force = new Option<bool>("--force") { Description = "Replace an existing identity file." };
        var restore = new Option<string?>("--restore") { Description = "Restore from the 24-word recovery phrase (or an older backup code) instead of generating a new key." };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON." };
        var command = new Command(
            "keygen",
            "Create an identity (Ed25519 signing key, X25519 agreement key, node id) and write it to an identity file.\n\n" +
            "Examples:\n" +
            "  meshmsg keygen --name Amina\n" +
            "  meshmsg keygen --restore \"abandon ability ... (24 words)\" --out restored.json")
        {
            name, output, force, restore, json,
        };
        command.SetAction(parse => Run(parse.GetValue(name)!, parse.GetValue(output)!, parse.GetValue(force), parse.GetValue(restore), parse.GetValue(json), AnsiConsole.Console));
        return command;
    }

    /// <summary>Runs the command; 0 on success, 1 with a message on any failure.</summary>
    public static int Run(string name, string path, bool force, string? restoreCode, bool json, IAnsiConsole console)
    {
        NodeIdentity identity;
        if (restoreCode is null)
        {
            identity = NodeIdentity.Generate(new SystemRandomSource());
        }
        else
        {
            ProtocolError error = BackupCode.TryRestore(restoreCode, out NodeIdentity? restored);
            if (error != ProtocolError.None)
            {
                console.MarkupLineInterpolated($"[red]error:[/] the recovery phrase is not valid ({error}: {(error == ProtocolError.BadChecksum ? "a word or character is probably mistyped" : "24 words from the BIP-39 English list, or an older 55-character backup code")})");
                return 1;
            }

            identity = restored!;
        }

        IdentityFile file = IdentityFile.For(identity, name);
        try
        {
            file.Save(path, force);
        }
        catch (Exception e) when (e is IdentityFileException or IOException or UnauthorizedAccessException)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
            return 1;
        }

        string card = ContactCard.Create(identity, name, null).ToText();
        if (json)
        {
            RawOutput.Line(console, JsonSerializer.Serialize(new { nodeId = file.NodeId, name, identityFile = Path.GetFullPath(path), contactCard = card, restored = restoreCode is not null }));
            return 0;
        }

        console.MarkupLineInterpolated($"{(restoreCode is null ? "Created" : "Restored")} identity [bold]{file.NodeId}[/] ({name}) in {Path.GetFullPath(path)}");
        console.MarkupLine("Recovery phrase (write it down; it [bold]is[/] the key: keep it secret, it restores this identity and its wallet):");
        RawOutput.Line(console, "  " + file.BackupCode);
        RawOutput.Line(console, "Contact card: " + card);
        return 0;
    }
}
