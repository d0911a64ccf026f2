using MeshMessenger.Protocol.Collections;

namespace MeshMessenger.Firmware.Routing;

/// <summary>
/// Next hops toward destinations, learned from traffic. Frames name their recipient only by a one-byte
/// hint, so a route is used for a hint only when exactly one known destination has that hint (the rule
/// Meshtastic 2.8 adopted for its one-byte next_hop, "M1/M2" in NextHopRouter.cpp); otherwise the frame
/// floods. Entries expire. The table holds at most its capacity; learning one more destination evicts the
/// route learned longest ago.
/// </summary>
public sealed class RouteTable
{
    private readonly KeyedTable _routes;
    private readonly long _lifetimeMs;

    /// <summary>A table of at most <paramref name="capacity"/> routes, each valid for <paramref name="lifetimeMs"/>.</summary>
    public RouteTable(int capacity, long lifetimeMs)
    {
        _routes = new KeyedTable(capacity);
        _lifetimeMs = lifetimeMs;
    }

    /// <summary>The most routes held.</summary>
    public int Capacity => _routes.Capacity;

    /// <summary>Routes held.</summary>
    public int Count => _routes.Count;

    /// <summary>Learns or improves the route to <paramref name="destination"/>: fewer hops win, then fresher.</summary>
    public void Learn(uint destination, byte nextHop, int hops, long nowMs)
    {
        var route = (Route?)_routes.Get(destination);
        if (route != null && nowMs - route.LearnedMs < _lifetimeMs && route.Hops < hops)
        {
            return;
        }

        if (route == null)
        {
            if (_routes.Count >= _routes.Capacity)
            {
                EvictOldest();
            }

            route = new Route();
            _routes.Set(destination, route);
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
        // Backwards: Remove moves the last entry into the hole, and that entry has been visited already.
        for (int i = _routes.Count - 1; i >= 0; i--)
        {
            if (((Route)_routes.ValueAt(i)).NextHop == nextHop)
            {
                _routes.Remove(_routes.KeyAt(i));
            }
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
        for (int i = 0; i < _routes.Count; i++)
        {
            uint id = _routes.KeyAt(i);
            if ((byte)id != hint)
            {
                continue;
            }

            var route = (Route)_routes.ValueAt(i);
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
        var route = (Route?)_routes.Get(destination);
        return route == null || nowMs - route.LearnedMs >= _lifetimeMs ? -1 : route.Hops;
    }

    private void EvictOldest()
    {
        int oldestIndex = -1;
        long oldest = long.MaxValue;
        for (int i = 0; i < _routes.Count; i++)
        {
            var route = (Route)_routes.ValueAt(i);
            if (route.LearnedMs < oldest)
            {
                oldest = route.LearnedMs;
                oldestIndex = i;
            }
        }

        if (oldestIndex >= 0)
        {
            _routes.Remove(_routes.KeyAt(oldestIndex));
        }
    }

    private sealed class Route
    {
        public byte NextHop;
        public int Hops;
        public long LearnedMs;
    }
}
