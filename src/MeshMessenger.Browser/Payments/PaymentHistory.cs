using System;
using System.Collections.Generic;
using System.Numerics;
using System.Text.Json;
using MeshMessenger.Protocol;
using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Node;
using MeshMessenger.Protocol.Payments;
using MeshMessenger.Protocol.Sealing;
using MeshMessenger.Wallet.Amounts;
using MeshMessenger.Wallet.Evm;
using MeshMessenger.Wallet.Relay;
using MeshMessenger.Wallet.Utxo;

namespace MeshMessenger.Browser.Payments;

/// <summary>
/// The node's own payments read back from its chain, so they survive a reload or a crash: every broadcast is a
/// chain request entry (kind Broadcast, payload the signed transaction) sealed to a gateway, every answer a chain
/// status entry sealed back naming the request's sequence (docs/protocol.md, "Payments"). The author derives the
/// same direct key as the gateway (docs/protocol.md §4, "Sealing"), so both open here. Opened bodies are kept:
/// entries never change.
/// </summary>
internal sealed class PaymentHistory
{
    /// <summary>The ERC-20 <c>transfer(address,uint256)</c> selector: the first 4 bytes of its keccak-256 (Solidity ABI specification, "Function Selector").</summary>
    private static readonly byte[] TransferSelector = [0xa9, 0x05, 0x9c, 0xbb];

    private readonly NodeIdentity _identity;
    private readonly MessengerNode _node;
    private readonly Dictionary<(uint Author, uint Sequence), object?> _opened = [];
    private readonly Dictionary<(uint Author, uint Recipient), byte[]?> _keys = [];

    /// <summary>Reads the payments of <paramref name="node"/>, whose identity is <paramref name="identity"/>.</summary>
    public PaymentHistory(NodeIdentity identity, MessengerNode node)
    {
        _identity = identity;
        _node = node;
    }

    /// <summary>
    /// Every broadcast in the node's chain, oldest first, one per transaction id (the same signed bytes sent to a
    /// second gateway when the first did not take them count once), each with the newest status it got.
    /// </summary>
    public IReadOnlyList<RecoveredPayment> Read()
    {
        var broadcasts = new Dictionary<(uint Gateway, uint Sequence), RecoveredPayment>();
        var byTx = new Dictionary<string, RecoveredPayment>(StringComparer.Ordinal);
        var result = new List<RecoveredPayment>();
        var statuses = new List<(uint Gateway, uint Sequence, ChainStatusBody Status)>();
        var tips = new List<TipBody>();
        foreach (object item in _node.Messages)
        {
            var m = (MessageRecord)item;
            if (m.Kind == EntryKind.ChainRequest && m.Author == _node.Id && Open(m) is ChainRequestBody request && request.Kind == ChainRequestKind.Broadcast)
            {
                byte[]? txId = ChainRelay.TransactionId(request.Chain, request.Payload);
                if (txId is null)
                {
                    continue; // bytes no chain would take: the gateway refused them, nothing was paid
                }

                string key = request.Chain.ToText() + ":" + Convert.ToHexString(txId);
                if (!byTx.TryGetValue(key, out RecoveredPayment? payment))
                {
                    payment = new RecoveredPayment(request.Chain, txId, m.Peer, m.Sequence, m.Time);
                    Decode(payment, request.Payload);
                    byTx[key] = payment;
                    result.Add(payment);
                }

                broadcasts[(m.Peer, m.Sequence)] = payment;
            }
            else if (m.Kind == EntryKind.ChainStatus && m.Author != _node.Id && Open(m) is ChainStatusBody status)
            {
                statuses.Add((m.Author, m.Sequence, status));
            }
            else if (m.Kind == EntryKind.Tip && m.Author == _node.Id && Open(m) is TipBody tip)
            {
                tips.Add(tip);
            }
        }

        // Newest status per payment: a later entry of the answering gateway supersedes an earlier one; an answer
        // (anything but Unavailable) outranks a gateway that could not take the request.
        statuses.Sort((a, b) => a.Sequence.CompareTo(b.Sequence));
        foreach ((uint gateway, _, ChainStatusBody status) in statuses)
        {
            if (broadcasts.TryGetValue((gateway, status.RequestSequence), out RecoveredPayment? payment)
                && (payment.Status is null || status.Kind != ChainStatusKind.Unavailable || payment.Status.Kind == ChainStatusKind.Unavailable))
            {
                payment.Status = status;
                payment.Gateway = gateway;
                payment.Sequence = status.RequestSequence;
            }
        }

        foreach (TipBody tip in tips)
        {
            if (byTx.TryGetValue(tip.Recipient.Chain.ToText() + ":" + Convert.ToHexString(tip.TxId), out RecoveredPayment? payment))
            {
                payment.Tip = tip;
            }
        }

        return result;
    }

