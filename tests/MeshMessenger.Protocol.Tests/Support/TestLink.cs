using MeshMessenger.Protocol.Frames;
using MeshMessenger.Protocol.Node;

namespace MeshMessenger.Protocol.Tests.Support;

/// <summary>
/// Moves every queued frame from each node to all the others until the outboxes are empty. A filter can
/// drop, duplicate or alter frames on the way, standing in for the radio.
/// </summary>
internal sealed class TestLink(params MessengerNode[] nodes)
{
    public Func<byte[], IEnumerable<byte[]>> Filter { get; set; } = f => [f];

    public List<byte[]> Carried { get; } = [];

    public int Run(int maxRounds = 100)
    {
        int moved = 0;
        for (int round = 0; round < maxRounds; round++)
        {
            bool any = false;
            foreach (MessengerNode sender in nodes)
            {
                foreach (byte[] frame in sender.TakeOutbox())
                {
                    any = true;
                    foreach (byte[] copy in Filter(frame))
                    {
                        Carried.Add(copy);
                        moved++;
                        foreach (MessengerNode receiver in nodes.Where(n => n != sender))
                        {
                            receiver.Receive(copy, 0, copy.Length);
                        }
                    }
                }
            }

            if (!any)
            {
                return moved;
            }
        }

        throw new InvalidOperationException("the link did not go quiet");
    }

    public static MessengerNode Node(byte fill, string name, TestClock clock, int maxFrame = FrameLimits.LoRa) =>
        new(Identities.Fixed(fill), name, new Chain.MemoryEntryStore(), clock, maxFrame, restoring: false);
}
