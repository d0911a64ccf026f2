using System;
using MeshMessenger.Crypto;
using MeshMessenger.Device.Platform;
using MeshMessenger.Device.Provisioning;
using MeshMessenger.Device.Storage;
using MeshMessenger.Firmware;
using MeshMessenger.Firmware.Platform;
using MeshMessenger.Protocol.Frames;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Node;
using MeshMessenger.Protocol.Sealing;
using MeshMessenger.Radio.Drivers;
using MeshMessenger.Radio.LoRa;

namespace MeshMessenger.Device;

/// <summary>
/// What a board runs (docs/firmware.md, "The device program"): load the provisioning bundle from flash (without one,
/// serve only provisioning), then build the identity, the protocol node over a <see cref="FlashEntryStore"/>, the radio
/// at the bundle's region and preset, and the <see cref="DeviceApp"/>; then loop: serial, radio, tick, sleep until the
/// next wake-up (at most <see cref="MaxSleepMs"/>, so a provisioning frame is read promptly). A good provisioning
/// frame at any time stores the new bundle and boots on it. The loop allocates nothing of its own per iteration.
/// A bundle with <see cref="ProvisioningBundle.RestoreChain"/> boots a node that restores its chain from its neighbours
/// (docs/protocol.md §8.3); once the restore ends the bundle is stored again without the flag (docs/firmware.md,
/// "Restoring an identity").
/// </summary>
public sealed class DeviceProgram
{
    /// <summary>Longest sleep between loop iterations: the serial port's bytes wait at most this long.</summary>
    public const int MaxSleepMs = 50;

    /// <summary>The entry store's file name stem on flash.</summary>
    public const string EntryStoreName = "entries";

    private readonly IDevicePlatform _platform;
    private readonly int _txPowerDbm;
    private readonly BundleStore _bundles;
    private readonly Provisioner _provisioner;

    /// <summary>Creates the program over a board's adapters; <paramref name="txPowerDbm"/> is the board's limit (the region's applies too).</summary>
    public DeviceProgram(IDevicePlatform platform, int txPowerDbm)
    {
        _platform = platform;
        _txPowerDbm = txPowerDbm;

        // The full 61,696-byte fixed-base table would take most of a plain ESP32's managed heap
        // (docs/device-cost.md §4); the 960-byte row signs the same bytes with 3.8 times the field operations.
        Ed25519.CompactBaseTable = true;
        _bundles = new BundleStore(platform.Flash);
        _provisioner = new Provisioner(platform.Serial, platform.Clock, _bundles);
    }

    /// <summary>Where the program is.</summary>
    public DeviceState State { get; private set; }

    /// <summary>The bundle in force, or null.</summary>
    public ProvisioningBundle? Bundle { get; private set; }

    /// <summary>The running application, or null before provisioning.</summary>
    public DeviceApp? App { get; private set; }

    /// <summary>The entry store, or null before provisioning.</summary>
    public FlashEntryStore? Store { get; private set; }

    /// <summary>The node id the device runs as, or 0 before provisioning.</summary>
    public uint NodeId { get; private set; }

    /// <summary>True if the bundle named a Wi-Fi network and joining it worked.</summary>
    public bool WifiJoined { get; private set; }

    /// <summary>Times a provisioning request replaced the bundle since start.</summary>
    public int Reprovisioned { get; private set; }

    /// <summary>
    /// Times storing the bundle without its restore flag failed after a restore ended. Harmless but for time: the flag
    /// stays on flash, so the next start restores again (read-only until the head is confirmed, and the resume entry
    /// skips past every held own entry, so no sequence is signed twice).
    /// </summary>
    public int RestoreFlagStoreFailures { get; private set; }

    /// <summary>Loads the bundle from flash and boots on it, or waits for provisioning.</summary>
    public void Start()
    {
        byte[]? stored = _bundles.Load();
        ProvisioningBundle? bundle = null;
        if (stored != null)
        {
            ProvisioningBundle.TryDecode(stored, 0, stored.Length, out bundle);
            Array.Clear(stored, 0, stored.Length); // decoded: the phrase's bytes need not stay on the heap
        }

        Boot(bundle);
    }

