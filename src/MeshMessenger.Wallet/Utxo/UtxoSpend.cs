using System;
using System.Collections.Generic;
using NBitcoin;

namespace MeshMessenger.Wallet.Utxo;

/// <summary>
/// Builds and signs P2WPKH → P2WPKH payments with NBitcoin. Litecoin shares Bitcoin's transaction format (BIP-144),
/// segwit rules (BIP-141) and signature hash (BIP-143), so Litecoin transactions are built from scripts and signed on
/// NBitcoin's Bitcoin network object (NBitcoin.Altcoins is not used); the address's network only picks the bech32 text.
/// Inputs are chosen largest first; every input signals BIP-125 opt-in replace-by-fee unless asked not to.
/// </summary>
public static class UtxoSpend
{
    /// <summary>
    /// The dust threshold of a P2WPKH output: Bitcoin Core policy/policy.cpp GetDustThreshold, (31 + 67) vbytes × the
    /// dust relay fee of 3 sat/vB (DUST_RELAY_TX_FEE = 3000 sat/kvB) = 294 base units; Litecoin Core 0.21 keeps the same policy.
    /// </summary>
    public const ulong DustThreshold = 294;

    /// <summary>Bitcoin Core's and Litecoin Core's default incremental relay fee, 1 sat/vB (DEFAULT_INCREMENTAL_RELAY_FEE = 1000 sat/kvB), used by BIP-125 rule 4.</summary>
    public const ulong IncrementalRelayFeePerVirtualByte = 1;

    /// <summary>nSequence signalling BIP-125 replaceability (any value below 0xfffffffe; BIP-125 "Summary").</summary>
    public const uint ReplaceableSequence = 0xfffffffd;

    /// <summary>nSequence of a final, non-replaceable input that still lets nLockTime apply.</summary>
    public const uint FinalSequence = 0xfffffffe;

    // Virtual sizes (BIP-141 weight / 4) of P2WPKH parts: version, locktime and counts 10 vB plus marker and flag
    // 0.5 vB, rounded up; an input 41 vB + a witness of at most 108 WU (72-byte signature, 33-byte key) = 68 vB;
    // an output 8 + 1 + 22 = 31 vB. Estimates are upper bounds, so the fee rate paid is at least the one asked.
    private const int OverheadVirtualBytes = 11;
    private const int InputVirtualBytes = 68;
    private const int OutputVirtualBytes = 31;

    /// <summary>
    /// Pays <paramref name="amount"/> base units to <paramref name="recipient"/> from <paramref name="available"/>,
    /// at <paramref name="satoshisPerVirtualByte"/>, with change (if above dust) to <paramref name="change"/>.
    /// </summary>
    /// <exception cref="WalletException">Dust (amount below 294), InsufficientFunds (naming have and need), WrongChain (recipient on another network), FeeTooLow (rate 0).</exception>
    public static SignedUtxoTransaction Build(
        UtxoNetwork network,
        IReadOnlyList<SpendableOutput> available,
        UtxoAddress recipient,
        ulong amount,
        uint satoshisPerVirtualByte,
        SegwitAccount change,
        bool replaceable = true)
    {
        ArgumentNullException.ThrowIfNull(available);
        ArgumentNullException.ThrowIfNull(recipient);
        ArgumentNullException.ThrowIfNull(change);
        if (SegwitAddress.HumanReadablePart(recipient.Network) != SegwitAddress.HumanReadablePart(network))
        {
            throw new WalletException(WalletError.WrongChain, $"the recipient is a {recipient.Network} address, the payment is on {network}");
        }

        if (amount < DustThreshold)
        {
            throw new WalletException(WalletError.Dust, $"{amount} is below the P2WPKH dust threshold of {DustThreshold} (Bitcoin Core relay policy)");
        }

        if (satoshisPerVirtualByte == 0)
        {
            throw new WalletException(WalletError.FeeTooLow, "a fee rate of 0 sat/vB is below the minimum relay fee of 1 sat/vB");
        }

        var sorted = new List<SpendableOutput>(available);
        sorted.Sort((a, b) => b.Output.Value.CompareTo(a.Output.Value));
        var chosen = new List<SpendableOutput>();
        ulong have = 0;
        ulong total = 0;
        foreach (SpendableOutput o in available)
        {
            total += o.Output.Value;
        }

        foreach (SpendableOutput input in sorted)
        {
            chosen.Add(input);
            have += input.Output.Value;
            ulong feeWithChange = Fee(chosen.Count, 2, satoshisPerVirtualByte);
            ulong feeWithout = Fee(chosen.Count, 1, satoshisPerVirtualByte);
            if (have >= amount + feeWithChange + DustThreshold)
            {
                return Sign(network, chosen, recipient, amount, change, have - amount - feeWithChange, feeWithChange, replaceable);
            }

            if (have >= amount + feeWithout)
            {
                // The rest is too small for a change output above dust: it goes to the fee.
                return Sign(network, chosen, recipient, amount, null, 0, have - amount, replaceable);
            }
        }

        ulong need = amount + Fee(Math.Max(1, sorted.Count), 1, satoshisPerVirtualByte);
        throw new WalletException(WalletError.InsufficientFunds, $"have {total} spendable, need {need} ({amount} plus a fee of {need - amount} at {satoshisPerVirtualByte} sat/vB)");
    }

