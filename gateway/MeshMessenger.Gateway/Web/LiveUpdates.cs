using System.Collections.Concurrent;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading.Channels;
using MeshMessenger.Gateway.Anchoring;
using MeshMessenger.Gateway.Ingest;
using MeshMessenger.Protocol.Chain;

namespace MeshMessenger.Gateway.Web;

/// <summary>
/// Live updates for the web app over server-sent events: every stored entry (author, sequence, kind) and
/// every change of the anchoring state. Pages refetch what an event touches, so an event carries no
/// message content. Each subscriber has a small bounded queue that drops its oldest events, so a stalled
/// browser costs at most that much memory.
/// </summary>
public sealed class LiveUpdates
{
    /// <summary>Open event streams at most; further subscribers get 503 and retry.</summary>
    public const int MaxSubscribers = 256;

    private readonly ConcurrentDictionary<Guid, Channel<SseItem<string>>> _subscribers = new();

    /// <summary>Open event streams.</summary>
    public int SubscriberCount => _subscribers.Count;

    /// <summary>Starts forwarding stored entries and anchoring changes until <paramref name="stopping"/>.</summary>
    public void Attach(FrameIngest ingest, AnchoringService anchoring, CancellationToken stopping)
    {
        ingest.Stored += entry => Publish("entry", new
        {
            author = Protocol.Identity.NodeId.ToText(entry.Author),
            seq = entry.Sequence,
            kind = EntryCodec.TryDecode(entry.Encoded, 0, entry.Encoded.Length, out Entry? decoded) == Protocol.ProtocolError.None ? decoded!.Kind.ToString() : "unknown",
        });
        _ = Task.Run(() => WatchAnchoringAsync(anchoring, stopping), CancellationToken.None);
    }

    /// <summary>The stream for one page: a "hello" first, then events, with a "ping" every 15 s to keep proxies from closing it.</summary>
    public async IAsyncEnumerable<SseItem<string>> SubscribeAsync([EnumeratorCancellation] CancellationToken ct)
    {
        var queue = Channel.CreateBounded<SseItem<string>>(new BoundedChannelOptions(64) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        var id = Guid.NewGuid();
        _subscribers[id] = queue;
        try
        {
            yield return new SseItem<string>("{}", "hello");
            while (!ct.IsCancellationRequested)
            {
                SseItem<string> next;
                try
                {
                    using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
                    wait.CancelAfter(TimeSpan.FromSeconds(15));
                    next = await queue.Reader.ReadAsync(wait.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    next = new SseItem<string>("{}", "ping");
                }
                catch (OperationCanceledException)
                {
                    yield break;
                }

                yield return next;
            }
        }
        finally
        {
            _subscribers.TryRemove(id, out _);
        }
    }

    private void Publish(string type, object data)
    {
        if (_subscribers.IsEmpty)
        {
            return;
        }

        var item = new SseItem<string>(JsonSerializer.Serialize(data), type);
        foreach (Channel<SseItem<string>> subscriber in _subscribers.Values)
        {
            subscriber.Writer.TryWrite(item);
        }
    }

    private async Task WatchAnchoringAsync(AnchoringService anchoring, CancellationToken stopping)
    {
        (long Batches, long StateSum) last = (0, 0);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
            {
                if (anchoring.Store?.Progress() is { } now && now != last)
                {
                    last = now;
                    Publish("anchor", new { batches = now.Batches });
                }
            }
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }
}
