using System.CommandLine;
using System.Text.Json;
using MeshMessenger.Cli.Host;
using MeshMessenger.Cli.Terminal;
using MeshMessenger.Protocol;
using MeshMessenger.Protocol.Identity;
using Spectre.Console;

namespace MeshMessenger.Cli.Commands;

/// <summary><c>meshmsg contact show</c> and <c>meshmsg contact parse</c>: contact cards as text and QR codes.</summary>
public static class ContactCommand
{
    public static Command Create()
    {
        var identity = new Option<string>("--identity") { Description = "Identity file.", DefaultValueFactory = _ => IdentityFile.DefaultPath };
        var json = new Option<bool>("--json") { Description = "Print as JSON." };
        var noQr = new Option<bool>("--no-qr") { Description = "Do not draw the QR code." };
        var invert = new Option<bool>("--invert") { Description = "Draw the QR code for a light terminal background." };
        var show = new Command("show", "Show your contact card as text and as a QR code.\n\nExamples:\n  meshmsg contact show\n  meshmsg contact show --identity alice.json --json")
        {
            identity, json, noQr, invert,
        };
        show.SetAction(parse => Show(parse.GetValue(identity)!, parse.GetValue(json), parse.GetValue(noQr), parse.GetValue(invert), AnsiConsole.Console));

        var text = new Argument<string>("card") { Description = "A contact card text (MM1:...)." };
        var parseJson = new Option<bool>("--json") { Description = "Print as JSON." };
        var parseCommand = new Command("parse", "Verify a contact card and show what it says.\n\nExample:\n  meshmsg contact parse MM1:AGA3PY...")
        {
            text, parseJson,
        };
        parseCommand.SetAction(parse => Parse(parse.GetValue(text)!, parse.GetValue(parseJson), AnsiConsole.Console));

        return new Command("contact", "Contact cards: the signed, QR-friendly way to add someone.") { show, parseCommand };
    }

    /// <summary>Prints the card of the identity in <paramref name="path"/>.</summary>
    public static int Show(string path, bool json, bool noQr, bool invert, IAnsiConsole console)
    {
        IdentityFile file;
        NodeIdentity identity;
        try
        {
            (file, identity) = IdentityFile.Load(path);
        }
        catch (IdentityFileException e)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
            return 1;
        }

        string card = ContactCard.Create(identity, file.Name, null).ToText();
        if (json)
        {
            RawOutput.Line(console, JsonSerializer.Serialize(new { nodeId = file.NodeId, name = file.Name, contactCard = card }));
            return 0;
        }

        console.MarkupLineInterpolated($"[bold]{file.Name}[/] {file.NodeId}");
        RawOutput.Line(console, card);
        if (!noQr)
        {
            RawOutput.Line(console, TerminalQrRenderer.Render(card, invert));
        }

        return 0;
    }

    /// <summary>Verifies a card and prints its fields; 1 if it does not verify.</summary>
    public static int Parse(string text, bool json, IAnsiConsole console)
    {
        ProtocolError error = ContactCard.TryParse(text, out ContactCard? card);
        if (error != ProtocolError.None)
        {
            console.MarkupLineInterpolated($"[red]error:[/] not a valid contact card ({error})");
            return 1;
        }

        Protocol.Identity.Profile p = card!.Profile;
        string? wallet = p.Wallet is null ? null : "0x" + Convert.ToHexStringLower(p.Wallet);
        if (json)
        {
            RawOutput.Line(console, JsonSerializer.Serialize(new { nodeId = NodeId.ToText(p.NodeId), name = p.Name, signingKey = Convert.ToHexStringLower(p.SigningKey), agreementKey = Convert.ToHexStringLower(p.AgreementKey), wallet }));
            return 0;
        }

        var table = new Table().AddColumns("field", "value");
        table.AddRow("node id", NodeId.ToText(p.NodeId));
        table.AddRow("name", Markup.Escape(p.Name));
        table.AddRow("signing key (Ed25519)", Convert.ToHexStringLower(p.SigningKey));
        table.AddRow("agreement key (X25519)", Convert.ToHexStringLower(p.AgreementKey));
        table.AddRow("wallet", wallet ?? "-");
        table.AddRow("signature", "[green]valid[/]");
        console.Write(table);
        return 0;
    }
}
