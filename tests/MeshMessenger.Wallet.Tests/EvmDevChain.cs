using System;
using System.IO;
using System.Net.Http;
using System.Numerics;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using MeshMessenger.Anchoring.Ethereum;
using MeshMessenger.Anchoring.Rpc;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Payments;
using MeshMessenger.Wallet.Evm;
using MeshMessenger.Wallet.Hd;
using Xunit;

namespace MeshMessenger.Wallet.Tests;

/// <summary>
/// A fresh anvil (LocalDevChain: chain 31337, 'finalized' two blocks behind the head because of
/// --slots-in-an-epoch 1, mining one block per transaction unless automine is switched off), an EVM backend over it,
/// anvil's funded account 0 as a wallet account (the "test ... junk" mnemonic at m/44'/60'/0'/0/0) and an empty
/// wallet account (the "abandon ... about" mnemonic).
/// </summary>
internal sealed class EvmDevChain : IDisposable
{
    public static readonly ChainTag Anvil = ChainTag.Evm(31337);

    private readonly LocalDevChain _chain;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public EvmDevChain()
    {
        _chain = LocalDevChain.Start(AnvilTool.Find() ?? throw new FileNotFoundException("anvil is not installed: run tests/setup.sh"));
        Rpc = new EthereumRpcClient(_http, _chain.Url);
        Backend = new EvmChainBackend(Anvil, Rpc);
        Builder = new EvmTransfer(Backend);
        Funded = Account("test test test test test test test test test test test junk");
        Empty = Account("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about");
        Assert.Equal(Convert.ToHexStringLower(LocalDevChain.Account0Key), Convert.ToHexStringLower(Funded.ExportPrivateKey()));
    }

    public EthereumRpcClient Rpc { get; }

    public EvmChainBackend Backend { get; }

    public EvmTransfer Builder { get; }

    public EthereumAccount Funded { get; }

    public EthereumAccount Empty { get; }

    public static byte[] Bytes(EthereumAccount account) => account.Address.Bytes.ToArray();

    public Task<JsonNode?> Call(string method, params JsonNode?[] parameters) => Rpc.CallAsync(method, new JsonArray(parameters));

    public async Task Mine(int blocks = 1)
    {
        for (int i = 0; i < blocks; i++)
        {
            await Call("evm_mine");
        }
    }

    /// <summary>anvil mines an automined transaction shortly after eth_sendRawTransaction answers: waits (≤ 10 s) for its receipt.</summary>
    public async Task<JsonNode> Receipt(byte[] hash)
    {
        string hex = "0x" + Convert.ToHexStringLower(hash);
        for (int i = 0; i < 200; i++)
        {
            if (await Call("eth_getTransactionReceipt", hex) is JsonObject receipt)
            {
                return receipt;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"{hex} was not mined within 10 s");
    }

    /// <summary>Deploys the MeshTestToken fixture from account 0 with <paramref name="supply"/> base units; returns the contract address.</summary>
    public async Task<byte[]> DeployToken(BigInteger supply)
    {
        JsonNode fixture = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", "MeshTestToken.json")))!;
        byte[] code = Convert.FromHexString(fixture["bytecode"]!.GetValue<string>()[2..]);
        byte[] argument = supply.ToByteArray(isUnsigned: true, isBigEndian: true);
        byte[] word = new byte[32];
        argument.CopyTo(word, 32 - argument.Length);
        var fees = await Backend.FeesAsync(CancellationToken.None);
        ulong nonce = await Backend.NonceAsync(Bytes(Funded), CancellationToken.None);
        var create = new Eip1559Transaction(31337, nonce, fees.PriorityFeePerGas, EvmTransfer.MaxFee(fees.BaseFeePerGas, fees.PriorityFeePerGas), 3_000_000, null, 0, [.. code, .. word]);
        SignedTransaction signed = create.Sign(LocalDevChain.Account0Key);
        await Backend.BroadcastAsync(signed.Raw, CancellationToken.None);
        JsonNode receipt = await Receipt(signed.Hash);
        Assert.Equal("0x1", receipt["status"]!.GetValue<string>());
        return Convert.FromHexString(receipt["contractAddress"]!.GetValue<string>()[2..]);
    }

    public void Dispose()
    {
        _chain.Dispose();
        _http.Dispose();
    }

    private static EthereumAccount Account(string mnemonic)
    {
        Assert.Equal(RecoveryPhraseError.None, RecoveryPhrase.TryParse(mnemonic, out RecoveryPhrase? phrase, out _));
        Assert.Equal(RecoveryPhraseError.None, WalletSeed.TryFromPhrase(phrase!, string.Empty, out WalletSeed? seed));
        return seed!.ToAccounts().EthereumAccount(0);
    }
}
