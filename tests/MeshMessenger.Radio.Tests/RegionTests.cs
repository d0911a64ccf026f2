using MeshMessenger.Radio.LoRa;

namespace MeshMessenger.Radio.Tests;

/// <summary>Regions and presets as shared data, pinned to Meshtastic's channel plan so both land on one frequency.</summary>
public sealed class RegionTests
{
    [Theory]
    [InlineData("EU_868", 869_525_000)] // the one 250 kHz slot of 869.4-869.65 MHz
    [InlineData("US", 906_875_000)]     // djb2("LongFast") mod 104 = 19 → 902 + 0.125 + 19 · 0.25 MHz
    [InlineData("EU_433", 433_875_000)]
    public void LongFast_lands_on_Meshtastics_default_frequency(string region, long hz)
    {
        Assert.Equal(hz, Region.Find(region)!.DefaultFrequencyHz);
    }

    [Fact]
    public void Channel_counts_follow_the_band_width()
    {
        Assert.Equal(104, Region.Us915.ChannelCount(250_000));
        Assert.Equal(1, Region.Eu868.ChannelCount(250_000));
        Assert.Equal(0, Region.Eu868.ChannelCount(500_000));
        Assert.Equal(0, Region.Eu868.FrequencyHz(500_000, "ShortTurbo"));
    }

    [Fact]
    public void Every_region_has_a_unique_name_a_sane_band_and_a_duty_cycle()
    {
        Region[] all = Region.All();
        Assert.Equal(all.Length, all.Select(r => r.Name).Distinct().Count());
        Assert.All(all, r =>
        {
            Assert.True(r.LowHz < r.HighHz, r.Name);
            Assert.InRange(r.DutyCyclePercent, 1, 100);
            Assert.InRange(r.DefaultFrequencyHz, r.LowHz, r.HighHz);
        });
        Assert.Equal(10, Region.Find("eu_868")!.DutyCyclePercent);
        Assert.Equal(1, Region.Find("UA_868")!.DutyCyclePercent);
        Assert.Null(Region.Find("ATLANTIS"));
    }

    [Fact]
    public void Presets_carry_Meshtastics_parameters()
    {
        Assert.Equal(9, ModemPreset.All().Length);
        Assert.Equal((11, 250_000, 5), Shape(ModemPreset.LongFast));
        Assert.Equal((12, 125_000, 8), Shape(ModemPreset.LongSlow));
        Assert.Equal((7, 500_000, 5), Shape(ModemPreset.ShortTurbo));
        Assert.Equal((11, 500_000, 8), Shape(ModemPreset.LongTurbo));
        Assert.All(ModemPreset.All(), p => Assert.Equal(16, p.Modulation.PreambleSymbols));

        static (int, int, int) Shape(ModemPreset p) => (p.Modulation.SpreadingFactor, p.Modulation.BandwidthHz, p.Modulation.CodingRateDenominator);
    }
}
