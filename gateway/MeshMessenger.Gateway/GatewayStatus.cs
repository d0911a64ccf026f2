using System.Globalization;
using System.Text;
using MeshMessenger.Gateway.Ingest;
using MeshMessenger.Gateway.Links;
using MeshMessenger.Gateway.Mqtt;
using MeshMessenger.Gateway.Storage;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;

namespace MeshMessenger.Gateway;

/// <summary>What /health and /metrics report.</summary>
public sealed class GatewayStatus(GatewayDatabase database, FrameIngest ingest, GatewayCounters counters, MqttBridge mqtt, UdpLink udp, Protocol.Identity.NodeIdentity identity, Anchoring.AnchoringService anchoring, ChainAccess.ChainAccessService chainAccess, Timekeeping.GnssTime time, Display.DisplayHealth display, IServer server)
{
    /// <summary>
    /// The addresses HTTP is bound to, with the port the system picked when <c>Urls</c> asked for port 0 (Kestrel fills
    /// <see cref="IServerAddressesFeature"/> with the bound ports once started); empty before start.
    /// </summary>
    public IReadOnlyList<string> Urls() => [.. server.Features.Get<IServerAddressesFeature>()?.Addresses ?? []];

    /// <summary>The health document: "ok" when <see cref="Problems"/> is empty (broker reachable and not taken over, anchoring moving and its node answering, a configured GNSS receiver giving fixes), else "degraded" with each problem in words.</summary>
    public object Health()
    {
        using SqliteConnection c = database.Open();
        IReadOnlyList<string> problems = Problems();
        return new
        {
            status = problems.Count == 0 ? "ok" : "degraded",
            problems,
            node = Protocol.Identity.NodeId.ToText(identity.Id),
            time = time.Health(),
            mqtt = mqtt.StateText(),
            ingestQueue = ingest.QueueDepth,
            outbox = GatewayDatabase.Scalar(c, "SELECT COUNT(*) FROM outbox"),
            entries = GatewayDatabase.Scalar(c, "SELECT COUNT(*) FROM entries"),
            chains = GatewayDatabase.Scalar(c, "SELECT COUNT(*) FROM chains"),
            urls = Urls(),
            udpPort = udp.BoundPort,
            udpNeighbours = udp.NeighbourCount,
            display = display.State,
            schema = database.SchemaVersion,
            chainAccess = chainAccess.Relay is null
                ? null
                : new
                {
                    served = chainAccess.Relay.ServedChains.Select(t => t.ToText()),
                    rpcReachable = chainAccess.Reachable,
                    tracked = chainAccess.Relay.TrackedCount,
                },
            anchoring = anchoring.Store is null
                ? null
                : new
                {
                    address = anchoring.Address?.ToString(), // the anchoring account: the sender of every anchor transaction
                    batches = anchoring.Store.BatchCount(),
                    final = anchoring.Store.Final().Count,
                    open = anchoring.Store.Unfinished().Select(b => new { b.Id, state = b.State.ToString(), b.TransactionHash }),
                    lastError = anchoring.LastError,
                },
        };
    }

    /// <summary>Everything that keeps the gateway from "ok", one line each, naming the part and the cause.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        problems.AddRange(mqtt.Problems());
        if (time.Problem() is { } timeProblem)
        {
            problems.Add(timeProblem);
        }

        if (anchoring.Problem() is { } anchoringProblem)
        {
            problems.Add(anchoringProblem);
        }

        if (display.Problem is { } displayProblem)
        {
            problems.Add(displayProblem);
        }

        return problems;
    }

    /// <summary>Counters in Prometheus' text exposition format.</summary>
    public string Metrics()
    {
        var text = new StringBuilder();
        foreach (var (name, value) in counters.Snapshot())
        {
            text.Append(CultureInfo.InvariantCulture, $"meshmsg_gateway_{name}_total {value}\n");
        }

        using SqliteConnection c = database.Open();
        text.Append(CultureInfo.InvariantCulture, $"meshmsg_gateway_ingest_queue {ingest.QueueDepth}\n");
        text.Append(CultureInfo.InvariantCulture, $"meshmsg_gateway_outbox {GatewayDatabase.Scalar(c, "SELECT COUNT(*) FROM outbox")}\n");
        text.Append(CultureInfo.InvariantCulture, $"meshmsg_gateway_entries {GatewayDatabase.Scalar(c, "SELECT COUNT(*) FROM entries")}\n");
        text.Append(CultureInfo.InvariantCulture, $"meshmsg_gateway_mqtt_connected {(mqtt.State == "connected" ? 1 : 0)}\n");
        if (chainAccess.Relay is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"meshmsg_gateway_chain_tracked_transactions {chainAccess.Relay.TrackedCount}\n");
            foreach (var (chain, up) in chainAccess.Reachable)
            {
                text.Append(CultureInfo.InvariantCulture, $"meshmsg_gateway_chain_rpc_reachable{{chain=\"{chain}\"}} {(up ? 1 : 0)}\n");
            }
        }

        return text.ToString();
    }

    /// <summary>Display names of <paramref name="nodes"/> from the profiles the gateway has stored (unknown ones are left out).</summary>
    public Dictionary<uint, string> ContactNames(IEnumerable<uint> nodes)
    {
        var names = new Dictionary<uint, string>();
        using SqliteConnection c = database.Open();
        using SqliteCommand command = c.CreateCommand();
        command.CommandText = "SELECT name FROM contacts WHERE author = $a";
        SqliteParameter author = command.Parameters.Add("$a", SqliteType.Integer);
        foreach (uint node in nodes)
        {
            author.Value = (long)node;
            if (command.ExecuteScalar() is string name)
            {
                names[node] = name;
            }
        }

        return names;
    }

    /// <summary>Sequence numbers held per author (hex id → sorted list), for checks and tests.</summary>
    public SortedDictionary<string, List<long>> Entries()
    {
        var result = new SortedDictionary<string, List<long>>(StringComparer.Ordinal);
        using SqliteConnection c = database.Open();
        using SqliteCommand command = c.CreateCommand();
        command.CommandText = "SELECT author, seq FROM entries ORDER BY author, seq";
        using SqliteDataReader reader = command.ExecuteReader();
        while (reader.Read())
        {
            string author = ((uint)reader.GetInt64(0)).ToString("x8", CultureInfo.InvariantCulture);
            if (!result.TryGetValue(author, out List<long>? list))
            {
                result[author] = list = [];
            }

            list.Add(reader.GetInt64(1));
        }

        return result;
    }
}