    /// <summary>
    /// Writes the recovered payments whose transaction is not in <paramref name="shown"/> (hex ids this page already
    /// lists), newest first, as <see cref="NodePayments.WriteHistory"/> rows; unknown fields are null.
    /// </summary>
    public void Write(Utf8JsonWriter w, ISet<string> shown)
    {
        IReadOnlyList<RecoveredPayment> payments = Read();
        for (int i = payments.Count - 1; i >= 0; i--)
        {
            RecoveredPayment p = payments[i];
            if (shown.Contains(Convert.ToHexString(p.TxId)))
            {
                continue;
            }

            WalletAsset asset = p.Token is null ? WalletAsset.Native(p.Chain) : TokenAsset(p.Chain, p.Token);
            WalletAsset native = WalletAsset.Native(p.Chain);
            w.WriteStartObject();
            w.WriteNumber("id", -(long)p.Sequence); // not a quote: negative, so it never names one
            w.WriteString("kind", p.Tip is null ? "send" : "tip");
            asset.WriteFields(w);
            w.WriteString("to", p.Recipient);
            w.WriteString("amount", p.Amount is BigInteger amount ? AssetAmount.Format(amount, asset.Decimals) : null);
            w.WriteString("fee", p.Fee is BigInteger fee ? AssetAmount.Format(fee, native.Decimals) : null);
            w.WriteString("feeSymbol", native.Symbol);
            w.WriteString("txid", (p.Chain.Family == ChainFamily.Evm ? "0x" : "") + Convert.ToHexStringLower(p.TxId));
            w.WriteNumber("time", p.Time);
            (string stage, uint block, uint confirmations, string? reason) = Stage(p.Status);
            w.WriteString("stage", stage);
            w.WriteNumber("block", block);
            w.WriteNumber("confirmations", confirmations);
            w.WriteString("reason", reason);
            if (p.Tip is TipBody tip)
            {
                w.WriteString("postAuthor", NodeNames.Hex(tip.PostAuthor));
                w.WriteNumber("postSeq", tip.PostSequence);
            }

            w.WriteEndObject();
        }
    }

    /// <summary>The stage a status names; "sent" when no gateway has answered yet.</summary>
    private static (string Stage, uint Block, uint Confirmations, string? Reason) Stage(ChainStatusBody? status) => status?.Kind switch
    {
        null => ("sent", 0, 0, "no gateway has answered yet"),
        ChainStatusKind.Included => ("included", status.Block, status.Confirmations, null),
        ChainStatusKind.Final => ("final", status.Block, 0, null),
        ChainStatusKind.Dropped => ("dropped", 0, 0, "the transaction left the mempool and the gateway could not broadcast it again"),
        ChainStatusKind.Failed or ChainStatusKind.Unavailable => ("failed", 0, 0, status.Reason),
        _ => ("accepted", 0, 0, null),
    };

    /// <summary>A token is shown in base units: its symbol and decimals are not in the transaction.</summary>
    private static WalletAsset TokenAsset(ChainTag chain, byte[] token) =>
        WalletAsset.Read(JsonDocument.Parse($"{{\"chain\":\"{chain.ToText()}\",\"token\":\"{EvmAddressText.Format(token)}\",\"decimals\":0,\"symbol\":\"units\"}}").RootElement);

    /// <summary>Recipient, amount and fee from the signed bytes, when they decode; otherwise they stay null.</summary>
    private static void Decode(RecoveredPayment payment, byte[] raw)
    {
        if (payment.Chain.Family == ChainFamily.Evm)
        {
            DecodeEvm(payment, raw);
            return;
        }

        try
        {
            // UtxoSpend writes the payment as output 0 and change after it.
            var tx = NBitcoin.Transaction.Load(raw, NBitcoin.Network.RegTest);
            byte[] script = tx.Outputs.Count == 0 ? [] : tx.Outputs[0].ScriptPubKey.ToBytes();
            if (script.Length == 22 && script[0] == 0x00 && script[1] == 0x14 && payment.Chain.Reference <= (uint)UtxoNetwork.LitecoinRegtest)
            {
                payment.Recipient = new UtxoAddress((UtxoNetwork)payment.Chain.Reference, script.AsSpan(2)).ToString();
                payment.Amount = tx.Outputs[0].Value.Satoshi;
            }
        }
        catch (Exception e) when (e is FormatException or ArgumentException or System.IO.EndOfStreamException or InvalidOperationException or OverflowException)
        {
            // not a transaction: txid and stage only
        }
    }

