using MeshMessenger.Device.Provisioning;
using MeshMessenger.Device.Storage;

namespace MeshMessenger.Device.Tests;

public sealed class ProvisioningTests
{
    private static ProvisioningBundle VectorBundle() => new(
        Vector.Text("identity"), Vector.Text("name"), Vector.Text("region"), Vector.Text("preset"), Vector.Channels,
        Vector.Text("wifiSsid"), Vector.Text("wifiPassword"), Convert.ToUInt32(Vector.Text("gatewayNode"), 16), Vector.Text("gatewayAddress"));

    [Fact]
    public void The_request_and_reply_frames_match_the_vector()
    {
        byte[] payload = VectorBundle().Encode();
        Assert.Equal(Vector.Hex("requestFrameHex"), ProvisioningFrame.Encode(ProvisioningFrame.RequestType, payload, 0, payload.Length));
        byte[] reply = new ProvisioningReply(ProvisioningStatus.Ok, BundleField.None, Convert.ToUInt32(Vector.Text("nodeId"), 16), 1, "EU_868", "LongFast", false).Encode();
        Assert.Equal(Vector.Hex("okReplyFrameHex"), ProvisioningFrame.Encode(ProvisioningFrame.ReplyType, reply, 0, reply.Length));
    }

    [Fact]
    public void A_restoring_reply_ends_with_its_flags_byte_matches_the_vector_and_decodes_back()
    {
        byte[] reply = new ProvisioningReply(ProvisioningStatus.Ok, BundleField.None, Convert.ToUInt32(Vector.Text("nodeId"), 16), 1, "EU_868", "LongFast", true).Encode();
        byte[] frame = Vector.Hex("restoringOkReplyFrameHex");
        Assert.Equal(frame, ProvisioningFrame.Encode(ProvisioningFrame.ReplyType, reply, 0, reply.Length));

        ProvisioningReply? decoded = ProvisioningReply.TryDecode(frame, ProvisioningFrame.HeaderSize, frame.Length - ProvisioningFrame.HeaderSize - 4);
        Assert.True(decoded!.Restoring);
        Assert.Equal((ProvisioningStatus.Ok, Vector.Text("nodeId"), 1, "EU_868", "LongFast"), (decoded.Status, decoded.NodeId.ToString("x8"), decoded.ChannelCount, decoded.Region, decoded.Preset));

        byte[] plain = Vector.Hex("okReplyFrameHex");
        Assert.False(ProvisioningReply.TryDecode(plain, ProvisioningFrame.HeaderSize, plain.Length - ProvisioningFrame.HeaderSize - 4)!.Restoring);
    }

    [Theory]
    [InlineData(0x00)] // no flag set: the byte is omitted, one encoding per reply
    [InlineData(0x02)] // a reserved bit
    [InlineData(0x03)]
    public void A_reply_flags_byte_without_exactly_the_restoring_bit_or_a_byte_after_it_is_refused(byte flags)
    {
        byte[] reply = new ProvisioningReply(ProvisioningStatus.Ok, BundleField.None, 1, 1, "EU_868", "LongFast", false).Encode();
        byte[] flagged = reply.Append(flags).ToArray();
        Assert.Null(ProvisioningReply.TryDecode(flagged, 0, flagged.Length));
        byte[] longer = reply.Append(ProvisioningReply.RestoringFlag).Append((byte)0).ToArray();
        Assert.Null(ProvisioningReply.TryDecode(longer, 0, longer.Length));
        for (int n = 0; n < reply.Length; n++)
        {
            Assert.Null(ProvisioningReply.TryDecode(reply, 0, n));
        }
    }

