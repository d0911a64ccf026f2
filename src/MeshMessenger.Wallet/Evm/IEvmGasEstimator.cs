using System.Numerics;
using System.Threading;
using System.Threading.Tasks;

namespace MeshMessenger.Wallet.Evm;

/// <summary>
/// What a direct EVM node connection adds to <see cref="Chains.IChainBackend"/> for <see cref="EvmTransfer"/>: the
/// node's chain id check (eth_chainId) and eth_estimateGas. <see cref="EvmTransfer"/> asks for it through this
/// interface rather than the concrete <see cref="EvmChainBackend"/>, so a trimmed build that never constructs one (the
/// browser node) does not keep its RPC and ABI-decoding code.
/// </summary>
public interface IEvmGasEstimator
{
    /// <summary>Checks (once) that the node serves the backend's chain; <see cref="WalletError.WrongChain"/> if not.</summary>
    Task EnsureChainAsync(CancellationToken ct);

    /// <summary>eth_estimateGas of a call from <paramref name="from"/> to <paramref name="to"/> with <paramref name="data"/>.</summary>
    Task<BigInteger> EstimateGasAsync(byte[] from, byte[] to, byte[] data, CancellationToken ct);
}
