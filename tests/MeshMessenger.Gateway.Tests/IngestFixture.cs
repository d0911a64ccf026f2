using MeshMessenger.Gateway.Ingest;
using MeshMessenger.Gateway.Storage;

namespace MeshMessenger.Gateway.Tests;

/// <summary>A real SQLite file with the gateway's ingest writer on it.</summary>
internal sealed class IngestFixture : IAsyncDisposable
{
    private readonly TestFolder _folder;

    public IngestFixture(string prefix, LinkBudgets budgets, Func<IngestedEntry, string?> uplinkTopic)
    {
        _folder = new TestFolder(prefix);
        Database = new GatewayDatabase(System.IO.Path.Combine(_folder.Path, "gateway.db"));
        Ingest = new FrameIngest(Database, Counters, budgets, new NSecVerifier(), uplinkTopic);
    }

    public GatewayDatabase Database { get; }

    public GatewayCounters Counters { get; } = new();

    public FrameIngest Ingest { get; }

    public async ValueTask DisposeAsync()
    {
        await Ingest.DisposeAsync();
        _folder.Dispose();
    }
}
