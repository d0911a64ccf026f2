using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using MeshMessenger.Gateway.Ingest;
using MeshMessenger.Gateway.Storage;
using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Frames;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Node;
using MeshMessenger.Protocol.Platform;
using Microsoft.Data.Sqlite;
using MQTTnet;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace MeshMessenger.Gateway.Benchmarks;

/// <summary>
/// <c>meshmsg-gateway bench</c>: frames verified and stored per second, MQTT publish rate through the
/// embedded broker, and memory per 1,000 known nodes. Prints the figures and writes JSON under results/.
/// </summary>
public static class GatewayBenchmark
{
    /// <summary>Runs every measurement.</summary>
    public static async Task<int> RunAsync(string jsonPath, int nodes, int postsPerNode)
    {
        Console.WriteLine($"generating {nodes} nodes with {postsPerNode} posts each (signed with the managed Ed25519)...");
        List<byte[]> frames = Generate(nodes, postsPerNode);
        string dir = Directory.CreateTempSubdirectory("gw-bench-").FullName;
        try
        {
            var memory = await MemoryPerThousandNodesAsync(Path.Combine(dir, "memory.db"), frames, nodes);
            var ingest = await IngestAsync(Path.Combine(dir, "ingest.db"), frames);
            var mqtt = await MqttPublishAsync(20_000);
            var report = new
            {
                startedAt = DateTimeOffset.UtcNow,
                machine = Environment.MachineName,
                processorCount = Environment.ProcessorCount,
                runtime = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
                frames = frames.Count,
                ingest,
                mqtt,
                memory,
            };
            Console.WriteLine($"verified and stored: {ingest.FramesPerSecond:N0} frames/s ({ingest.Frames:N0} frames from {nodes:N0} known nodes in {ingest.Seconds:F2} s, {Environment.ProcessorCount} cores)");
            Console.WriteLine($"MQTT publish, QoS 1, embedded broker: {mqtt.QoS1PerSecond:N0} messages/s; QoS 0: {mqtt.QoS0PerSecond:N0} messages/s");
            Console.WriteLine($"memory per 1,000 known nodes: {memory.ManagedKbPer1000Nodes:N0} KB managed, {memory.DatabaseKbPer1000Nodes:N0} KB of database (genesis entries, chains, contacts)");
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(jsonPath))!);
            File.WriteAllText(jsonPath, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
            Console.WriteLine($"figures written to {Path.GetFullPath(jsonPath)}");
            return 0;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    private static List<byte[]> Generate(int nodes, int postsPerNode)
    {
        var frames = new List<byte[]>(nodes * (postsPerNode + 1));
        var clock = new BenchClock();
        for (int n = 0; n < nodes; n++)
        {
            var root = new byte[32];
            BitConverter.GetBytes(n + 1).CopyTo(root, 0);
            var node = new MessengerNode(NodeIdentity.FromRootSecret(root), $"node{n}", new MemoryEntryStore(), clock, FrameLimits.Ip, restoring: false);
            frames.AddRange(node.TakeOutbox());
            for (int p = 0; p < postsPerNode; p++)
            {
                node.PostPublic($"post {p} from node {n}: a typical short message of about sixty bytes");
            }

            frames.AddRange(node.TakeOutbox());
        }

        return frames;
    }

    private static async Task<IngestFigures> IngestAsync(string path, List<byte[]> frames)
    {
        var counters = new GatewayCounters();
        await using var ingest = new FrameIngest(new GatewayDatabase(path), counters, new LinkBudgets(0, 0), new NSecVerifier(), e => "bench/e");

        // Steady state: the nodes are known (their genesis entries arrived earlier), then their traffic is timed.
        List<byte[]> genesis = frames.Where(IsGenesis).ToList();
        List<byte[]> traffic = frames.Where(f => !IsGenesis(f)).ToList();
        await Produce(ingest, genesis, 0, genesis.Count);
        var watch = Stopwatch.StartNew();

        // Two producers, as a radio and a UDP link would be, each in frame order per author.
        int half = traffic.Count / 2;
        await Task.WhenAll(Task.Run(() => Produce(ingest, traffic, 0, half)), Task.Run(() => Produce(ingest, traffic, half, traffic.Count)));
        watch.Stop();
        long stored = counters.Get("stored");
        if (stored != frames.Count)
        {
            throw new InvalidOperationException($"only {stored} of {frames.Count} frames were stored");
        }

        return new IngestFigures(traffic.Count / watch.Elapsed.TotalSeconds, watch.Elapsed.TotalSeconds, traffic.Count);
    }

    private static bool IsGenesis(byte[] frame) =>
        FrameCodec.TryDecode(frame, 0, frame.Length, FrameLimits.Ip, out Frame? f) == Protocol.ProtocolError.None
        && EntryCodec.TryDecode(f!.Payload, 0, f.Payload.Length, out Entry? e) == Protocol.ProtocolError.None
        && e!.Sequence == 0;

    private static async Task Produce(FrameIngest ingest, List<byte[]> frames, int from, int to)
    {
        // Each author's frames lie together; keep a window of outstanding frames in order.
        var pending = new Queue<Task<IngestOutcome>>();
        for (int i = from; i < to; i++)
        {
            pending.Enqueue(ingest.IngestAsync(frames[i], IngestSource.Udp));
            if (pending.Count >= 256)
            {
                await pending.Dequeue();
            }
        }

        while (pending.Count > 0)
        {
            await pending.Dequeue();
        }
    }

    private static async Task<MemoryFigures> MemoryPerThousandNodesAsync(string path, List<byte[]> frames, int nodes)
    {
        List<byte[]> genesis = frames.Where(IsGenesis).ToList();

        long before = GC.GetTotalMemory(forceFullCollection: true);
        var database = new GatewayDatabase(path);
        var counters = new GatewayCounters();
        await using var ingest = new FrameIngest(database, counters, new LinkBudgets(60, 60), new NSecVerifier(), _ => null);
        foreach (byte[] frame in genesis)
        {
            await ingest.IngestAsync(frame, IngestSource.Udp);
        }

        long after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(ingest);
        long databaseBytes = new FileInfo(path).Length + (File.Exists(path + "-wal") ? new FileInfo(path + "-wal").Length : 0);
        return new MemoryFigures((after - before) / 1024.0 / nodes * 1000, databaseBytes / 1024.0 / nodes * 1000);
    }

    private static async Task<MqttFigures> MqttPublishAsync(int messages)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using MqttServer server = new MqttServerFactory().CreateMqttServer(new MqttServerOptionsBuilder().WithDefaultEndpoint().WithDefaultEndpointPort(port).Build());
        await server.StartAsync();
        using IMqttClient client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId("bench").Build());
        byte[] payload = new byte[156];
        double Rate(MqttQualityOfServiceLevel qos)
        {
            MqttApplicationMessage message = new MqttApplicationMessageBuilder().WithTopic("mm/1/EU_868/e/00000001").WithPayload(payload).WithQualityOfServiceLevel(qos).Build();
            var watch = Stopwatch.StartNew();
            var inFlight = new List<Task>(64);
            for (int i = 0; i < messages; i++)
            {
                inFlight.Add(client.PublishAsync(message));
                if (inFlight.Count == 64)
                {
                    Task.WaitAll(inFlight);
                    inFlight.Clear();
                }
            }

            Task.WaitAll(inFlight);
            return messages / watch.Elapsed.TotalSeconds;
        }

        var figures = new MqttFigures(Rate(MqttQualityOfServiceLevel.AtLeastOnce), Rate(MqttQualityOfServiceLevel.AtMostOnce), messages);
        await client.DisconnectAsync();
        await server.StopAsync();
        return figures;
    }

    /// <summary>Ingest throughput.</summary>
    public sealed record IngestFigures(double FramesPerSecond, double Seconds, int Frames);

    /// <summary>MQTT publish rates.</summary>
    public sealed record MqttFigures(double QoS1PerSecond, double QoS0PerSecond, int Messages);

    /// <summary>Memory per 1,000 nodes.</summary>
    public sealed record MemoryFigures(double ManagedKbPer1000Nodes, double DatabaseKbPer1000Nodes);

    private sealed class BenchClock : IClock
    {
        public long MonotonicMilliseconds => Environment.TickCount64;

        public uint EntrySeconds => 1000;
    }
}
