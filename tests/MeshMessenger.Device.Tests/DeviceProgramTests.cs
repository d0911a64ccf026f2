using MeshMessenger.Device.Provisioning;

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
        Assert.Equal((ProvisioningStatus.Ok, Vector.Text("nodeId"), "EU_868", "LongFast", 1), (reply.Status, reply.NodeId.ToString("x8"), reply.Region, reply.Preset, reply.ChannelCount));
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
