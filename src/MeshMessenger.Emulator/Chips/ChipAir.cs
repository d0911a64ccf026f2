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

    /// <summary>Every packet sent so far (or within <see cref="RetainMicroseconds"/> of the newest).</summary>
    public IReadOnlyList<AirPacket> Packets => _packets;

    /// <summary>
    /// Received power from one chip at another, replacing the distance and path-loss rule
    /// (the emulator passes its own links, shadowing included); negative infinity for no link.
    /// </summary>
    public Func<SimulatedChip, SimulatedChip, double>? LinkRssiDbm { get; set; }

    /// <summary>Packets that ended this long before a new one starts are forgotten (0 keeps all): bounds the work of long runs.</summary>
    public long RetainMicroseconds { get; set; }

    /// <summary>Told of every packet as it goes on air.</summary>
    public Action<AirPacket>? Started { get; set; }

    /// <summary>
    /// CAD sensitivity relative to the demodulation floor (Meshtasticator and <see cref="LinkBudget.CadThresholdDbm"/>:
    /// 3 dB below it).
    /// </summary>
    public double CadMarginDb { get; set; } = 3;

    /// <summary>The next packet put on air arrives with a broken payload (receivers see a CRC error).</summary>
    public void CorruptNextPacket() => _corruptNext = true;

    /// <summary>A chip starts transmitting.</summary>
    public AirPacket Transmit(SimulatedChip sender, byte[] bytes, long startUs, long frequencyHz, LoRaModulation modulation, byte syncWord, double txPowerDbm)
    {
        var packet = new AirPacket(sender, bytes, startUs, startUs + TimeOnAir.Microseconds(modulation, bytes.Length), frequencyHz, modulation, syncWord, txPowerDbm, _corruptNext);
        _corruptNext = false;
        if (RetainMicroseconds > 0)
        {
            _packets.RemoveAll(p => p.EndUs < startUs - RetainMicroseconds);
        }

        _packets.Add(packet);
        Started?.Invoke(packet);
        return packet;
    }

    /// <summary>
    /// Channel activity detection: true if LoRa symbols of a packet the receiver could lock on to (same
    /// frequency, spreading factor and bandwidth; any sync word, since CAD correlates chirps, not the sync
    /// word) are on air for at least one symbol of [<paramref name="fromUs"/>, <paramref name="toUs"/>) and
    /// arrive above the CAD threshold.
    /// </summary>
    public bool AnyOnAir(SimulatedChip receiver, long fromUs, long toUs, long frequencyHz, LoRaModulation modulation)
    {
        long symbolUs = (long)modulation.SymbolMicroseconds;
        long needed = Math.Min(symbolUs, toUs - fromUs);
        foreach (AirPacket p in _packets)
        {
            if (Math.Min(p.EndUs, toUs) - Math.Max(p.StartUs, fromUs) >= needed
                && Hear(receiver, p, frequencyHz, modulation, p.SyncWord, CadMarginDb) is not null)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True if a packet the receiver could lock on to started in [<paramref name="fromUs"/>, <paramref name="toUs"/>).</summary>
    public bool AnyStarted(SimulatedChip receiver, long fromUs, long toUs, long frequencyHz, LoRaModulation modulation, byte syncWord) =>
        _packets.Any(p => p.StartUs >= fromUs && p.StartUs < toUs && Hear(receiver, p, frequencyHz, modulation, syncWord, 0) is not null);

    /// <summary>
    /// True if the receiver, listening since <paramref name="fromUs"/>, is locked on to a packet still on
    /// air at <paramref name="nowUs"/> (preamble detected, RxDone still to come).
    /// </summary>
    public bool Locked(SimulatedChip receiver, long fromUs, long nowUs, long frequencyHz, LoRaModulation modulation, byte syncWord) =>
        LockedPacket(receiver, fromUs, nowUs, frequencyHz, modulation, syncWord) is not null;

    /// <summary>
    /// The packet the receiver, listening since <paramref name="fromUs"/>, has locked on to at
    /// <paramref name="nowUs"/>, or null. <paramref name="syncWord"/> -1 takes a packet with any sync word: the
    /// preamble is the same whatever the sync word, so a receiver detects it before the sync word tells them apart.
    /// </summary>
    public AirPacket? LockedPacket(SimulatedChip receiver, long fromUs, long nowUs, long frequencyHz, LoRaModulation modulation, int syncWord)
    {
        long lockUs = LockUs(modulation);
        foreach (AirPacket p in _packets)
        {
            if (p.StartUs <= nowUs && p.EndUs > nowUs && p.StartUs + lockUs >= fromUs
                && Hear(receiver, p, frequencyHz, modulation, syncWord < 0 ? p.SyncWord : (byte)syncWord, 0) is not null)
            {
                return p;
            }
        }

        return null;
    }

    /// <summary>
    /// The first packet that ended in (<paramref name="fromUs"/>, <paramref name="toUs"/>] whose preamble's
    /// critical section began after the receiver began listening at <paramref name="fromUs"/>, as the
    /// receiver hears it; null if none survived.
    /// </summary>
    public AirArrival? NextArrival(SimulatedChip receiver, long fromUs, long toUs, long frequencyHz, LoRaModulation modulation, byte syncWord)
    {
        var live = _packets.Where(p => p.EndUs > fromUs).ToList();
        var audible = live
            .Select(p => Hear(receiver, p, frequencyHz, modulation, syncWord, 0))
            .OfType<AirArrival>()
            .ToList();

        // Interferers: any same-SF packet up to 10 dB below the demodulation floor, whatever its sync word
        // (the RadioMedium keeps links down to the same floor for the same reason).
        var interferers = live
            .Select(p => Hear(receiver, p, frequencyHz, modulation, p.SyncWord, 10))
            .OfType<AirArrival>()
            .ToList();

        // A receiver that starts listening during a preamble still locks on if enough of it is left: the
        // last 5 preamble symbols and the header are the critical section (the RadioMedium's rule, after
        // Meshtasticator), so it must listen from preamble − 5 symbols on. A chip coming out of CAD or TX
        // therefore still catches a packet whose preamble it has only just missed the start of.
        long lockUs = LockUs(modulation);
        foreach (AirArrival a in audible.Where(a => a.Packet.StartUs + lockUs >= fromUs && a.Packet.EndUs <= toUs).OrderBy(a => a.Packet.EndUs))
        {
            bool destroyed = interferers.Any(o => o.Packet != a.Packet
                && o.Packet.StartUs < a.Packet.EndUs && o.Packet.EndUs > a.Packet.StartUs
                && a.RssiDbm - o.RssiDbm < RadioMedium.CaptureThresholdDb);
            if (!destroyed)
            {
                return a;
            }
        }

        return null;
    }

    private static long LockUs(LoRaModulation modulation) => (long)(Math.Max(0, modulation.PreambleSymbols - 5) * modulation.SymbolMicroseconds);

    private AirArrival? Hear(SimulatedChip receiver, AirPacket p, long frequencyHz, LoRaModulation modulation, byte syncWord, double marginDb)
    {
        if (p.Sender == receiver
            || Math.Abs(p.FrequencyHz - frequencyHz) > modulation.BandwidthHz / 4
            || p.Modulation.SpreadingFactor != modulation.SpreadingFactor
            || p.Modulation.BandwidthHz != modulation.BandwidthHz
            || p.SyncWord != syncWord)
        {
            return null;
        }

        var budget = new LinkBudget(modulation, p.TxPowerDbm, 0, noiseFigureDb);
        double rssi;
        if (LinkRssiDbm is not null)
        {
            rssi = LinkRssiDbm(p.Sender, receiver);
        }
        else
        {
            double distance = Math.Max(1, Math.Sqrt(Math.Pow(p.Sender.X - receiver.X, 2) + Math.Pow(p.Sender.Y - receiver.Y, 2)));
            rssi = budget.RssiDbm(pathLoss.LossDb(distance));
        }

        return rssi < budget.SensitivityDbm - marginDb ? null : new AirArrival(p, rssi, budget.SnrDb(rssi), p.Corrupted);
    }
}
