namespace MeshMessenger.Cli.Benchmarks;

/// <summary>One part of the web app's first load: the compressed bytes its files took on the wire, averaged over the runs.</summary>
/// <param name="Part">dotnet.native.wasm, CoreLib, MeshMessenger assemblies, other .NET assemblies, JavaScript, CSS, other, or second copies (a file fetched again by the service worker).</param>
/// <param name="MeanBytes">Encoded (compressed) response body bytes, mean over the runs.</param>
/// <param name="Files">Responses in this part in the first run.</param>
/// <param name="Names">The file names in the first run.</param>
public sealed record WebLoadPart(string Part, double MeanBytes, int Files, List<string> Names);
