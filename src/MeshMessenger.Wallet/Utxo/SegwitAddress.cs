using System;
using NBitcoin;
using NBitcoin.DataEncoders;

namespace MeshMessenger.Wallet.Utxo;

/// <summary>Version-0 P2WPKH addresses (BIP-141, BIP-173) and the BIP-84 coin type of each <see cref="UtxoNetwork"/>.</summary>
public static class SegwitAddress
{
    /// <summary>
    /// The SLIP-44 coin type in m/84'/coin'/…: 0 for Bitcoin mainnet, 2 for Litecoin mainnet, 1 for every test network
    /// (SLIP-44: "Testnet (all coins)").
    /// </summary>
    public static int CoinType(UtxoNetwork network) => network switch
    {
        UtxoNetwork.BitcoinMainnet => 0,
        UtxoNetwork.LitecoinMainnet => 2,
        UtxoNetwork.BitcoinTestnet or UtxoNetwork.BitcoinSignet or UtxoNetwork.BitcoinRegtest or UtxoNetwork.LitecoinRegtest => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(network)),
    };

    /// <summary>
    /// The BIP-173 human-readable part: "bc" and "tb" (BIP-173 "Segwit address format"; signet shares "tb", BIP-325),
    /// "bcrt" (Bitcoin Core chainparams.cpp, regtest bech32_hrp), "ltc" and "rltc" (Litecoin Core chainparams.cpp,
    /// main and regtest bech32_hrp).
    /// </summary>
    public static string HumanReadablePart(UtxoNetwork network) => network switch
    {
        UtxoNetwork.BitcoinMainnet => "bc",
        UtxoNetwork.BitcoinTestnet or UtxoNetwork.BitcoinSignet => "tb",
        UtxoNetwork.BitcoinRegtest => "bcrt",
        UtxoNetwork.LitecoinMainnet => "ltc",
        UtxoNetwork.LitecoinRegtest => "rltc",
        _ => throw new ArgumentOutOfRangeException(nameof(network)),
    };

    /// <summary>
    /// The P2WPKH address of a 33-byte compressed public key: witness version 0 and the 20-byte program
    /// HASH160(pubkey) (BIP-141 "P2WPKH"), bech32-encoded with the network's human-readable part (BIP-173).
    /// </summary>
    public static string Encode(UtxoNetwork network, ReadOnlySpan<byte> compressedPublicKey)
    {
        if (compressedPublicKey.Length != 33 || (compressedPublicKey[0] != 0x02 && compressedPublicKey[0] != 0x03))
        {
            throw new ArgumentException("P2WPKH takes a 33-byte compressed public key (BIP-143: uncompressed keys are not standard)", nameof(compressedPublicKey));
        }

        byte[] program = new PubKey(compressedPublicKey.ToArray()).WitHash.ToBytes();
        return Encoders.Bech32(HumanReadablePart(network)).Encode(0, program);
    }
}