    [Fact]
    public void The_vector_request_decodes_to_its_fields_and_identity()
    {
        byte[] frame = Vector.Hex("requestFrameHex");
        var receiver = new FrameReceiver();
        FrameEvent last = FrameEvent.None;
        foreach (byte b in frame)
        {
            last = receiver.Feed(b, 0);
        }

        Assert.Equal(FrameEvent.Frame, last);
        Assert.Equal(BundleField.None, ProvisioningBundle.TryDecode(receiver.Buffer, ProvisioningFrame.HeaderSize, receiver.PayloadLength, out ProvisioningBundle? bundle));
        Assert.Equal(Vector.Text("nodeId"), bundle!.RestoreIdentity()!.Id.ToString("x8"));
        Assert.Equal(("dev1", "EU_868", "LongFast", "home", "secret-pass", 0x0c80b9c4u, "192.168.1.10:4403"),
            (bundle.Name, bundle.Region, bundle.Preset, bundle.WifiSsid, bundle.WifiPassword, bundle.GatewayNode, bundle.GatewayAddress));
        Assert.Equal(Vector.Channels, bundle.Channels);
        Assert.False(bundle.RestoreChain); // no flags byte: a new identity, as every bundle before the flag
    }

    [Fact]
    public void A_restore_bundle_ends_with_the_flags_byte_and_matches_the_vector()
    {
        ProvisioningBundle v = VectorBundle();
        var restore = new ProvisioningBundle(v.Identity, v.Name, v.Region, v.Preset, v.Channels, v.WifiSsid, v.WifiPassword, v.GatewayNode, v.GatewayAddress, true);
        byte[] payload = restore.Encode();
        Assert.Equal(Vector.Hex("restoreRequestFrameHex"), ProvisioningFrame.Encode(ProvisioningFrame.RequestType, payload, 0, payload.Length));
        Assert.Equal(v.Encode().Append(ProvisioningBundle.RestoreFlag), payload);

        byte[] frame = Vector.Hex("restoreRequestFrameHex");
        Assert.Equal(BundleField.None, ProvisioningBundle.TryDecode(frame, ProvisioningFrame.HeaderSize, frame.Length - ProvisioningFrame.HeaderSize - 4, out ProvisioningBundle? decoded));
        Assert.True(decoded!.RestoreChain);
        Assert.Equal(Vector.Text("nodeId"), decoded.RestoreIdentity()!.Id.ToString("x8"));
        Assert.Equal((v.Name, v.Region, v.Preset, v.GatewayNode, v.GatewayAddress), (decoded.Name, decoded.Region, decoded.Preset, decoded.GatewayNode, decoded.GatewayAddress));
        Assert.False(decoded.WithoutRestore().RestoreChain);
        Assert.Equal(v.Encode(), decoded.WithoutRestore().Encode());
    }

    [Theory]
    [InlineData(0x00)] // a bundle without flags omits the byte: one encoding per bundle
    [InlineData(0x02)]
    [InlineData(0x03)]
    [InlineData(0x80)]
    [InlineData(0xff)]
    public void A_flags_byte_that_is_zero_or_sets_a_reserved_bit_is_refused_as_flags(byte flags)
    {
        byte[] data = VectorBundle().Encode().Append(flags).ToArray();
        Assert.Equal(BundleField.Flags, ProvisioningBundle.TryDecode(data, 0, data.Length, out ProvisioningBundle? decoded));
        Assert.Null(decoded);
    }

    [Theory]
    [InlineData(BundleField.Identity)]
    [InlineData(BundleField.Name)]
    [InlineData(BundleField.Region)]
    [InlineData(BundleField.Preset)]
    [InlineData(BundleField.Channels)]
    [InlineData(BundleField.WifiSsid)]
    [InlineData(BundleField.WifiPassword)]
    [InlineData(BundleField.GatewayAddress)]
    public void A_bad_field_is_named(BundleField field)
    {
        ProvisioningBundle v = VectorBundle();
        string tooLong = new('x', 300);
        var bad = new ProvisioningBundle(
            field == BundleField.Identity ? "abandon abandon abandon" : v.Identity,
            field == BundleField.Name ? "" : v.Name,
            field == BundleField.Region ? "MARS" : v.Region,
            field == BundleField.Preset ? "VeryFast" : v.Preset,
            field == BundleField.Channels ? ["MMC1:notbase32!"] : v.Channels,
            field == BundleField.WifiSsid ? tooLong[..33] : v.WifiSsid,
            field == BundleField.WifiPassword ? tooLong[..65] : v.WifiPassword,
            v.GatewayNode,
            field == BundleField.GatewayAddress ? tooLong[..65] : v.GatewayAddress);
        byte[] data = bad.Encode();
        Assert.Equal(field, ProvisioningBundle.TryDecode(data, 0, data.Length, out ProvisioningBundle? decoded));
        Assert.Null(decoded);
    }

