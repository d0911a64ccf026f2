using System.Globalization;

namespace MeshMessenger.Gateway.Web;

/// <summary>Node ids as the web app's URLs and JSON carry them: 8 lower-case hex digits.</summary>
internal static class NodeIdText
{
    /// <summary>The node id in <paramref name="hex"/>, or null unless it is exactly 8 hex digits.</summary>
    public static uint? Parse(string hex) => hex.Length == 8 && uint.TryParse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out uint id) ? id : null;

    /// <summary>The 400 problem for <paramref name="text"/> that <see cref="Parse"/> refused.</summary>
    public static IResult BadId(string text) => Results.Problem($"'{text}' is not a node id (8 hex digits)", statusCode: 400);

    public static string Hex(uint id) => id.ToString("x8", CultureInfo.InvariantCulture);
}
