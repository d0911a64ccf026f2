using MeshMessenger.Cli.Commands;
using MeshMessenger.Protocol;
using MeshMessenger.Protocol.Identity;

namespace MeshMessenger.Cli.Tests;

public sealed class ContactTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("meshmsg-contact-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Contact_show_prints_a_verifiable_card_and_a_QR_code()
    {
        string path = Path.Combine(_dir, "id.json");
        KeygenCommand.Run("Amina", path, false, null, false, new RecordingConsole().Console);
        var console = new RecordingConsole();

        Assert.Equal(0, ContactCommand.Show(path, json: false, noQr: false, invert: false, console.Console));

        string cardLine = console.Text.Split('\n').Single(l => l.StartsWith("MM1:", StringComparison.Ordinal)).Trim();
        Assert.Equal(ProtocolError.None, ContactCard.TryParse(cardLine, out ContactCard? card));
        Assert.Equal("Amina", card!.Profile.Name);
        string[] qrLines = console.Text.Split('\n').Where(l => l.Contains('█') || l.Contains('▀') || l.Contains('▄')).ToArray();
        Assert.True(qrLines.Length >= 20, $"expected a QR code, got {qrLines.Length} block lines");
        Assert.All(qrLines, l => Assert.Equal(qrLines[0].TrimEnd().Length, l.TrimEnd().Length));
    }

    [Fact]
    public void Contact_parse_accepts_a_card_and_refuses_a_tampered_one()
    {
        string text = ContactCard.Create(NodeIdentity.FromRootSecret(new byte[32]), "Bo", null).ToText();
        var ok = new RecordingConsole();
        Assert.Equal(0, ContactCommand.Parse(text, json: false, ok.Console));
        Assert.Contains("valid", ok.Text);

        char[] chars = text.ToCharArray();
        chars[40] = chars[40] == 'A' ? 'B' : 'A';
        var bad = new RecordingConsole();
        Assert.Equal(1, ContactCommand.Parse(new string(chars), json: false, bad.Console));
        Assert.Contains("not a valid contact card", bad.Text);
    }

    [Fact]
    public void Contact_show_without_an_identity_file_says_how_to_make_one()
    {
        var console = new RecordingConsole();
        Assert.Equal(1, ContactCommand.Show(Path.Combine(_dir, "missing.json"), false, false, false, console.Console));
        Assert.Contains("meshmsg keygen", console.Text);
    }
}
