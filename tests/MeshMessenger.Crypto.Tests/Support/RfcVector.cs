using System.Text;

namespace MeshMessenger.Crypto.Tests.Support;

/// <summary>One case of an <see cref="RfcVectorFile"/>.</summary>
internal sealed class RfcVector(IReadOnlyDictionary<string, string> fields)
{
    public string Text(string name) => fields[name];

    public bool Has(string name) => fields.ContainsKey(name) || fields.ContainsKey(name + "_ascii");

    /// <summary>The named field as bytes: hex, or ASCII when the file names it "name_ascii".</summary>
    public byte[] Bytes(string name) =>
        fields.TryGetValue(name + "_ascii", out string? ascii) ? Encoding.ASCII.GetBytes(ascii) : Hex.Decode(fields[name]);

    public int Int(string name) => int.Parse(fields[name], System.Globalization.CultureInfo.InvariantCulture);

    public override string ToString() => string.Join(", ", fields.Where(f => f.Key is "name" or "case" or "kind" or "algorithm").Select(f => $"{f.Key}={f.Value}"));
}
