using System;
using System.Text.Json;
using MeshMessenger.Protocol.Payments;
using MeshMessenger.Wallet;
using MeshMessenger.Wallet.Evm;

namespace MeshMessenger.Browser.Payments;

/// <summary>
/// One asset the page shows: a chain (ChainTag text, docs/protocol.md "Payments"), an ERC-20 contract or null for the
/// chain's own coin, its decimals and symbol. The page names tokens (there is no chain request for decimals or symbol).
/// </summary>
internal sealed class WalletAsset
{
    private WalletAsset(ChainTag chain, byte[]? token, int decimals, string symbol)
    {
        Chain = chain;
        Token = token;
        Decimals = decimals;
        Symbol = symbol;
    }

    /// <summary>The chain.</summary>
    public ChainTag Chain { get; }

    /// <summary>The 20-byte ERC-20 contract, or null for the native coin.</summary>
    public byte[]? Token { get; }

    /// <summary>Decimal places of one whole unit (Ether 18, bitcoin and litecoin 8).</summary>
    public int Decimals { get; }

    /// <summary>The symbol shown next to amounts.</summary>
    public string Symbol { get; }

    /// <summary>The native coin of <paramref name="chain"/>: Ether (18 decimals) on EVM chains, BTC or LTC (8 decimals, BIP-21 units) on UTXO networks.</summary>
    public static WalletAsset Native(ChainTag chain) => chain.Family == ChainFamily.Evm
        ? new WalletAsset(chain, null, 18, "ETH")
        : new WalletAsset(chain, null, 8, chain.ToText().StartsWith("litecoin", StringComparison.Ordinal) ? "LTC" : "BTC");

    /// <summary>Reads { chain, token?, decimals?, symbol? } (token: EIP-55 or single-case 0x address; then decimals and symbol are required).</summary>
    public static WalletAsset Read(JsonElement o)
    {
        if (o.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException("an asset is { chain, token?, decimals?, symbol? }");
        }

        ChainTag chain = ParseChain(o.TryGetProperty("chain", out JsonElement c) && c.ValueKind == JsonValueKind.String ? c.GetString()! : "");
        if (!o.TryGetProperty("token", out JsonElement t) || t.ValueKind == JsonValueKind.Null || (t.ValueKind == JsonValueKind.String && t.GetString()!.Length == 0))
        {
            return Native(chain);
        }

        if (chain.Family != ChainFamily.Evm)
        {
            throw new WalletException(WalletError.WrongChain, $"tokens are ERC-20 contracts on EVM chains; {chain.ToText()} has none");
        }

        byte[] token = EvmAddressText.Parse(t.ValueKind == JsonValueKind.String ? t.GetString()! : "");
        int decimals = o.TryGetProperty("decimals", out JsonElement d) && d.ValueKind == JsonValueKind.Number && d.TryGetInt32(out int n) && n is >= 0 and <= 77
            ? n
            : throw new ArgumentException("a token's decimals is a whole number from 0 to 77");
        string symbol = o.TryGetProperty("symbol", out JsonElement s) && s.ValueKind == JsonValueKind.String && s.GetString()!.Trim().Length is > 0 and <= 11
            ? s.GetString()!.Trim()
            : throw new ArgumentException("a token's symbol is 1 to 11 characters");
        return new WalletAsset(chain, token, decimals, symbol);
    }

    /// <summary>A chain from its text (eip155:&lt;id&gt;, bitcoin, bitcoin-testnet, bitcoin-signet, bitcoin-regtest, litecoin, litecoin-regtest).</summary>
    public static ChainTag ParseChain(string text) =>
        ChainTag.Parse(text ?? "") ?? throw new WalletException(WalletError.WrongChain, $"'{text}' is not a chain (eip155:<chain id>, bitcoin, bitcoin-testnet, bitcoin-signet, bitcoin-regtest, litecoin, litecoin-regtest)");

    /// <summary>The token as EIP-55 text, or null.</summary>
    public string? TokenText => Token is null ? null : EvmAddressText.Format(Token);

    /// <summary>True when <paramref name="chain"/> and <paramref name="token"/> name this asset.</summary>
    public bool Is(ChainTag chain, byte[]? token) =>
        Chain.Equals(chain) && (Token is null ? token is null : token is not null && Token.AsSpan().SequenceEqual(token));

    /// <summary>{ chain, token, symbol, decimals }.</summary>
    public void WriteFields(Utf8JsonWriter w)
    {
        w.WriteString("chain", Chain.ToText());
        w.WriteString("token", TokenText);
        w.WriteString("symbol", Symbol);
        w.WriteNumber("decimals", Decimals);
    }
}
