using System;
using System.Collections.Generic;
using System.Numerics;
using System.Text;
using MeshMessenger.Anchoring.Ethereum;
using Nethereum.ABI;
using Nethereum.ABI.FunctionEncoding;
using Nethereum.ABI.Model;

namespace MeshMessenger.Wallet.Evm;

/// <summary>
/// The ERC-20 calls and event the wallet uses (EIP-20 §Methods, §Events), encoded and decoded with Nethereum's ABI
/// coder (Solidity ABI specification: 4-byte selector = first bytes of keccak256 of the signature, then 32-byte words).
/// Answers from a node are untrusted: anything that does not decode is a <see cref="WalletException"/>.
/// </summary>
public static class Erc20Abi
{
    /// <summary>keccak256("Transfer(address,address,uint256)"): topic 0 of the EIP-20 Transfer event.</summary>
    public static readonly byte[] TransferTopic = Keccak256.Hash(Encoding.ASCII.GetBytes("Transfer(address,address,uint256)"));

    /// <summary>The 4-byte selector of transfer(address,uint256): the first 4 bytes of its keccak256 (Solidity ABI spec, §Function Selector).</summary>
    private static readonly byte[] TransferSelector = Keccak256.Hash(Encoding.ASCII.GetBytes("transfer(address,uint256)"))[..4];

    /// <summary>
    /// transfer(address,uint256) calldata, written out per the Solidity ABI specification (§Function Selector and
    /// Argument Encoding, §Formal Specification): the selector, the address left-padded with zeros to a 32-byte word,
    /// the amount as a 32-byte big-endian word. Written by hand rather than through Nethereum.ABI because the browser
    /// node (trimmed WebAssembly) builds token transfers too, and the trimmer cannot follow Nethereum.ABI's
    /// reflection-based type encoders; the decoders below are reached only from a direct RPC backend.
    /// </summary>
    /// <exception cref="WalletException"><see cref="WalletError.InvalidAddress"/> unless 20 bytes; <see cref="WalletError.InvalidAmount"/> unless 0 ≤ amount &lt; 2^256.</exception>
    public static byte[] Transfer(ReadOnlySpan<byte> to, BigInteger amount)
    {
        if (to.Length != 20)
        {
            throw new WalletException(WalletError.InvalidAddress, $"an EVM address is 20 bytes, not {to.Length}");
        }

        if (amount.Sign < 0 || amount.GetByteCount(isUnsigned: true) > 32)
        {
            throw new WalletException(WalletError.InvalidAmount, $"{amount} is not a uint256 (0 to 2^256 - 1)");
        }

        byte[] data = new byte[4 + 32 + 32];
        TransferSelector.CopyTo(data, 0);
        to.CopyTo(data.AsSpan(4 + 12, 20));
        if (!amount.TryWriteBytes(data.AsSpan(4 + 32 + 32 - amount.GetByteCount(isUnsigned: true)), out _, isUnsigned: true, isBigEndian: true))
        {
            throw new WalletException(WalletError.InvalidAmount, $"{amount} is not a uint256 (0 to 2^256 - 1)");
        }

        return data;
    }

    /// <summary>balanceOf(address) calldata.</summary>
    public static byte[] BalanceOf(ReadOnlySpan<byte> owner) => Call("balanceOf(address)", new ABIValue("address", Hex(owner)));

    /// <summary>decimals() calldata.</summary>
    public static byte[] Decimals() => Call("decimals()");

    /// <summary>symbol() calldata.</summary>
    public static byte[] Symbol() => Call("symbol()");

    /// <summary>Decodes a uint256 (or smaller uint) answer of eth_call.</summary>
    public static BigInteger DecodeUint(byte[] answer, string what) =>
        answer.Length is > 0 and < 32 ? throw Bad(what) : Decode(answer, "uint256", what) is BigInteger value ? value : throw Bad(what);

    /// <summary>
    /// Decodes a string answer of eth_call (symbol(), name()): checked here first that the head's offset is 32 and
    /// the length fits the answer (Solidity ABI spec §Formal Specification: string = enc(len) ‖ bytes padded to 32),
    /// because the decoder reads a lying offset without complaint.
    /// </summary>
    public static string DecodeString(byte[] answer, string what)
    {
        if (answer.Length is > 0 and < 64)
        {
            throw Bad(what);
        }

        if (answer.Length >= 64)
        {
            var offset = new BigInteger(answer.AsSpan(0, 32), isUnsigned: true, isBigEndian: true);
            var length = new BigInteger(answer.AsSpan(32, 32), isUnsigned: true, isBigEndian: true);
            if (offset != 32 || length > answer.Length - 64)
            {
                throw new WalletException(WalletError.NodeRefused, $"{what}: the answer is not an ABI-encoded string (offset {offset}, length {length}, {answer.Length} bytes)");
            }
        }

        return Decode(answer, "string", what) is string value ? value : throw Bad(what);
    }

    private static object? Decode(byte[] answer, string type, string what)
    {
        if (answer.Length == 0)
        {
            throw new WalletException(WalletError.NotFound, $"{what}: no contract answered (empty eth_call result)");
        }

        try
        {
            List<ParameterOutput> outputs = new ParameterDecoder().DecodeDefaultData(answer, new Parameter(type, "value"));
            return outputs.Count == 1 ? outputs[0].Result : null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new WalletException(WalletError.NodeRefused, $"{what}: the answer is not an ABI-encoded {type} ({e.Message})", e);
        }
    }

    private static byte[] Call(string signature, params ABIValue[] arguments)
    {
        byte[] selector = Keccak256.Hash(Encoding.ASCII.GetBytes(signature))[..4];
        byte[] encoded = arguments.Length == 0 ? [] : new ABIEncode().GetABIEncoded(arguments);
        return [.. selector, .. encoded];
    }

    private static string Hex(ReadOnlySpan<byte> address) =>
        address.Length == 20 ? "0x" + Convert.ToHexStringLower(address) : throw new WalletException(WalletError.InvalidAddress, $"an EVM address is 20 bytes, not {address.Length}");

    private static WalletException Bad(string what) => new(WalletError.NodeRefused, $"{what}: the answer has the wrong ABI type");
}
