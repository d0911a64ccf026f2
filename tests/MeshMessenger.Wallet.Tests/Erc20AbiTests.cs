using System;
using System.Numerics;
using MeshMessenger.Wallet.Evm;
using Xunit;

namespace MeshMessenger.Wallet.Tests;

public sealed class Erc20AbiTests
{
    private static readonly byte[] To = Convert.FromHexString("5aaeb6053f3e94c9b9a09f33669435e7ef1beaed");

    [Fact]
    public void Calldata_is_the_solidity_abi_encoding()
    {
        // Selectors: first 4 bytes of keccak256 of the signature (Solidity ABI spec §Function Selector); EIP-20 lists the signatures.
        Assert.Equal(
            "a9059cbb" + "0000000000000000000000005aaeb6053f3e94c9b9a09f33669435e7ef1beaed" + "00000000000000000000000000000000000000000000000000000000000f4240",
            Convert.ToHexStringLower(Erc20Abi.Transfer(To, 1_000_000)));
        Assert.Equal("70a08231" + "0000000000000000000000005aaeb6053f3e94c9b9a09f33669435e7ef1beaed", Convert.ToHexStringLower(Erc20Abi.BalanceOf(To)));
        Assert.Equal("313ce567", Convert.ToHexStringLower(Erc20Abi.Decimals()));
        Assert.Equal("95d89b41", Convert.ToHexStringLower(Erc20Abi.Symbol()));
        Assert.Equal("ddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef", Convert.ToHexStringLower(Erc20Abi.TransferTopic));
        Assert.Equal(WalletError.InvalidAddress, Assert.Throws<WalletException>(() => Erc20Abi.Transfer(new byte[19], 1)).Error);
    }

    [Fact]
    public void Transfer_amounts_span_the_whole_uint256_word_and_nothing_outside_it()
    {
        // uint256 is a 32-byte big-endian word (Solidity ABI spec §Formal Specification): 0 and 2^256 - 1 fit, 2^256 and -1 do not.
        string head = "a9059cbb" + "0000000000000000000000005aaeb6053f3e94c9b9a09f33669435e7ef1beaed";
        Assert.Equal(head + new string('0', 64), Convert.ToHexStringLower(Erc20Abi.Transfer(To, 0)));
        BigInteger max = (BigInteger.One << 256) - 1;
        Assert.Equal(head + new string('f', 64), Convert.ToHexStringLower(Erc20Abi.Transfer(To, max)));
        Assert.Equal(head + "01" + new string('0', 62), Convert.ToHexStringLower(Erc20Abi.Transfer(To, BigInteger.One << 248)));
        Assert.Equal(WalletError.InvalidAmount, Assert.Throws<WalletException>(() => Erc20Abi.Transfer(To, max + 1)).Error);
        Assert.Equal(WalletError.InvalidAmount, Assert.Throws<WalletException>(() => Erc20Abi.Transfer(To, -1)).Error);
    }

    [Fact]
    public void Answers_decode_and_junk_is_a_typed_refusal()
    {
        byte[] six = new byte[32];
        six[31] = 6;
        Assert.Equal(new BigInteger(6), Erc20Abi.DecodeUint(six, "decimals()"));
        byte[] mtt = Convert.FromHexString(
            "0000000000000000000000000000000000000000000000000000000000000020" +
            "0000000000000000000000000000000000000000000000000000000000000003" +
            "4d54540000000000000000000000000000000000000000000000000000000000");
        Assert.Equal("MTT", Erc20Abi.DecodeString(mtt, "symbol()"));
        Assert.Equal(WalletError.NotFound, Assert.Throws<WalletException>(() => Erc20Abi.DecodeUint([], "decimals()")).Error);
        byte[] lying = Convert.FromHexString(
            "00000000000000000000000000000000000000000000000000000000000000ff" +
            "0000000000000000000000000000000000000000000000000000000000000003");
        Assert.Equal(WalletError.NodeRefused, Assert.Throws<WalletException>(() => Erc20Abi.DecodeString(lying, "symbol()")).Error);
        Assert.Equal(WalletError.NodeRefused, Assert.Throws<WalletException>(() => Erc20Abi.DecodeString(six, "symbol()")).Error);
        Assert.Equal(WalletError.NodeRefused, Assert.Throws<WalletException>(() => Erc20Abi.DecodeUint(new byte[10], "decimals()")).Error);
    }
}
