using System.Collections.Concurrent;
using System.Net;

namespace MeshMessenger.Gateway.Web;

/// <summary>
/// Per-client limits of the web app, keyed by the client's IP address, so one client cannot use up what the
/// gateway shares: the live-update streams it may hold open (<see cref="StreamsPerAddress"/>).
/// </summary>
public sealed class ClientQuotas
{
    /// <summary>Live-update streams one address may hold open.</summary>
    public const int StreamsPerAddress = 8;

    private readonly ConcurrentDictionary<IPAddress, int> _streams = new();

    /// <summary>The address a request comes from (IPv4-mapped IPv6 as IPv4; unknown as <see cref="IPAddress.None"/>).</summary>
    public static IPAddress ClientOf(HttpContext http) =>
        http.Connection.RemoteIpAddress is { } address ? (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address) : IPAddress.None;

    /// <summary>Takes a stream for <paramref name="address"/>, given back when the lease is disposed; null when it holds <see cref="StreamsPerAddress"/> already.</summary>
    public IDisposable? TryOpenStream(IPAddress address) =>
        TryTake(_streams, address, StreamsPerAddress) ? new Lease(() => Give(_streams, address)) : null;

    private static bool TryTake(ConcurrentDictionary<IPAddress, int> counts, IPAddress address, int limit)
    {
        while (true)
        {
            int now = counts.GetOrAdd(address, 0);
            if (now >= limit)
            {
                return false;
            }

            if (counts.TryUpdate(address, now + 1, now))
            {
                return true;
            }
        }
    }

    private static void Give(ConcurrentDictionary<IPAddress, int> counts, IPAddress address) =>
        counts.AddOrUpdate(address, 0, (_, v) => Math.Max(0, v - 1));

    private sealed class Lease(Action release) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                release();
            }
        }
    }
}
