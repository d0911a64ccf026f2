using System.Text.Json;
using MeshMessenger.Cli.Commands;
using MeshMessenger.Cli.Host;
using MeshMessenger.Protocol.Identity;

namespace MeshMessenger.Cli.Tests;

public sealed class KeygenTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("meshmsg-keygen-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Keygen_writes_a_private_identity_file_and_refuses_to_overwrite_it()
    {
        string path = Path.Combine(_dir, "id.json");
        var console = new RecordingConsole();
        Assert.Equal(0, KeygenCommand.Run("Amina", path, force: false, restoreCode: null, json: false, console.Console));
        Assert.Contains("Recovery phrase", console.Text);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        string before = File.ReadAllText(path);
        var again = new RecordingConsole();
        Assert.Equal(1, KeygenCommand.Run("Other", path, force: false, restoreCode: null, json: false, again.Console));
        Assert.Contains("already exists", again.Text);
        Assert.Equal(before, File.ReadAllText(path));
        Assert.Equal(0, KeygenCommand.Run("Other", path, force: true, restoreCode: null, json: false, new RecordingConsole().Console));
        Assert.NotEqual(before, File.ReadAllText(path));
    }

    [Fact]
    public void Restoring_the_backup_code_gives_back_the_same_node()
    {
        string first = Path.Combine(_dir, "a.json");
        var console = new RecordingConsole();
        Assert.Equal(0, KeygenCommand.Run("Amina", first, false, null, json: true, console.Console));
        var printed = JsonDocument.Parse(console.Text).RootElement;
        var (file, identity) = IdentityFile.Load(first);
        Assert.Equal(printed.GetProperty("nodeId").GetString(), NodeId.ToText(identity.Id));

        string second = Path.Combine(_dir, "b.json");
        Assert.Equal(0, KeygenCommand.Run("Amina", second, false, file.BackupCode, json: false, new RecordingConsole().Console));
        Assert.Equal(identity.SigningKey, IdentityFile.Load(second).Identity.SigningKey);

        Assert.Equal(24, file.BackupCode.Split(' ').Length);
        Assert.Equal(RecoveryPhrase.FromIdentity(identity).Text, file.BackupCode);

        // An older backup code of the same root still restores the same node.
        string older = Path.Combine(_dir, "older.json");
        Assert.Equal(0, KeygenCommand.Run("Amina", older, false, BackupCode.Create(identity), json: false, new RecordingConsole().Console));
        Assert.Equal(identity.SigningKey, IdentityFile.Load(older).Identity.SigningKey);

        // A word swapped for another listed word breaks the BIP-39 checksum (1 in 256 would pass; pick one that fails).
        var bad = new RecordingConsole();
        string[] words = file.BackupCode.Split(' ');
        string typo = "";
        for (int i = 0; i < 2048 && typo.Length == 0; i++)
        {
            words[23] = RecoveryPhrase.EnglishWord(i);
            string candidate = string.Join(' ', words);
            if (BackupCode.TryRestore(candidate, out _) == MeshMessenger.Protocol.ProtocolError.BadChecksum)
            {
                typo = candidate;
            }
        }

        Assert.Equal(1, KeygenCommand.Run("Amina", Path.Combine(_dir, "c.json"), false, typo, json: false, bad.Console));
        Assert.Contains("BadChecksum", bad.Text);
    }

    [Fact]
    public void A_corrupt_identity_file_is_reported_by_name()
    {
        string path = Path.Combine(_dir, "bad.json");
        File.WriteAllText(path, "{ not json");
        var ex = Assert.Throws<IdentityFileException>(() => IdentityFile.Load(path));
        Assert.Contains(path, ex.Message);
    }
}
