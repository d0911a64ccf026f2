using System.Text.Json.Serialization;

namespace MeshMessenger.Emulator.Metrics;

/// <summary>A policy's figure against the baseline's at one sweep point, judged by their 95 % intervals.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Verdict>))]
public enum Verdict
{
    /// <summary>The intervals overlap: no difference shown.</summary>
    Tie,

    /// <summary>The intervals are apart and the policy is better.</summary>
    Win,

    /// <summary>The intervals are apart and the policy is worse.</summary>
    Loss,
}
