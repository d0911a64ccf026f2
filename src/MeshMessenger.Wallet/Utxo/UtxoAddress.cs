using System;

namespace MeshMessenger.Wallet.Utxo;

/// <summary>
/// A parsed native segwit v0 P2WPKH address: its network and 20-byte witness program. <see cref="Bytes"/> is the
/// <c>ChainAddress</c> form (witness version byte 0, then the program).
/// </summary>
public sealed class UtxoAddress
{
    private readonly byte[] _program;

    /// <summary>Creates the address of a 20-byte P2WPKH program on <paramref name="network"/>.</summary>
    public UtxoAddress(UtxoNetwork network, ReadOnlySpan<byte> program)
    {
        if (program.Length != 20)
        {
            throw new WalletException(WalletError.InvalidAddress, $"a P2WPKH witness program is 20 bytes (BIP-141), not {program.Length}");
        }

        Network = network;
        _program = program.ToArray();
    }

    /// <summary>The network whose human-readable part the address carries.</summary>
    public UtxoNetwork Network { get; }

    /// <summary>A copy of the 20-byte witness program, HASH160 of the public key (BIP-141 "P2WPKH").</summary>
    public byte[] Program => (byte[])_program.Clone();

    /// <summary>The <c>ChainAddress</c> bytes: witness version 0 then the program (21 bytes).</summary>
    public byte[] Bytes
    {
        get
        {
            byte[] bytes = new byte[21];
            _program.CopyTo(bytes, 1);
            return bytes;
        }
    }

    /// <summary>The scriptPubKey: OP_0 then a 20-byte push (BIP-141 "P2WPKH").</summary>
    public byte[] ScriptPubKey
    {
        get
        {
            byte[] script = new byte[22];
            script[1] = 0x14;
            _program.CopyTo(script, 2);
            return script;
        }
    }

    /// <summary>Reads <c>ChainAddress</c> bytes (version 0 + 20-byte program) on <paramref name="network"/>.</summary>
    /// <exception cref="WalletException"><see cref="WalletError.InvalidAddress"/> for any other form.</exception>
    public static UtxoAddress FromBytes(UtxoNetwork network, ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != 21 || bytes[0] != 0)
        {
            throw new WalletException(WalletError.InvalidAddress, "a UTXO address is witness version 0 and a 20-byte program (21 bytes); only native segwit v0 P2WPKH is supported");
        }

        return new UtxoAddress(network, bytes[1..]);
    }

    /// <summary>The bech32 text (BIP-173), lower case.</summary>
    public override string ToString() => UtxoAddressText.Encode(Network, _program);
}
