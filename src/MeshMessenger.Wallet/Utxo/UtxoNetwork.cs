namespace MeshMessenger.Wallet.Utxo;

/// <summary>The UTXO chains a segwit account can be on: the SLIP-44 coin type and the BIP-173 human-readable part.</summary>
public enum UtxoNetwork
{
    /// <summary>Bitcoin mainnet: coin 0, addresses bc1….</summary>
    BitcoinMainnet = 0,

    /// <summary>Bitcoin testnet: coin 1, addresses tb1….</summary>
    BitcoinTestnet,

    /// <summary>Bitcoin signet (BIP-325): coin 1, addresses tb1….</summary>
    BitcoinSignet,

    /// <summary>Bitcoin regtest: coin 1, addresses bcrt1….</summary>
    BitcoinRegtest,

    /// <summary>Litecoin mainnet: coin 2, addresses ltc1….</summary>
    LitecoinMainnet,

    /// <summary>Litecoin regtest: coin 1, addresses rltc1….</summary>
    LitecoinRegtest,
}
