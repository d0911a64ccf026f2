using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Wire;

namespace MeshMessenger.Browser;

/// <summary>
/// Names are untrusted text. The same rules as the gateway's web API (gateway Web/DisplayNames.cs): control,
/// format and line/paragraph separator characters can hide or reorder what a reader sees (Unicode TR #9,
/// TR #36 §2), so names typed here must not contain them, names from the mesh are shown without them, and a
/// name two known nodes share is shown with the node id.
/// </summary>
internal static class NodeNames
{
    /// <summary>Trims <paramref name="raw"/>; throws unless it is 1 to 32 UTF-8 bytes (the profile's limit) without hidden characters.</summary>
    public static string Require(string? raw, string what)
    {
        string name = (raw ?? "").Trim();
        if (name.EnumerateRunes().Any(Hidden))
        {
            throw new System.ArgumentException($"{what} may not contain control, format or bidirectional-override characters");
        }

        if (name.Length == 0 || Utf8Text.GetBytes(name).Length > Profile.MaxNameBytes)
        {
            throw new System.ArgumentException($"{what} is 1 to {Profile.MaxNameBytes} bytes");
        }

        return name;
    }

    /// <summary><paramref name="name"/> without hidden characters, trimmed.</summary>
    public static string Clean(string name)
    {
        var text = new StringBuilder(name.Length);
        foreach (Rune rune in name.EnumerateRunes().Where(r => !Hidden(r)))
        {
            text.Append(rune.ToString());
        }

        return text.ToString().Trim();
    }

    /// <summary>Display names of the known profiles: cleaned, empty ones as the node id, shared ones (ignoring case) with the node id after them.</summary>
    public static Dictionary<uint, string> Distinct(IEnumerable<Profile> profiles)
    {
        Dictionary<uint, string> clean = [];
        foreach (Profile p in profiles)
        {
            string shown = Clean(p.Name);
            clean[p.NodeId] = shown.Length == 0 ? Hex(p.NodeId) : shown;
        }

        var shared = clean.Values.GroupBy(Comparable).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet();
        return clean.ToDictionary(p => p.Key, p => shared.Contains(Comparable(p.Value)) ? $"{p.Value} ({Hex(p.Key)})" : p.Value);
    }

    /// <summary>Node ids as the API writes them: 8 lowercase hex digits.</summary>
    public static string Hex(uint id) => id.ToString("x8", CultureInfo.InvariantCulture);

    /// <summary>Parses an 8-hex-digit node or channel id; throws a plain message otherwise.</summary>
    public static uint ParseId(string? text, string what)
    {
        if (text is { Length: 8 } && uint.TryParse(text, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out uint id))
        {
            return id;
        }

        throw new System.ArgumentException($"'{text}' is not {what} (8 hex digits)");
    }

    // Full-width forms (U+FF01–FF5E) are ASCII shifted by 0xFEE0; then case-folded.
    private static string Comparable(string name) =>
        new string(name.Select(c => c is >= '\uFF01' and <= '\uFF5E' ? (char)(c - 0xFEE0) : c).ToArray()).ToLowerInvariant();

    // Hangul fillers render as blank letters (they are Lo, not Cf), so they can make a name look empty or like another.
    private static bool Hidden(Rune rune) => Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format
        or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
        || rune.Value is 0x115F or 0x1160 or 0x3164 or 0xFFA0;
}
