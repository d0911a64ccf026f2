using MeshMessenger.Anchoring.Ethereum;

namespace MeshMessenger.Gateway.Configuration;

/// <summary>
/// The anchoring account's private key: from a file readable by its owner only, or from the MM_ANCHOR_KEY
/// environment variable. The well-known development keys (anvil's and Hardhat's "test test ... junk"
/// accounts) are accepted only on the local development chain id 31337.
/// </summary>
public static class AnchoringKey
{
    /// <summary>The environment variable that may hold the key instead of a file.</summary>
    public const string EnvironmentVariable = "MM_ANCHOR_KEY";

    private static readonly string[] DevelopmentKeys =
    [
        "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
        "59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
        "5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
        "7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
    ];

    /// <summary>What is wrong with the configured key, or null if it can be used.</summary>
    public static string? Problem(AnchoringOptions o)
    {
        string? text;
        if (!string.IsNullOrEmpty(o.KeyFile))
        {
            if (!File.Exists(o.KeyFile))
            {
                return $"'{o.KeyFile}' does not exist; it must hold the anchoring account's private key as 64 hex digits";
            }

            if (!OperatingSystem.IsWindows())
            {
                UnixFileMode mode = File.GetUnixFileMode(o.KeyFile);
                UnixFileMode others = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
                if ((mode & others) != 0)
                {
                    return $"'{o.KeyFile}' is readable by others (mode {Convert.ToString((int)mode, 8)}); run chmod 600 on it";
                }
            }

            text = File.ReadAllText(o.KeyFile);
        }
        else
        {
            text = Environment.GetEnvironmentVariable(EnvironmentVariable);
            if (string.IsNullOrEmpty(text))
            {
                return $"no key: set Gateway:Anchoring:KeyFile to a key file, or the {EnvironmentVariable} environment variable";
            }
        }

        byte[]? key = Parse(text);
        if (key is null)
        {
            return "the key is not 64 hex digits of a secp256k1 private key";
        }

        if (o.ChainId != 31337 && DevelopmentKeys.Contains(Convert.ToHexStringLower(key)))
        {
            return $"that is a well-known development key (anvil/Hardhat); it is refused on chain {o.ChainId}";
        }

        return null;
    }

    /// <summary>
    /// The anchoring account's address (the sender of every anchor), which the gateway publishes in /health,
    /// /api/anchoring and its signed profile so a verifier can confirm who anchored; null with anchoring off.
    /// Call after <see cref="Problem"/> returned null.
    /// </summary>
    public static EthereumAddress? Address(AnchoringOptions o) => o.Enabled ? EthereumAddress.FromPublicKey(Secp256k1.PublicKeyOf(Load(o))) : null;

    /// <summary>The configured key; call after <see cref="Problem"/> returned null.</summary>
    public static byte[] Load(AnchoringOptions o) =>
        Parse(string.IsNullOrEmpty(o.KeyFile) ? Environment.GetEnvironmentVariable(EnvironmentVariable)! : File.ReadAllText(o.KeyFile))!;

    private static byte[]? Parse(string text)
    {
        text = text.Trim();
        text = text.StartsWith("0x", StringComparison.Ordinal) ? text[2..] : text;
        if (text.Length != 64 || !text.All(Uri.IsHexDigit))
        {
            return null;
        }

        byte[] key = Convert.FromHexString(text);
        try
        {
            Secp256k1.PublicKeyOf(key);
            return key;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
