using System.Text.Json;

namespace MeshMessenger.Device.Tests;

/// <summary>tests/vectors/firmware/provisioning-v1.json (made with Python's zlib, independently of this code).</summary>
internal static class Vector
{
    private static readonly JsonElement Root = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "vectors", "firmware", "provisioning-v1.json"))).RootElement;

    public static string Text(string name) => Root.GetProperty(name).GetString()!;

    public static byte[] Hex(string name) => Convert.FromHexString(Text(name));

    public static string[] Channels => Root.GetProperty("channels").EnumerateArray().Select(e => e.GetString()!).ToArray();
}
