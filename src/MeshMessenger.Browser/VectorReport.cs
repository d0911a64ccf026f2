using System.Collections.Generic;
using System.Text.Json;

namespace MeshMessenger.Browser;

/// <summary>What <see cref="ProtocolVectorRunner"/> found: one count per vector line, and why each failure failed.</summary>
internal sealed class VectorReport
{
    /// <summary>Vector lines whose every check held.</summary>
    public int Passed { get; set; }

    /// <summary>Vector lines with at least one failed check, or none to run.</summary>
    public int Failed => Failures.Count;

    /// <summary>"[section] key: reason", one per failed line.</summary>
    public List<string> Failures { get; } = [];

    /// <summary>{ passed, failed, failures }.</summary>
    public void WriteTo(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteNumber("passed", Passed);
        w.WriteNumber("failed", Failed);
        w.WriteStartArray("failures");
        foreach (string f in Failures)
        {
            w.WriteStringValue(f);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }
}
