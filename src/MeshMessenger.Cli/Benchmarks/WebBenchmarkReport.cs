namespace MeshMessenger.Cli.Benchmarks;

/// <summary>What <c>meshmsg bench web</c> writes as JSON.</summary>
/// <param name="StartedAt">When the benchmark started.</param>
/// <param name="Machine">Host name.</param>
/// <param name="ProcessorCount">Logical processors.</param>
/// <param name="Runtime">The .NET runtime of the gateway.</param>
/// <param name="Browser">Chromium's version string.</param>
/// <param name="Driver">"web app" (the real UI) or "meshnode.js" (the browser node without the app's markup).</param>
/// <param name="Runs">Runs, each in a fresh browser context with a fresh identity.</param>
/// <param name="Messages">Messages in the conversation that is opened.</param>
/// <param name="Figures">The figures with their statistics and goals.</param>
/// <param name="FirstLoad">The first load's compressed bytes by part.</param>
public sealed record WebBenchmarkReport(
    DateTimeOffset StartedAt,
    string Machine,
    int ProcessorCount,
    string Runtime,
    string Browser,
    string Driver,
    int Runs,
    int Messages,
    List<WebBenchmarkFigure> Figures,
    List<WebLoadPart> FirstLoad)
{
    /// <summary>Per restore run (web app only): the entries the restored node got back and the signatures it checked each way.</summary>
    public List<WebBenchmarkSignatures> RestoreSignatures { get; init; } = [];
}
