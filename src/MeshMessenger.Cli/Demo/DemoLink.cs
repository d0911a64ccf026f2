using MeshMessenger.Protocol.Node;

namespace MeshMessenger.Cli.Demo;

/// <summary>
/// A perfect shared radio channel for the demo: every frame a node queues reaches every other node, until
/// no node has anything left to send. The emulator replaces it with a modelled LoRa channel (airtime, loss, collisions).
/// </summary>
public sealed class DemoLink(params (string Name, MessengerNode Node)[] nodes)
{
    private readonly List<(string Name, MessengerNode Node)> _nodes = [.. nodes];

    /// <summary>Puts a node on the channel (a device switched on).</summary>
    public void Attach(string name, MessengerNode node) => _nodes.Add((name, node));

    /// <summary>Takes a node off the channel (a device wiped or switched off).</summary>
    public void Detach(MessengerNode node) => _nodes.RemoveAll(n => n.Node == node);

    /// <summary>Delivers frames until the channel is quiet; returns each frame with its sender's name.</summary>
    public List<(string From, byte[] Frame)> Run()
    {
        var carried = new List<(string From, byte[] Frame)>();
        for (int round = 0; round < 1_000; round++)
        {
            bool any = false;
            foreach ((string name, MessengerNode sender) in _nodes.ToList())
            {
                foreach (byte[] frame in sender.TakeOutbox())
                {
                    any = true;
                    carried.Add((name, frame));
                    foreach ((_, MessengerNode receiver) in _nodes.Where(n => n.Node != sender))
                    {
                        receiver.Receive(frame, 0, frame.Length);
                    }
                }
            }

            if (!any)
            {
                return carried;
            }
        }

        throw new InvalidOperationException("the demo channel did not go quiet after 1,000 rounds");
    }
}
