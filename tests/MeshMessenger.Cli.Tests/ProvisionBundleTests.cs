using MeshMessenger.Cli.Commands;
using MeshMessenger.Device.Provisioning;

namespace MeshMessenger.Cli.Tests;

/// <summary>`meshmsg provision bundle`'s restore flag (docs/firmware.md, "Restoring an identity"), without a device.</summary>
public sealed class ProvisionBundleTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("meshmsg-provision-bundle-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Provision_bundle_sets_the_restore_flag_only_with_restore(bool restore)
    {
        string identity = Path.Combine(_dir, "owner.json");
        string bundle = Path.Combine(_dir, "owner.mmb");
        Assert.Equal(0, KeygenCommand.Run("owner", identity, false, null, false, new RecordingConsole().Console));
        string[] args = ["provision", "bundle", "--identity", identity, "--region", "EU_868", "--out", bundle, "--json"];
        Assert.Equal(0, Program.BuildRoot().Parse(restore ? [.. args, "--restore"] : args).Invoke());

        byte[] frame = File.ReadAllBytes(bundle);
        ProvisioningBundle? read = ProvisionCommand.ReadBundle(frame, out string? problem);
        Assert.Null(problem);
        Assert.Equal(restore, read!.RestoreChain);
        // Without the flag the bundle is the bytes it always was: it ends with the gateway address, here empty.
        Assert.Equal(restore ? ProvisioningBundle.RestoreFlag : (byte)0, frame[^5]);
    }
}