    /// <summary>
    /// EIP-1559 §Specification: 0x02 || rlp([chain_id, nonce, max_priority_fee_per_gas, max_fee_per_gas, gas_limit,
    /// destination, amount, data, access_list, signature_y_parity, signature_r, signature_s]); an ERC-20 transfer is a
    /// call of <c>transfer(address,uint256)</c> to the token contract. Other forms keep txid and stage only.
    /// </summary>
    private static void DecodeEvm(RecoveredPayment payment, byte[] raw)
    {
        if (raw.Length < 2 || raw[0] != 0x02 || !Rlp.TryItem(raw, 1, out int start, out int length, out bool isList) || !isList || start + length != raw.Length)
        {
            return;
        }

        var fields = new List<(int Start, int Length)>();
        for (int at = start; at < start + length;)
        {
            if (!Rlp.TryItem(raw, at, out int s, out int l, out bool list) || list != (fields.Count == 8) || s + l > start + length)
            {
                return;
            }

            fields.Add((s, l));
            at = s + l;
        }

        if (fields.Count != 12 || fields[5].Length != 20)
        {
            return;
        }

        BigInteger Number(int i) => new(raw.AsSpan(fields[i].Start, fields[i].Length), isUnsigned: true, isBigEndian: true);
        byte[] to = raw.AsSpan(fields[5].Start, 20).ToArray();
        ReadOnlySpan<byte> data = raw.AsSpan(fields[7].Start, fields[7].Length);
        payment.Fee = Number(3) * Number(4);
        if (data.Length == 0)
        {
            payment.Recipient = EvmAddressText.Format(to);
            payment.Amount = Number(6);
        }
        else if (data.Length == 68 && data[..4].SequenceEqual(TransferSelector) && data[4..16].IndexOfAnyExcept((byte)0) < 0)
        {
            payment.Token = to;
            payment.Recipient = EvmAddressText.Format(data[16..36].ToArray());
            payment.Amount = new BigInteger(data[36..], isUnsigned: true, isBigEndian: true);
        }
    }

    /// <summary>Opens an own or received sealed payment entry (or reads an own tip); null if it does not open or decode.</summary>
    private object? Open(MessageRecord m)
    {
        if (_opened.TryGetValue((m.Author, m.Sequence), out object? known))
        {
            return known;
        }

        object? body = null;
        Entry? entry = _node.Chains.Store.Get(m.Author, m.Sequence)?.Entry;
        if (entry is not null && entry.Kind == EntryKind.Tip)
        {
            body = TipBody.TryDecode(entry.Encoded.AsSpan(entry.BodyOffset, entry.BodyLength).ToArray(), out TipBody? tip) == ProtocolError.None ? tip : null;
        }
        else if (entry is not null)
        {
            uint author = m.Author, recipient = m.Author == _node.Id ? m.Peer : _node.Id;
            byte[]? plain = Key(author, recipient) is byte[] key ? BodyCipher.Open(key, entry) : null;
            if (plain is not null && entry.Kind == EntryKind.ChainRequest)
            {
                body = ChainRequestBody.TryDecode(plain, out ChainRequestBody? request) == ProtocolError.None ? request : null;
            }
            else if (plain is not null && entry.Kind == EntryKind.ChainStatus)
            {
                body = ChainStatusBody.TryDecode(plain, out ChainStatusBody? status) == ProtocolError.None ? status : null;
            }
        }

        if (body is not null)
        {
            _opened[(m.Author, m.Sequence)] = body; // a body that did not open may open once the peer's profile arrives
        }

        return body;
    }

    /// <summary>The direct key from <paramref name="author"/> to <paramref name="recipient"/> (one X25519 per pair).</summary>
    private byte[]? Key(uint author, uint recipient)
    {
        if (_keys.TryGetValue((author, recipient), out byte[]? key))
        {
            return key;
        }

        Profile? from = author == _node.Id ? _node.Profile : _node.Chains.ProfileOf(author);
        Profile? to = recipient == _node.Id ? _node.Profile : _node.Chains.ProfileOf(recipient);
        if (from is null || to is null)
        {
            return null;
        }

        key = DirectKey.Derive(_identity, from, to);
        _keys[(author, recipient)] = key;
        return key;
    }

    /// <summary>The few RLP rules a signed transaction needs (Ethereum Yellow Paper, Appendix B).</summary>
    private static class Rlp
    {
        /// <summary>The item at <paramref name="at"/>: where its contents start, their length, and whether it is a list.</summary>
        public static bool TryItem(byte[] data, int at, out int start, out int length, out bool isList)
        {
            start = length = 0;
            isList = false;
            if (at >= data.Length)
            {
                return false;
            }

            byte b = data[at];
            if (b < 0x80)
            {
                (start, length) = (at, 1);
            }
            else if (b <= 0xb7 || (b >= 0xc0 && b <= 0xf7))
            {
                isList = b >= 0xc0;
                (start, length) = (at + 1, b - (isList ? 0xc0 : 0x80));
            }
            else
            {
                isList = b >= 0xf8;
                int size = b - (isList ? 0xf7 : 0xb7);
                if (at + 1 + size > data.Length || size > 3)
                {
                    return false;
                }

                for (int i = 0; i < size; i++)
                {
                    length = (length << 8) | data[at + 1 + i];
                }

                start = at + 1 + size;
            }

            return start + length <= data.Length;
        }
    }
}
