using System.Globalization;

namespace MeshMessenger.Cli.Commands;

/// <summary>The options of <c>meshmsg emulate sweep</c>: a plan, its overrides (null: the plan's), and where results go.</summary>
public sealed record SweepRequest(
    string Plan,
    string? Nodes = null,
    string? Seeds = null,
    string? PathLoss = null,
    int Parallel = 1,
    bool Fresh = false,
    string Out = EmulateCommand.DefaultOut + "/sweep",
    string? WriteDoc = null)
{
    /// <summary>The command that reproduces these figures (the overrides that change them, not where they go or how fast).</summary>
    public string CommandLine()
    {
        var parts = new List<string> { "meshmsg emulate sweep" };
        if (Plan != EmulateCommand.DefaultPlan)
        {
            parts.Add($"--plan {Plan}");
        }

        if (Nodes is not null)
        {
            parts.Add($"--nodes {Nodes}");
        }

        if (Seeds is not null)
        {
            parts.Add($"--seeds {Seeds}");
        }

        if (PathLoss is not null)
        {
            parts.Add($"--path-loss {PathLoss}");
        }

        if (WriteDoc is not null)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"--write-doc {WriteDoc}"));
        }

        return string.Join(' ', parts);
    }
}
