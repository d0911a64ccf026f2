using System.Globalization;
using System.Text;

namespace MeshMessenger.Gateway.Web;

/// <summary>
/// Names are untrusted text: control (Cc), format (Cf: the bidi marks and overrides U+200E/F, U+202A–E, U+2066–9,
/// zero-width characters) and line/paragraph separators can hide or reorder what a reader sees (Unicode TR #9,
/// TR #36 §2). Names the API accepts must not contain them; names from the mesh are shown without them, and
/// where two nodes share a display name each is shown with its node id.
/// </summary>
public static class DisplayNames
{
    /// <summary>True if <paramref name="name"/> contains a character that may hide or reorder text.</summary>
    public static bool HasHiddenCharacters(string name) => name.EnumerateRunes().Any(Hidden);

    /// <summary><paramref name="name"/> without the characters that may hide or reorder text, trimmed.</summary>
    public static string Clean(string name)
    {
        if (!HasHiddenCharacters(name))
        {
            return name.Trim();
        }

        var text = new StringBuilder(name.Length);
        foreach (Rune rune in name.EnumerateRunes().Where(r => !Hidden(r)))
        {
            text.Append(rune.ToString());
        }

        return text.ToString().Trim();
    }

    /// <summary>
    /// Display names for <paramref name="nodes"/>: each cleaned; empty ones become the node id, and names two or more
    /// nodes share (ignoring case) get the node id after them, as in "Ada (0c80b9c4)".
    /// </summary>
    public static Dictionary<uint, string> Distinct(IEnumerable<(uint Id, string Name)> nodes)
    {
        Dictionary<uint, string> clean = [];
        foreach ((uint id, string name) in nodes)
        {
            string shown = Clean(name);
            clean[id] = shown.Length == 0 ? Hex(id) : shown;
        }

        var shared = new HashSet<string>(clean.Values.GroupBy(Comparable).Where(g => g.Count() > 1).Select(g => g.Key), StringComparer.Ordinal);
        return clean.ToDictionary(p => p.Key, p => shared.Contains(Comparable(p.Value)) ? $"{p.Value} ({Hex(p.Key)})" : p.Value);
    }

    /// <summary>
    /// The form two names are compared in: compatibility-normalised (NFKC, UAX #15, where the runtime has it, and full-width forms always, so "Ａda" is "Ada")
    /// and case-folded. Not a full confusable skeleton (UTS #39): Cyrillic "Аda" still differs from Latin "Ada".
    /// </summary>
    public static string Comparable(string name)
    {
        // Full-width forms (U+FF01–FF5E) are ASCII shifted by 0xFEE0; mapped by hand because NFKC needs ICU, which a
        // gateway built for invariant globalisation may not have.
        var folded = new StringBuilder(name.Length);
        foreach (char c in name)
        {
            folded.Append(c is >= '\uFF01' and <= '\uFF5E' ? (char)(c - 0xFEE0) : c);
        }

        string text = folded.ToString();
        try
        {
            text = text.Normalize(NormalizationForm.FormKC);
        }
        catch (PlatformNotSupportedException)
        {
            // without ICU the hand mapping above is what there is
        }

        return text.ToLowerInvariant();
    }

    // Hangul fillers render as blank letters (they are Lo, not Cf), so they can make a name look empty or like another.
    private static bool Hidden(Rune rune) => Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format
        or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
        || rune.Value is 0x115F or 0x1160 or 0x3164 or 0xFFA0;

    private static string Hex(uint id) => id.ToString("x8", CultureInfo.InvariantCulture);
}
