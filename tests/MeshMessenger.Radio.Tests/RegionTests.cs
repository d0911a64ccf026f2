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

    [Theory]
    [InlineData("US", 902.0, 928.0)]
    [InlineData("EU_433", 433.0, 434.0)]
    [InlineData("EU_868", 869.4, 869.65)]
    [InlineData("CN", 470.0, 510.0)]
    [InlineData("JP", 920.5, 923.5)]
    [InlineData("ANZ", 915.0, 928.0)]
    [InlineData("ANZ_433", 433.05, 434.79)]
    [InlineData("RU", 868.7, 869.2)]
    [InlineData("KR", 920.0, 923.0)]
    [InlineData("TW", 920.0, 925.0)]
    [InlineData("IN", 865.0, 867.0)]
    [InlineData("NZ_865", 864.0, 868.0)]
    [InlineData("TH", 920.0, 925.0)]
    [InlineData("UA_433", 433.0, 434.7)]
    [InlineData("UA_868", 868.0, 868.6)]
    [InlineData("MY_433", 433.0, 435.0)]
    [InlineData("SG_923", 917.0, 925.0)]
    [InlineData("PH_433", 433.0, 434.7)]
    [InlineData("PH_868", 868.0, 869.4)]
    [InlineData("PH_915", 915.0, 918.0)]
    [InlineData("KZ_433", 433.075, 434.775)]
    [InlineData("KZ_863", 863.0, 868.0)]
    [InlineData("NP_865", 865.0, 868.0)]
    [InlineData("BR_902", 902.0, 907.5)]
    public void Band_edges_are_Meshtastics_MHz_figures_to_the_hertz(string name, double lowMHz, double highMHz)
    {
        // Meshtastic's RDEF table (src/mesh/RadioInterface.cpp) in MHz; the region stores whole kHz times 1000.
        Region region = Region.Find(name)!;
        Assert.Equal((long)Math.Round(lowMHz * 1_000_000), region.LowHz);
        Assert.Equal((long)Math.Round(highMHz * 1_000_000), region.HighHz);
        Assert.Equal(0, region.LowHz % 1000);
        Assert.Equal(0, region.HighHz % 1000);
    }

    [Fact]
    public void Every_region_is_pinned_by_the_band_edge_test()
    {
        Assert.Equal(24, Region.All().Length);
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
