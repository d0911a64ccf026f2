using System.Numerics;
using System.Text.Json.Nodes;
using MeshMessenger.Anchoring.Ethereum;
using MeshMessenger.Anchoring.Rpc;
using MeshMessenger.Protocol.Payments;
using MeshMessenger.Wallet.Chains;
using MeshMessenger.Wallet.Evm;
using MeshMessenger.Wallet.Hd;
using MeshMessenger.Wallet.Utxo;

namespace MeshMessenger.Emulator.Payments;

/// <summary>
/// The real chains a payment run talks to, started once and shared by every run: anvil (chain 31337, with the
/// MeshTestToken ERC-20 fixture deployed from anvil's account 0) and litecoind regtest. The gateway's chain access
/// runs against them; wallets are funded here before a run (anvil_setBalance and a token transfer; a matured regtest
/// coinbase). During a run blocks come only from <see cref="MineAsync"/>, which the scenario calls on the simulated clock.
/// </summary>
public sealed class PaymentChains : IDisposable
{
    /// <summary>anvil's chain.</summary>
    public static readonly ChainTag Anvil = ChainTag.Evm(31337);

    /// <summary>litecoind regtest.</summary>
    public static readonly ChainTag LitecoinRegtest = ChainTag.Utxo((uint)UtxoNetwork.LitecoinRegtest);

    /// <summary>Token units each payer gets.</summary>
    public static readonly BigInteger TokenFunding = BigInteger.Pow(10, 21);

    // anvil's funded account 0 (the "test ... junk" mnemonic at m/44'/60'/0'/0/0), whose key is LocalDevChain.Account0Key.
    private const string Account0Address = "f39fd6e51aad88f6f4ce6ab8827279cfffb92266";

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly string _burn;
    private LocalDevChain? _anvil;
    private LocalLitecoinNode? _litecoin;
    private bool _litecoinFunded;

    private PaymentChains()
    {
        _burn = UtxoAddressText.Encode(UtxoNetwork.LitecoinRegtest, new NBitcoin.Key().PubKey.WitHash.ToBytes());
    }

    /// <summary>The EVM backend over anvil, or null.</summary>
    public EvmChainBackend? Evm { get; private set; }

    /// <summary>anvil's JSON-RPC client, or null.</summary>
    public EthereumRpcClient? EvmRpc { get; private set; }

    /// <summary>The deployed ERC-20 contract (20 bytes), or null.</summary>
    public byte[]? Token { get; private set; }

    /// <summary>The UTXO backend over litecoind regtest, or null.</summary>
    public UtxoChainBackend? Litecoin { get; private set; }

    /// <summary>
    /// Starts the chains <paramref name="kinds"/> need: anvil (installed by tests/setup.sh or <see cref="LocalDevChain.EnsureInstalled"/>)
    /// and the token for Ether/ERC-20, litecoind (<see cref="LocalLitecoinNode.DefaultExecutable"/>) for Litecoin.
    /// </summary>
    public static async Task<PaymentChains> StartAsync(IEnumerable<PaymentKind> kinds, CancellationToken ct = default)
    {
        var chains = new PaymentChains();
        try
        {
            var set = kinds.ToHashSet();
            if (set.Contains(PaymentKind.Ether) || set.Contains(PaymentKind.Erc20))
            {
                string anvil = AnvilTool.Find() ?? LocalDevChain.EnsureInstalled(_ => { });
                chains._anvil = LocalDevChain.Start(anvil);
                chains.EvmRpc = new EthereumRpcClient(chains._http, chains._anvil.Url);
                chains.Evm = new EvmChainBackend(Anvil, chains.EvmRpc);
                if (set.Contains(PaymentKind.Erc20))
                {
                    chains.Token = await chains.DeployTokenAsync(ct).ConfigureAwait(false);
                }
            }

            if (set.Contains(PaymentKind.Litecoin))
            {
                chains._litecoin = await LocalLitecoinNode.StartAsync().ConfigureAwait(false);
                chains.Litecoin = new UtxoChainBackend(chains._litecoin.Rpc, UtxoNetwork.LitecoinRegtest);
            }

            return chains;
        }
        catch
        {
            chains.Dispose();
            throw;
        }
    }

    /// <summary>The backend a gateway uses for <paramref name="kind"/>.</summary>
    public IChainBackend BackendFor(PaymentKind kind) => kind == PaymentKind.Litecoin
        ? Litecoin ?? throw new InvalidOperationException("litecoind was not started")
        : Evm ?? throw new InvalidOperationException("anvil was not started");

