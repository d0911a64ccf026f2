using System;
using System.Collections.Generic;
using System.Runtime.InteropServices.JavaScript;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using MeshMessenger.Browser.Payments;
using MeshMessenger.Protocol;
using MeshMessenger.Wallet;

namespace MeshMessenger.Browser;

/// <summary>The wallet's exports over the mesh (README "Wallet"): asynchronous ones return Promises of the same envelopes.</summary>
public static partial class MeshNodeExports
{
    /// <summary>The chains gateways this node knows of serve, with this node's address on each: { ok: [ { chain, family, symbol, decimals, gateway, gatewayName, address } ] }.</summary>
    [JSExport]
    public static string WalletChains() => Answer(w => Session.Payments.WriteServedChains(w));

    /// <summary>Publishes this node's addresses on the served chains in a new profile entry when they changed: { ok: true if one was appended }.</summary>
    [JSExport]
    public static string WalletPublishAddresses() => Answer(w => w.WriteBooleanValue(Session.Payments.PublishAddresses()));

    /// <summary>Balances of [ { chain, token?, decimals?, symbol? } ], read through a gateway: { ok: [ { …asset, address, units, amount } or { …asset, error } ] }.</summary>
    [JSExport]
    public static Task<string> WalletBalances(string assetsJson) => AnswerAsync(async ct =>
    {
        WalletAsset[] assets = Assets(assetsJson);
        return await Session.Payments.BalancesAsync(assets, ct);
    });

    /// <summary>The receive address of an asset and its EIP-681 / BIP-21 request, { chain, token?, decimals?, symbol?, amount? }: { ok: { …asset, address, uri } }.</summary>
    [JSExport]
    public static string WalletReceive(string assetJson) => Answer(w =>
    {
        using JsonDocument o = JsonDocument.Parse(assetJson ?? "");
        string? amount = o.RootElement.TryGetProperty("amount", out JsonElement a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null;
        Session.Payments.WriteReceive(w, WalletAsset.Read(o.RootElement), amount);
    });

    /// <summary>
    /// Hands out a fresh receive address (UTXO chains: the next one after the last used and the last handed out, BIP-44
    /// gap limit; EVM: the one account address), { chain, token?, decimals?, symbol?, amount? }:
    /// { ok: { …asset, address, uri, index, beyondGap } }; later <see cref="WalletReceive"/> calls show it.
    /// </summary>
    [JSExport]
    public static Task<string> WalletNextReceive(string assetJson) => AnswerAsync(async ct =>
    {
        using JsonDocument o = JsonDocument.Parse(assetJson ?? "");
        string? amount = o.RootElement.TryGetProperty("amount", out JsonElement a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null;
        return await Session.Payments.NextReceiveAsync(WalletAsset.Read(o.RootElement), amount, ct);
    });

    /// <summary>Reads a payment request (EIP-681 ethereum:, BIP-21 bitcoin: / litecoin:): { ok: { chain, to, token, units } }.</summary>
    [JSExport]
    public static string WalletParseRequest(string uri) => Answer(w => NodePayments.WriteParsedRequest(w, uri));

    /// <summary>
    /// Builds, checks and signs a payment, { chain, token?, decimals?, symbol?, to, amount } (amount in whole units,
    /// decimal text); nothing leaves the page before walletConfirm: { ok: { id, kind, …asset, to, amount, fee, feeSymbol, txid } }.
    /// </summary>
    [JSExport]
    public static Task<string> WalletQuote(string spendJson) => AnswerAsync(async ct =>
    {
        using JsonDocument o = JsonDocument.Parse(spendJson ?? "");
        WalletAsset asset = WalletAsset.Read(o.RootElement);
        SpendQuote quote = await Session.Payments.QuoteSendAsync(asset, Text(o.RootElement, "to") ?? "", Text(o.RootElement, "amount") ?? "", ct);
        return w => NodePayments.WriteQuote(w, quote);
    });

    /// <summary>Builds, checks and signs a tip of a post, { author, seq, chain, token?, decimals?, symbol?, amount }, to the author's profile address: as <see cref="WalletQuote"/>.</summary>
    [JSExport]
    public static Task<string> WalletTipQuote(string tipJson) => AnswerAsync(async ct =>
    {
        using JsonDocument o = JsonDocument.Parse(tipJson ?? "");
        JsonElement r = o.RootElement;
        uint author = NodeNames.ParseId(Text(r, "author"), "the post's author");
        uint seq = r.TryGetProperty("seq", out JsonElement s) && s.TryGetUInt32(out uint n) ? n : throw new ArgumentException("seq is the post's sequence number");
        SpendQuote quote = await Session.Payments.QuoteTipAsync(author, seq, WalletAsset.Read(r), Text(r, "amount") ?? "", ct);
        return w => NodePayments.WriteQuote(w, quote);
    });

    /// <summary>Broadcasts a quoted payment through a gateway (a tip then publishes its tip entry): { ok: { id, stage, reason, txid } }.</summary>
    [JSExport]
    public static Task<string> WalletConfirm(int id) => AnswerAsync(async ct =>
    {
        PaymentRecord record = await Session.Payments.ConfirmAsync(id, ct);
        return w =>
        {
            w.WriteStartObject();
            w.WriteNumber("id", record.Quote.Id);
            w.WriteString("stage", record.Refused is null ? "accepted" : "failed");
            w.WriteString("reason", record.Refused);
            w.WriteNumber("tipSeq", record.TipSequence);
            w.WriteEndObject();
        };
    });

    /// <summary>Drops a quoted payment (Cancel): { ok: true }.</summary>
    [JSExport]
    public static string WalletCancel(int id) => Answer(w =>
    {
        Session.Payments.Cancel(id);
        w.WriteBooleanValue(true);
    });

    /// <summary>Own payments, newest first, with the stage their gateway last reported: { ok: [ … ] } (README "Wallet").</summary>
    [JSExport]
    public static string WalletHistory() => Answer(w => Session.Payments.WriteHistory(w));

    /// <summary>The tips of a post, each checked on its chain through a gateway (only confirmed ones count): { ok: { tips, confirmed: { count, totals } } }.</summary>
    [JSExport]
    public static Task<string> PostTips(string author, int seq, string assetsJson) => AnswerAsync(async ct =>
    {
        uint id = NodeNames.ParseId(author, "the post's author");
        return await Session.Payments.PostTipsAsync(id, checked((uint)seq), Assets(assetsJson), ct);
    });

    private static WalletAsset[] Assets(string json)
    {
        using JsonDocument o = JsonDocument.Parse(string.IsNullOrEmpty(json) ? "[]" : json);
        if (o.RootElement.ValueKind != JsonValueKind.Array)
        {
            throw new ArgumentException("assets are a list of { chain, token?, decimals?, symbol? }");
        }

        var assets = new List<WalletAsset>();
        foreach (JsonElement a in o.RootElement.EnumerateArray())
        {
            assets.Add(WalletAsset.Read(a));
        }

        return [.. assets];
    }

    private static async Task<string> AnswerAsync(Func<CancellationToken, Task<Action<Utf8JsonWriter>>> value)
    {
        try
        {
            Action<Utf8JsonWriter> write = await value(CancellationToken.None);
            return "{\"ok\":" + StateJson.Write(write) + "}";
        }
        catch (Exception e) when (e is ProtocolException or ArgumentException or InvalidOperationException or JsonException or FormatException or WalletException or OverflowException)
        {
            return StateJson.Write(w =>
            {
                w.WriteStartObject();
                w.WriteString("error", e.Message);
                w.WriteEndObject();
            });
        }
    }
}
