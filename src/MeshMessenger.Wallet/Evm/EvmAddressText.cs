using System;
using MeshMessenger.Anchoring.Ethereum;

namespace MeshMessenger.Wallet.Evm;

/// <summary>
/// EVM addresses typed or pasted by a person: "0x" + 40 hex digits. EIP-55 §Specification: an all-lower or
/// all-upper address carries no checksum and is accepted as it is; a mixed-case one must carry the checksum
/// (letter i upper case exactly when nibble i of keccak256(lowercase hex) is 8 or more).
/// </summary>
public static class EvmAddressText
{
    /// <summary>Parses <paramref name="text"/> (surrounding spaces ignored) into the 20 address bytes.</summary>
    /// <exception cref="WalletException"><see cref="WalletError.InvalidAddress"/> for a wrong length, missing 0x or a non-hex digit;
    /// <see cref="WalletError.BadChecksum"/> for a mixed-case address whose EIP-55 checksum does not match.</exception>
    public static byte[] Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string t = text.Trim();
        if (t.Length != 42 || !t.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            throw new WalletException(WalletError.InvalidAddress, $"an EVM address is 0x followed by 40 hex digits; this text has {t.Length} characters");
        }

        string hex = t[2..];
        foreach (char c in hex)
        {
            if (!Uri.IsHexDigit(c))
            {
                throw new WalletException(WalletError.InvalidAddress, $"'{c}' is not a hex digit; an EVM address is 0x followed by 40 hex digits");
            }
        }

        if (!EthereumAddress.TryParse("0x" + hex, out EthereumAddress? address, out string? error))
        {
            throw new WalletException(WalletError.BadChecksum, $"{t}: {error}; check the address for a typing error");
        }

        return address!.Bytes.ToArray();
    }

    /// <summary>The EIP-55 form of 20 address bytes.</summary>
    public static string Format(ReadOnlySpan<byte> address)
    {
        if (address.Length != 20)
        {
            throw new WalletException(WalletError.InvalidAddress, $"an EVM address is 20 bytes, not {address.Length}");
        }

        return ToAddress(address).ToString();
    }

    /// <summary>The Anchoring address type of 20 bytes (for the signer).</summary>
    internal static EthereumAddress ToAddress(ReadOnlySpan<byte> address)
    {
        EthereumAddress.TryParse("0x" + Convert.ToHexStringLower(address), out EthereumAddress? parsed, out _);
        return parsed ?? throw new WalletException(WalletError.InvalidAddress, $"an EVM address is 20 bytes, not {address.Length}");
    }
}
