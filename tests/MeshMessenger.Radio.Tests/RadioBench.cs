using MeshMessenger.Emulator.Channel;
using MeshMessenger.Emulator.Chips;
using MeshMessenger.Radio.Drivers;
using MeshMessenger.Radio.LoRa;
using MeshMessenger.Radio.Sx126x;
using MeshMessenger.Radio.Sx127x;

namespace MeshMessenger.Radio.Tests;

/// <summary>Simulated chips on one air and one virtual clock, with drivers attached: the test bench.</summary>
internal sealed class RadioBench
{
    public ChipAir Air { get; } = new(new LogDistancePathLoss());

    public ChipClock Clock { get; } = new();

    public static LoRaRadioSettings EuLongFast(int powerDbm = 14) => LoRaRadioSettings.For(Region.Eu868, ModemPreset.LongFast, powerDbm);

    public (SimulatedSx1262 Chip, Sx1262Driver Driver) Sx1262(double x = 0, double y = 0)
    {
        var chip = new SimulatedSx1262(Air, Clock, x, y);
        return (chip, new Sx1262Driver(chip, chip, Clock));
    }

    public (SimulatedSx1276 Chip, Sx1276Driver Driver) Sx1276(double x = 0, double y = 0)
    {
        var chip = new SimulatedSx1276(Air, Clock, x, y);
        return (chip, new Sx1276Driver(chip, chip, Clock));
    }

    /// <summary>A driver over a simulated chip of the named kind ("SX1262" or "SX1276").</summary>
    public (SimulatedChip Chip, LoRaTransceiver Driver) Radio(string chip, double x = 0, double y = 0) =>
        chip == "SX1262" ? Sx1262(x, y) : Sx1276(x, y);

    /// <summary>What the channel model says a receiver at <paramref name="distanceM"/> should measure.</summary>
    public static (double Rssi, double Snr) Expected(LoRaRadioSettings settings, double distanceM)
    {
        var budget = new LinkBudget(settings.Modulation, settings.TxPowerDbm, 0, 6);
        double rssi = budget.RssiDbm(new LogDistancePathLoss().LossDb(distanceM));
        return (rssi, budget.SnrDb(rssi));
    }
}
