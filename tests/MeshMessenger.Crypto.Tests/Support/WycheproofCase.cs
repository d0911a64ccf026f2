using System.Text.Json;

namespace MeshMessenger.Crypto.Tests.Support;

/// <summary>One Wycheproof test with access to its group's fields.</summary>
internal sealed class WycheproofCase(JsonElement group, JsonElement test)
{
    public JsonElement Group { get; } = group;

    public JsonElement Test { get; } = test;

    public int Id => Test.GetProperty("tcId").GetInt32();

    /// <summary>"valid", "invalid" or "acceptable".</summary>
    public string Result => Test.GetProperty("result").GetString() ?? "";

    public IReadOnlyList<string> Flags =>
        Test.TryGetProperty("flags", out JsonElement flags)
            ? flags.EnumerateArray().Select(f => f.GetString() ?? "").ToList()
            : [];

    public string Comment => Test.TryGetProperty("comment", out JsonElement c) ? c.GetString() ?? "" : "";

    /// <summary>A hex field of the test, decoded.</summary>
    public byte[] Bytes(string name) => Hex.Decode(Test.GetProperty(name).GetString() ?? "");

    /// <summary>A hex field of the group (or of an object inside it, as "publicKey.pk"), decoded.</summary>
    public byte[] GroupBytes(string path)
    {
        JsonElement e = Group;
        foreach (string part in path.Split('.'))
        {
            e = e.GetProperty(part);
        }

        return Hex.Decode(e.GetString() ?? "");
    }

    public int GroupInt(string name) => Group.GetProperty(name).GetInt32();

    /// <summary>Names the vector in assertion messages.</summary>
    public override string ToString() => $"tcId {Id} ({Result}; {Comment}; flags {string.Join(",", Flags)})";
}