    /// <summary>Funds the payer: Ether for the value and gas, token units, or one matured 50-LTC coinbase (block reward on regtest).</summary>
    public async Task FundAsync(PaymentKind kind, HdAccounts payer, CancellationToken ct = default)
    {
        if (kind == PaymentKind.Litecoin)
        {
            if (_litecoinFunded)
            {
                // A fresh regtest chain for every run: each run mines about 125 blocks, and past Litecoin's MWEB
                // activation height on regtest (432) generatetoaddress of a wallet-less node fails with bad-txns-vin-empty.
                _litecoin!.Dispose();
                _litecoin = await LocalLitecoinNode.StartAsync().ConfigureAwait(false);
                Litecoin = new UtxoChainBackend(_litecoin.Rpc, UtxoNetwork.LitecoinRegtest);
            }

            _litecoinFunded = true;
            SegwitAccount account = payer.SegwitAccount(UtxoNetwork.LitecoinRegtest, 0, 0, 0);
            await _litecoin!.MineAsync(1, account.Address, ct).ConfigureAwait(false);
            await _litecoin.MineAsync(100, _burn, ct).ConfigureAwait(false); // COINBASE_MATURITY 100
            return;
        }

        await SetAutomineAsync(true, ct).ConfigureAwait(false);
        string address = EthereumRpcClient.Hex(payer.EthereumAccount(0).Address.Bytes);
        await EvmRpc!.CallAsync("anvil_setBalance", [address, EthereumRpcClient.Quantity(BigInteger.Pow(10, 20))], ct).ConfigureAwait(false);
        if (kind == PaymentKind.Erc20)
        {
            byte[] data = Erc20Abi.Transfer(payer.EthereumAccount(0).Address.Bytes, TokenFunding);
            await SendFromAccount0Async(AddressOf(Token!), data, 100_000, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Switches anvil between mining on every transaction (setup) and mining only on <see cref="MineAsync"/> (runs).</summary>
    public async Task SetAutomineAsync(bool on, CancellationToken ct = default)
    {
        if (EvmRpc is not null)
        {
            await EvmRpc.CallAsync("evm_setAutomine", [on], ct).ConfigureAwait(false);
        }
    }

    /// <summary>Mines one block on the chain of <paramref name="kind"/> (anvil: evm_mine; litecoind: generatetoaddress to a throwaway key).</summary>
    public async Task MineAsync(PaymentKind kind, CancellationToken ct = default)
    {
        if (kind == PaymentKind.Litecoin)
        {
            await _litecoin!.MineAsync(1, _burn, ct).ConfigureAwait(false);
        }
        else
        {
            await EvmRpc!.CallAsync("evm_mine", [], ct).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _anvil?.Dispose();
        _litecoin?.Dispose();
        _http.Dispose();
    }

    /// <summary>The <see cref="EthereumAddress"/> of 20 address bytes.</summary>
    internal static EthereumAddress AddressOf(byte[] address)
    {
        if (!EthereumAddress.TryParse(EthereumRpcClient.Hex(address), out EthereumAddress? parsed, out string? error))
        {
            throw new ArgumentException(error, nameof(address));
        }

        return parsed!;
    }

    private async Task<byte[]> DeployTokenAsync(CancellationToken ct)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "fixtures", "MeshTestToken.json");
        JsonNode fixture = JsonNode.Parse(await File.ReadAllTextAsync(path, ct).ConfigureAwait(false))!;
        byte[] code = Convert.FromHexString(fixture["bytecode"]!.GetValue<string>()[2..]);
        byte[] argument = (BigInteger.Pow(10, 30)).ToByteArray(isUnsigned: true, isBigEndian: true);
        byte[] word = new byte[32];
        argument.CopyTo(word, 32 - argument.Length);
        JsonNode receipt = await SendFromAccount0Async(null, [.. code, .. word], 3_000_000, ct).ConfigureAwait(false);
        return Convert.FromHexString(receipt["contractAddress"]!.GetValue<string>()[2..]);
    }

    private async Task<JsonNode> SendFromAccount0Async(EthereumAddress? to, byte[] data, ulong gas, CancellationToken ct)
    {
        byte[] from = Convert.FromHexString(Account0Address);
        ChainFees fees = await Evm!.FeesAsync(ct).ConfigureAwait(false);
        ulong nonce = await Evm.NonceAsync(from, ct).ConfigureAwait(false);
        var tx = new Eip1559Transaction(31337, nonce, fees.PriorityFeePerGas, EvmTransfer.MaxFee(fees.BaseFeePerGas, fees.PriorityFeePerGas), gas, to, 0, data);
        SignedTransaction signed = tx.Sign(LocalDevChain.Account0Key);
        await Evm.BroadcastAsync(signed.Raw, ct).ConfigureAwait(false);
        string hash = EthereumRpcClient.Hex(signed.Hash);
        for (int i = 0; i < 200; i++)
        {
            if (await EvmRpc!.CallAsync("eth_getTransactionReceipt", [hash], ct).ConfigureAwait(false) is JsonObject receipt)
            {
                if (receipt["status"]?.GetValue<string>() != "0x1")
                {
                    throw new InvalidOperationException($"setup transaction {hash} reverted");
                }

                return receipt;
            }

            await Task.Delay(50, ct).ConfigureAwait(false);
        }

        throw new TimeoutException($"setup transaction {hash} was not mined within 10 s");
    }
}
