using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using MeshMessenger.Gateway.Links;
using MeshMessenger.Protocol.Frames;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;

namespace MeshMessenger.Gateway.Benchmarks;

/// <summary>
/// <c>meshmsg-gateway loadtest</c>: a gateway on loopback with a dozen hosted devices takes a burst of direct
/// messages through its web API while hostile UDP senders replay genuine entries, send forged copies (one byte
/// flipped) and garbage from many source ports. Afterwards every message the API answered 2xx must be in the
/// store and reach Delivered (the recipient's signed receipt). Prints the counts, writes JSON under results/,
/// and exits 1 if any promise was broken. Bounded: loopback only, fixed duration, a fixed number of sockets.
/// </summary>
public static class AttackLoadTest
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Runs the load for <paramref name="seconds"/> and checks every acknowledged message.</summary>
    /// <param name="seconds">How long the burst lasts.</param>
    /// <param name="jsonPath">Where the figures go.</param>
    /// <param name="deliverySeconds">How long to wait afterwards for receipts.</param>
    /// <param name="output">Where the counts and the reason for a failure go (the console if null).</param>
    public static async Task<int> RunAsync(double seconds, string jsonPath, double deliverySeconds = 120, TextWriter? output = null)
    {
        TextWriter log = output ?? Console.Out;
        string data = Directory.CreateTempSubdirectory("gw-loadtest-").FullName;

        // Both ports are the system's pick at bind time: a port probed free and bound later can be taken in between
        // by another process (test assemblies run in parallel).
        WebApplication app = GatewayHost.Build(
        [
            $"--Gateway:DataDirectory={data}",
            "--Gateway:Name=loadtest",
            "--Gateway:Emulate:Devices=12",
            "--Gateway:Emulate:MessagesPerMinute=12",
            "--Gateway:Udp:AnyPort=true",
            "--Gateway:Udp:Bind=127.0.0.1",
            "--Gateway:Mqtt:Mode=off",
            "--Urls=http://127.0.0.1:0",
            "--Logging:LogLevel:Default=Warning",
        ]);
        try
        {
            try
            {
                await app.StartAsync();
            }
            catch (IOException e)
            {
                await log.WriteLineAsync($"BROKEN: the gateway did not start: {e.Message}");
                return 1;
            }

            UdpLink udp = app.Services.GetRequiredService<UdpLink>(); // bound when the start returned
            string baseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            var gatewayUdp = new IPEndPoint(IPAddress.Loopback, udp.BoundPort);
            using var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(30) };
            string[] devices = [.. (await http.GetFromJsonAsync<JsonElement>("/api/devices")).EnumerateArray().Select(d => d.GetProperty("id").GetString()!)];

            // The hosted devices store their first entries (profiles) in the background after the start; until then
            // a send is refused honestly (409 keys not heard yet, 503 author unknown to the store). The burst measures
            // the gateway under attack, not its first second, so it starts once every device's profile is stored.
            var warmUp = Stopwatch.StartNew();
            while (!await EveryProfileStoredAsync(http, devices))
            {
                if (warmUp.Elapsed > TimeSpan.FromSeconds(60))
                {
                    await log.WriteLineAsync($"BROKEN: the {devices.Length} hosted devices' profiles were not all stored within 60 s of the start");
                    return 1;
                }

                await Task.Delay(100);
            }

            await log.WriteLineAsync($"gateway on {baseUrl} (UDP {udp.BoundPort}) with {devices.Length} hosted devices, their profiles stored {warmUp.Elapsed.TotalSeconds:0.0} s after the start; {seconds:0} s of API sends and hostile UDP");

            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
            var sends = new SendLog();
            var hostile = new HostileTraffic(Path.Combine(data, "gateway.db"), gatewayUdp);
            var clock = Stopwatch.StartNew();
            Task[] senders = [.. Enumerable.Range(0, 8).Select(i => SendLoopAsync(http, devices, new Random(i), sends, stop.Token))];
            Task attack = hostile.RunAsync(stop.Token);
            await Task.WhenAll([.. senders, attack]);
            double burstSeconds = clock.Elapsed.TotalSeconds;

            // Every acknowledged message: stored (now), then delivered (receipts take a moment).
            Dictionary<string, List<long>> stored = (await http.GetFromJsonAsync<Dictionary<string, List<long>>>("/api/entries"))!;
            int notStored = sends.Acknowledged.Count(a => !stored.TryGetValue(a.From, out List<long>? seqs) || !seqs.Contains(a.Seq));
            var deliveryClock = Stopwatch.StartNew();
            int undelivered = int.MaxValue;
            while (deliveryClock.Elapsed.TotalSeconds < deliverySeconds)
            {
                undelivered = await CountUndeliveredAsync(http, sends.Acknowledged);
                if (undelivered == 0)
                {
                    break;
                }

                await log.WriteLineAsync($"  waiting for receipts: {undelivered} acknowledged messages not delivered yet");
                await Task.Delay(2000);
            }

            var report = new
            {
                startedAt = DateTimeOffset.UtcNow,
                processorCount = Environment.ProcessorCount,
                seconds = Math.Round(burstSeconds, 1),
                api = new
                {
                    requests = sends.Requests,
                    acknowledged = sends.Acknowledged.Count,
                    refused429 = sends.Refused429,
                    refused503 = sends.Refused503,
                    otherAnswers = sends.Other,
                    acknowledgedNotStored = notStored,
                    acknowledgedNotDelivered = undelivered,
                    secondsToDeliverAll = undelivered == 0 ? Math.Round(deliveryClock.Elapsed.TotalSeconds, 1) : (double?)null,
                },
                hostileUdp = new
                {
                    sources = HostileTraffic.Sources,
                    datagrams = hostile.Datagrams,
                    bytesSent = hostile.BytesSent,
                    forged = hostile.Forged,
                    replayed = hostile.Replayed,
                    garbage = hostile.Garbage,
                    bytesTheGatewaySentBack = hostile.BytesReceived,
                },
            };
            await log.WriteLineAsync($"API: {sends.Requests:N0} sends, {sends.Acknowledged.Count:N0} answered 2xx, {sends.Refused429:N0} refused 429, {sends.Refused503:N0} refused 503, {sends.Other:N0} other");
            foreach (string refusal in sends.Refusals)
            {
                await log.WriteLineAsync($"  answered {refusal}");
            }
            await log.WriteLineAsync($"of the 2xx: {sends.Acknowledged.Count - notStored:N0} stored, {notStored:N0} missing; {(undelivered == int.MaxValue ? "?" : (sends.Acknowledged.Count - undelivered).ToString("N0", System.Globalization.CultureInfo.InvariantCulture))} delivered, {undelivered:N0} not delivered");
            await log.WriteLineAsync($"hostile UDP: {hostile.Datagrams:N0} datagrams ({hostile.BytesSent:N0} bytes) from {HostileTraffic.Sources} ports: {hostile.Forged:N0} forged, {hostile.Replayed:N0} replayed, {hostile.Garbage:N0} garbage; the gateway sent them {hostile.BytesReceived:N0} bytes");
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(jsonPath))!);
            await File.WriteAllTextAsync(jsonPath, JsonSerializer.Serialize(report, Indented));
            await log.WriteLineAsync($"figures written to {Path.GetFullPath(jsonPath)}");
            bool kept = sends.Acknowledged.Count > 0 && notStored == 0 && undelivered == 0 && sends.Other == 0 && hostile.BytesReceived <= hostile.BytesSent;
            await log.WriteLineAsync(kept ? "every 2xx kept its promise" : "BROKEN: some promise was not kept (see the counts above)");
            return kept ? 0 : 1;
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    private static async Task SendLoopAsync(HttpClient http, string[] devices, Random random, SendLog log, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            string from = devices[random.Next(devices.Length)];
            string to = devices[(Array.IndexOf(devices, from) + 1 + random.Next(devices.Length - 1)) % devices.Length];
            using HttpResponseMessage response = await http.PostAsJsonAsync($"/api/devices/{from}/chats/{to}", new { text = $"load {random.Next()}" }, CancellationToken.None);
            long seq = response.StatusCode == HttpStatusCode.OK ? (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("seq").GetInt64() : -1;
            string? reason = response.StatusCode is HttpStatusCode.OK or HttpStatusCode.TooManyRequests ? null : await response.Content.ReadAsStringAsync(CancellationToken.None);
            log.Add(response.StatusCode, from, to, seq, reason);
        }
    }

    private static async Task<bool> EveryProfileStoredAsync(HttpClient http, string[] devices)
    {
        Dictionary<string, List<long>> stored = (await http.GetFromJsonAsync<Dictionary<string, List<long>>>("/api/entries"))!;
        return devices.All(d => stored.TryGetValue(d, out List<long>? seqs) && seqs.Contains(0));
    }

    private static async Task<int> CountUndeliveredAsync(HttpClient http, IReadOnlyList<(string From, string To, long Seq)> acknowledged)
    {
        int undelivered = 0;
        foreach (var conversation in acknowledged.GroupBy(a => (a.From, a.To)))
        {
            JsonElement convo = await http.GetFromJsonAsync<JsonElement>($"/api/devices/{conversation.Key.From}/chats/{conversation.Key.To}");
            HashSet<long> delivered = [.. convo.GetProperty("messages").EnumerateArray()
                .Where(m => m.GetProperty("outgoing").GetBoolean() && m.GetProperty("state").GetString() is "delivered" or "read")
                .Select(m => m.GetProperty("seq").GetInt64())];
            undelivered += conversation.Count(a => !delivered.Contains(a.Seq));
        }

        return undelivered;
    }

    /// <summary>What the API answered.</summary>
    private sealed class SendLog
    {
        private readonly List<(string From, string To, long Seq)> _acknowledged = [];
        private readonly List<string> _refusals = [];

        public int Requests { get; private set; }

        public int Refused429 { get; private set; }

        public int Refused503 { get; private set; }

        public int Other { get; private set; }

        public IReadOnlyList<(string From, string To, long Seq)> Acknowledged
        {
            get
            {
                lock (_acknowledged)
                {
                    return [.. _acknowledged];
                }
            }
        }

        /// <summary>The first few answers other than 200 and 429, with their bodies: what a broken run was told.</summary>
        public IReadOnlyList<string> Refusals
        {
            get
            {
                lock (_acknowledged)
                {
                    return [.. _refusals];
                }
            }
        }

        public void Add(HttpStatusCode status, string from, string to, long seq, string? reason)
        {
            lock (_acknowledged)
            {
                Requests++;
                if (reason is not null && _refusals.Count < 5)
                {
                    _refusals.Add($"{(int)status} {reason[..Math.Min(reason.Length, 300)]}");
                }

                switch ((int)status)
                {
                    case 200:
                        _acknowledged.Add((from, to, seq));
                        break;
                    case 429:
                        Refused429++;
                        break;
                    case 503:
                        Refused503++;
                        break;
                    default:
                        Other++;
                        break;
                }
            }
        }
    }

    /// <summary>
    /// Hostile UDP senders on many loopback ports: replays of genuine entries (copied from the store, as anyone in
    /// radio or Wi-Fi range can copy them), forged copies with one byte flipped, and garbage. Each socket also
    /// counts what the gateway sends back, so amplification shows.
    /// </summary>
    private sealed class HostileTraffic(string databasePath, IPEndPoint gateway)
    {
        public const int Sources = 64;

        private long _bytesReceived;

        public long Datagrams { get; private set; }

        public long BytesSent { get; private set; }

        public long Forged { get; private set; }

        public long Replayed { get; private set; }

        public long Garbage { get; private set; }

        public long BytesReceived => Interlocked.Read(ref _bytesReceived);

        public async Task RunAsync(CancellationToken stop)
        {
            var random = new Random(7);
            UdpClient[] sockets = [.. Enumerable.Range(0, Sources).Select(_ => new UdpClient(new IPEndPoint(IPAddress.Loopback, 0)))];
            Task[] listeners = [.. sockets.Select(ListenAsync)];
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    List<byte[]> genuine = GenuineEntries();
                    for (int i = 0; i < 50 && !stop.IsCancellationRequested; i++)
                    {
                        byte[] datagram;
                        int kind = random.Next(3);
                        if (kind == 2 || genuine.Count == 0)
                        {
                            datagram = new byte[random.Next(1, 300)];
                            random.NextBytes(datagram);
                            Garbage++;
                        }
                        else
                        {
                            byte[] entry = (byte[])genuine[random.Next(genuine.Count)].Clone();
                            if (kind == 1)
                            {
                                entry[random.Next(entry.Length)] ^= (byte)(1 << random.Next(8));
                                Forged++;
                            }
                            else
                            {
                                Replayed++;
                            }

                            datagram = FrameCodec.Encode(new Frame(FrameType.Entry, 0, 0, false, 0, 0, entry), FrameLimits.Ip);
                        }

                        await sockets[random.Next(sockets.Length)].SendAsync(datagram, gateway, CancellationToken.None);
                        Datagrams++;
                        BytesSent += datagram.Length;
                    }

                    await Task.Delay(100, CancellationToken.None); // about 500 datagrams a second
                }

                await Task.Delay(1000, CancellationToken.None); // late answers still count
            }
            finally
            {
                foreach (UdpClient socket in sockets)
                {
                    socket.Dispose();
                }

                await Task.WhenAll(listeners);
            }
        }

        private async Task ListenAsync(UdpClient socket)
        {
            try
            {
                while (true)
                {
                    UdpReceiveResult answer = await socket.ReceiveAsync(CancellationToken.None);
                    Interlocked.Add(ref _bytesReceived, answer.Buffer.Length);
                }
            }
            catch (Exception e) when (e is ObjectDisposedException or SocketException)
            {
                // disposed at the end of the run
            }
        }

        private List<byte[]> GenuineEntries()
        {
            using var connection = new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly");
            connection.Open();
            using SqliteCommand select = connection.CreateCommand();
            select.CommandText = "SELECT bytes FROM entries ORDER BY random() LIMIT 64";
            using SqliteDataReader reader = select.ExecuteReader();
            var entries = new List<byte[]>();
            while (reader.Read())
            {
                entries.Add((byte[])reader[0]);
            }

            return entries;
        }
    }
}
