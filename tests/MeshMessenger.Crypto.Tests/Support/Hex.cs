namespace MeshMessenger.Crypto.Tests.Support;

internal static class Hex
{
    public static byte[] Decode(string hex) => Convert.FromHexString(hex.Replace(" ", "").Replace("\n", ""));

    public static string Encode(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
