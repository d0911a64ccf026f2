using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MeshMessenger.Gateway.Storage;
using MeshMessenger.Protocol;
using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Frames;

namespace MeshMessenger.Gateway.Tests;

/// <summary>
/// Three gateway processes and a real Mosquitto broker: devices on each gateway's UDP link post and write to
/// each other; the broker restarts and one gateway is killed with SIGKILL mid-run. Every gateway must end
/// with every entry, each stored once, and the killed gateway's database must pass SQLite's integrity check.
/// </summary>
public sealed class FederationTests : IDisposable
{
    private readonly TestFolder _folder = new("gw-fed-");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Three_gateways_carry_every_entry_once_through_a_broker_restart_and_a_kill_9()
    {
        using var broker = new MosquittoBroker();
        var gateways = Enumerable.Range(1, 3).Select(i => new GatewayProcess($"gw{i}", Path.Combine(_folder.Path, $"gw{i}"), broker.Port)).ToArray();
        try
        {
            foreach (GatewayProcess g in gateways)
            {
                g.Start();
            }

            var devices = Enumerable.Range(0, 6).Select(i => new UdpDevice(new TestDevice($"device{i}"), gateways[i % 3])).ToArray();
            for (int i = 0; i < devices.Length; i++)
            {
                devices[i].Device.Befriend(devices[(i + 1) % devices.Length].Device);
            }

            var directMessages = devices.ToDictionary(d => d, _ => new List<(uint Author, uint Sequence)>());
            void Round(string label)
            {
                for (int i = 0; i < devices.Length; i++)
                {
                    UdpDevice next = devices[(i + 1) % devices.Length];
                    lock (devices[i].Device)
                    {
                        devices[i].Device.Node.PostPublic($"{label}: a post from device {i}");
                        uint seq = devices[i].Device.Node.SendText(next.Device.Id, $"{label}: a private note to the next device");
                        directMessages[next].Add((devices[i].Device.Id, seq));
                    }

                    devices[i].Flush();
                }
            }

            Round("before");
            broker.Restart();
            Round("while the broker restarts");
            gateways[1].Kill9();
            Round("while gw2 is down");
            gateways[1].Start();
            foreach (UdpDevice d in devices.Where(d => d.Gateway == gateways[1]))
            {
                d.ResendAll(); // UDP has no acknowledgement: a device repeats what its gateway may have missed
            }

            Round("after");
            // What the devices wrote so far; receipts they write from here on are sent only after this check.
            var expected = devices.ToDictionary(d => d.Device.Id.ToString("x8"), d => d.SentSequences());
            int total = expected.Values.Sum(v => v.Count);

            try
            {
                MosquittoBroker.WaitUntil(() => gateways.All(g => Same(g.Entries(), expected)), TimeSpan.FromSeconds(60), "every gateway to hold every entry");
            }
            catch (TimeoutException)
            {
                Assert.Fail(string.Join("\n", gateways.Select(g => $"{g.Name}: missing {Missing(g.Entries(), expected)}\n{g.Metrics()}")));
            }
            foreach (GatewayProcess g in gateways)
            {
                Assert.Equal(total, g.Entries().Values.Sum(v => v.Count));
            }

            var killed = new GatewayDatabase(Path.Combine(gateways[1].DataDirectory, "gateway.db"));
            Assert.Equal("ok", killed.IntegrityCheck());

            // Downlink and store-and-forward: every device got every direct message written to it on another
            // gateway, including those that arrived while its gateway was down.
            try
            {
                MosquittoBroker.WaitUntil(() => devices.All(d => directMessages[d].All(d.Heard)), TimeSpan.FromSeconds(60), "every direct message to reach its recipient");
            }
            catch (TimeoutException)
            {
                Assert.Fail(string.Join("\n", devices.Select(d => $"{d.Device.Name} on {d.Gateway.Name}: not heard {string.Join(",", directMessages[d].Where(m => !d.Heard(m)).Select(m => $"{m.Author:x8}/{m.Sequence}"))}"))
                    + "\n" + string.Join("\n", gateways.Select(g => $"{g.Name}:\n{g.Metrics()}")));
            }

            // Receipts flow back: recipients answer with signed delivery receipts, which travel the same way home.
            MosquittoBroker.WaitUntil(
                () =>
                {
                    foreach (UdpDevice d in devices)
                    {
                        d.Flush();
                    }

                    return directMessages.All(p => p.Value.All(m => devices.Single(d => d.Device.Id == m.Author).StateOf(m.Sequence) >= Protocol.Receipts.MessageState.Delivered));
                },
                TimeSpan.FromSeconds(30),
                "every sender to see Delivered");
        }
        finally
        {
            foreach (GatewayProcess g in gateways)
            {
                g.Dispose();
            }
        }
    }