    /// <summary>One loop iteration; returns how long to sleep before the next.</summary>
    public int Step()
    {
        _provisioner.HeldChain = HeldChain();
        if (_provisioner.Poll())
        {
            Reprovisioned++;
            Boot(_provisioner.Current);
            return 0;
        }

        DeviceApp? app = App;
        if (State != DeviceState.Running || app == null)
        {
            return MaxSleepMs;
        }

        _platform.PollRadio();
        long now = _platform.Clock.MonotonicMilliseconds;
        if (app.NextWakeupMs <= now)
        {
            app.Tick();
        }

        ProvisioningBundle? bundle = Bundle;
        if (bundle != null && bundle.RestoreChain && !app.Node.OwnChain.Restoring)
        {
            // The restore ended and its resume entry is on flash: a restart must continue the chain, not restore again.
            Bundle = StoreWithoutRestore(bundle);
            _provisioner.Current = Bundle;
        }

        long wait = app.NextWakeupMs - _platform.Clock.MonotonicMilliseconds;
        return wait < 0 ? 0 : wait > MaxSleepMs ? MaxSleepMs : (int)wait;
    }

    /// <summary>Runs for ever, as Program.Main on a board does.</summary>
    public void Run()
    {
        Start();
        while (true)
        {
            _platform.Sleep(Step());
        }
    }

    // The identity whose chain this board holds with its head known (not restoring, no restore pending on flash), or 0.
    private uint HeldChain()
    {
        ProvisioningBundle? current = Bundle;
        return App != null && current != null && !current.RestoreChain && !App.Node.OwnChain.Restoring ? NodeId : 0;
    }

    // The bundle without its restore flag, stored on flash in its place (the flag on flash means a restore that has not
    // ended). If flash fails the flag stays there and the next start restores again: safe, as the counter's summary says.
    private ProvisioningBundle StoreWithoutRestore(ProvisioningBundle bundle)
    {
        ProvisioningBundle cleared = bundle.WithoutRestore();
        byte[] data = cleared.Encode();
        if (!_bundles.Store(data, 0, data.Length))
        {
            RestoreFlagStoreFailures++;
        }

        Array.Clear(data, 0, data.Length); // held the phrase and the Wi-Fi password
        return cleared;
    }

    private void Boot(ProvisioningBundle? bundle)
    {
        Bundle = bundle;
        _provisioner.Current = bundle;
        App = null;
        NodeId = 0;
        NodeIdentity? identity = bundle == null ? null : bundle.RestoreIdentity();
        Region? region = bundle == null ? null : Region.Find(bundle.Region);
        ModemPreset? preset = bundle == null ? null : ModemPreset.Find(bundle.Preset);
        if (bundle == null || identity == null || region == null || preset == null)
        {
            State = DeviceState.AwaitingProvisioning;
            return;
        }

        NodeId = identity.Id;
        // The own id keeps the device's own head through any eviction: a head it no longer stored is a sequence number it
        // would sign again after a restart.
        Store = new FlashEntryStore(_platform.Flash, EntryStoreName, FlashEntryStore.DefaultCapacity, identity.Id, FlashEntryStore.DefaultMaxLogBytes);
        // A restore bundle whose restore has not ended (docs/firmware.md, "Restoring an identity"): the node asks its
        // neighbours for its chain and signs nothing until its head is confirmed; its first entry then is a resume entry
        // past every own sequence known (docs/protocol.md §8.3). Restoring again after a restart mid-restore is safe, as
        // the own entries that came back before it are held and count; starting afresh on them could sign a sequence
        // that had not come back yet a second time.
        var node = new MessengerNode(identity, bundle.Name, Store, _platform.Clock, FrameLimits.LoRa, bundle.RestoreChain);
        for (int i = 0; i < bundle.Channels.Length; i++)
        {
            ChannelKey? channel;
            if (ChannelKey.TryParse(bundle.Channels[i], out channel) == Protocol.ProtocolError.None && channel != null)
            {
                node.JoinChannel(channel);
            }
        }

        WifiJoined = bundle.WifiSsid.Length > 0 && _platform.Wifi.Join(bundle.WifiSsid, bundle.WifiPassword);
        IRadioPort radio = _platform.OpenRadio(LoRaRadioSettings.For(region, preset, _txPowerDbm));
        App = new DeviceApp(node, radio, _platform.Clock, _platform.Random, preset.Modulation, region, false);
        _platform.AttachRadio(App);
        State = DeviceState.Running;
    }
}
