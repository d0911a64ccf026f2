namespace MeshMessenger.Protocol.Payments;

/// <summary>The kind of chain a <see cref="ChainTag"/> names: how its reference number is read.</summary>
public enum ChainFamily
{
    /// <summary>An Ethereum-compatible chain; the reference is its EIP-155 chain id.</summary>
    Evm = 1,

    /// <summary>A Bitcoin-family chain with native segwit; the reference is one of the networks listed in <see cref="ChainTag"/>.</summary>
    Utxo = 2,
}
