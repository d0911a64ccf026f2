using MeshMessenger.Radio.LoRa;

namespace MeshMessenger.Emulator.Channel;

/// <summary>
/// The shared LoRa channel: who hears whom at what power, which receptions survive overlapping
/// transmissions, half duplex, and what a listen-before-talk check sees. One channel, one spreading
/// factor: every device uses the scenario's preset, so every overlap is co-channel and same-SF. Links are
/// directed: <c>links[a]</c> lists who hears a, at the power they hear it (shadowing differs by direction).
/// </summary>
public sealed class RadioMedium
{
    /// <summary>Capture threshold: a packet survives an overlapping one at least this much weaker (Meshtasticator, after Bor et al. 2016).</summary>
    public const double CaptureThresholdDb = 6;

    private (int To, double RssiDbm)[][] _links;
    private readonly List<Reception>[] _active;
    private readonly bool[] _transmitting;
    private readonly long[] _busyUntil;
    private readonly long[] _transmitUntil;
    private readonly ChannelActivityDetection _cad;
    private readonly long[] _busyMs;
    private readonly LinkBudget _budget;
    private readonly double _symbolMs;
    private readonly int _preamble;

    /// <summary>
    /// A channel over precomputed links (each device's audible neighbours and received power); carrier sense is
    /// <paramref name="cad"/>, or perfect and instantaneous when null.
    /// </summary>
    public RadioMedium((int To, double RssiDbm)[][] links, LoRaModulation modulation, LinkBudget budget, ChannelActivityDetection? cad = null)
    {
        _links = links;
        _active = new List<Reception>[links.Length];
        for (int i = 0; i < links.Length; i++)
        {
            _active[i] = [];
        }

        _transmitting = new bool[links.Length];
        _busyUntil = new long[links.Length];
        _transmitUntil = new long[links.Length];
        _cad = cad ?? ChannelActivityDetection.Ideal;
        _busyMs = new long[links.Length];
        _budget = budget;
        _symbolMs = modulation.SymbolMicroseconds / 1000.0;
        _preamble = modulation.PreambleSymbols;
        Modulation = modulation;
    }

    /// <summary>The modulation in use.</summary>
    public LoRaModulation Modulation { get; }

    /// <summary>Receptions above the demodulation floor ("sensed", Meshtasticator's term).</summary>
    public long Sensed { get; private set; }

    /// <summary>Sensed receptions destroyed by an overlapping transmission.</summary>
    public long Collided { get; private set; }

    /// <summary>Sensed receptions lost because the receiver was transmitting.</summary>
    public long HalfDuplexLosses { get; private set; }

    /// <summary>Carrier-sense checks that found a packet above the CAD threshold on air for less than one scan (not yet detectable).</summary>
    public long CadTooEarly { get; private set; }

    /// <summary>Carrier-sense checks in which a scan missed a detectable packet.</summary>
    public long CadMisses { get; private set; }

    /// <summary>The carrier-sense model.</summary>
    public ChannelActivityDetection Cad => _cad;

    /// <summary>True if 'other' destroys 'victim': it overlaps the victim's critical section and the victim is not at least <see cref="CaptureThresholdDb"/> stronger.</summary>
    public static bool Destroys(Reception other, Reception victim) =>
        other.Transmission.StartMs < victim.Transmission.EndMs
        && other.Transmission.EndMs > victim.Transmission.CriticalStartMs
        && victim.RssiDbm - other.RssiDbm < CaptureThresholdDb;

    /// <summary>The transmission a device starts now, with its timing.</summary>
    public Transmission CreateTransmission(int sender, byte[] bytes, long nowMs)
    {
        long airtime = (TimeOnAir.Microseconds(Modulation, bytes.Length) + 999) / 1000;
        long critical = nowMs + (long)Math.Round((_preamble - 5) * _symbolMs);
        return new Transmission(sender, bytes, nowMs, nowMs + airtime, critical);
    }

