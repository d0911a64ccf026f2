using MeshMessenger.Gateway;
using MeshMessenger.Gateway.Configuration;

// meshmsg-gateway: the Raspberry Pi gateway service. Exit codes: 0 stopped cleanly, 1 a benchmark or load test
// failed, the data folder is in use by another process or a port cannot be bound (systemd retries: the other may be
// on its way out), 2 bad configuration. `meshmsg-gateway bench [JSON] [NODES] [POSTS]` runs the benchmarks instead;
// `meshmsg-gateway loadtest [SECONDS] [JSON]` the burst of API sends and hostile UDP (exit 1 if a 2xx was not kept).
if (args.Length > 0 && args[0] == "loadtest")
{
    return await MeshMessenger.Gateway.Benchmarks.AttackLoadTest.RunAsync(
        args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 60,
        args.Length > 2 ? args[2] : "results/loadtest-gateway.json");
}

if (args.Length > 0 && args[0] == "bench")
{
    return await MeshMessenger.Gateway.Benchmarks.GatewayBenchmark.RunAsync(
        args.Length > 1 ? args[1] : "results/bench-gateway.json",
        args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 1000,
        args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 39);
}

WebApplication app;
try
{
    app = GatewayHost.Build(args);
}
catch (ConfigurationException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}
catch (MeshMessenger.Gateway.Storage.DataDirectoryInUseException e)
{
    Console.Error.WriteLine("error: " + e.Message);
    return 1;
}

try
{
    await app.StartAsync();
}
catch (IOException e)
{
    // A port that cannot be bound (HTTP or UDP), with its cause; systemd retries, as for a data folder in use.
    Console.Error.WriteLine("error: " + e.Message);
    await app.DisposeAsync();
    return 1;
}

// The bound addresses, with the system's pick for port 0 (`--Urls=http://127.0.0.1:0`): how a process that started the
// gateway on any port learns where it listens (also `urls` in /health).
app.Logger.LogInformation("HTTP listening on {Urls}", string.Join(' ', app.Services.GetRequiredService<GatewayStatus>().Urls()));
await app.WaitForShutdownAsync();
await app.DisposeAsync();
return 0;
