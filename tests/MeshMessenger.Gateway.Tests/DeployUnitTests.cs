namespace MeshMessenger.Gateway.Tests;

/// <summary>The systemd unit gives the service user every device group the gateway opens, and the install notes match it.</summary>
public sealed class DeployUnitTests
{
    [Fact]
    public void The_unit_and_the_install_notes_grant_spi_gpio_i2c_and_the_serial_port()
    {
        string root = RepoRoot();
        string unit = File.ReadAllText(Path.Combine(root, "gateway", "deploy", "meshmsg-gateway.service"));
        string groups = unit.Split('\n').Single(l => l.StartsWith("SupplementaryGroups=", StringComparison.Ordinal));
        string[] granted = groups["SupplementaryGroups=".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);

        // /dev/spidev* (radio), /dev/gpiochip* (radio lines, button), /dev/i2c-* (display), /dev/serial0 (GNSS receiver).
        string[] needed = ["spi", "gpio", "i2c", "dialout"];
        Assert.Empty(needed.Except(granted));
        Assert.Contains("usermod -aG " + string.Join(',', needed) + " meshmsg", File.ReadAllText(Path.Combine(root, "docs", "gateway.md")), StringComparison.Ordinal);
    }

    private static string RepoRoot()
    {
        DirectoryInfo? dir = new(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MeshMessenger.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("MeshMessenger.sln not found above " + AppContext.BaseDirectory);
    }
}