    /// <summary>
    /// Replaces <paramref name="original"/> (BIP-125) with the same inputs and payment at <paramref name="satoshisPerVirtualByte"/>,
    /// the extra fee taken from the change. BIP-125 rule 3: the new absolute fee is at least the old one; rule 4: it
    /// exceeds the old fee by at least the incremental relay fee (1 sat/vB) × the new size.
    /// </summary>
    /// <exception cref="WalletException">FeeTooLow when rules 3 and 4 are not met or the original was not replaceable; InsufficientFunds when the change cannot cover the new fee.</exception>
    public static SignedUtxoTransaction Bump(SignedUtxoTransaction original, uint satoshisPerVirtualByte)
    {
        ArgumentNullException.ThrowIfNull(original);
        if (!original.Replaceable)
        {
            throw new WalletException(WalletError.FeeTooLow, "the original transaction does not signal BIP-125 replaceability, so nodes refuse a replacement");
        }

        ulong have = 0;
        foreach (SpendableOutput input in original.Inputs)
        {
            have += input.Output.Value;
        }

        int outputs = original.Change is null ? 1 : 2;
        int size = VirtualSize(original.Inputs.Count, outputs);
        ulong fee = (ulong)size * satoshisPerVirtualByte;
        ulong minimum = original.Fee + (IncrementalRelayFeePerVirtualByte * (ulong)size);
        if (fee < minimum)
        {
            throw new WalletException(WalletError.FeeTooLow, $"a replacement must pay at least {minimum} (old fee {original.Fee} + {IncrementalRelayFeePerVirtualByte} sat/vB × {size} vB, BIP-125 rules 3 and 4); {satoshisPerVirtualByte} sat/vB pays {fee}");
        }

        if (original.Change is not null && have >= original.Amount + fee + DustThreshold)
        {
            return Sign(original.Network, original.Inputs, original.Recipient, original.Amount, original.Change, have - original.Amount - fee, fee, true);
        }

        ulong feeWithout = Fee(original.Inputs.Count, 1, satoshisPerVirtualByte);
        if (have >= original.Amount + feeWithout)
        {
            return Sign(original.Network, original.Inputs, original.Recipient, original.Amount, null, 0, have - original.Amount, true);
        }

        throw new WalletException(WalletError.InsufficientFunds, $"the inputs hold {have}; paying {original.Amount} at {satoshisPerVirtualByte} sat/vB needs {original.Amount + feeWithout}");
    }

    private static int VirtualSize(int inputs, int outputs) => OverheadVirtualBytes + (inputs * InputVirtualBytes) + (outputs * OutputVirtualBytes);

    private static ulong Fee(int inputs, int outputs, uint rate) => (ulong)VirtualSize(inputs, outputs) * rate;

    private static SignedUtxoTransaction Sign(
        UtxoNetwork network,
        IReadOnlyList<SpendableOutput> inputs,
        UtxoAddress recipient,
        ulong amount,
        SegwitAccount? change,
        ulong changeValue,
        ulong fee,
        bool replaceable)
    {
        // Bitcoin's network object serves Litecoin too: same serialization, segwit and BIP-143 sighash (see the class comment).
        Network signing = Network.Main;
        Transaction tx = signing.CreateTransaction();
        tx.Version = 2;
        var coins = new List<ICoin>(inputs.Count);
        var keys = new List<Key>(inputs.Count);
        foreach (SpendableOutput input in inputs)
        {
            var outPoint = new OutPoint(new uint256(Convert.ToHexString(input.Output.TransactionId).ToLowerInvariant()), input.Output.OutputIndex);
            tx.Inputs.Add(new TxIn(outPoint) { Sequence = new Sequence(replaceable ? ReplaceableSequence : FinalSequence) });
            var ownerScript = new WitKeyId(new PubKey(input.Owner.PublicKey.ToArray()).WitHash.ToBytes()).ScriptPubKey;
            coins.Add(new Coin(outPoint, new TxOut(Money.Satoshis(input.Output.Value), ownerScript)));
            byte[] secret = input.Owner.ExportPrivateKey();
            keys.Add(new Key(secret));
            Array.Clear(secret);
        }

        tx.Outputs.Add(new TxOut(Money.Satoshis(amount), new WitKeyId(recipient.Program).ScriptPubKey));
        if (change is not null)
        {
            tx.Outputs.Add(new TxOut(Money.Satoshis(changeValue), new WitKeyId(new PubKey(change.PublicKey.ToArray()).WitHash.ToBytes()).ScriptPubKey));
        }

        TransactionBuilder builder = signing.CreateTransactionBuilder();
        builder.AddCoins(coins);
        builder.AddKeys(keys.ToArray());
        builder.SignTransactionInPlace(tx);
        foreach (TxIn input in tx.Inputs)
        {
            if (input.WitScript is null || input.WitScript.PushCount != 2)
            {
                throw new InvalidOperationException("an input was left unsigned: its owner's key does not match the output's P2WPKH program");
            }
        }

        byte[] id = Convert.FromHexString(tx.GetHash().ToString());
        return new SignedUtxoTransaction(network, tx.ToBytes(), id, inputs, recipient, amount, change, changeValue, fee, tx.GetVirtualSize(), replaceable);
    }
}
