using System;
using MeshMessenger.Device.Platform;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Platform;

namespace MeshMessenger.Device.Provisioning;

/// <summary>
/// The device's side of provisioning: reads what the serial port has (at most <see cref="MaxBytesPerPoll"/> bytes per
/// call, so the main loop keeps its rhythm), answers every complete or refused frame with a reply frame, and stores a
/// valid bundle on flash before answering <see cref="ProvisioningStatus.Ok"/>. Truncated frames are dropped unanswered.
/// </summary>
public sealed class Provisioner
{
    /// <summary>Most bytes read from the port per <see cref="Poll"/>.</summary>
    public const int MaxBytesPerPoll = 256;

    private readonly ISerialPort _serial;
    private readonly IClock _clock;
    private readonly BundleStore _store;
    private readonly FrameReceiver _receiver = new FrameReceiver();
    private readonly byte[] _read = new byte[MaxBytesPerPoll];

    /// <summary>Creates the provisioner.</summary>
    public Provisioner(ISerialPort serial, IClock clock, BundleStore store)
    {
        _serial = serial;
        _clock = clock;
        _store = store;
    }

    /// <summary>The bundle in force (loaded, or stored by the last good request), or null.</summary>
    public ProvisioningBundle? Current { get; set; }

    /// <summary>
    /// The node whose chain this board holds with its head known (booted on a bundle without the restore flag and not
    /// restoring), or 0: kept current by the device program. A restore bundle for that identity is stored and answered
    /// without its flag (docs/firmware.md, "Restoring an identity"): the board holds the chain, and restoring it would
    /// only keep it read-only until a neighbour vouched.
    /// </summary>
    public uint HeldChain { get; set; }

    /// <summary>Frames answered so far, any status.</summary>
    public int Answered { get; private set; }

    /// <summary>Serial reads that threw (port gone, driver error); the loop goes on and tries again next poll.</summary>
    public int ReadFailures { get; private set; }

    /// <summary>Reads and handles what has arrived; true if a new bundle was stored (the device should restart on it).</summary>
    public bool Poll()
    {
        int n;
        try
        {
            n = _serial.Read(_read, 0, _read.Length);
        }
        catch (Exception)
        {
            ReadFailures++; // a serial error must never stop the device's main loop
            return false;
        }

        bool stored = false;
        for (int i = 0; i < n; i++)
        {
            FrameEvent e = _receiver.Feed(_read[i], _clock.MonotonicMilliseconds);
            if (e == FrameEvent.Rejected)
            {
                _receiver.Clear(); // a frame refused on its checksum may still hold most of a phrase
                Answer(_receiver.Rejection, BundleField.None);
            }
            else if (e == FrameEvent.Frame)
            {
                stored |= Handle();
                _receiver.Clear(); // decoded and stored: the phrase need not stay in this buffer
            }
        }

        Array.Clear(_read, 0, n); // these bytes may be part of a phrase
        return stored;
    }

    private bool Handle()
    {
        if (_receiver.FrameType != ProvisioningFrame.RequestType)
        {
            Answer(ProvisioningStatus.UnknownType, BundleField.None);
            return false;
        }

        ProvisioningBundle? bundle;
        BundleField bad = ProvisioningBundle.TryDecode(_receiver.Buffer, ProvisioningFrame.HeaderSize, _receiver.PayloadLength, out bundle);
        if (bad != BundleField.None || bundle == null)
        {
            Answer(ProvisioningStatus.BadBundleField, bad);
            return false;
        }

        NodeIdentity? identity = bundle.RestoreChain && HeldChain != 0 ? bundle.RestoreIdentity() : null;
        if (identity != null && identity.Id == HeldChain)
        {
            bundle = bundle.WithoutRestore();
            byte[] cleared = bundle.Encode();
            bool kept = _store.Store(cleared, 0, cleared.Length);
            Array.Clear(cleared, 0, cleared.Length); // it holds the phrase
            if (!kept)
            {
                Answer(ProvisioningStatus.StorageFailure, BundleField.None);
                return false;
            }
        }
        else if (!_store.Store(_receiver.Buffer, ProvisioningFrame.HeaderSize, _receiver.PayloadLength))
        {
            Answer(ProvisioningStatus.StorageFailure, BundleField.None);
            return false;
        }

        Current = bundle;
        Answer(ProvisioningStatus.Ok, BundleField.None);
        return true;
    }

    private void Answer(ProvisioningStatus status, BundleField field)
    {
        uint node = 0;
        int channels = 0;
        string region = string.Empty;
        string preset = string.Empty;
        if (Current != null)
        {
            NodeIdentity? identity = Current.RestoreIdentity();
            node = identity == null ? 0 : identity.Id;
            channels = Current.Channels.Length;
            region = Current.Region;
            preset = Current.Preset;
        }

        byte[] payload = new ProvisioningReply(status, field, node, channels, region, preset, Current != null && Current.RestoreChain).Encode();
        byte[] frame = ProvisioningFrame.Encode(ProvisioningFrame.ReplyType, payload, 0, payload.Length);
        try
        {
            _serial.Write(frame, 0, frame.Length);
        }
        catch (System.Exception)
        {
            // Nobody listening (cable pulled): the bundle is stored either way; the host times out and can ask again.
        }

        Answered++;
    }
}
