using MeshMessenger.Gateway.Hardware.Boards;
using MeshMessenger.Gateway.Hardware.Power;
using MeshMessenger.Radio.LoRa;

namespace MeshMessenger.Gateway.Hardware.Tests;

public sealed class PowerBudgetTests
{
    private static readonly BoardCatalog Source = new(SourceTree.BoardsDirectory);

    [Fact]
    public void A_Heltec_V3_sending_20_and_hearing_200_frames_an_hour_lasts_two_weeks_on_3000_mAh()
    {
        PowerEstimate e = PowerBudget.Estimate(Source.Load("heltec-wifi-lora-32-v3"), ModemPreset.LongFast, 20, 200, 160, 0.5);

        // By hand: 160 B on LongFast = 165.888 + 158 · 8.192 = 1460.224 ms; 20 frames = 29.204 s (0.811 %).
        Assert.Equal(1460.224, e.FrameAirtimeMs, 3);
        Assert.Equal(29.204, e.TransmitSecondsPerHour, 3);
        double tx = 29.20448 / 3600;
        double radio = (tx * 118) + ((1 - tx) * 4.6);          // SX1262 datasheet currents
        double active = 220 * 0.5 / 3600;
        double host = (active * 40) + ((1 - active) * 0.8);     // ESP32-S3 awake / light sleep
        Assert.Equal(radio, e.RadioAverageMa, 6);
        Assert.Equal(host, e.HostAverageMa, 6);
        Assert.Equal(3000 * 0.85 / (radio + host), e.BatteryHours, 6);
        Assert.InRange(e.BatteryHours / 24, 13, 15);
    }

    [Fact]
    public void More_traffic_costs_more_and_an_SX1276_listens_at_twice_the_current()
    {
        BoardProfile heltec = Source.Load("heltec-wifi-lora-32-v3");
        BoardProfile tbeam = Source.Load("lilygo-t-beam-sx1276");
        double quiet = PowerBudget.Estimate(heltec, ModemPreset.LongFast, 5, 50, 160, 0.5).AverageMa;
        double busy = PowerBudget.Estimate(heltec, ModemPreset.LongFast, 60, 600, 160, 0.5).AverageMa;
        Assert.True(busy > quiet);
        Assert.True(PowerBudget.Estimate(tbeam, ModemPreset.LongFast, 5, 50, 160, 0.5).RadioAverageMa > 2 * PowerBudget.Estimate(heltec, ModemPreset.LongFast, 5, 50, 160, 0.5).RadioAverageMa);
    }

    [Fact]
    public void A_Pi_draws_the_radio_current_through_its_5_V_supply()
    {
        PowerEstimate e = PowerBudget.Estimate(Source.Load("waveshare-sx1262-hat"), ModemPreset.LongFast, 0, 0, 100, 0.01, 20000);
        Assert.Equal(4.6 * 3.3 / (5 * 0.9), e.RadioAverageMa, 6);
        Assert.Equal(540, e.HostAverageMa, 6);
        Assert.Equal(20000 * 0.85 / e.AverageMa, e.BatteryHours, 6);
    }

    [Fact]
    public void Nonsense_traffic_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PowerBudget.Estimate(Source.Load("ttgo-lora32-v21"), ModemPreset.LongFast, -1, 0, 100, 0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => PowerBudget.Estimate(Source.Load("ttgo-lora32-v21"), ModemPreset.LongFast, 1, 0, 300, 0.5));
    }
}
