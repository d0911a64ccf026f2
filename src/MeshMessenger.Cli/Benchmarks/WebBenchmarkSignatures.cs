namespace MeshMessenger.Cli.Benchmarks;

/// <summary>
/// The signature figures of a browser restored from its backup code (<c>node.signatureFigures()</c>, counted since
/// the page loaded): every entry it got back arrived over the link, so WebCrypto plus managed checks must be at
/// least the entries received.
/// </summary>
/// <param name="Run">The run (1-based).</param>
/// <param name="EntriesReceived">Entries the restored node holds at the end: its own chain and the demo device's messages.</param>
/// <param name="WebCrypto">Signatures checked by WebCrypto Ed25519 in a batch.</param>
/// <param name="Managed">Signatures checked by the managed Ed25519 in WebAssembly.</param>
public sealed record WebBenchmarkSignatures(int Run, int EntriesReceived, int WebCrypto, int Managed);