    [Fact]
    public void Mosquitto_clients_see_only_signed_sealed_entries_and_can_inject_one()
    {
        using var broker = new MosquittoBroker();
        using var gateway = new GatewayProcess("gwx", Path.Combine(_folder.Path, "gwx"), broker.Port).Start();
        string outFile = Path.Combine(_folder.Path, "sub.bin");
        using Process sub = Process.Start(new ProcessStartInfo("mosquitto_sub", ["-h", "127.0.0.1", "-p", broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-t", "mm/1/EU_868/e/+", "-C", "3", "-W", "30", "-F", "%t %x"]) { RedirectStandardOutput = true })!;
        Thread.Sleep(500);

        var alice = new UdpDevice(new TestDevice("alice"), gateway);
        var bob = new TestDevice("bob");
        alice.Device.Befriend(bob);
        alice.Device.Node.SendText(bob.Id, "the secret plan is at the old mill");
        alice.Device.Node.PostPublic("a public hello");
        alice.Flush();

        string[] lines = sub.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        sub.WaitForExit();
        Assert.Equal(3, lines.Length);
        foreach (string line in lines)
        {
            string[] parts = line.Split(' ');
            Assert.Equal($"mm/1/EU_868/e/{alice.Device.Id:x8}", parts[0]);
            byte[] payload = Convert.FromHexString(parts[1]);
            Assert.Equal(ProtocolError.None, EntryCodec.TryDecode(payload, 0, payload.Length, out Entry? entry));
            Assert.Equal(alice.Device.Id, entry!.Author);
            Assert.DoesNotContain("old mill", System.Text.Encoding.UTF8.GetString(payload));
        }

        // An independent publisher: mosquitto_pub injects carol's genesis; the gateway verifies and stores it.
        var carol = new TestDevice("carol");
        byte[] frame = carol.Take()[0];
        FrameCodec.TryDecode(frame, 0, frame.Length, FrameLimits.Ip, out Frame? f);
        string file = Path.Combine(_folder.Path, "carol.bin");
        File.WriteAllBytes(file, f!.Payload);
        Process.Start("mosquitto_pub", ["-h", "127.0.0.1", "-p", broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-q", "1", "-t", $"mm/1/EU_868/e/{carol.Id:x8}", "-f", file])!.WaitForExit();
        MosquittoBroker.WaitUntil(() => gateway.Entries().ContainsKey(carol.Id.ToString("x8")), TimeSpan.FromSeconds(10), "the injected entry");

        // Garbage published by anyone is dropped and counted, never stored.
        File.WriteAllBytes(file, new byte[100]);
        Process.Start("mosquitto_pub", ["-h", "127.0.0.1", "-p", broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-q", "1", "-t", "mm/1/EU_868/e/00000001", "-f", file])!.WaitForExit();
        MosquittoBroker.WaitUntil(() => gateway.Metrics().Contains("meshmsg_gateway_dropped_malformed_total 1", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "the garbage to be counted");
    }

    private static string Missing(Dictionary<string, List<long>> held, Dictionary<string, List<long>> expected) =>
        string.Join("; ", expected.Select(p => $"{p.Key}: {string.Join(",", p.Value.Except(held.GetValueOrDefault(p.Key) ?? []))}").Where(s => !s.EndsWith(": ", StringComparison.Ordinal)));

    private static bool Same(Dictionary<string, List<long>> held, Dictionary<string, List<long>> expected) =>
        expected.All(p => held.TryGetValue(p.Key, out List<long>? seqs) && seqs.SequenceEqual(p.Value)) && held.Count == expected.Count;

    /// <summary>A test device attached to a gateway's UDP link, remembering what it sent and counting what it hears.</summary>
    private sealed class UdpDevice
    {
        private readonly UdpClient _socket = new(new IPEndPoint(IPAddress.Loopback, 0));
        private readonly List<byte[]> _sent = [];
        private readonly List<byte[]> _stash = []; // frames the node queued while answering a challenge, sent at the next Flush
        private readonly ConcurrentDictionary<(uint, uint), int> _heard = new();

        public UdpDevice(TestDevice device, GatewayProcess gateway)
        {
            Device = device;
            Gateway = gateway;
            _ = Task.Run(ReceiveLoop);
            Flush();
        }

        public TestDevice Device { get; }

        public GatewayProcess Gateway { get; }

        public Protocol.Receipts.MessageState StateOf(uint sequence)
        {
            lock (Device)
            {
                return Device.Node.Tracker.StateOf(sequence);
            }
        }

        public void Flush()
        {
            List<byte[]> outbox;
            lock (Device)
            {
                outbox = [.. _stash, .. Device.Take()];
                _stash.Clear();
            }

            foreach (byte[] frame in outbox)
            {
                if (FrameCodec.TryDecode(frame, 0, frame.Length, FrameLimits.Ip, out Frame? f) == ProtocolError.None && f!.Type == FrameType.Entry)
                {
                    _sent.Add(frame);
                    Send(frame);
                }
            }
        }

        public void ResendAll()
        {
            foreach (byte[] frame in _sent)
            {
                Send(frame);
            }
        }

        public List<long> SentSequences() =>
            _sent.Select(frame =>
            {
                FrameCodec.TryDecode(frame, 0, frame.Length, FrameLimits.Ip, out Frame? f);
                EntryCodec.TryDecode(f!.Payload, 0, f.Payload.Length, out Entry? e);
                return (long)e!.Sequence;
            }).Distinct().Order().ToList();

        public bool Heard((uint Author, uint Sequence) entry) => _heard.ContainsKey(entry);

        private void Send(byte[] frame)
        {
            _socket.Send(frame, frame.Length, new IPEndPoint(IPAddress.Loopback, Gateway.UdpPort));
            Thread.Sleep(2);
        }

        private async Task ReceiveLoop()
        {
            while (true)
            {
                UdpReceiveResult r = await _socket.ReceiveAsync();
                if (FrameCodec.TryDecode(r.Buffer, 0, r.Buffer.Length, FrameLimits.Ip, out Frame? c) == ProtocolError.None && c!.Type == FrameType.Challenge)
                {
                    // The gateway asks the device to prove its key (docs/protocol.md §5.4): the node answers at once.
                    byte[][] outbox;
                    lock (Device)
                    {
                        Device.Node.Receive(r.Buffer, 0, r.Buffer.Length);
                        outbox = Device.Take();
                        _stash.AddRange(outbox.Where(f => (FrameType)(f[0] & 0x1F) != FrameType.Proof));
                    }

                    foreach (byte[] proof in outbox.Where(f => (FrameType)(f[0] & 0x1F) == FrameType.Proof))
                    {
                        Send(proof);
                    }

                    continue;
                }

                if (FrameCodec.TryDecode(r.Buffer, 0, r.Buffer.Length, FrameLimits.Ip, out Frame? f) == ProtocolError.None
                    && EntryCodec.TryDecode(f!.Payload, 0, f.Payload.Length, out Entry? e) == ProtocolError.None)
                {
                    _heard.AddOrUpdate((e!.Author, e.Sequence), 1, (_, n) => n + 1);
                    lock (Device)
                    {
                        Device.Node.Receive(r.Buffer, 0, r.Buffer.Length);
                    }
                }
            }
        }
    }
}
