using System.Net.WebSockets;
using System.Threading.Channels;
using MeshMessenger.Gateway.Ingest;
using MeshMessenger.Protocol.Frames;

namespace MeshMessenger.Gateway.Links;

/// <summary>
/// One browser's socket on the WebSocket link: reads binary messages of at most one IP frame (1,232 bytes) and
/// hands each to the link in order, one at a time (so a slow store slows that socket only, by TCP back-pressure);
/// sends what the link queues, one frame per binary message, from a bounded queue. Closes (RFC 6455 §7.4.1) with
/// 1003 on a text message, 1009 on a message over one frame, 1001 when idle or when the gateway stops; a peer that
/// does not answer a close within <see cref="CloseGraceMilliseconds"/> is cut off.
/// </summary>
internal sealed class WebSocketSession
{
    /// <summary>How long a closing peer has to send its close frame before the connection is aborted.</summary>
    public const int CloseGraceMilliseconds = 5_000;

    private readonly WebSocket _socket;
    private readonly GatewayCounters _counters;
    private readonly Channel<byte[]> _queue;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly object _gate = new();
    private bool _closing;
    private Timer? _abort;

    /// <summary>Wraps an accepted socket; <paramref name="origin"/> is the client's "ip:port".</summary>
    public WebSocketSession(WebSocket socket, string origin, int queueFrames, GatewayCounters counters)
    {
        _socket = socket;
        _counters = counters;
        Origin = origin;
        _queue = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(queueFrames) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    }

    /// <summary>The client's address and port, as the ingest and its budgets see it.</summary>
    public string Origin { get; }

    /// <summary>Where this socket's answers to heads continue in the gateway's chains (<see cref="SyncResponder.AnswerHeads(MeshMessenger.Protocol.Sync.HeadsMessage, uint?, ref int)"/>).</summary>
    public int HeadsOffset;

    /// <summary>The last heads request heard before the socket proved a key: answered once it has.</summary>
    public Protocol.Sync.HeadsMessage? PendingHeads { get; set; }

    /// <summary>The rest of a want answer cut by the downlink budget, resumed when the bucket refills (null if none).</summary>
    public DeferredWant? DeferredWant
    {
        get => Volatile.Read(ref DeferredWantSlot);
        set => Volatile.Write(ref DeferredWantSlot, value);
    }

    /// <summary>Backing field of <see cref="DeferredWant"/>, for an atomic take.</summary>
    public DeferredWant? DeferredWantSlot;

    /// <summary>1 while a resume of the cut answer is scheduled.</summary>
    public int ResumeScheduled;

    /// <summary>Queues a frame to send; false (counted as <c>ws_dropped_queue_full</c>) if the queue is full or the socket closing.</summary>
    public bool TryEnqueue(byte[] frame)
    {
        if (_queue.Writer.TryWrite(frame))
        {
            return true;
        }

        _counters.Add(Volatile.Read(ref _closing) ? "ws_dropped_closing" : "ws_dropped_queue_full");
        return false;
    }

    /// <summary>Runs the socket until it closes: receives into <paramref name="onFrame"/>, sends the queue.</summary>
    public async Task RunAsync(Func<WebSocketSession, byte[], CancellationToken, Task> onFrame, TimeSpan idle, CancellationToken stop)
    {
        using var idleTimer = new CancellationTokenSource(idle);
        using CancellationTokenRegistration onIdle = idleTimer.Token.Register(() => BeginClose(WebSocketCloseStatus.EndpointUnavailable, $"idle for {idle.TotalSeconds:0} s", "ws_closed_idle"));
        using CancellationTokenRegistration onStop = stop.Register(() => BeginClose(WebSocketCloseStatus.EndpointUnavailable, "the gateway is stopping", null));
        Task sending = SendLoopAsync();
        try
        {
            await ReceiveLoopAsync(onFrame, idleTimer, idle, stop).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The peer went away or was cut off: nothing more to read.
        }
        finally
        {
            lock (_gate)
            {
                _closing = true;
            }

            _queue.Writer.TryComplete();
            if (_socket.State != WebSocketState.Closed)
            {
                _socket.Abort();
            }

            await sending.ConfigureAwait(false);
            _abort?.Dispose();
        }
    }

    private async Task ReceiveLoopAsync(Func<WebSocketSession, byte[], CancellationToken, Task> onFrame, CancellationTokenSource idleTimer, TimeSpan idle, CancellationToken stop)
    {
        // One byte more than a frame: a message that fills it is too large, and nothing larger is ever buffered.
        byte[] buffer = new byte[FrameLimits.Ip + 1];
        while (true)
        {
            int count = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                result = await _socket.ReceiveAsync(buffer.AsMemory(count), CancellationToken.None).ConfigureAwait(false);
                count += result.Count;
            }
            while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close && count < buffer.Length);

            if (result.MessageType == WebSocketMessageType.Close)
            {
                await AnswerCloseAsync().ConfigureAwait(false);
                return;
            }

            if (Volatile.Read(ref _closing))
            {
                continue; // we said goodbye: what still comes is read and dropped until the peer's close
            }

            idleTimer.CancelAfter(idle);
            if (result.MessageType == WebSocketMessageType.Text)
            {
                BeginClose(WebSocketCloseStatus.InvalidMessageType, "binary messages only, one frame each", "ws_dropped_text");
            }
            else if (count > FrameLimits.Ip)
            {
                BeginClose(WebSocketCloseStatus.MessageTooBig, $"a message is one frame of at most {FrameLimits.Ip} bytes", "ws_dropped_oversized");
            }
            else
            {
                await onFrame(this, buffer[..count], stop).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Closes the socket with 1008 (policy violation, RFC 6455 §7.4.1) because it did not prove a key in time.</summary>
    public void CloseUnproven(int seconds) => BeginClose(WebSocketCloseStatus.PolicyViolation, $"no key proven within {seconds} s", "ws_closed_unproven");

    /// <summary>Sends a close frame (once), stops sending queued frames, and cuts the connection if the peer does not answer in time.</summary>
    private void BeginClose(WebSocketCloseStatus status, string reason, string? counter)
    {
        lock (_gate)
        {
            if (_closing)
            {
                return;
            }

            _closing = true;
            _abort = new Timer(_ => _socket.Abort(), null, CloseGraceMilliseconds, Timeout.Infinite);
        }

        if (counter is not null)
        {
            _counters.Add(counter);
        }

        _queue.Writer.TryComplete();
        _ = CloseOutputAsync(status, reason);
    }

    /// <summary>The peer closed first: answer with a close frame (RFC 6455 §5.5.1) unless one was sent already.</summary>
    private async Task AnswerCloseAsync()
    {
        lock (_gate)
        {
            if (_closing)
            {
                return;
            }

            _closing = true;
        }

        _queue.Writer.TryComplete();
        await CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "").ConfigureAwait(false);
    }

    private async Task CloseOutputAsync(WebSocketCloseStatus status, string reason)
    {
        await _sendLock.WaitAsync().ConfigureAwait(false);
        try
        {
            await _socket.CloseOutputAsync(status, reason, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            // Already aborted or closed: nothing left to say.
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task SendLoopAsync()
    {
        await foreach (byte[] frame in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            await _sendLock.WaitAsync().ConfigureAwait(false);
            try
            {
                if (Volatile.Read(ref _closing))
                {
                    return;
                }

                await _socket.SendAsync(frame, WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None).ConfigureAwait(false);
                _counters.Add("ws_frames_out");
                _counters.Add("ws_bytes_out", frame.Length);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            finally
            {
                _sendLock.Release();
            }
        }
    }
}
