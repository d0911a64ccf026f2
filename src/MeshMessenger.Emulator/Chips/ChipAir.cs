using MeshMessenger.Emulator.Channel;
using MeshMessenger.Radio.LoRa;

namespace MeshMessenger.Emulator.Chips;

/// <summary>
/// The emulator's radio channel for simulated chips: positions, path loss and the link budget decide who
/// hears a packet and at what RSSI and SNR; two packets overlapping at a receiver collide unless one is
/// <see cref="RadioMedium.CaptureThresholdDb"/> stronger; frequency, spreading factor, bandwidth and
/// sync word must match. Lets the drivers be tested against chip behaviour end to end.
/// </summary>
public sealed class ChipAir(PathLossModel pathLoss, double noiseFigureDb = 6)
{
    private readonly List<AirPacket> _packets = [];
    private bool _corruptNext;

    /// <summary>Every packet sent so far.</summary>
    public IReadOnlyList<AirPacket> Packets => _packets;

    /// <summary>The next packet put on air arrives with a broken payload (receivers see a CRC error).</summary>
    public void CorruptNextPacket() => _corruptNext = true;

    /// <summary>A chip starts transmitting.</summary>
    public AirPacket Transmit(SimulatedChip sender, byte[] bytes, long startUs, long frequencyHz, LoRaModulation modulation, byte syncWord, double txPowerDbm)
    {
        var packet = new AirPacket(sender, bytes, startUs, startUs + TimeOnAir.Microseconds(modulation, bytes.Length), frequencyHz, modulation, syncWord, txPowerDbm, _corruptNext);
        _corruptNext = false;
        _packets.Add(packet);
        return packet;
    }

    /// <summary>True if a packet the receiver could lock on to started in [<paramref name="fromUs"/>, <paramref name="toUs"/>).</summary>
    public bool AnyStarted(SimulatedChip receiver, long fromUs, long toUs, long frequencyHz, LoRaModulation modulation, byte syncWord) =>
        _packets.Any(p => p.StartUs >= fromUs && p.StartUs < toUs && Hear(receiver, p, frequencyHz, modulation, syncWord) is not null);

    /// <summary>
    /// The first packet that ended in (<paramref name="fromUs"/>, <paramref name="toUs"/>] and started after the
    /// receiver began listening at <paramref name="fromUs"/>, as the receiver hears it; null if none survived.
    /// </summary>
    public AirArrival? NextArrival(SimulatedChip receiver, long fromUs, long toUs, long frequencyHz, LoRaModulation modulation, byte syncWord)
    {
        var audible = _packets
            .Where(p => p.EndUs > fromUs)
            .Select(p => Hear(receiver, p, frequencyHz, modulation, syncWord))
            .OfType<AirArrival>()
            .ToList();
        foreach (AirArrival a in audible.Where(a => a.Packet.StartUs >= fromUs && a.Packet.EndUs <= toUs).OrderBy(a => a.Packet.EndUs))
        {
            bool destroyed = audible.Any(o => o != a
                && o.Packet.StartUs < a.Packet.EndUs && o.Packet.EndUs > a.Packet.StartUs
                && a.RssiDbm - o.RssiDbm < RadioMedium.CaptureThresholdDb);
            if (!destroyed)
            {
                return a;
            }
        }

        return null;
    }

    private AirArrival? Hear(SimulatedChip receiver, AirPacket p, long frequencyHz, LoRaModulation modulation, byte syncWord)
    {
        if (p.Sender == receiver
            || Math.Abs(p.FrequencyHz - frequencyHz) > modulation.BandwidthHz / 4
            || p.Modulation.SpreadingFactor != modulation.SpreadingFactor
            || p.Modulation.BandwidthHz != modulation.BandwidthHz
            || p.SyncWord != syncWord)
        {
            return null;
        }

        double distance = Math.Max(1, Math.Sqrt(Math.Pow(p.Sender.X - receiver.X, 2) + Math.Pow(p.Sender.Y - receiver.Y, 2)));
        var budget = new LinkBudget(modulation, p.TxPowerDbm, 0, noiseFigureDb);
        double rssi = budget.RssiDbm(pathLoss.LossDb(distance));
        return rssi < budget.SensitivityDbm ? null : new AirArrival(p, rssi, budget.SnrDb(rssi), p.Corrupted);
    }
}
