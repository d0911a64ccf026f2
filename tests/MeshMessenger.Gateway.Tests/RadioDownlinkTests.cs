using MeshMessenger.Gateway.Links;

namespace MeshMessenger.Gateway.Tests;

/// <summary>The radio downlink's queues on their own: turns, bounds, eviction, and entries kept whole.</summary>
public sealed class RadioDownlinkTests
{
    [Fact]
    public void Hints_take_turns_and_within_a_hint_its_authors_take_turns()
    {
        var downlink = new RadioDownlink();
        for (int i = 0; i < 3; i++)
        {
            Assert.True(downlink.TryAdd(1, 100, [Frame(100, i)], out _));
        }

        Assert.True(downlink.TryAdd(1, 200, [Frame(200, 0)], out _));
        Assert.True(downlink.TryAdd(2, 300, [Frame(300, 0)], out _));

        // Hint 1 (author 100), hint 2, hint 1 (author 200), then author 100's rest.
        Assert.Equal([(100, 0), (300, 0), (200, 0), (100, 1), (100, 2)], Drain(downlink));
    }

    [Fact]
    public void An_entry_being_sent_is_never_evicted_and_its_fragments_are_not_split_by_other_entries()
    {
        var downlink = new RadioDownlink();
        Assert.True(downlink.TryAdd(1, 100, [Frame(100, 0), Frame(100, 1), Frame(100, 2)], out _));
        Assert.Equal((100, 0), Id(downlink.Peek()!));
        downlink.Sent(); // its first fragment is on the air

        // Another author fills the total; the entry in progress is nobody's to evict, so the newcomer that does not fit is refused.
        for (uint author = 1; author <= 200; author++)
        {
            Assert.True(downlink.TryAdd(2, 1000 + author, [Frame((int)author, 0)], out int dropped));
            Assert.Equal(0, dropped);
        }

        for (uint author = 201; author <= 260; author++)
        {
            downlink.TryAdd(2, 1000 + author, [Frame((int)author, 0)], out _);
        }

        Assert.Equal(RadioDownlink.MaxFrames, downlink.Count);
        List<(int, int)> sent = Drain(downlink);
        Assert.Equal([(100, 1), (100, 2)], sent.Take(2));
        Assert.Equal(RadioDownlink.MaxFrames, sent.Count);
    }

    [Fact]
    public void On_overflow_the_author_with_most_frames_waiting_loses_its_newest_entry_and_a_queue_at_its_bound_refuses_more()
    {
        var downlink = new RadioDownlink();
        int dropped;
        for (int i = 0; i < RadioDownlink.MaxFramesPerQueue; i++)
        {
            Assert.True(downlink.TryAdd(1, 100, [Frame(100, i)], out dropped));
        }

        Assert.False(downlink.TryAdd(1, 100, [Frame(100, 999)], out dropped)); // its own queue is full
        Assert.Equal(1, dropped);

        // The same author over three more hints: 256 frames, all its own.
        for (byte hint = 2; hint <= 4; hint++)
        {
            for (int i = 0; i < RadioDownlink.MaxFramesPerQueue; i++)
            {
                Assert.True(downlink.TryAdd(hint, 100, [Frame(100, (hint * 1000) + i)], out dropped));
            }
        }

        // A two-fragment entry of another author takes the room of the flooder's two newest entries.
        Assert.True(downlink.TryAdd(5, 200, [Frame(200, 0), Frame(200, 1)], out dropped));
        Assert.Equal(2, dropped);
        Assert.Equal(RadioDownlink.MaxFrames, downlink.Count);
        List<(int, int)> sent = Drain(downlink);
        Assert.Equal([(100, 0), (100, 2000), (100, 3000), (100, 4000), (200, 0), (200, 1)], sent.Take(6));
        int[] newest = [63, 2063, 3063, 4063];
        Assert.Equal(2, newest.Count(n => !sent.Contains((100, n)))); // two of its longest queues lost their newest, one each
        Assert.Equal(RadioDownlink.MaxFrames - 2, sent.Count(s => s.Item1 == 100));
    }

    // A stand-in frame naming its author and number.
    private static byte[] Frame(int author, int n) => [.. BitConverter.GetBytes(author), .. BitConverter.GetBytes(n)];

    private static (int, int) Id(byte[] frame) => (BitConverter.ToInt32(frame, 0), BitConverter.ToInt32(frame, 4));

    private static List<(int, int)> Drain(RadioDownlink downlink)
    {
        var sent = new List<(int, int)>();
        while (downlink.Peek() is { } frame)
        {
            sent.Add(Id(frame));
            downlink.Sent();
        }

        Assert.Equal(0, downlink.Count);
        return sent;
    }
}
