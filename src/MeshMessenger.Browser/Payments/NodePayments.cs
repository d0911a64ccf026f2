using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using MeshMessenger.Protocol;
using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Payments;
using MeshMessenger.Wallet;
using MeshMessenger.Wallet.Amounts;
using MeshMessenger.Wallet.Chains;
using MeshMessenger.Wallet.Evm;
using MeshMessenger.Wallet.Hd;
using MeshMessenger.Wallet.Mesh;
using MeshMessenger.Wallet.Tips;
using MeshMessenger.Wallet.Utxo;

namespace MeshMessenger.Browser.Payments;

/// <summary>
/// The page's wallet over the mesh: every read and every broadcast is a chain request sealed to a gateway that
/// advertises the chain (<see cref="MeshChainBackend"/> over this node, docs/wallet.md), signing stays here.
/// Spends are two steps: a quote (built, checked and signed: recipient, amount, fee, chain for the confirmation screen)
/// and Confirm (the same signed bytes broadcast). Tips publish a tip entry once the payment is accepted; a tip counts
/// only when its payment is confirmed on the chain.
/// </summary>
internal sealed class NodePayments
{
    /// <summary>How long one gateway has to answer one request before the next gateway serving the chain is asked.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    /// <summary>A pending or unknown tip is asked about again after this long.</summary>
    private static readonly TimeSpan RecheckAfter = TimeSpan.FromSeconds(4);

    private readonly NodeSession _session;
    private readonly MessengerNodeChainLink _link;
    private readonly Dictionary<ChainTag, MeshChainBackend> _backends = [];
    private readonly Dictionary<int, SpendQuote> _quotes = [];
    private readonly List<PaymentRecord> _history = [];
    private readonly Dictionary<(uint Author, uint Sequence), TipCheck> _verdicts = [];
    private readonly Dictionary<ChainTag, ulong> _nextNonce = [];
    private readonly UtxoWindows _windows;
    private int _nextQuote = 1;
    private PaymentHistory? _recovered;

    /// <summary>The wallet of <paramref name="session"/>'s node.</summary>
    public NodePayments(NodeSession session)
    {
        _session = session;
        _link = new MessengerNodeChainLink(session.Node, null); // the page is single-threaded
        _windows = new UtxoWindows(() => Accounts);
    }

    private HdAccounts Accounts => _session.Wallet.Accounts;

