using System.Collections;

namespace MeshMessenger.Firmware.Routing;

/// <summary>
/// Next hops toward destinations, learned from traffic. Frames name their recipient only by a one-byte
/// hint, so a route is used for a hint only when exactly one known destination has that hint (the rule
/// Meshtastic 2.8 adopted for its one-byte next_hop, "M1/M2" in NextHopRouter.cpp); otherwise the frame
/// floods. Entries expire.
/// </summary>
public sealed class RouteTable
{
    private readonly Hashtable _routes = new Hashtable();
    private readonly int _capacity;
    private readonly long _lifetimeMs;

    /// <summary>A table of at most <paramref name="capacity"/> routes, each valid for <paramref name="lifetimeMs"/>.</summary>
    public RouteTable(int capacity, long lifetimeMs)
    {
        _capacity = capacity;
        _lifetimeMs = lifetimeMs;
    }

    /// <summary>Routes held.</summary>
    public int Count => _routes.Count;

    /// <summary>Learns or improves the route to <paramref name="destination"/>: fewer hops win, then fresher.</summary>
    public void Learn(uint destination, byte nextHop, int hops, long nowMs)
    {
        var route = (Route?)_routes[destination];
        if (route != null && nowMs - route.LearnedMs < _lifetimeMs && route.Hops < hops)
        {
            return;
        }

        if (route == null)
        {
            if (_routes.Count >= _capacity)
            {
                EvictOldest();
            }

            route = new Route();
            _routes[destination] = route;
        }

        route.NextHop = nextHop;
        route.Hops = hops;
        route.LearnedMs = nowMs;
    }

    /// <summary>Forgets the route to a destination (it failed).</summary>
    public void Forget(uint destination)
    {
        _routes.Remove(destination);
    }

    /// <summary>Forgets every route through a next hop.</summary>
    public void ForgetVia(byte nextHop)
    {
        var doomed = new ArrayList();
        foreach (DictionaryEntry e in _routes)
        {
            if (((Route)e.Value!).NextHop == nextHop)
            {
                doomed.Add(e.Key);
            }
        }

        foreach (object key in doomed)
        {
            _routes.Remove(key);
        }
    }

    /// <summary>
    /// The next hop for a recipient hint, or 0 when no route is known, it expired, or several known
    /// destinations share the hint. <paramref name="destination"/> is the one destination matched.
    /// </summary>
    public byte NextHopForHint(byte hint, long nowMs, out uint destination)
    {
        destination = 0;
        Route? found = null;
        foreach (DictionaryEntry e in _routes)
        {
            uint id = (uint)e.Key;
            if ((byte)id != hint)
            {
                continue;
            }

            var route = (Route)e.Value!;
            if (nowMs - route.LearnedMs >= _lifetimeMs)
            {
                continue;
            }

            if (found != null)
            {
                return 0; // ambiguous
            }

            found = route;
            destination = id;
        }

        return found == null ? (byte)0 : found.NextHop;
    }

    /// <summary>Hops of the route to a destination, or -1.</summary>
    public int HopsTo(uint destination, long nowMs)
    {
        var route = (Route?)_routes[destination];
        return route == null || nowMs - route.LearnedMs >= _lifetimeMs ? -1 : route.Hops;
    }

    private void EvictOldest()
    {
        object? oldestKey = null;
        long oldest = long.MaxValue;
        foreach (DictionaryEntry e in _routes)
        {
            var route = (Route)e.Value!;
            if (route.LearnedMs < oldest)
            {
                oldest = route.LearnedMs;
                oldestKey = e.Key;
            }
        }

        if (oldestKey != null)
        {
            _routes.Remove(oldestKey);
        }
    }

    private sealed class Route
    {
        public byte NextHop;
        public int Hops;
        public long LearnedMs;
    }
}
