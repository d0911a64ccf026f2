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
