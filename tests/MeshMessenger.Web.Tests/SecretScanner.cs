using System.Text;
using MeshMessenger.Protocol;
using MeshMessenger.Protocol.Identity;

namespace MeshMessenger.Web.Tests;

/// <summary>
/// Looks for secrets in what a gateway and a broker keep and say: every byte of every file (SQLite database, WAL,
/// logs), and recorded MQTT payloads. A secret is looked for in every form it could leak in.
/// </summary>
internal static class SecretScanner
{
    /// <summary>A message text as UTF-8.</summary>
    public static IEnumerable<(string Label, byte[] Bytes)> Text(string label, string text) => [(label, Encoding.UTF8.GetBytes(text))];

    /// <summary>
    /// A person's secret: the backup code as shown (and without its dashes), and the 32-byte seed it stands for as
    /// raw bytes (every 12-byte run of it, so a partial copy is found too), hex (both cases), base64 and base64url.
    /// </summary>
    public static IEnumerable<(string Label, byte[] Bytes)> BackupCode(string label, string code)
    {
        Assert.Equal(ProtocolError.None, Protocol.Identity.BackupCode.TryRestore(code, out NodeIdentity? identity));
        byte[] seed = identity!.ExportRootSecret();
        var needles = new List<(string, byte[])>
        {
            ($"{label}'s backup code", Encoding.UTF8.GetBytes(code)),
            ($"{label}'s backup code without dashes", Encoding.UTF8.GetBytes(code.Replace("-", "", StringComparison.Ordinal))),
            ($"{label}'s seed as hex", Encoding.UTF8.GetBytes(Convert.ToHexStringLower(seed))),
            ($"{label}'s seed as HEX", Encoding.UTF8.GetBytes(Convert.ToHexString(seed))),
            ($"{label}'s seed as base64", Encoding.UTF8.GetBytes(Convert.ToBase64String(seed).TrimEnd('='))),
            ($"{label}'s seed as base64url", Encoding.UTF8.GetBytes(Convert.ToBase64String(seed).TrimEnd('=').Replace('+', '-').Replace('/', '_'))),
        };
        for (int i = 0; i + 12 <= seed.Length; i++)
        {
            needles.Add(($"{label}'s seed bytes {i}..{i + 11}", seed[i..(i + 12)]));
        }

        return needles;
    }

    /// <summary>Every file under <paramref name="folder"/>, recursively, read while others may still hold it open.</summary>
    public static IEnumerable<(string Source, byte[] Bytes)> Files(string folder)
    {
        foreach (string path in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            yield return (path, copy.ToArray());
        }
    }

    /// <summary>Where each needle was found: "label in source", none when nothing leaked.</summary>
    public static List<string> Scan(IEnumerable<(string Source, byte[] Bytes)> haystacks, IReadOnlyList<(string Label, byte[] Bytes)> needles)
    {
        var hits = new List<string>();
        foreach ((string source, byte[] bytes) in haystacks)
        {
            foreach ((string label, byte[] needle) in needles)
            {
                if (bytes.AsSpan().IndexOf(needle) >= 0)
                {
                    hits.Add($"{label} in {source}");
                }
            }
        }

        return hits;
    }
}
