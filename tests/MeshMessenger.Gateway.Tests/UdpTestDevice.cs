using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MeshMessenger.Protocol;
using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Frames;

namespace MeshMessenger.Gateway.Tests;

/// <summary>
/// A <see cref="TestDevice"/> behind a real UDP socket: every datagram it hears goes to its MessengerNode, and
/// whatever the node then queues (proofs for challenges, receipts) is sent back, as the firmware would.
/// The optional drop function models a lossy link (the hardware edge): a datagram it returns true for never reaches the node.
/// </summary>
internal sealed class UdpTestDevice : IDisposable
{
    private readonly UdpClient _socket;
    private readonly IPEndPoint _gateway;
    private readonly Func<byte[], bool>? _drop;
    private readonly CancellationTokenSource _stop = new();

    /// <param name="device">The node behind the socket.</param>
    /// <param name="gateway">Where it sends.</param>
    /// <param name="drop">Datagrams the link loses before the node hears them.</param>
    /// <param name="bind">The local address to send from (another 127.0.0.0/8 address is another host to the gateway); loopback if null.</param>
    public UdpTestDevice(TestDevice device, IPEndPoint gateway, Func<byte[], bool>? drop = null, IPAddress? bind = null)
    {
        _socket = new UdpClient(new IPEndPoint(bind ?? IPAddress.Loopback, 0));
        Device = device;
        _gateway = gateway;
        _drop = drop;
        _ = Task.Run(ReceiveLoop);
    }

    public TestDevice Device { get; }

    public IPEndPoint LocalEndpoint => (IPEndPoint)_socket.Client.LocalEndPoint!;

    /// <summary>Every datagram the socket received, in order.</summary>
    public ConcurrentQueue<byte[]> Heard { get; } = new();

    /// <summary>Every datagram this device sent.</summary>
    public ConcurrentQueue<byte[]> Sent { get; } = new();

    public long BytesHeard => Heard.Sum(d => (long)d.Length);

    /// <summary>How many copies of the entry (author, sequence) arrived in whole entry frames.</summary>
    public int Copies(uint author, uint sequence) => Heard.Count(d =>
        FrameCodec.TryDecode(d, 0, d.Length, FrameLimits.Ip, out Frame? f) == ProtocolError.None && f!.Type == FrameType.Entry
        && EntryCodec.TryDecode(f.Payload, 0, f.Payload.Length, out Entry? e) == ProtocolError.None && e!.Author == author && e.Sequence == sequence);

    public void Send(byte[] frame)
    {
        Sent.Enqueue(frame);
        _socket.Send(frame, frame.Length, _gateway);
    }

    /// <summary>Sends everything the node has queued.</summary>
    public void Flush()
    {
        byte[][] outbox;
        lock (Device)
        {
            outbox = Device.Take();
        }

        foreach (byte[] frame in outbox)
        {
            Send(frame);
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
        _stop.Dispose();
    }

    private async Task ReceiveLoop()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                UdpReceiveResult r = await _socket.ReceiveAsync(_stop.Token);
                Heard.Enqueue(r.Buffer);
                if (_drop?.Invoke(r.Buffer) == true)
                {
                    continue;
                }

                lock (Device)
                {
                    Device.Node.Receive(r.Buffer, 0, r.Buffer.Length);
                }

                Flush();
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }
}
