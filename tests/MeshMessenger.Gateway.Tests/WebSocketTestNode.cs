using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using MeshMessenger.Protocol;
using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Frames;
using MeshMessenger.Protocol.Node;

namespace MeshMessenger.Gateway.Tests;

/// <summary>
/// A real <see cref="MessengerNode"/> behind a real <see cref="ClientWebSocket"/>, as the browser runs it: every
/// binary message goes to the node, and whatever the node then queues (proofs, receipts, wants) is sent back, one
/// frame per message. The socket can be bound to another loopback address (127.0.0.x) to stand for another client.
/// </summary>
internal sealed class WebSocketTestNode : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly Task _receiving;

    private WebSocketTestNode(ClientWebSocket socket, MessengerNode? node)
    {
        _socket = socket;
        Node = node;
        _receiving = Task.Run(ReceiveLoop);
    }

    /// <summary>The node, or null for a raw socket that only records what it hears. Lock it to touch it.</summary>
    public MessengerNode? Node { get; }

    /// <summary>Every frame sent, in order.</summary>
    public ConcurrentQueue<byte[]> Sent { get; } = new();

    /// <summary>Every message received, in order.</summary>
    public ConcurrentQueue<byte[]> Heard { get; } = new();

    public WebSocketState State => _socket.State;

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    /// <summary>Connects; with a node, sends what it has queued (its genesis or its restore query) at once.</summary>
    public static async Task<WebSocketTestNode> ConnectAsync(Uri uri, MessengerNode? node, string? localAddress = null)
    {
        ClientWebSocket socket = NewSocket();
        await socket.ConnectAsync(uri, Invoker(localAddress), CancellationToken.None);
        var client = new WebSocketTestNode(socket, node);
        if (node is not null)
        {
            await client.FlushAsync();
        }

        return client;
    }

    public static ClientWebSocket NewSocket()
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        return socket;
    }

    /// <summary>An HTTP invoker whose connections leave from <paramref name="localAddress"/> (default: the kernel's choice).</summary>
    public static HttpMessageInvoker Invoker(string? localAddress) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, ct) =>
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            if (localAddress is not null)
            {
                s.Bind(new IPEndPoint(IPAddress.Parse(localAddress), 0));
            }

            await s.ConnectAsync(context.DnsEndPoint, ct);
            return new NetworkStream(s, ownsSocket: true);
        },
    });

    public async Task SendAsync(byte[] frame, WebSocketMessageType type = WebSocketMessageType.Binary)
    {
        await _sending.WaitAsync();
        try
        {
            Sent.Enqueue(frame);
            await _socket.SendAsync(frame, type, endOfMessage: true, CancellationToken.None);
        }
        finally
        {
            _sending.Release();
        }
    }

    /// <summary>Sends everything the node has queued.</summary>
    public async Task FlushAsync()
    {
        byte[][] outbox;
        lock (Node!)
        {
            outbox = Node.TakeOutbox();
        }

        foreach (byte[] frame in outbox)
        {
            await SendAsync(frame);
        }
    }

    /// <summary>Frames of type <paramref name="type"/> heard so far.</summary>
    public List<byte[]> HeardOf(FrameType type) => [.. Heard.Where(m => m.Length > 0 && (FrameType)(m[0] & 0x1F) == type)];

    /// <summary>The entries heard in whole entry frames.</summary>
    public List<Entry> EntriesHeard() => [.. Heard.Select(m =>
        FrameCodec.TryDecode(m, 0, m.Length, FrameLimits.Ip, out Frame? f) == ProtocolError.None && f!.Type == FrameType.Entry
        && EntryCodec.TryDecode(f.Payload, 0, f.Payload.Length, out Entry? e) == ProtocolError.None ? e : null).OfType<Entry>()];

    /// <summary>Waits until the gateway closed the socket (its close frame received).</summary>
    public async Task<WebSocketCloseStatus?> ClosedAsync()
    {
        await _receiving.WaitAsync(TimeSpan.FromSeconds(30));
        return _socket.CloseStatus;
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
                await _receiving.WaitAsync(TimeSpan.FromSeconds(10)); // the gateway's answering close ends the receive loop
            }
            catch (Exception e) when (e is WebSocketException or TimeoutException)
            {
            }
        }

        _socket.Abort();
        await _receiving.WaitAsync(TimeSpan.FromSeconds(30));
        _socket.Dispose();
    }

    private async Task ReceiveLoop()
    {
        byte[] buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                int count = 0;
                WebSocketReceiveResult r;
                do
                {
                    r = await _socket.ReceiveAsync(new ArraySegment<byte>(buffer, count, buffer.Length - count), CancellationToken.None);
                    count += r.Count;
                }
                while (!r.EndOfMessage);

                if (r.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                byte[] message = buffer[..count];
                Heard.Enqueue(message);
                if (Node is not null)
                {
                    lock (Node)
                    {
                        Node.Receive(message, 0, message.Length);
                    }

                    await FlushAsync();
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }
}
