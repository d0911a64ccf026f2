using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace MeshMessenger.Wallet.Tests;

/// <summary>Reads the whitespace-separated vector files under tests/vectors/bip (copied next to the test assembly).</summary>
internal static class Vectors
{
    public static List<string[]> Rows(string file) =>
        File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "vectors", file))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToList();
}
