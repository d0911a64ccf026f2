using MeshMessenger.Firmware;
using MeshMessenger.Protocol;
using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Frames;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Node;
using MeshMessenger.Radio.LoRa;

namespace MeshMessenger.Emulator.Tests;

/// <summary>
/// An outsider with a radio and no keys must not silence a device's owner (docs/protocol.md §8.7): junk it makes the
/// device relay cannot spend the part of the duty cycle kept for own frames, and a junk frame carrying the clear header
/// of an entry not yet sent cannot make the real entry a duplicate at its recipient.
/// </summary>
public class SilenceTests
{
    // A direct text entry's clear header (kind, author, sequence, time, link, recipient hint) and a junk body: nothing a
    // relay checks before repeating it (docs/protocol.md §3.1).
    private static byte[] JunkEntry(uint author, uint sequence, byte hint, int bodyBytes, byte nextHop)
    {
        var header = new List<byte> { 0x41, (byte)(author >> 24), (byte)(author >> 16), (byte)(author >> 8), (byte)author };
        for (uint s = sequence; ; s >>= 7)
        {
            header.Add((byte)(s < 0x80 ? s : (s & 0x7F) | 0x80));
            if (s < 0x80)
            {
                break;
            }
        }

        header.AddRange(new byte[4 + EntryCodec.LinkSize]);
        header.Add(hint);
        byte[] payload = [.. header, .. Enumerable.Repeat((byte)0xA5, bodyBytes)];
        return FrameCodec.Encode(new Frame(FrameType.Entry, 3, 3, false, nextHop, 0x77, payload), FrameLimits.LoRa);
    }


    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_burst_of_junk_to_relay_cannot_spend_the_duty_cycle_kept_for_own_frames(bool learnedRoutes)
    {
        var rig = new DeviceRig(learnedRoutes, region: Region.Eu868);
        rig.Run(60_000);
        int before = rig.Radio.Sent.Count;

        // Seven minutes of junk entries, one a second, each naming the device as its next hop (learned routes repeat
        // it at once) or flooded: together more than the hour's allowance, which the device would relay in full.
        byte self = rig.Node.Hint;
        for (uint s = 0; s < 420; s++)
        {
            rig.App.OnReceive(JunkEntry(0x0BAD0000 + s, 1, 0x42, 180, learnedRoutes ? self : (byte)0), -80, 5);
            rig.Run(1_000);
        }

        // The flood has stopped; the owner writes. Without a reserve the message waits until the relays' minutes leave
        // the hour's window, most of an hour.
        uint mine = rig.App.SendText(rig.Peer.NodeId, "still here");
        rig.Run(120_000);
        Assert.NotEmpty(rig.SentEntries(mine));

        long relayMs = rig.AirtimeSince(before, p => p.Author >> 16 == 0x0BAD, out int longest);

        long allowanceMs = 3_600_000L * Region.Eu868.DutyCyclePercent / 100;
        Assert.InRange(relayMs, allowanceMs / 2, (allowanceMs * DeviceApp.OthersSharePercent / 100) + longest);
        Assert.True(rig.App.Counters.RelayShareDrops > 0);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_junk_frame_with_the_header_of_an_entry_not_yet_sent_does_not_make_the_real_one_a_duplicate_at_its_recipient(bool learnedRoutes)
    {
        var rig = new DeviceRig(learnedRoutes);
        rig.Run(30_000);
        var author = rig.PeerNode();
        author.TakeOutbox();

        // Sequence numbers are in the clear: an attacker sends junk under the author's next entry, addressed to the
        // device, before the author writes it. A malformed body and a well-formed entry with a forged signature.
        rig.App.OnReceive(JunkEntry(author.Id, author.OwnChain.NextSequence, rig.Node.Hint, 40, 0), -80, 5);
        uint toDevice = author.SendText(rig.Node.Id, "for you");
        byte[] real = author.TakeOutbox().Single(f => DeviceRig.Info(f).Author == author.Id && DeviceRig.Info(f).Sequence == toDevice);
        byte[] forged = (byte[])real.Clone();
        forged[^1] ^= 0x01;
        rig.App.OnReceive(forged, -80, 5);
        rig.Run(5_000);
        Assert.DoesNotContain(rig.Node.Messages.Cast<MessageRecord>(), m => m.Author == author.Id);

        rig.App.OnReceive(real, -80, 5);
        rig.Run(5_000);
        Assert.Contains(rig.Node.Messages.Cast<MessageRecord>(), m => m.Author == author.Id && m.Sequence == toDevice);
    }

    [Fact]
    public void Entries_under_unknown_authors_cannot_spend_the_owners_duty_cycle_on_profile_wants()
    {
        var rig = new DeviceRig(true, region: Region.Eu868);
        rig.Run(60_000);
        var author = new MessengerNode(NodeIdentity.FromRootSecret(Enumerable.Repeat((byte)7, 32).ToArray()), "x", new MemoryEntryStore(), rig.Clock, FrameLimits.LoRa, false);
        author.TakeOutbox();
        author.PostPublic("hi");
        byte[] post = author.TakeOutbox().Single();
        Assert.Equal(ProtocolError.None, FrameCodec.TryDecode(post, 0, post.Length, FrameLimits.LoRa, out Frame? heard));

        // A public post with its author rewritten, two a second, hop limit 0 (nothing to relay): an unknown author's
        // signature cannot be checked, so each one makes the device ask for that author's profile.
        int before = rig.Radio.Sent.Count;
        uint mine = 0;
        for (uint s = 0; s < 2400; s++)
        {
            byte[] payload = (byte[])heard!.Payload.Clone();
            uint junkAuthor = 0x0C000000 + s;
            payload[1] = (byte)(junkAuthor >> 24);
            payload[2] = (byte)(junkAuthor >> 16);
            payload[3] = (byte)(junkAuthor >> 8);
            payload[4] = (byte)junkAuthor;
            rig.App.OnReceive(FrameCodec.Encode(new Frame(FrameType.Entry, 0, 0, false, 0, 0x77, payload), FrameLimits.LoRa), -80, 5);
            rig.Run(500);
            if (s == 2160)
            {
                mine = rig.App.SendText(rig.Peer.NodeId, "still here"); // after 18 minutes of it, two before it ends
            }
        }

        rig.Run(60_000);
        Assert.NotEmpty(rig.SentEntries(mine));

        long wantMs = rig.AirtimeSince(before, p => p.Frame.Type == FrameType.Want, out int longest);

        long allowanceMs = 3_600_000L * Region.Eu868.DutyCyclePercent / 100;
        Assert.InRange(wantMs, allowanceMs / 4, (allowanceMs * DeviceApp.AnswerSharePercent / 100) + longest);
    }
}
