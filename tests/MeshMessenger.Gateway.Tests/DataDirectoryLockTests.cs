using System.Diagnostics;

namespace MeshMessenger.Gateway.Tests;

/// <summary>One gateway per data folder: a second one on the same folder is refused, and a SIGKILL of the first frees it.</summary>
public sealed class DataDirectoryLockTests : IDisposable
{
    private readonly TestFolder _folder = new("gw-lock-");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_second_gateway_on_the_same_data_folder_exits_1_naming_the_folder_and_the_first_ones_pid_and_starts_once_the_first_is_killed()
    {
        string data = Path.Combine(_folder.Path, "data");
        using var first = new GatewayProcess("first", data, FreePort.Tcp(), "off");
        first.StartDetached();
        int firstPid = int.Parse(File.ReadAllText(Path.Combine(data, "meshmsg.pid")).Trim(), System.Globalization.CultureInfo.InvariantCulture);

        (int code, string error) = RunSecond(data);
        Assert.Equal(1, code);
        Assert.Contains($"the data folder {data} is in use by process {firstPid}", error);

        // The kernel drops the lock with the process, however it ends: a SIGKILL leaves nothing that blocks a restart.
        first.Kill9();
        using var second = new GatewayProcess("second", data, FreePort.Tcp(), "off");
        second.StartDetached();
        Assert.Equal("ok", second.Health()!.Value.GetProperty("status").GetString());
    }

    private static (int Code, string Error) RunSecond(string data)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string a in new[] { Path.Combine(AppContext.BaseDirectory, "meshmsg-gateway.dll"), $"--Gateway:DataDirectory={data}", "--Urls=http://127.0.0.1:0", "--Gateway:Mqtt:Mode=off", "--Gateway:Udp:Port=0" })
        {
            info.ArgumentList.Add(a);
        }

        using Process process = Process.Start(info)!;
        string error = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(30_000))
        {
            process.Kill(entireProcessTree: true);
            return (-1, "did not stop: " + error);
        }

        return (process.ExitCode, error);
    }
}