    [Fact]
    public void Every_truncation_and_an_extra_byte_are_refused_without_throwing()
    {
        byte[] data = VectorBundle().Encode();
        for (int n = 0; n < data.Length; n++)
        {
            Assert.NotEqual(BundleField.None, ProvisioningBundle.TryDecode(data, 0, n, out _));
        }

        // One byte after the last field is the flags byte (refused unless a known flag); two are one too many.
        byte[] longer = data.Append(ProvisioningBundle.RestoreFlag).Append((byte)0).ToArray();
        Assert.Equal(BundleField.Length, ProvisioningBundle.TryDecode(longer, 0, longer.Length, out _));
    }

    [Fact]
    public void The_receiver_skips_junk_and_names_bad_checksum_unknown_version_and_oversized_frames()
    {
        byte[] good = Vector.Hex("requestFrameHex");
        var receiver = new FrameReceiver();
        Assert.Equal(new[] { FrameEvent.Frame }, Feed(receiver, "junk MM M\0PP"u8.ToArray().Concat(good).ToArray(), 0));

        byte[] corrupt = (byte[])good.Clone();
        corrupt[40] ^= 1;
        Assert.Equal(new[] { FrameEvent.Rejected }, Feed(receiver, corrupt, 0));
        Assert.Equal(ProvisioningStatus.BadChecksum, receiver.Rejection);

        byte[] version2 = (byte[])good.Clone();
        version2[2] = 2;
        Assert.Equal(FrameEvent.Rejected, Feed(receiver, version2, 0)[0]);
        Assert.Equal(ProvisioningStatus.UnknownVersion, receiver.Rejection);

        byte[] oversized = { ProvisioningFrame.Magic0, ProvisioningFrame.Magic1, 1, 1, 0x01, 0x08 }; // 2049 bytes announced
        Assert.Equal(new[] { FrameEvent.Rejected }, Feed(receiver, oversized, 0));
        Assert.Equal(ProvisioningStatus.TooLarge, receiver.Rejection);

        // A frame that stops half-way is dropped after the inter-byte timeout, and the next one is read whole.
        Assert.Empty(Feed(receiver, good.Take(100).ToArray(), 0));
        Assert.Equal(new[] { FrameEvent.Frame }, Feed(receiver, good, FrameReceiver.InterByteTimeoutMs + 1));
        Assert.Equal(1, receiver.TimedOut);
    }

    [Fact]
    public void Random_bytes_never_make_the_receiver_throw()
    {
        var random = new Random(5);
        var receiver = new FrameReceiver();
        var data = new byte[200_000];
        random.NextBytes(data);
        for (int i = 0; i < data.Length; i += 97)
        {
            data[i] = ProvisioningFrame.Magic0; // plenty of near-frames
            data[i + 1] = ProvisioningFrame.Magic1;
            data[i + 2] = 1;
        }

        Feed(receiver, data, 0);
        Assert.True(receiver.PayloadLength <= ProvisioningFrame.MaxPayload);
    }

