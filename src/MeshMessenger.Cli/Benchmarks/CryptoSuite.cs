namespace MeshMessenger.Cli.Benchmarks;

/// <summary>
/// One implementation of the benchmarked operations, set up over the same inputs as the others
/// (<see cref="BenchmarkInputs"/>), so the figures compare like with like.
/// </summary>
public abstract class CryptoSuite
{
    public const string Sign = "Ed25519 sign (200 B)";
    public const string Verify = "Ed25519 verify (200 B)";
    public const string Agree = "X25519 shared secret";
    public const string Seal = "ChaCha20-Poly1305 seal (200 B)";
    public const string Open = "ChaCha20-Poly1305 open (200 B)";
    public const string Hash = "SHA-512 (1 KiB)";

    /// <summary>The operations in table order.</summary>
    public static IReadOnlyList<string> Operations { get; } = [Sign, Verify, Agree, Seal, Open, Hash];

    public abstract string Name { get; }

    /// <summary>Returns the delegate that performs one <paramref name="operation"/>.</summary>
    public abstract Action Operation(string operation);

    /// <summary>Runs every operation once and checks its result, so a benchmark never times a failing path.</summary>
    public abstract void SelfCheck();

    /// <summary>Fails the measurement if an operation that must succeed did not: a rejected path is faster and would flatter the figure.</summary>
    protected static void Check(bool succeeded)
    {
        if (!succeeded)
        {
            throw new InvalidOperationException("a benchmarked verification or decryption failed");
        }
    }

    protected static byte[] NextNonce(ref ulong counter)
    {
        // A fresh nonce per seal: BouncyCastle refuses nonce reuse, and so would a real sender.
        var nonce = new byte[12];
        BitConverter.TryWriteBytes(nonce.AsSpan(4), ++counter);
        return nonce;
    }
}