    /// <summary>
    /// Puts a transmission on air: the sender stops hearing (half duplex), and every device that can hear it
    /// gets a reception, checked against what it is already hearing. <paramref name="listening"/> says
    /// which devices are switched on.
    /// </summary>
    public List<Reception> Start(Transmission tx, Func<int, bool> listening)
    {
        int sender = tx.Sender;
        _transmitting[sender] = true;
        _transmitUntil[sender] = tx.EndMs;
        AddBusy(sender, tx.StartMs, tx.EndMs);
        foreach (Reception ongoing in _active[sender])
        {
            if (!ongoing.Missed && ongoing.Demodulable)
            {
                HalfDuplexLosses++;
            }

            ongoing.Missed = true;
        }

        var receptions = new List<Reception>(_links[sender].Length);
        foreach ((int to, double rssi) in _links[sender])
        {
            if (!listening(to))
            {
                continue;
            }

            var r = new Reception(tx, to, rssi, rssi >= _budget.SensitivityDbm);
            if (r.Demodulable)
            {
                Sensed++;
                AddBusy(to, tx.StartMs, tx.EndMs);
            }

            // Half duplex: a receiver still transmitting when the packet's critical section begins cannot lock on
            // to it (it needs the last preamble symbols, see Transmission.CriticalStartMs) and stays deaf to it.
            // The ideal model keeps the former rule: transmitting when the packet starts is enough to miss it.
            if (_transmitting[to] && (_transmitUntil[to] > tx.CriticalStartMs || _cad == ChannelActivityDetection.Ideal))
            {
                r.Missed = true;
                if (r.Demodulable)
                {
                    HalfDuplexLosses++;
                }
            }

            foreach (Reception other in _active[to])
            {
                if (Destroys(other, r))
                {
                    r.Collided = true;
                }

                if (Destroys(r, other))
                {
                    other.Collided = true;
                }
            }

            _active[to].Add(r);
            receptions.Add(r);
        }

        return receptions;
    }

    /// <summary>The transmission is over: the sender listens again.</summary>
    public void EndTransmission(Transmission tx) => _transmitting[tx.Sender] = false;

    /// <summary>A reception is over; true if the receiver gets the frame.</summary>
    public bool EndReception(Reception r)
    {
        _active[r.Receiver].Remove(r);
        if (r.Demodulable && r.Collided && !r.Missed)
        {
            Collided++;
        }

        return r.Demodulable && !r.Collided && !r.Missed;
    }

    /// <summary>
    /// Listen before talk: what the chip reports at <paramref name="nowMs"/>, as the firmware's radio port reads it
    /// (DriverRadioPort.IsChannelBusy: a packet being received, or a busy CAD verdict). A device deaf to a packet's
    /// preamble (it was transmitting) neither receives nor senses it. Any packet is noticed only once it has been on
    /// air for a whole scan (preamble detection and CAD both need those symbols). After that, a packet the device can
    /// demodulate is being received (busy, no miss); a weaker one above the CAD threshold is found by a scan that
    /// may miss it (<see cref="ChannelActivityDetection"/>).
    /// </summary>
    public bool IsBusy(int device, long nowMs)
    {
        foreach (Reception r in _active[device])
        {
            double margin = r.RssiDbm - _budget.CadThresholdDbm;
            if (margin < 0 || r.Missed)
            {
                continue;
            }

            if (nowMs - r.Transmission.StartMs < _cad.DurationMs)
            {
                CadTooEarly++;
                continue;
            }

            if (r.Demodulable)
            {
                return true;
            }

            if (_cad.Misses(device, r.Transmission, nowMs, margin))
            {
                CadMisses++;
                continue;
            }

            return true;
        }

        return false;
    }

    /// <summary>Replaces the links (devices moved); receptions already on air keep the power they started with.</summary>
    public void ReplaceLinks((int To, double RssiDbm)[][] links)
    {
        ArgumentNullException.ThrowIfNull(links);
        if (links.Length != _links.Length)
        {
            throw new ArgumentException("the device count cannot change", nameof(links));
        }

        _links = links;
    }

    /// <summary>True while the device transmits.</summary>
    public bool IsTransmitting(int device) => _transmitting[device];

    /// <summary>Milliseconds the device's channel was busy (its own transmissions and demodulable receptions, overlaps counted once).</summary>
    public long BusyMs(int device) => _busyMs[device];

    /// <summary>The device's audible neighbours.</summary>
    public (int To, double RssiDbm)[] LinksOf(int device) => _links[device];

    /// <summary>Received power of a link, for the SNR reported with a frame.</summary>
    public double SnrDb(double rssiDbm) => _budget.SnrDb(rssiDbm);

    private void AddBusy(int device, long start, long end)
    {
        if (start >= _busyUntil[device])
        {
            _busyMs[device] += end - start;
            _busyUntil[device] = end;
        }
        else if (end > _busyUntil[device])
        {
            _busyMs[device] += end - _busyUntil[device];
            _busyUntil[device] = end;
        }
    }
}
