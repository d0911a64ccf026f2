using MeshMessenger.Device.Provisioning;
using MeshMessenger.Protocol;
using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Identity;

namespace MeshMessenger.Device.Tests;

public sealed class DeviceProgramTests
{
    [Fact]
    public void An_unprovisioned_device_waits_takes_a_bundle_boots_on_it_and_boots_the_same_after_a_restart()
    {
        var flash = new MemoryFlash();
        var platform = new TestPlatform(flash);
        var program = new DeviceProgram(platform, 20);
        program.Start();
        Assert.Equal(DeviceState.AwaitingProvisioning, program.State);

        platform.MemorySerial.Send(Vector.Hex("requestFrameHex"));
        Pump(program, platform);
        Assert.Equal(DeviceState.Running, program.State);
        ProvisioningReply reply = ReadReply(platform.MemorySerial.TakeWritten());
        Assert.Equal((ProvisioningStatus.Ok, Vector.Text("nodeId"), "EU_868", "LongFast", 1, false), (reply.Status, reply.NodeId.ToString("x8"), reply.Region, reply.Preset, reply.ChannelCount, reply.Restoring));
        Assert.Equal(869_525_000, platform.Settings!.FrequencyHz); // EU_868's one 250 kHz slot
        for (int i = 0; i < 100; i++)
        {
            platform.Sleep(program.Step());
        }

        Assert.True(program.Store!.Count >= 1); // the genesis profile entry, on flash
        Assert.Equal(program.NodeId, program.Store.OwnAuthor); // eviction never takes the device's own head

        var restarted = new DeviceProgram(new TestPlatform(flash), 20);
        restarted.Start();
        Assert.Equal(DeviceState.Running, restarted.State);
        Assert.Equal(program.NodeId, restarted.NodeId);
        Assert.Equal(program.Store.Count, restarted.Store!.Count);
        Assert.Equal(1u, restarted.App!.Node.OwnChain.NextSequence);
    }

    [Fact]
    public void A_corrupted_frame_is_answered_bad_checksum_and_changes_nothing()
    {
        var platform = new TestPlatform(new MemoryFlash());
        var program = new DeviceProgram(platform, 20);
        program.Start();
        byte[] frame = Vector.Hex("requestFrameHex");
        frame[50] ^= 0x40;
        platform.MemorySerial.Send(frame);
        Pump(program, platform);
        byte[] written = platform.MemorySerial.TakeWritten();
        Assert.Equal(Vector.Hex("badChecksumReplyBeforeProvisioningHex"), written);
        Assert.Equal(DeviceState.AwaitingProvisioning, program.State);
    }

    [Fact]
    public void A_bundle_with_a_bad_field_is_answered_with_the_field_and_the_old_bundle_stays()
    {
        var platform = new TestPlatform(new MemoryFlash());
        var program = new DeviceProgram(platform, 20);
        program.Start();
        platform.MemorySerial.Send(Vector.Hex("requestFrameHex"));
        Pump(program, platform);
        platform.MemorySerial.TakeWritten();
        uint node = program.NodeId;

        byte[] payload = new ProvisioningBundle(Vector.Text("identity"), "x", "MARS", "LongFast", [], "", "", 0, "").Encode();
        platform.MemorySerial.Send(ProvisioningFrame.Encode(ProvisioningFrame.RequestType, payload, 0, payload.Length));
        Pump(program, platform);
        ProvisioningReply reply = ReadReply(platform.MemorySerial.TakeWritten());
        Assert.Equal((ProvisioningStatus.BadBundleField, BundleField.Region, node, "EU_868"), (reply.Status, reply.Field, reply.NodeId, reply.Region));
        Assert.Equal(DeviceState.Running, program.State);
        Assert.Equal(1, program.Reprovisioned);
    }

