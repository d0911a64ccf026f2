using MeshMessenger.Gateway.Ingest;

namespace MeshMessenger.Gateway.Tests;

public sealed class RateLimiterTests
{
    [Fact]
    public void A_key_gets_its_burst_then_its_rate_and_memory_stays_bounded()
    {
        var limiter = new RateLimiter(perMinute: 60, burst: 3);
        Assert.Equal([true, true, true, false], Enumerable.Range(0, 4).Select(_ => limiter.Allow("a", 0)));
        Assert.Equal(TimeSpan.FromSeconds(1), limiter.RetryAfter("a", 0));
        Assert.True(limiter.Allow("a", 1000)); // one token a second
        Assert.False(limiter.Allow("a", 1000));

        for (int id = 0; id < RateLimiter.MaxKeys + 10; id++)
        {
            limiter.Allow($"k{id}", 10_000); // a's bucket has refilled by now and may be forgotten
        }

        Assert.InRange(limiter.Count, 1, RateLimiter.MaxKeys);
        Assert.True(limiter.Allow("a", 10_000)); // forgotten or full: the same answer
    }

    [Fact]
    public void Checking_spends_nothing_and_an_empty_bucket_says_when_to_come_back()
    {
        var limiter = new RateLimiter(perMinute: 30, burst: 1);
        Assert.True(limiter.HasToken("a", 0));
        Assert.True(limiter.HasToken("a", 0));
        limiter.Spend("a", 0);
        Assert.False(limiter.HasToken("a", 0));
        Assert.Equal(TimeSpan.FromSeconds(2), limiter.RetryAfter("a", 0));
        Assert.True(limiter.HasToken("a", 2000));
        Assert.True(new RateLimiter(0, 0).Allow("anyone", 0)); // a rate of 0 is no limit
    }

    [Fact]
    public void A_link_address_that_sends_junk_spends_only_its_own_junk_budget()
    {
        var budgets = new LinkBudgets(perMinute: 60, burst: 2);
        string attacker = LinkBudgets.KeyOf(IngestSource.Udp, "10.0.0.66:5000", 0)!;
        string victim = LinkBudgets.KeyOf(IngestSource.Udp, "10.0.0.2:4000", 0)!;
        budgets.Charge(attacker, storedNewEntry: false, 0);
        budgets.Charge(attacker, storedNewEntry: false, 0);
        Assert.False(budgets.MayProcess(attacker, 0));
        Assert.True(budgets.MayProcess(victim, 0));
        Assert.Null(LinkBudgets.KeyOf(IngestSource.Mqtt, "gw-2", 0)); // broker-authenticated and back-pressured
        Assert.Null(LinkBudgets.KeyOf(IngestSource.Emulator, "emulator", 0)); // budgeted where hosted nodes write
        Assert.NotEqual(LinkBudgets.KeyOf(IngestSource.Radio, "radio", 0x11), LinkBudgets.KeyOf(IngestSource.Radio, "radio", 0x22));

        // Another port, or another address in the same IPv6 /64, is the same sender: no fresh budget.
        Assert.Equal(LinkBudgets.KeyOf(IngestSource.Udp, "10.0.0.66:5001", 0), attacker);
        Assert.Equal(LinkBudgets.KeyOf(IngestSource.Udp, "[::ffff:10.0.0.66]:6000", 0), attacker);
        Assert.Equal(LinkBudgets.KeyOf(IngestSource.Udp, "[2001:db8:1:2::1]:4403", 0), LinkBudgets.KeyOf(IngestSource.Udp, "[2001:db8:1:2:abcd::9]:4403", 0));
        Assert.NotEqual(LinkBudgets.KeyOf(IngestSource.Udp, "[2001:db8:1:2::1]:4403", 0), LinkBudgets.KeyOf(IngestSource.Udp, "[2001:db8:1:3::1]:4403", 0));
    }
}
