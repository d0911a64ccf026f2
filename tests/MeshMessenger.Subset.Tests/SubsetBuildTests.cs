using System.Diagnostics;

namespace MeshMessenger.Subset.Tests;

/// <summary>
/// Builds a small subset project for real, inside the repository so that Directory.Build.props and .targets
/// apply, and checks that the build fails on both a banned API (RS0030) and a banned language feature (MMS001).
/// This is what proves the rules are enforced on every build, not only in these tests.
/// </summary>
public sealed class SubsetBuildTests
{
    [Fact]
    public async Task A_subset_project_that_breaks_the_rules_does_not_build()
    {
        string probe = Path.Combine(RepoPaths.Root, "artifacts", "subset-probe-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(probe);
        try
        {
            string fixtures = Path.Combine(RepoPaths.Fixtures, "BuildProbe");
            File.Copy(Path.Combine(fixtures, "BuildProbe.csproj.txt"), Path.Combine(probe, "BuildProbe.csproj"));
            File.Copy(Path.Combine(fixtures, "Probe.cs.txt"), Path.Combine(probe, "Probe.cs"));

            var start = new ProcessStartInfo("dotnet", ["build", Path.Combine(probe, "BuildProbe.csproj"), "-nologo", "-v", "quiet", "-p:UseSharedCompilation=false"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = probe,
            };
            using Process process = Process.Start(start)!;
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
            await process.WaitForExitAsync(timeout.Token);
            string output = await stdout + await stderr;

            Assert.NotEqual(0, process.ExitCode);
            Assert.Contains("RS0030", output);
            Assert.Contains("MMS001", output);
        }
        finally
        {
            Directory.Delete(probe, recursive: true);
        }
    }
}
