namespace MeshMessenger.Gateway.Configuration;

/// <summary>The configuration is wrong; the message lists each bad setting by its full name.</summary>
public sealed class ConfigurationException(IReadOnlyList<string> problems)
    : Exception("invalid configuration:\n  " + string.Join("\n  ", problems))
{
    /// <summary>Each problem, starting with the setting's name.</summary>
    public IReadOnlyList<string> Problems { get; } = problems;
}
