using System.CommandLine;
using System.Text;
using MeshMessenger.Cli.Demo;
using Spectre.Console;

namespace MeshMessenger.Cli.Commands;

/// <summary>
/// <c>meshmsg demo</c>: Alice and Bob create identities, Alice seals and signs a message to Bob, Bob verifies and
/// opens it, and the demo shows that a tampered envelope and a third party are both turned away.
/// </summary>
public static class DemoCommand
{
    public const string DefaultText =
        "Meet at the old water tower at dusk. Bring the spare antenna and the solar panel; the valley relay is down.";

    public static Command Create()
    {
        var text = new Option<string>("--text")
        {
            Description = "The message Alice sends to Bob.",
            DefaultValueFactory = _ => DefaultText,
        };
        var command = new Command("demo", "Two identities exchange a signed, end-to-end sealed message.\n\nExample:\n  meshmsg demo --text \"hello from the valley\"");
        command.Options.Add(text);
        command.SetAction(parse => Run(parse.GetValue(text) ?? DefaultText, AnsiConsole.Console));
        return command;
    }

    /// <summary>Runs the exchange; returns 0 when every check holds, 1 otherwise.</summary>
    public static int Run(string text, IAnsiConsole console)
    {
        var alice = DemoIdentity.Create("alice");
        var bob = DemoIdentity.Create("bob");
        var mallory = DemoIdentity.Create("mallory");

        var identities = new Table().AddColumns("name", "node id", "Ed25519 public key", "X25519 public key");
        foreach (DemoIdentity id in new[] { alice, bob })
        {
            identities.AddRow(id.Name, id.NodeIdHex, Convert.ToHexStringLower(id.SigningPublicKey), Convert.ToHexStringLower(id.AgreementPublicKey));
        }

        console.Write(identities);

        byte[] plaintext = Encoding.UTF8.GetBytes(text);
        byte[] envelope = DemoEnvelope.Seal(alice, bob.AgreementPublicKey, plaintext);
        console.MarkupLineInterpolated($"Alice seals {plaintext.Length} bytes of text to Bob: envelope of [bold]{envelope.Length}[/] bytes ({DemoEnvelope.Overhead} bytes of header, nonce, tag and signature).");
        console.MarkupLineInterpolated($"[grey]{Convert.ToHexStringLower(envelope)}[/]");

        var checks = new List<(string Check, bool Held)>();

        DemoOpenResult opened = DemoEnvelope.Open(bob, alice.SigningPublicKey, alice.AgreementPublicKey, envelope);
        bool roundTrip = opened.Status == DemoOpenStatus.Opened && opened.Plaintext is not null && opened.Plaintext.AsSpan().SequenceEqual(plaintext);
        checks.Add(("Bob verifies Alice's signature and opens the text", roundTrip));
        if (roundTrip)
        {
            console.MarkupLineInterpolated($"Bob reads: [green]{Encoding.UTF8.GetString(opened.Plaintext!)}[/]");
        }

        byte[] tampered = (byte[])envelope.Clone();
        tampered[DemoEnvelope.HeaderSize] ^= 0x01;
        checks.Add(("A relay flips one ciphertext bit: rejected (bad signature)", DemoEnvelope.Open(bob, alice.SigningPublicKey, alice.AgreementPublicKey, tampered).Status == DemoOpenStatus.BadSignature));

        checks.Add(("Mallory holds the envelope but cannot open it", DemoEnvelope.Open(mallory, alice.SigningPublicKey, alice.AgreementPublicKey, envelope).Status == DemoOpenStatus.CannotDecrypt));

        checks.Add(("Mallory's signature over Alice's envelope is refused", DemoEnvelope.Open(bob, mallory.SigningPublicKey, alice.AgreementPublicKey, envelope).Status == DemoOpenStatus.BadSignature));

        var results = new Table().AddColumns("check", "result");
        foreach ((string check, bool held) in checks)
        {
            results.AddRow(Markup.Escape(check), held ? "[green]held[/]" : "[red]FAILED[/]");
        }

        console.Write(results);
        return checks.TrueForAll(c => c.Held) ? 0 : 1;
    }
}
