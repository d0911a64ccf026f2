using MeshMessenger.Radio.LoRa;

namespace MeshMessenger.Emulator.Tests;

/// <summary>
/// Semtech's formula (AN1200.13 §4) pinned against figures computed by hand here, step by step, and
/// against Meshtastic's LongFast figures (723 ms for 64 bytes, 2.16 s for 255 bytes).
/// </summary>
public sealed class TimeOnAirTests
{
    [Fact]
    public void LongFast_64_bytes_takes_723_ms()
    {
        // Tsym = 2^11 / 250 kHz = 8.192 ms; preamble (16 + 4.25) · 8.192 = 165.888 ms.
        // DE = 0 (8.192 ms < 16.38 ms); ceil((512 − 44 + 28 + 16) / 44) = ceil(11.64) = 12; 12 · 5 + 8 = 68 symbols = 557.056 ms.
        Assert.Equal(722_944, TimeOnAir.Microseconds(ModemPreset.LongFast.Modulation, 64));
    }

    [Fact]
    public void LongFast_255_bytes_takes_2157_ms()
    {
        // ceil((2040 − 44 + 28 + 16) / 44) = ceil(46.36) = 47; 47 · 5 + 8 = 243 symbols = 1990.656 ms; + 165.888 ms.
        Assert.Equal(2_156_544, TimeOnAir.Microseconds(ModemPreset.LongFast.Modulation, 255));
        Assert.Equal(2157, TimeOnAir.Milliseconds(ModemPreset.LongFast.Modulation, 255));
    }

    [Fact]
    public void SF7_125kHz_20_bytes_with_an_8_symbol_preamble_takes_56_6_ms()
    {
        // Tsym = 1.024 ms; preamble 12.25 · 1.024 = 12.544 ms; ceil((160 − 28 + 28 + 16) / 28) = 7; 7 · 5 + 8 = 43 → 44.032 ms.
        var m = new LoRaModulation(7, 125_000, 5, 8, explicitHeader: true, crcOn: true);
        Assert.Equal(56_576, TimeOnAir.Microseconds(m, 20));
    }

    [Fact]
    public void Low_data_rate_optimisation_applies_from_16_38_ms_symbols()
    {
        // SF12 / 125 kHz: Tsym = 32.768 ms, DE = 1; 10 bytes, 4/5, 8-symbol preamble, implicit header, no CRC:
        // ceil((80 − 48 + 28 + 0 − 20) / (4 · 10)) = 1; 1 · 5 + 8 = 13 symbols; (12.25 + 13) · 32.768 = 827.392 ms.
        var m = new LoRaModulation(12, 125_000, 5, 8, explicitHeader: false, crcOn: false);
        Assert.True(m.LowDataRateOptimize);
        Assert.Equal(827_392, TimeOnAir.Microseconds(m, 10));
        Assert.True(new LoRaModulation(11, 125_000, 5, 8, true, true).LowDataRateOptimize);
        Assert.False(ModemPreset.LongFast.Modulation.LowDataRateOptimize);
    }

    [Fact]
    public void Demodulation_floors_step_2_5_dB_per_spreading_factor()
    {
        Assert.Equal(-7.5, new LoRaModulation(7, 125_000, 5, 8, true, true).DemodulationFloorDb);
        Assert.Equal(-17.5, ModemPreset.LongFast.Modulation.DemodulationFloorDb);
        Assert.Equal(-20, ModemPreset.LongSlow.Modulation.DemodulationFloorDb);
    }

    [Fact]
    public void Invalid_settings_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new LoRaModulation(13, 125_000, 5, 8, true, true));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LoRaModulation(7, 125_000, 9, 8, true, true));
        Assert.Throws<ArgumentOutOfRangeException>(() => TimeOnAir.Microseconds(new LoRaModulation(6, 125_000, 5, 8, false, true), 10));
        Assert.Null(ModemPreset.Find("VeryFast"));
        Assert.Equal(10, Region.Find("eu_868")!.DutyCyclePercent);
    }
}
