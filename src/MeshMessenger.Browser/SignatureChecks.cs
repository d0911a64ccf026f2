using System.Diagnostics;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Platform;

namespace MeshMessenger.Browser;

/// <summary>How the page's node verifies Ed25519 signatures, and the figure that chose it.</summary>
internal static class SignatureChecks
{
    /// <summary>
    /// The verifier the page's node uses: WebCrypto results handed in by the page, else managed Ed25519. Managed
    /// verification in WebAssembly measured about 3.8 ms per signature in chromium (README "Figures"), so a
    /// restore of 1,000 entries would spend seconds on it alone.
    /// </summary>
    public static WebCryptoPreverified Verifier { get; } = new();

    /// <summary>Milliseconds for <paramref name="count"/> managed verifications of distinct signatures (signing is not timed).</summary>
    public static double MeasureManaged(int count)
    {
        NodeIdentity signer = NodeIdentity.FromRootSecret(new byte[NodeIdentity.RootSecretSize]);
        var hashes = new byte[count][];
        var signatures = new byte[count][];
        for (int i = 0; i < count; i++)
        {
            hashes[i] = new byte[32];
            hashes[i][0] = (byte)i;
            hashes[i][1] = (byte)(i >> 8);
            signatures[i] = signer.Sign(hashes[i], 0, 32);
        }

        var verifier = new Ed25519SignatureVerifier();
        var clock = Stopwatch.StartNew();
        int good = 0;
        for (int i = 0; i < count; i++)
        {
            good += verifier.Verify(signer.SigningKey, hashes[i], signatures[i], 0) ? 1 : 0;
        }

        double ms = clock.Elapsed.TotalMilliseconds;
        return good == count ? ms : -1;
    }
}
