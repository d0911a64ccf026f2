namespace MeshMessenger.Emulator.Payments;

/// <summary>What a tip pays with.</summary>
public enum PaymentKind
{
    /// <summary>Ether on the local EVM chain (anvil, chain 31337): an EIP-1559 transfer of 21,000 gas.</summary>
    Ether,

    /// <summary>An ERC-20 transfer(address,uint256) of the MeshTestToken fixture on anvil.</summary>
    Erc20,

    /// <summary>A P2WPKH payment on litecoind regtest.</summary>
    Litecoin,
}
