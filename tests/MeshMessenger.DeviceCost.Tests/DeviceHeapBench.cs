using System;
using System.Collections.Generic;
using System.IO;
using MeshMessenger.Device.Host;
using MeshMessenger.Device.Storage;
using MeshMessenger.Protocol.Sealing;

namespace MeshMessenger.DeviceCost;

/// <summary>
/// <c>device-heap</c>: one device as a board runs it (MessengerNode over the flash entry store on a directory,
/// DeviceApp, a radio that sends at once, the compact Ed25519 base table as DeviceProgram sets it) receives direct
/// messages and channel posts from several peers; after every <c>step</c> messages the bench runs
/// full collections and records the retained managed heap above the baseline taken before the first message.
/// The frames are made up front and held throughout, so their memory is in the baseline.
/// </summary>
public static class DeviceHeapBench
{
    /// <summary>Runs the bench and prints a row per checkpoint.</summary>
    public static DeviceHeapReport Run(int messages, int step, int peers, TextWriter output)
    {
        var clock = new ManualClock();
        string flash = Path.Combine(Path.GetTempPath(), "meshmsg-device-heap-" + Guid.NewGuid().ToString("N"));
        bool table = Crypto.Ed25519.CompactBaseTable;
        try
        {
            return Run(messages, step, peers, output, clock, new FlashEntryStore(new DirectoryFlashStorage(flash), "entries"));
        }
        finally
        {
            Crypto.Ed25519.CompactBaseTable = table;
            Directory.Delete(flash, true);
        }
    }

    private static DeviceHeapReport Run(int messages, int step, int peers, TextWriter output, ManualClock clock, FlashEntryStore store)
    {
        Crypto.Ed25519.CompactBaseTable = true;
        var bob = new Device(2, "bob", clock, store);
        bob.Radio.Keep = false;
        ChannelKey channel = ChannelKey.Create("hikers", new SeededRandom(99));
        bob.Node.JoinChannel(channel);
        byte[][] frames = MakeFrames(bob, channel, clock, messages, peers);
        bob.TakeFrames();

        long baseline = Retained();
        var points = new List<HeapPoint>();
        int transmissions = bob.Radio.Transmissions;
        for (int i = 0; i < messages; i++)
        {
            clock.MonotonicMilliseconds += 500;
            bob.App.OnReceive(frames[i], -90, 5);
            bob.App.Tick();
            if (bob.Radio.Transmissions != transmissions)
            {
                transmissions = bob.Radio.Transmissions;
                bob.App.OnTransmitDone();
            }

            if ((i + 1) % step == 0)
            {
                long retained = Retained() - baseline;
                points.Add(new HeapPoint(i + 1, retained, bob.Node.Messages.Count, bob.Store.Count, bob.App.QueueLength));
                output.WriteLine($"{i + 1,7:N0} messages  retained {retained / 1024.0,9:F1} KB  ({retained / (double)(i + 1),6:F1} B/message)  messages held {bob.Node.Messages.Count,6}  entries stored {bob.Store.Count,6}  radio queue {bob.App.QueueLength}");
            }
        }

        // Plateau: the last step added less than 1 % of what is retained (and under 1 byte a message).
        bool plateau = points.Count >= 2 && (points[^1].RetainedBytes - points[^2].RetainedBytes) < Math.Max(step, points[^1].RetainedBytes / 100);
        long lastStepGrowth = points.Count >= 2 ? points[^1].RetainedBytes - points[^2].RetainedBytes : 0;
        output.WriteLine(plateau ? "Retained heap stops growing." : $"Retained heap still grows: {lastStepGrowth / (double)step:F1} bytes a message over the last {step:N0}.");
        return new DeviceHeapReport(DateTime.UtcNow.ToString("O"), System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription, messages, peers, step, baseline, points, plateau, lastStepGrowth / (double)step);
    }

    private static byte[][] MakeFrames(Device bob, ChannelKey channel, ManualClock clock, int messages, int peers)
    {
        var senders = new Device[peers];
        for (int p = 0; p < peers; p++)
        {
            senders[p] = new Device((byte)(10 + p), "peer" + p, clock);
            senders[p].Node.AddContact(bob.Card);
            senders[p].Node.JoinChannel(channel);
            bob.Node.AddContact(senders[p].Card);
            senders[p].TakeFrames();
        }

        var frames = new byte[messages][];
        for (int i = 0; i < messages; i++)
        {
            Device from = senders[i % peers];
            if (i % 4 == 3)
            {
                from.Node.PostToChannel(channel.Id, $"post {i} from {from.Name}");
            }
            else
            {
                from.Node.SendText(bob.Node.Id, $"message {i} from {from.Name}");
            }

            byte[][] out1 = from.TakeFrames();
            frames[i] = out1[^1];
        }

        return frames;
    }

    private static long Retained()
    {
        for (int i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
