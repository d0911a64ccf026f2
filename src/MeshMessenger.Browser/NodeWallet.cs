using System;
using System.Globalization;
using System.Numerics;
using System.Text.Json;
using MeshMessenger.Anchoring.Ethereum;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Wallet.Evm;
using MeshMessenger.Wallet.Hd;
using MeshMessenger.Wallet.Utxo;

namespace MeshMessenger.Browser;

/// <summary>
/// The wallet's key side in the page: accounts derived from this node's own root (its 24-word recovery phrase, BIP-39
/// seed with an empty passphrase, then BIP-32), addresses and signed transactions out, never a phrase or a private key.
/// </summary>
internal sealed class NodeWallet
{
    private readonly HdAccounts _accounts;

    private NodeWallet(HdAccounts accounts)
    {
        _accounts = accounts;
    }

    /// <summary>The accounts of this node's root (kept in the page; only addresses and signed transactions leave it).</summary>
    internal HdAccounts Accounts => _accounts;

    /// <summary>The wallet of <paramref name="identity"/>: the same accounts the 24 words open in any BIP-39 wallet.</summary>
    public static NodeWallet Of(NodeIdentity identity)
    {
        RecoveryPhrase phrase = RecoveryPhrase.FromIdentity(identity);
        if (WalletSeed.TryFromPhrase(phrase, string.Empty, out WalletSeed? seed) != RecoveryPhraseError.None || seed is null)
        {
            throw new InvalidOperationException("the wallet seed could not be made from this node's recovery phrase");
        }

        return new NodeWallet(seed.ToAccounts());
    }

    /// <summary>
    /// { evm: { path, address }, utxo: [ { network, path, address } ] } for options { networks: [ names ] }: the EVM
    /// account m/44'/60'/0'/0/0 (EIP-55) and the first BIP-84 receive address m/84'/coin'/0'/0/0 of each network.
    /// </summary>
    public void WriteAccounts(Utf8JsonWriter w, JsonElement options)
    {
        EthereumAccount evm = _accounts.EthereumAccount(0);
        w.WriteStartObject();
        w.WriteStartObject("evm");
        w.WriteString("path", evm.Path);
        w.WriteString("address", evm.Address.ToString());
        w.WriteEndObject();
        w.WriteStartArray("utxo");
        if (options.ValueKind == JsonValueKind.Object && options.TryGetProperty("networks", out JsonElement networks))
        {
            if (networks.ValueKind != JsonValueKind.Array)
            {
                throw new ArgumentException("networks is a list of network names");
            }

            foreach (JsonElement item in networks.EnumerateArray())
            {
                string name = item.ValueKind == JsonValueKind.String ? item.GetString()! : throw new ArgumentException("networks is a list of network names");
                SegwitAccount account = _accounts.SegwitAccount(ParseNetwork(name), 0, 0, 0);
                w.WriteStartObject();
                w.WriteString("network", name);
                w.WriteString("path", account.Path);
                w.WriteString("address", account.Address);
                w.WriteEndObject();
            }
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>
    /// Signs an ETH transfer from m/44'/60'/0'/0/0 as an EIP-1559 transaction (the one signer,
    /// <see cref="Eip1559Transaction.Sign"/>): { raw, hash }, both 0x-hex. Fields { chainId, nonce, to, valueWei,
    /// maxFeePerGas, maxPriorityFeePerGas, gas, data? }; quantities are decimal strings or JSON integers.
    /// </summary>
    public void WriteSignedEvmTransfer(Utf8JsonWriter w, JsonElement fields)
    {
        if (fields.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException("the transfer is a JSON object");
        }

        string toText = fields.TryGetProperty("to", out JsonElement to) && to.ValueKind == JsonValueKind.String
            ? to.GetString()!
            : throw new ArgumentException("to is the recipient's address");
        if (!EthereumAddress.TryParse(toText, out EthereumAddress? recipient, out string? problem))
        {
            throw new ArgumentException($"to: {problem}");
        }

        var transaction = new Eip1559Transaction(
            Quantity(fields, "chainId"),
            Quantity(fields, "nonce"),
            Quantity(fields, "maxPriorityFeePerGas"),
            Quantity(fields, "maxFeePerGas"),
            Quantity(fields, "gas"),
            recipient,
            Quantity(fields, "valueWei"),
            Data(fields));
        if (transaction.ChainId.IsZero)
        {
            throw new ArgumentException("chainId is the EIP-155 chain id, 1 or more");
        }

        byte[] key = _accounts.EthereumAccount(0).ExportPrivateKey();
        try
        {
            SignedTransaction signed = transaction.Sign(key);
            w.WriteStartObject();
            w.WriteString("raw", "0x" + Convert.ToHexStringLower(signed.Raw));
            w.WriteString("hash", signed.HashHex);
            w.WriteEndObject();
        }
        finally
        {
            Array.Clear(key);
        }
    }

    /// <summary>The network names of ChainTag text (docs/protocol.md), in UtxoNetwork order.</summary>
    private static UtxoNetwork ParseNetwork(string name) => name switch
    {
        "bitcoin" => UtxoNetwork.BitcoinMainnet,
        "bitcoin-testnet" => UtxoNetwork.BitcoinTestnet,
        "bitcoin-signet" => UtxoNetwork.BitcoinSignet,
        "bitcoin-regtest" => UtxoNetwork.BitcoinRegtest,
        "litecoin" => UtxoNetwork.LitecoinMainnet,
        "litecoin-regtest" => UtxoNetwork.LitecoinRegtest,
        _ => throw new ArgumentException($"'{name}' is not a network (bitcoin, bitcoin-testnet, bitcoin-signet, bitcoin-regtest, litecoin, litecoin-regtest)"),
    };

    /// <summary>A non-negative whole number: decimal digits in a string (any size), or a JSON integer.</summary>
    private static BigInteger Quantity(JsonElement fields, string name)
    {
        if (!fields.TryGetProperty(name, out JsonElement value))
        {
            throw new ArgumentException($"{name} is missing");
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetUInt64(out ulong number))
        {
            return number;
        }

        string? text = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        if (string.IsNullOrEmpty(text) || text.Length > 78 || !IsDigits(text))
        {
            throw new ArgumentException($"{name} is a whole number of 0 or more, in decimal digits");
        }

        return BigInteger.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
    }

    private static bool IsDigits(string text)
    {
        foreach (char c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Optional calldata, 0x-hex (empty for a plain ETH transfer).</summary>
    private static byte[] Data(JsonElement fields)
    {
        if (!fields.TryGetProperty("data", out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        string? text = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        if (text is null || !text.StartsWith("0x", StringComparison.Ordinal) || text.Length % 2 != 0)
        {
            throw new ArgumentException("data is 0x followed by an even number of hex digits");
        }

        return Convert.FromHexString(text.AsSpan(2));
    }
}