    /// <summary>The chains gateways this node knows of serve: [ { chain, gateway, gatewayName } ], one per chain.</summary>
    public void WriteServedChains(Utf8JsonWriter w)
    {
        w.WriteStartArray();
        foreach ((ChainTag chain, Profile gateway) in ServedChains())
        {
            WalletAsset native = WalletAsset.Native(chain);
            w.WriteStartObject();
            w.WriteString("chain", chain.ToText());
            w.WriteString("family", chain.Family == ChainFamily.Evm ? "evm" : "utxo");
            w.WriteString("symbol", native.Symbol);
            w.WriteNumber("decimals", native.Decimals);
            w.WriteString("gateway", NodeNames.Hex(gateway.NodeId));
            w.WriteString("gatewayName", NodeNames.Clean(gateway.Name));
            w.WriteString("address", OwnAddressText(chain));
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    /// <summary>
    /// Publishes this node's receive addresses on the chains its gateways serve in a new profile entry (so others can
    /// tip it), when they differ from what its profile lists; true if an entry was appended.
    /// </summary>
    public bool PublishAddresses()
    {
        if (_session.Node.OwnChain.Restoring)
        {
            return false;
        }

        var wanted = ServedChains().Select(c => new ChainAddress(c.Chain, OwnAddressBytes(c.Chain))).Take(Profile.MaxAddresses).ToArray();
        ChainAddress[] have = _session.Node.Profile.Addresses;
        if (wanted.Length == 0 || (have.Length == wanted.Length && have.All(a => wanted.Any(b => Same(a, b)))))
        {
            return false;
        }

        ChainTag[] served = _session.Node.Profile.ServedChains;
        _session.Node.UpdateProfile(_session.Name, wanted, served.Length == 0 ? null : served);
        return true;
    }

    /// <summary>[ { chain, token, symbol, decimals, address, units, amount } or { …, error } ] for each asset, read through a gateway.</summary>
    public async Task<Action<Utf8JsonWriter>> BalancesAsync(WalletAsset[] assets, CancellationToken ct)
    {
        var results = new List<(WalletAsset Asset, BigInteger? Units, string? Error)>();
        foreach (WalletAsset asset in assets)
        {
            try
            {
                BigInteger units = BigInteger.Zero;
                if (asset.Chain.Family == ChainFamily.Evm)
                {
                    units = await Backend(asset.Chain).BalanceAsync(OwnAddressBytes(asset.Chain), asset.Token, ct);
                }
                else
                {
                    // every receive and change address in the BIP-44 window (UtxoWindows)
                    foreach (SpendableOutput output in await _windows.OutputsAsync(asset.Chain, Network(asset.Chain), Backend(asset.Chain), ct))
                    {
                        units += output.Output.Value;
                    }
                }

                results.Add((asset, units, null));
            }
            catch (WalletException e)
            {
                results.Add((asset, null, e.Message));
            }
        }

        return w =>
        {
            w.WriteStartArray();
            foreach ((WalletAsset asset, BigInteger? units, string? error) in results)
            {
                w.WriteStartObject();
                asset.WriteFields(w);
                w.WriteString("address", OwnAddressText(asset.Chain));
                if (units is BigInteger u)
                {
                    w.WriteString("units", u.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    w.WriteString("amount", AssetAmount.Format(u, asset.Decimals));
                }
                else
                {
                    w.WriteString("error", error);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
        };
    }

    /// <summary>
    /// { chain, address, uri }: the receive address and an EIP-681 (EVM) or BIP-21 (UTXO) request for a QR code. On a
    /// UTXO chain the address is the last one handed out this session (<see cref="NextReceiveAsync"/>), else index 0.
    /// </summary>
    public void WriteReceive(Utf8JsonWriter w, WalletAsset asset, string? amountText) =>
        WriteReceiveAt(w, asset, amountText, asset.Chain.Family == ChainFamily.Evm ? 0 : _windows.CurrentReceive(asset.Chain), false);

    /// <summary>
    /// Hands out a fresh receive address on a UTXO chain (BIP-44: after the last used one and the highest handed out,
    /// the gap scan runs once per session): as <see cref="WriteReceive"/> with beyondGap (BIP-44 asks to warn past the gap limit).
    /// </summary>
    public async Task<Action<Utf8JsonWriter>> NextReceiveAsync(WalletAsset asset, string? amountText, CancellationToken ct)
    {
        if (asset.Chain.Family == ChainFamily.Evm)
        {
            return w => WriteReceive(w, asset, amountText); // one account address (BIP-44 account 0, index 0)
        }

        (int index, bool beyondGap) = await _windows.NextReceiveAsync(asset.Chain, Network(asset.Chain), Backend(asset.Chain), ct);
        return w => WriteReceiveAt(w, asset, amountText, index, beyondGap);
    }

    private void WriteReceiveAt(Utf8JsonWriter w, WalletAsset asset, string? amountText, int index, bool beyondGap)
    {
        BigInteger? amount = string.IsNullOrWhiteSpace(amountText) ? null : AssetAmount.Parse(amountText.Trim(), asset.Decimals);
        string address = asset.Chain.Family == ChainFamily.Evm ? OwnAddressText(asset.Chain) : Accounts.SegwitAccount(Network(asset.Chain), 0, 0, index).Address;
        string uri = asset.Chain.Family == ChainFamily.Evm
            ? new Eip681Request(OwnAddressBytes(asset.Chain), asset.Chain.Reference, asset.Token, amount).ToUri()
            : Bip21.Format(Network(asset.Chain) is UtxoNetwork.LitecoinMainnet or UtxoNetwork.LitecoinRegtest ? "litecoin" : "bitcoin", address, amount);
        w.WriteStartObject();
        asset.WriteFields(w);
        w.WriteString("address", address);
        w.WriteString("uri", uri);
        w.WriteNumber("index", index);
        w.WriteBoolean("beyondGap", beyondGap);
        w.WriteEndObject();
    }

    /// <summary>
    /// A scanned or pasted payment request (EIP-681 ethereum:, BIP-21 bitcoin:/litecoin:):
    /// { chain (null if the request names none), to, token, units (null if no amount) }.
    /// </summary>
    public static void WriteParsedRequest(Utf8JsonWriter w, string text)
    {
        string uri = (text ?? "").Trim();
        w.WriteStartObject();
        if (uri.StartsWith("ethereum:", StringComparison.OrdinalIgnoreCase))
        {
            Eip681Request request = Eip681Request.Parse(uri);
            w.WriteString("chain", request.ChainId is ulong id ? "eip155:" + id.ToString(System.Globalization.CultureInfo.InvariantCulture) : null);
            w.WriteString("to", EvmAddressText.Format(request.Recipient));
            w.WriteString("token", request.Token is null ? null : EvmAddressText.Format(request.Token));
            w.WriteString("units", request.Amount?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        else
        {
            Bip21Request request = Bip21.Parse(uri);
            UtxoAddress address = UtxoAddressText.Parse(request.Address);
            w.WriteString("chain", ChainTag.Utxo((uint)address.Network).ToText());
            w.WriteString("to", address.ToString());
            w.WriteNull("token");
            w.WriteString("units", request.Amount?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        w.WriteEndObject();
    }

    /// <summary>Builds, checks and signs a payment of <paramref name="amountText"/> to <paramref name="to"/>; nothing is sent before Confirm.</summary>
    public async Task<SpendQuote> QuoteSendAsync(WalletAsset asset, string to, string amountText, CancellationToken ct)
    {
        BigInteger amount = Amount(amountText, asset);
        byte[] recipient = RecipientBytes(asset.Chain, to);
        return await SignAsync(asset, recipient, amount, null, ct);
    }

    /// <summary>
    /// Builds, checks and signs a tip of the post (<paramref name="author"/>, <paramref name="sequence"/>): the payment
    /// goes to the address the author's profile lists for the asset's chain, and the tip entry names the post by its hash.
    /// </summary>
    public async Task<SpendQuote> QuoteTipAsync(uint author, uint sequence, WalletAsset asset, string amountText, CancellationToken ct)
    {
        if (author == _session.Node.Id)
        {
            throw new ArgumentException("that is your own post");
        }

        byte[] hash = _session.Node.Chains.HashOf(author, sequence) ?? throw new ArgumentException("this node does not hold that post");
        Profile profile = _session.Node.Chains.ProfileOf(author) ?? throw new ArgumentException("this node has not seen the author's profile yet");
        ChainAddress recipient = profile.Addresses.Any(a => a.Chain.Equals(asset.Chain))
            ? TipSender.RecipientOf(profile, asset.Chain)
            : throw new WalletException(WalletError.NotFound, $"{NodeNames.Clean(profile.Name)} has not published an address on {asset.Chain.ToText()} yet (it is published when they open their wallet)");
        BigInteger amount = Amount(amountText, asset);
        return await SignAsync(asset, recipient.Address, amount, tx => TipSender.Compose(author, sequence, hash, recipient, asset.Token, amount, tx), ct);
    }

    /// <summary>Forgets a quote (Cancel on the confirmation screen); its signed bytes never leave the page.</summary>
    public void Cancel(int id) => _quotes.Remove(id);

    /// <summary>Broadcasts a quoted payment through a gateway, and for a tip publishes the tip entry once it is accepted.</summary>
    public async Task<PaymentRecord> ConfirmAsync(int id, CancellationToken ct)
    {
        if (!_quotes.Remove(id, out SpendQuote? quote))
        {
            throw new ArgumentException("that payment is no longer waiting for confirmation");
        }

        var record = new PaymentRecord(quote, (uint)DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        _history.Add(record);
        try
        {
            await Backend(quote.Asset.Chain).BroadcastAsync(quote.Raw, ct);
        }
        catch (WalletException e)
        {
            record.Refused = e.Message;
            return record;
        }

        if (quote.ChangeIndex >= 0)
        {
            _windows.ChangeUsed(quote.Asset.Chain, quote.ChangeIndex);
        }

        if (quote.NextNonce > 0 && (!_nextNonce.TryGetValue(quote.Asset.Chain, out ulong next) || next < quote.NextNonce))
        {
            _nextNonce[quote.Asset.Chain] = quote.NextNonce; // only a sent payment uses its nonce; a cancelled one leaves no gap
        }

        if (quote.Tip is TipBody tip)
        {
            record.TipSequence = _session.Node.PostTip(tip);
        }

        return record;
    }

    /// <summary>Own payments, newest first: [ { id, kind, chain, token, symbol, decimals, to, amount, fee, feeSymbol, txid, stage, block, confirmations, reason, time, post } ].</summary>
    public void WriteHistory(Utf8JsonWriter w)
    {
        w.WriteStartArray();
        for (int i = _history.Count - 1; i >= 0; i--)
        {
            PaymentRecord r = _history[i];
            SpendQuote q = r.Quote;
            w.WriteStartObject();
            w.WriteNumber("id", q.Id);
            w.WriteString("kind", q.Tip is null ? "send" : "tip");
            q.Asset.WriteFields(w);
            WriteQuoteFields(w, q);
            w.WriteNumber("time", r.Time);
            string stage = "accepted";
            string? reason = r.Refused;
            uint block = 0, confirmations = 0;
            if (reason is not null)
            {
                stage = "failed";
            }
            else if (Backend(q.Asset.Chain).LatestStatus(q.TxId) is ChainStatusBody status)
            {
                switch (status.Kind)
                {
                    case ChainStatusKind.Included:
                        stage = "included";
                        block = status.Block;
                        confirmations = status.Confirmations;
                        break;
                    case ChainStatusKind.Final:
                        stage = "final";
                        block = status.Block;
                        break;
                    case ChainStatusKind.Dropped:
                        stage = "dropped";
                        reason = "the transaction left the mempool and the gateway could not broadcast it again";
                        break;
                    case ChainStatusKind.Failed:
                        stage = "failed";
                        reason = status.Reason;
                        break;
                }
            }

            w.WriteString("stage", stage);
            w.WriteNumber("block", block);
            w.WriteNumber("confirmations", confirmations);
            w.WriteString("reason", reason);
            if (q.Tip is TipBody tip)
            {
                w.WriteString("postAuthor", NodeNames.Hex(tip.PostAuthor));
                w.WriteNumber("postSeq", tip.PostSequence);
            }

            w.WriteEndObject();
        }

        // Payments of earlier page loads, read back from the node's chain (negative ids; to, amount, fee may be null).
        (_recovered ??= new PaymentHistory(_session.Identity, _session.Node)).Write(w, _history.Select(r => Convert.ToHexString(r.Quote.TxId)).ToHashSet());
        w.WriteEndArray();
    }

    /// <summary>{ id, chain, token, symbol, decimals, to, amount, fee, feeSymbol, txid }: what the confirmation screen shows.</summary>
    public static void WriteQuote(Utf8JsonWriter w, SpendQuote q)
    {
        w.WriteStartObject();
        w.WriteNumber("id", q.Id);
        w.WriteString("kind", q.Tip is null ? "send" : "tip");
        q.Asset.WriteFields(w);
        WriteQuoteFields(w, q);
        w.WriteEndObject();
    }

    /// <summary>
    /// The tips of the post (<paramref name="author"/>, <paramref name="sequence"/>), each checked on its chain through
    /// a gateway: { tips: [ { from, fromName, chain, symbol, amount, txid, state (confirmed|pending|invalid), reason } ],
    /// confirmed: { count, totals: [ { symbol, amount } ] } }. Only confirmed tips count.
    /// </summary>
    public async Task<Action<Utf8JsonWriter>> PostTipsAsync(uint author, uint sequence, WalletAsset[] known, CancellationToken ct)
    {
        var rows = new List<(uint From, uint Seq, TipBody Tip, TipCheck Verdict)>();
        foreach ((uint from, uint seq, TipBody tip) in TipsOf(author, sequence))
        {
            rows.Add((from, seq, tip, await VerdictAsync(from, seq, tip, ct)));
        }

        Dictionary<uint, string> names = NodeNames.Distinct(_session.Node.Chains.KnownProfiles());
        return w =>
        {
            var totals = new Dictionary<string, (BigInteger Units, int Decimals)>(StringComparer.Ordinal);
            int count = 0;
            w.WriteStartObject();
            w.WriteStartArray("tips");
            foreach ((uint from, _, TipBody tip, TipCheck verdict) in rows)
            {
                WalletAsset asset = AssetOf(tip, known);
                BigInteger units = ToUnits(tip.Amount);
                w.WriteStartObject();
                w.WriteString("from", NodeNames.Hex(from));
                w.WriteString("fromName", names.TryGetValue(from, out string? name) ? name : NodeNames.Hex(from));
                asset.WriteFields(w);
                w.WriteString("amount", AssetAmount.Format(units, asset.Decimals));
                w.WriteString("txid", TxText(tip.Recipient.Chain, tip.TxId));
                w.WriteString("state", verdict.State);
                w.WriteString("reason", verdict.Reason);
                w.WriteEndObject();
                if (verdict.State == TipCheck.Confirmed)
                {
                    count++;
                    totals[asset.Symbol] = totals.TryGetValue(asset.Symbol, out var t) ? (t.Units + units, t.Decimals) : (units, asset.Decimals);
                }
            }

            w.WriteEndArray();
            w.WriteStartObject("confirmed");
            w.WriteNumber("count", count);
            w.WriteStartArray("totals");
            foreach (var (symbol, (units, decimals)) in totals)
            {
                w.WriteStartObject();
                w.WriteString("symbol", symbol);
                w.WriteString("amount", AssetAmount.Format(units, decimals));
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
        };
    }

    private static void WriteQuoteFields(Utf8JsonWriter w, SpendQuote q)
    {
        WalletAsset native = WalletAsset.Native(q.Asset.Chain);
        w.WriteString("to", q.RecipientText);
        w.WriteString("amount", AssetAmount.Format(q.Amount, q.Asset.Decimals));
        w.WriteString("fee", AssetAmount.Format(q.Fee, native.Decimals));
        w.WriteString("feeSymbol", native.Symbol);
        w.WriteString("txid", TxText(q.Asset.Chain, q.TxId));
    }

    private static string TxText(ChainTag chain, byte[] txId) => (chain.Family == ChainFamily.Evm ? "0x" : "") + Convert.ToHexStringLower(txId);

    private async Task<SpendQuote> SignAsync(WalletAsset asset, byte[] recipient, BigInteger amount, Func<byte[], TipBody>? tip, CancellationToken ct)
    {
        MeshChainBackend backend = Backend(asset.Chain);
        byte[] raw, txId;
        BigInteger fee;
        ulong nextNonce = 0;
        int changeIndex = -1;
        string recipientText;
        if (asset.Chain.Family == ChainFamily.Evm)
        {
            // The one EVM builder: fees, balances and nonce read through the gateway, signed here; a token transfer
            // gets EvmTransfer.TokenTransferGas (no gas estimate over the mesh).
            EthereumAccount account = Accounts.EthereumAccount(0);
            recipientText = EvmAddressText.Format(recipient);
            ulong floor = _nextNonce.GetValueOrDefault(asset.Chain); // a payment confirmed here moments ago may not be in the gateway's answer yet
            var builder = new EvmTransfer(backend);
            EvmSignedTransfer signed = asset.Token is null
                ? await builder.EtherAsync(account, recipient, amount, floor, ct)
                : await builder.TokenAsync(account, asset.Token, recipient, amount, floor, ct);
            raw = signed.Raw;
            txId = signed.Hash;
            fee = signed.Transaction.MaxFeePerGas * signed.Transaction.Gas;
            nextNonce = (ulong)signed.Transaction.Nonce + 1;
        }
        else
        {
            UtxoNetwork network = Network(asset.Chain);
            UtxoAddress to = UtxoAddress.FromBytes(network, recipient);
            recipientText = to.ToString();
            if (amount > ulong.MaxValue)
            {
                throw new WalletException(WalletError.InsufficientFunds, "insufficient funds: that is more than any wallet holds");
            }

            List<SpendableOutput> spendable = await _windows.OutputsAsync(asset.Chain, network, backend, ct);
            ChainFees fees = await backend.FeesAsync(ct);
            changeIndex = _windows.NextChange(asset.Chain); // a fresh change address (BIP-44 internal chain)
            SignedUtxoTransaction signed = UtxoSpend.Build(network, spendable, to, (ulong)amount, Math.Max(1u, fees.SatoshisPerVirtualByte), Accounts.SegwitAccount(network, 0, 1, changeIndex));
            raw = signed.Raw;
            txId = signed.TransactionId;
            fee = signed.Fee;
        }

        var quote = new SpendQuote(_nextQuote++, asset, recipientText, amount, fee, raw, txId, tip?.Invoke(txId)) { NextNonce = nextNonce, ChangeIndex = changeIndex };
        _quotes[quote.Id] = quote;
        return quote;
    }

    private async Task<TipCheck> VerdictAsync(uint from, uint seq, TipBody tip, CancellationToken ct)
    {
        if (_verdicts.TryGetValue((from, seq), out TipCheck? known) && (known.Settled || DateTime.UtcNow - known.CheckedAt < RecheckAfter))
        {
            return known;
        }

        TipCheck verdict;
        try
        {
            verdict = await CheckTipAsync(tip, ct);
        }
        catch (WalletException e)
        {
            verdict = TipCheck.Pending("not checked yet: " + e.Message);
        }

        _verdicts[(from, seq)] = verdict;
        return verdict;
    }

    /// <summary>
    /// <see cref="TipVerifier"/> through a gateway: the tip names this post (hash prefix), a recipient the author's
    /// profile lists, and a transaction the chain shows paying exactly that recipient, asset and amount, in a block.
    /// </summary>
    private async Task<TipCheck> CheckTipAsync(TipBody tip, CancellationToken ct)
    {
        Profile? author = _session.Node.Chains.ProfileOf(tip.PostAuthor);
        byte[]? postHash = _session.Node.Chains.HashOf(tip.PostAuthor, tip.PostSequence);
        if (author is null || postHash is null)
        {
            return TipCheck.Pending("this node does not hold the post or its author's profile yet");
        }

        Wallet.Tips.TipVerdict verdict = await new TipVerifier(Backend(tip.Recipient.Chain)).VerifyAsync(tip, author, postHash, ct);
        return verdict.Outcome switch
        {
            TipOutcome.Confirmed => TipCheck.Confirm(),
            TipOutcome.Pending => TipCheck.Pending(verdict.Message),
            _ => TipCheck.Invalid(verdict.Message),
        };
    }

    /// <summary>Tip entries held for the post, oldest first.</summary>
    private IEnumerable<(uint From, uint Seq, TipBody Tip)> TipsOf(uint author, uint sequence)
    {
        foreach (object item in _session.Node.Messages)
        {
            var m = (Protocol.Node.MessageRecord)item;
            if (m.Kind != EntryKind.Tip || _session.EntryOf(m.Author, m.Sequence) is not Entry entry)
            {
                continue;
            }

            byte[] body = entry.Encoded.AsSpan(entry.BodyOffset, entry.BodyLength).ToArray();
            if (TipBody.TryDecode(body, out TipBody? tip) == ProtocolError.None && tip!.PostAuthor == author && tip.PostSequence == sequence)
            {
                yield return (m.Author, m.Sequence, tip);
            }
        }
    }

    private static WalletAsset AssetOf(TipBody tip, WalletAsset[] known)
    {
        foreach (WalletAsset a in known)
        {
            if (a.Is(tip.Recipient.Chain, tip.Token))
            {
                return a;
            }
        }

        return tip.Token is null
            ? WalletAsset.Native(tip.Recipient.Chain)
            : WalletAsset.Read(JsonDocument.Parse($"{{\"chain\":\"{tip.Recipient.Chain.ToText()}\",\"token\":\"{EvmAddressText.Format(tip.Token)}\",\"decimals\":0,\"symbol\":\"units\"}}").RootElement);
    }

    private IEnumerable<(ChainTag Chain, Profile Gateway)> ServedChains()
    {
        var seen = new HashSet<ChainTag>();
        foreach (Profile p in _session.Node.Chains.KnownProfiles().OrderBy(p => p.NodeId))
        {
            if (p.NodeId == _session.Node.Id)
            {
                continue;
            }

            foreach (ChainTag chain in p.ServedChains)
            {
                if (seen.Add(chain))
                {
                    yield return (chain, p);
                }
            }
        }
    }

    private MeshChainBackend Backend(ChainTag chain)
    {
        if (!_backends.TryGetValue(chain, out MeshChainBackend? backend))
        {
            backend = new MeshChainBackend(_link, chain, RequestTimeout);
            _backends[chain] = backend;
        }

        return backend;
    }

    private byte[] OwnAddressBytes(ChainTag chain) => chain.Family == ChainFamily.Evm
        ? Accounts.EthereumAccount(0).Address.Bytes.ToArray()
        : UtxoAddressText.Parse(Accounts.SegwitAccount(Network(chain), 0, 0, 0).Address, Network(chain)).Bytes;

    private string OwnAddressText(ChainTag chain) => chain.Family == ChainFamily.Evm
        ? Accounts.EthereumAccount(0).Address.ToString()
        : Accounts.SegwitAccount(Network(chain), 0, 0, 0).Address;

    private static byte[] RecipientBytes(ChainTag chain, string to)
    {
        if (string.IsNullOrWhiteSpace(to))
        {
            throw new WalletException(WalletError.InvalidAddress, "enter the recipient's address");
        }

        return chain.Family == ChainFamily.Evm ? EvmAddressText.Parse(to) : UtxoAddressText.Parse(to.Trim(), Network(chain)).Bytes;
    }

    private static BigInteger Amount(string text, WalletAsset asset)
    {
        BigInteger amount = AssetAmount.Parse((text ?? "").Trim(), asset.Decimals);
        return amount.IsZero ? throw new WalletException(WalletError.InvalidAmount, "the amount is zero") : amount;
    }

    private static UtxoNetwork Network(ChainTag chain) => chain.Family == ChainFamily.Utxo && chain.Reference <= (uint)UtxoNetwork.LitecoinRegtest
        ? (UtxoNetwork)chain.Reference
        : throw new WalletException(WalletError.WrongChain, $"{chain.ToText()} is not a UTXO network");

    private static bool Same(ChainAddress a, ChainAddress b) => a.Chain.Equals(b.Chain) && a.Address.AsSpan().SequenceEqual(b.Address);

    private static BigInteger ToUnits(byte[] amount) => amount.Length == 0 ? BigInteger.Zero : new BigInteger(amount, isUnsigned: true, isBigEndian: true);
}