    [Fact]
    public void A_restore_bundle_boots_a_node_that_restores_its_chain_signs_nothing_and_restores_again_after_a_restart()
    {
        var flash = new MemoryFlash();
        var platform = new TestPlatform(flash);
        var program = new DeviceProgram(platform, 20);
        program.Start();
        platform.MemorySerial.Send(Vector.Hex("restoreRequestFrameHex"));
        Pump(program, platform);
        ProvisioningReply reply = ReadReply(platform.MemorySerial.TakeWritten());
        Assert.Equal((ProvisioningStatus.Ok, Vector.Text("nodeId"), true), (reply.Status, reply.NodeId.ToString("x8"), reply.Restoring));
        Assert.Equal(DeviceState.Running, program.State);
        Assert.True(program.Bundle!.RestoreChain);
        Assert.True(program.App!.Node.OwnChain.Restoring);
        Assert.Throws<ProtocolException>(() => program.App.Node.PostPublic("too early"));
        for (int i = 0; i < 100; i++)
        {
            platform.Sleep(program.Step());
        }

        Assert.False(program.Store!.TryGetRange(program.NodeId, out _, out _)); // no second genesis: nothing signed

        // Power lost mid-restore: the flag is still on flash, so the board restores again rather than start a chain.
        var restarted = new DeviceProgram(new TestPlatform(flash), 20);
        restarted.Start();
        Assert.True(restarted.App!.Node.OwnChain.Restoring);
        Assert.False(restarted.Store!.TryGetRange(restarted.NodeId, out _, out _));
    }

    [Fact]
    public void A_restart_mid_restore_with_own_entries_back_restores_again_and_once_the_restore_ends_a_restart_continues()
    {
        // Own entries already came back (here: the chain a first boot wrote, sequences 0 to 3), then power was lost with
        // the restore bundle on flash. Starting afresh would sign sequence 4, which may exist and not have come back yet.
        var flash = new MemoryFlash();
        var first = new DeviceProgram(new TestPlatform(flash), 20);
        Assert.True(new BundleStore(flash).Store(Payload("requestFrameHex"), 0, Payload("requestFrameHex").Length));
        first.Start();
        for (int i = 0; i < 3; i++)
        {
            first.App!.Node.PostPublic($"post {i}");
        }

        Assert.Equal(4u, first.App!.Node.OwnChain.NextSequence);
        Assert.True(new BundleStore(flash).Store(Payload("restoreRequestFrameHex"), 0, Payload("restoreRequestFrameHex").Length));

        var platform = new TestPlatform(flash);
        var program = new DeviceProgram(platform, 20);
        program.Start();
        Assert.True(program.App!.Node.OwnChain.Restoring);

        // No neighbour answers (a void radio): once its rounds and settling time ran out the restore resumes past the
        // held head (docs/protocol.md §8.3), and the bundle goes back to flash without the flag.
        for (long until = platform.ManualClock.MonotonicMilliseconds + 30 * 60_000; platform.ManualClock.MonotonicMilliseconds < until && program.App.Node.OwnChain.Restoring;)
        {
            platform.Sleep(program.Step());
        }

        Assert.False(program.App.Node.OwnChain.Restoring);
        Assert.True(program.Store!.TryGetRange(program.NodeId, out _, out uint head));
        Assert.Equal(EntryKind.Resume, program.Store.Get(program.NodeId, head)!.Entry.Kind);
        Assert.True(head > 3 + LocalChain.ResumeSkip);
        platform.Sleep(program.Step());
        Assert.False(program.Bundle!.RestoreChain);
        byte[] stored = new BundleStore(flash).Load()!;
        Assert.Equal(BundleField.None, ProvisioningBundle.TryDecode(stored, 0, stored.Length, out ProvisioningBundle? onFlash));
        Assert.False(onFlash!.RestoreChain);
        Assert.Equal(0, program.RestoreFlagStoreFailures);

        var restarted = new DeviceProgram(new TestPlatform(flash), 20);
        restarted.Start();
        Assert.False(restarted.App!.Node.OwnChain.Restoring);
        Assert.Equal(head + 1, restarted.App.Node.OwnChain.NextSequence);
    }

    [Fact]
    public void A_restore_bundle_sent_to_a_board_that_runs_the_identity_with_its_chain_boots_it_without_restoring()
    {
        var flash = new MemoryFlash();
        (DeviceProgram program, TestPlatform platform) = Started(flash);
        Provision(program, platform, Vector.Hex("requestFrameHex"));
        Assert.False(program.App!.Node.OwnChain.Restoring);

        ProvisioningReply reply = Provision(program, platform, Vector.Hex("restoreRequestFrameHex"));
        Assert.Equal((ProvisioningStatus.Ok, false), (reply.Status, reply.Restoring)); // the reply says what the board does
        Assert.Equal(2, program.Reprovisioned);
        Assert.False(program.App!.Node.OwnChain.Restoring);
        Assert.False(program.Bundle!.RestoreChain);
        Assert.Equal(1u, program.App.Node.OwnChain.NextSequence);
        byte[] stored = new BundleStore(flash).Load()!;
        Assert.Equal(Payload("requestFrameHex"), stored);
    }

