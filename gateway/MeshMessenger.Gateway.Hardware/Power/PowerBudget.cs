using MeshMessenger.Gateway.Hardware.Boards;
using MeshMessenger.Radio.LoRa;

namespace MeshMessenger.Gateway.Hardware.Power;

/// <summary>
/// Average current and battery life from the datasheet currents in a board's pin file and the airtime
/// model: the radio listens all the time except while it transmits (a mesh node must hear its
/// neighbours), and the host is active for a while per frame sent or heard, idle otherwise.
/// </summary>
public static class PowerBudget
{
    /// <summary>Usable share of a battery's rated capacity (cut-off voltage, ageing, cold).</summary>
    public const double UsableBatteryShare = 0.85;

    /// <summary>Efficiency of a Pi's 5 V → 3.3 V switching regulator for the radio's current.</summary>
    public const double RegulatorEfficiency = 0.9;

    /// <summary>Estimates an hour of <paramref name="sentPerHour"/> frames sent and <paramref name="heardPerHour"/> heard.</summary>
    public static PowerEstimate Estimate(BoardProfile board, ModemPreset preset, double sentPerHour, double heardPerHour, int frameBytes, double activeSecondsPerFrame, double? batteryMah = null)
    {
        if (sentPerHour < 0 || heardPerHour < 0 || frameBytes is < 1 or > 255 || activeSecondsPerFrame < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(sentPerHour), "frames per hour and active seconds must not be negative, frame bytes 1-255");
        }

        BoardPower p = board.Power;
        double airtimeMs = TimeOnAir.Microseconds(preset.Modulation, frameBytes) / 1000.0;
        double txSeconds = Math.Min(3600, sentPerHour * airtimeMs / 1000);
        double txShare = txSeconds / 3600;

        // Radio currents are at 3.3 V: on a battery board an LDO passes the same current; on a Pi the 5 V
        // supply delivers it through a switching regulator.
        double toSupply = p.SupplyVolts > 4.5 ? 3.3 / (p.SupplyVolts * RegulatorEfficiency) : 1.0;
        double radioMa = ((txShare * p.RadioTxMa) + ((1 - txShare) * p.RadioRxMa)) * toSupply;
        double activeShare = Math.Min(1, (sentPerHour + heardPerHour) * activeSecondsPerFrame / 3600);
        double hostMa = (activeShare * p.HostActiveMa) + ((1 - activeShare) * p.HostIdleMa);
        double total = radioMa + hostMa;
        double battery = batteryMah ?? p.BatteryMah ?? 0;
        return new PowerEstimate(
            board.Name,
            preset.Name,
            frameBytes,
            airtimeMs,
            txSeconds,
            txShare * 100,
            radioMa,
            hostMa,
            total,
            p.SupplyVolts,
            total * p.SupplyVolts,
            battery,
            battery <= 0 ? 0 : battery * UsableBatteryShare / total);
    }
}
