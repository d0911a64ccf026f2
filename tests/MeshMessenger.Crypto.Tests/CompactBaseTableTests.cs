namespace MeshMessenger.Crypto.Tests;

/// <summary>
/// The existing RFC 8032, RFC 7748, Wycheproof and BouncyCastle tests, run again with <see cref="Ed25519.CompactBaseTable"/>
/// on. The mode is process-wide, so this collection runs alone, after the parallel ones.
/// </summary>
[Collection(nameof(CompactBaseTableTests))]
[CollectionDefinition(nameof(CompactBaseTableTests), DisableParallelization = true)]
public sealed class CompactBaseTableTests
{
    [Fact]
    public void Ed25519_suites_pass_with_the_compact_table_and_it_is_the_table_in_use()
    {
        InCompactMode(() =>
        {
            var tests = new Ed25519Tests();
            tests.Rfc8032_section_7_1_vectors();
            tests.Wycheproof_ed25519();
            tests.Matches_BouncyCastle_on_10000_random_keys_and_messages_and_rejects_tampering();
            Assert.Equal(8 * 120, Ed25519.FixedBaseTableBytes);
        });
    }

    [Fact]
    public void X25519_suites_pass_with_the_compact_table()
    {
        InCompactMode(() =>
        {
            var tests = new X25519Tests();
            tests.Rfc7748_vectors();
            tests.Wycheproof_x25519();
            Assert.Equal(8 * 120, Ed25519.FixedBaseTableBytes);
        });
    }

    [Fact]
    public void Leaving_compact_mode_builds_the_full_table_on_first_use()
    {
        InCompactMode(() => { });
        var publicKey = new byte[32];
        Ed25519.GeneratePublicKey(new byte[32], 0, publicKey, 0);
        Assert.Equal(64 * 8 * 120, Ed25519.FixedBaseTableBytes);
    }

    private static void InCompactMode(Action action)
    {
        Ed25519.CompactBaseTable = true;
        try
        {
            action();
        }
        finally
        {
            Ed25519.CompactBaseTable = false;
        }
    }
}