    [Fact]
    public void Power_lost_at_every_byte_of_a_bundle_store_leaves_the_old_or_the_new_bundle()
    {
        byte[] oldBundle = VectorBundle().Encode();
        ProvisioningBundle v = VectorBundle();
        byte[] newBundle = new ProvisioningBundle(v.Identity, "renamed", "US", "MediumSlow", [], "", "", 0, "").Encode();
        var flash = new MemoryFlash();
        Assert.True(new BundleStore(flash).Store(oldBundle, 0, oldBundle.Length));
        var seen = new HashSet<string>();
        for (int budget = 0; budget <= newBundle.Length + FlashRecord.Overhead + 4; budget++)
        {
            MemoryFlash copy = flash.Snapshot();
            copy.Budget = budget;
            bool stored = new BundleStore(copy).Store(newBundle, 0, newBundle.Length);
            copy.Budget = -1;
            byte[]? loaded = new BundleStore(copy).Load();
            Assert.NotNull(loaded);
            Assert.True(loaded.SequenceEqual(oldBundle) || loaded.SequenceEqual(newBundle));
            Assert.True(!stored || loaded.SequenceEqual(newBundle));
            seen.Add(loaded.SequenceEqual(newBundle) ? "new" : "old");
        }

        Assert.Equal(new HashSet<string> { "old", "new" }, seen);
    }

    [Fact]
    public void A_store_whose_old_slot_cannot_be_deleted_still_succeeds_and_the_new_bundle_is_in_force()
    {
        byte[] oldBundle = VectorBundle().Encode();
        byte[] newBundle = new ProvisioningBundle(VectorBundle().Identity, "renamed", "US", "MediumSlow", [], "", "", 0, "").Encode();
        var flash = new MemoryFlash();
        Assert.True(new BundleStore(flash).Store(oldBundle, 0, oldBundle.Length)); // slot a
        flash.FailDelete.Add("bundle.a");
        var store = new BundleStore(flash);
        Assert.True(store.Store(newBundle, 0, newBundle.Length)); // slot b sealed; deleting a fails
        Assert.Equal(1, store.StaleSlotDeleteFailures);
        Assert.Equal(newBundle, new BundleStore(flash).Load());
    }

    [Fact]
    public void A_serial_read_that_throws_is_counted_and_the_next_poll_goes_on()
    {
        var serial = new ThrowingOnceSerial();
        var provisioner = new Provisioner(serial, new ManualClock(), new BundleStore(new MemoryFlash()));
        Assert.False(provisioner.Poll());
        Assert.Equal(1, provisioner.ReadFailures);
        byte[] payload = VectorBundle().Encode();
        serial.Inner.Send(ProvisioningFrame.Encode(ProvisioningFrame.RequestType, payload, 0, payload.Length));
        bool stored = false;
        for (int i = 0; i < 20; i++)
        {
            stored |= provisioner.Poll();
        }

        Assert.True(stored);
        Assert.Equal(1, provisioner.Answered);
    }

    [Fact]
    public void Clearing_the_receiver_zeroes_the_frame_that_held_the_phrase()
    {
        byte[] payload = VectorBundle().Encode();
        var receiver = new FrameReceiver();
        Assert.Contains(FrameEvent.Frame, Feed(receiver, ProvisioningFrame.Encode(ProvisioningFrame.RequestType, payload, 0, payload.Length), 0));
        Assert.Contains(receiver.Buffer, b => b != 0);
        receiver.Clear();
        Assert.All(receiver.Buffer, b => Assert.Equal(0, b));
    }

    private sealed class ThrowingOnceSerial : MeshMessenger.Device.Platform.ISerialPort
    {
        private bool _thrown;

        public MemorySerial Inner { get; } = new();

        public int Read(byte[] buffer, int offset, int count)
        {
            if (!_thrown)
            {
                _thrown = true;
                throw new IOException("read failed");
            }

            return Inner.Read(buffer, offset, count);
        }

        public void Write(byte[] buffer, int offset, int count) => Inner.Write(buffer, offset, count);
    }

    private static List<FrameEvent> Feed(FrameReceiver receiver, byte[] bytes, long now)
    {
        var events = new List<FrameEvent>();
        foreach (byte b in bytes)
        {
            FrameEvent e = receiver.Feed(b, now);
            if (e != FrameEvent.None)
            {
                events.Add(e);
            }
        }

        return events;
    }
}
