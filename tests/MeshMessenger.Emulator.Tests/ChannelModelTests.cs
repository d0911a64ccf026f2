using MeshMessenger.Emulator.Channel;
using MeshMessenger.Radio.LoRa;

namespace MeshMessenger.Emulator.Tests;

public sealed class ChannelModelTests
{
    private static readonly LoRaModulation LongFast = ModemPreset.LongFast.Modulation;

    private static Reception At(long start, long end, double rssi)
    {
        // Critical section starts after 16 − 5 = 11 preamble symbols of 8.192 ms.
        var tx = new Transmission(0, new byte[10], start, end, start + 90);
        return new Reception(tx, 1, rssi, true);
    }

    [Fact]
    public void Equal_power_overlap_destroys_both()
    {
        Reception a = At(0, 1000, -100);
        Reception b = At(500, 1500, -100);
        Assert.True(RadioMedium.Destroys(b, a));
        Assert.True(RadioMedium.Destroys(a, b));
    }

    [Fact]
    public void A_signal_6_dB_stronger_captures_the_receiver()
    {
        Reception strong = At(0, 1000, -94);
        Reception weak = At(500, 1500, -100);
        Assert.False(RadioMedium.Destroys(weak, strong));
        Assert.True(RadioMedium.Destroys(strong, weak));
        Assert.True(RadioMedium.Destroys(At(500, 1500, -94.1), At(0, 1000, -100)) && RadioMedium.Destroys(At(500, 1500, -100), At(0, 1000, -94.1)));
    }

    [Fact]
    public void Overlap_only_within_the_early_preamble_is_harmless()
    {
        Reception late = At(1000, 2000, -100);    // critical section from 1090 ms
        Reception early = At(0, 1080, -100);      // ends during the late packet's first 11 preamble symbols
        Assert.False(RadioMedium.Destroys(early, late));
        Assert.True(RadioMedium.Destroys(late, early)); // but it hits the end of the early packet
    }

    [Fact]
    public void The_medium_applies_half_duplex_collisions_and_listen_before_talk()
    {
        var budget = new LinkBudget(LongFast, 20, 0, 6);
        Assert.Equal(-131.5, budget.SensitivityDbm, 1);
        // 0 and 2 both reach 1 at the same power but cannot hear each other (hidden terminals); 1 hears both.
        (int, double)[][] links = [[(1, -110.0)], [(0, -110.0), (2, -110.0)], [(1, -110.0)]];
        var medium = new RadioMedium(links, LongFast, budget);
        Transmission t0 = medium.CreateTransmission(0, new byte[50], 0);
        List<Reception> r0 = medium.Start(t0, _ => true);
        Assert.True(medium.IsBusy(1, 0));
        Assert.False(medium.IsBusy(2, 0));
        Transmission t2 = medium.CreateTransmission(2, new byte[50], 200);
        List<Reception> r2 = medium.Start(t2, _ => true);
        Assert.False(medium.EndReception(r0.Single()));
        Assert.False(medium.EndReception(r2.Single()));
        Assert.Equal(2, medium.Collided);

        // Half duplex: node 1 transmits while 0's next frame arrives.
        medium.EndTransmission(t0);
        medium.EndTransmission(t2);
        Transmission t1 = medium.CreateTransmission(1, new byte[50], 5000);
        medium.Start(t1, _ => true);
        Reception missed = medium.Start(medium.CreateTransmission(0, new byte[50], 5100), _ => true).Single();
        Assert.True(missed.Missed);
        Assert.False(medium.EndReception(missed));
        // Two losses: node 1 cannot hear 0 while it transmits, and 0 stops hearing 1's frame when it starts its own.
        Assert.Equal(2, medium.HalfDuplexLosses);
    }

    [Fact]
    public void Path_loss_models_are_monotonic_and_ordered_by_environment()
    {
        var log = new LogDistancePathLoss();
        Assert.Equal(127.41, log.LossDb(40), 2);
        Assert.Equal(127.41 + 20.8, log.LossDb(400), 2);
        var urban = new OkumuraHataPathLoss(868, 30, 1.5, OkumuraHataPathLoss.Environment.SmallCity);
        var suburban = new OkumuraHataPathLoss(868, 30, 1.5, OkumuraHataPathLoss.Environment.Suburban);
        var rural = new OkumuraHataPathLoss(868, 30, 1.5, OkumuraHataPathLoss.Environment.Rural);
        Assert.True(urban.LossDb(2000) > suburban.LossDb(2000));
        Assert.True(suburban.LossDb(2000) > rural.LossDb(2000));
        Assert.True(urban.LossDb(4000) > urban.LossDb(2000));
    }
}
