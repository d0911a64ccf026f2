using MeshMessenger.Gateway.Ingest;

namespace MeshMessenger.Gateway.Tests;

public sealed class RateLimiterTests
{
    [Fact]
    public void A_node_gets_its_burst_then_its_rate_and_memory_stays_bounded()
    {
        var limiter = new RateLimiter(perMinute: 60, burst: 3);
        Assert.Equal([true, true, true, false], Enumerable.Range(0, 4).Select(_ => limiter.Allow(1, 0)));
        Assert.True(limiter.Allow(1, 1000)); // one token a second
        Assert.False(limiter.Allow(1, 1000));

        for (uint id = 2; id < RateLimiter.MaxNodes + 10; id++)
        {
            limiter.Allow(id, 10_000); // node 1's bucket has refilled by now and may be forgotten
        }

        Assert.InRange(limiter.Count, 1, RateLimiter.MaxNodes);
        Assert.True(limiter.Allow(1, 10_000)); // forgotten or full: the same answer
    }
}