    [Fact]
    public void A_restore_bundle_for_another_identity_keeps_its_flag_on_a_board_that_holds_a_chain()
    {
        (DeviceProgram program, TestPlatform platform) = Started(new MemoryFlash());

        // Stripping the flag anywhere but for the chain the board holds would start a wiped identity as a new chain (a
        // fork). The board runs another identity (B), with its head known.
        var rootB = new byte[32];
        rootB[0] = 0x42;
        string phraseB = BackupCode.Create(NodeIdentity.FromRootSecret(rootB));
        byte[] bundleB = new ProvisioningBundle(phraseB, "b", "EU_868", "LongFast", [], "", "", 0, "").Encode();
        Provision(program, platform, ProvisioningFrame.Encode(ProvisioningFrame.RequestType, bundleB, 0, bundleB.Length));
        Assert.False(program.App!.Node.OwnChain.Restoring);
        Assert.NotEqual(Convert.ToUInt32(Vector.Text("nodeId"), 16), program.NodeId);

        // A restore bundle for the vector identity (A): the board does not hold A's chain, so it must restore.
        ProvisioningReply reply = Provision(program, platform, Vector.Hex("restoreRequestFrameHex"));
        Assert.Equal((ProvisioningStatus.Ok, true), (reply.Status, reply.Restoring));
        Assert.True(program.Bundle!.RestoreChain);
        Assert.True(program.App!.Node.OwnChain.Restoring);
    }

    [Fact]
    public void A_restore_bundle_sent_again_mid_restore_keeps_its_flag()
    {
        var flash = new MemoryFlash();
        (DeviceProgram program, TestPlatform platform) = Started(flash);
        Provision(program, platform, Vector.Hex("restoreRequestFrameHex"));
        Assert.True(program.App!.Node.OwnChain.Restoring);

        ProvisioningReply reply = Provision(program, platform, Vector.Hex("restoreRequestFrameHex"));
        Assert.Equal((ProvisioningStatus.Ok, true), (reply.Status, reply.Restoring));
        Assert.True(program.App!.Node.OwnChain.Restoring);
        byte[] stored = new BundleStore(flash).Load()!;
        Assert.Equal(BundleField.None, ProvisioningBundle.TryDecode(stored, 0, stored.Length, out ProvisioningBundle? onFlash));
        Assert.True(onFlash!.RestoreChain);
    }

    // A device program started on flash (provisioned or not).
    private static (DeviceProgram Program, TestPlatform Platform) Started(MemoryFlash flash)
    {
        var platform = new TestPlatform(flash);
        var program = new DeviceProgram(platform, 20);
        program.Start();
        return (program, platform);
    }

    // Sends a request frame, runs the loop and returns the device's reply.
    private static ProvisioningReply Provision(DeviceProgram program, TestPlatform platform, byte[] frame)
    {
        platform.MemorySerial.Send(frame);
        Pump(program, platform);
        return ReadReply(platform.MemorySerial.TakeWritten());
    }

    // The bundle a vector's request frame carries.
    private static byte[] Payload(string vector)
    {
        byte[] frame = Vector.Hex(vector);
        return frame[ProvisioningFrame.HeaderSize..^4];
    }

    // A few loop iterations: the device reads at most Provisioner.MaxBytesPerPoll bytes per step.
    private static void Pump(DeviceProgram program, TestPlatform platform)
    {
        for (int i = 0; i < 4; i++)
        {
            platform.Sleep(program.Step());
        }
    }

    private static ProvisioningReply ReadReply(byte[] written)
    {
        var receiver = new FrameReceiver();
        foreach (byte b in written)
        {
            if (receiver.Feed(b, 0) == FrameEvent.Frame)
            {
                Assert.Equal(ProvisioningFrame.ReplyType, receiver.FrameType);
                return ProvisioningReply.TryDecode(receiver.Buffer, ProvisioningFrame.HeaderSize, receiver.PayloadLength)!;
            }
        }

        throw new Xunit.Sdk.XunitException("no reply frame was written");
    }
}
