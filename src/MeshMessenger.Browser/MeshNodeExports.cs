using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices.JavaScript;
using System.Text.Json;
using MeshMessenger.Protocol;
using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Sealing;
using MeshMessenger.Protocol.Wire;
using MeshMessenger.Wallet;

namespace MeshMessenger.Browser;

/// <summary>
/// What the page calls (gateway WebApp/meshnode.js wraps it; src/MeshMessenger.Browser/README.md lists the API).
/// One node per page. Answers that can fail are JSON envelopes, {"ok": value} or {"error": "plain words"},
/// so the wrapper throws an Error with a message a person can read and never a .NET stack trace.
/// </summary>
public static partial class MeshNodeExports
{
    private static NodeSession? _session;

    /// <summary>A fresh identity from a 32-byte seed (crypto.getRandomValues): { id, backupCode }. Opens nothing.</summary>
    [JSExport]
    public static string Create(string name, byte[] seed) => Answer(w =>
    {
        NodeNames.Require(name, "a name");
        if (seed.Length != NodeIdentity.RootSecretSize)
        {
            throw new ArgumentException($"the seed is {NodeIdentity.RootSecretSize} random bytes");
        }

        NodeIdentity identity = NodeIdentity.FromRootSecret(seed);
        w.WriteStartObject();
        w.WriteString("id", NodeNames.Hex(identity.Id));
        w.WriteString("backupCode", RecoveryPhrase.FromIdentity(identity).Text); // BIP-39: the same 24 words will open the wallet
        w.WriteEndObject();
    });

    /// <summary>Opens the page's node from { backupCode, name, restoring, contacts, channels } and the persisted entries: { id, name, card }.</summary>
    [JSExport]
    public static string Open(string optionsJson, byte[]? entries) => Answer(w =>
    {
        using JsonDocument options = JsonDocument.Parse(optionsJson);
        JsonElement o = options.RootElement;
        string code = Text(o, "backupCode") ?? throw new ArgumentException("open needs the backup code");
        if (BackupCode.TryRestore(code.Trim(), out NodeIdentity? identity) != ProtocolError.None)
        {
            // Words: say which one is wrong (BIP-39 wordlist, checksum); anything else is an older code mistyped.
            bool words = code.Trim().IndexOf(' ') > 0;
            throw new ArgumentException(words && RecoveryPhrase.TryParse(code, out _, out RecoveryPhraseProblem problem) != RecoveryPhraseError.None
                ? problem.Describe()
                : "that backup code is not valid (check it for typing mistakes)");
        }

        string name = NodeNames.Require(Text(o, "name"), "a name");
        bool restoring = o.TryGetProperty("restoring", out JsonElement r) && r.ValueKind == JsonValueKind.True;
        _session = NodeSession.Open(identity!, name, restoring, entries, Texts(o, "contacts"), Texts(o, "channels"), SignatureChecks.Verifier);
        StateJson.Opened(w, _session);
    });

    /// <summary>Takes one frame from the link: 0, or the ProtocolError code it was refused for.</summary>
    [JSExport]
    public static int Receive(byte[] frame) => Session.Receive(frame);

    /// <summary>The (key, hash, signature) records the entries in these frames (each a 2-byte length and a frame) will need verified, for WebCrypto.</summary>
    [JSExport]
    public static byte[] PendingSignatures(byte[] frames) => WebCryptoPreverified.Pending(Session.Node, frames);

    /// <summary>Records WebCrypto verified (key, hash, signature); the node's next checks of exactly these pass without a managed verification.</summary>
    [JSExport]
    public static void AddVerifiedSignatures(byte[] records) => SignatureChecks.Verifier.Add(records);

    /// <summary>{ webCrypto, managed }: signatures found pre-verified, and signatures verified by managed code, since the page loaded.</summary>
    [JSExport]
    public static string SignatureFigures() => Answer(w =>
    {
        w.WriteStartObject();
        w.WriteNumber("webCrypto", SignatureChecks.Verifier.Hits);
        w.WriteNumber("managed", SignatureChecks.Verifier.Misses);
        w.WriteEndObject();
    });

    /// <summary>The frames to send, each as a 2-byte big-endian length and the frame.</summary>
    [JSExport]
    public static byte[] TakeOutbound()
    {
        using var buffer = new MemoryStream();
        foreach (byte[] frame in Session.TakeOutbound())
        {
            buffer.WriteByte((byte)(frame.Length >> 8));
            buffer.WriteByte((byte)frame.Length);
            buffer.Write(frame);
        }

        return buffer.ToArray();
    }

    /// <summary>Entries newly held since the last call (<see cref="EntryBlob"/>), or null.</summary>
    [JSExport]
    public static byte[]? TakeNewEntries() => Session.TakeNewEntries();

    /// <summary>Sends a direct message: { ok: seq }.</summary>
    [JSExport]
    public static string SendText(string peer, string text) => Answer(w =>
    {
        w.WriteNumberValue(Session.SendText(NodeNames.ParseId(peer, "a node id"), RequireText(text, required: true)));
    });

    /// <summary>Posts to the public feed: { ok: seq }.</summary>
    [JSExport]
    public static string Post(string text, int mediaType, byte[]? media) => Answer(w =>
    {
        byte type = Media(mediaType, media);
        w.WriteNumberValue(Session.Node.PostPublic(RequireText(text, required: media is null), type, media));
    });

    /// <summary>Posts to a joined channel: { ok: seq }.</summary>
    [JSExport]
    public static string PostToChannel(string channel, string text, int mediaType, byte[]? media) => Answer(w =>
    {
        uint id = NodeNames.ParseId(channel, "a channel id");
        if (!Session.Channels.ContainsKey(id))
        {
            throw new ArgumentException("not a member of that channel");
        }

        byte type = Media(mediaType, media);
        w.WriteNumberValue(Session.Node.PostToChannel(id, RequireText(text, required: media is null), type, media));
    });

    /// <summary>Marks a conversation read: { ok: newest sequence read }.</summary>
    [JSExport]
    public static string MarkRead(string peer) => Answer(w => w.WriteNumberValue(Session.MarkRead(NodeNames.ParseId(peer, "a node id"))));

    /// <summary>Adds a contact from card text: { ok: { id, name } }.</summary>
    [JSExport]
    public static string AddContact(string cardText) => Answer(w =>
    {
        if (ContactCard.TryParse((cardText ?? "").Trim(), out ContactCard? card) != ProtocolError.None)
        {
            throw new ArgumentException("that is not a MeshMessenger contact card (it starts with MM1: and carries a signature)");
        }

        Profile profile = Session.AddContactCard(card!);
        w.WriteStartObject();
        w.WriteString("id", NodeNames.Hex(profile.NodeId));
        w.WriteString("name", NodeNames.Clean(profile.Name));
        w.WriteEndObject();
    });

    /// <summary>Creates a channel from a name and a 32-byte secret (crypto.getRandomValues): { ok: { id, name, invite } }.</summary>
    [JSExport]
    public static string CreateChannel(string name, byte[] secret) => Answer(w =>
    {
        if (secret.Length != ChannelKey.SecretSize)
        {
            throw new ArgumentException($"the channel secret is {ChannelKey.SecretSize} random bytes");
        }

        Joined(w, new ChannelKey(NodeNames.Require(name, "a channel name"), secret));
    });

    /// <summary>Joins a channel from its invite: { ok: { id, name, invite } }.</summary>
    [JSExport]
    public static string JoinChannel(string invite) => Answer(w =>
    {
        if (ChannelKey.TryParse((invite ?? "").Trim(), out ChannelKey? channel) != ProtocolError.None)
        {
            throw new ArgumentException("that is not a channel invite (it starts with MMC1:)");
        }

        Joined(w, channel!);
    });

    /// <summary>Queues a heads announcement (docs/protocol.md §7).</summary>
    [JSExport]
    public static void AnnounceHeads(bool requestReply) => Session.Node.AnnounceHeads(requestReply);

    /// <summary>Ends a restore at the confirmed head (held, and vouched for: docs/protocol.md §8.3); true if the node can append again.</summary>
    [JSExport]
    public static bool FinishRestore()
    {
        bool done = Session.Node.FinishRestore();
        Session.AfterRestoreFinished();
        return done;
    }

    /// <summary>The node's state (README "API").</summary>
    [JSExport]
    public static string State() => Answer(w => StateJson.State(w, Session));

    /// <summary>The direct messages with a peer, oldest first.</summary>
    [JSExport]
    public static string Conversation(string peer) => Answer(w => StateJson.Conversation(w, Session, NodeNames.ParseId(peer, "a node id")));

    /// <summary>Public and channel posts, newest first.</summary>
    [JSExport]
    public static string Feed() => Answer(w => StateJson.Posts(w, Session, m => m.Kind is EntryKind.PublicPost or EntryKind.ChannelPost, ascending: false, StateJson.FeedLimit));

    /// <summary>A joined channel's posts, oldest first.</summary>
    [JSExport]
    public static string ChannelPosts(string channel) => Answer(w =>
    {
        uint id = NodeNames.ParseId(channel, "a channel id");
        if (!Session.Channels.ContainsKey(id))
        {
            throw new ArgumentException("not a member of that channel");
        }

        StateJson.Posts(w, Session, m => m.Kind == EntryKind.ChannelPost && m.Channel == id, ascending: true, StateJson.ChannelLimit);
    });

    /// <summary>
    /// A board's provisioning bundle: { ok: { frame (base64 of the request frame a board stores), summary (JSON),
    /// recoveryPhrase } }.
    /// </summary>
    [JSExport]
    public static string ProvisionBundle(string optionsJson, byte[] seed) => Answer(w =>
    {
        (byte[] frame, string summary, string phrase) = Browser.ProvisionBundle.Create(optionsJson, seed);
        w.WriteStartObject();
        w.WriteBase64String("frame", frame);
        w.WriteString("summary", summary);
        w.WriteString("recoveryPhrase", phrase);
        w.WriteEndObject();
    });

    /// <summary>
    /// The wallet addresses of this node's own root, for { networks: [ "bitcoin", "litecoin-regtest", … ] }:
    /// { ok: { evm: { path, address }, utxo: [ { network, path, address } ] } }. No key or phrase leaves the node.
    /// </summary>
    [JSExport]
    public static string WalletAccounts(string optionsJson) => Answer(w =>
    {
        using JsonDocument options = JsonDocument.Parse(string.IsNullOrEmpty(optionsJson) ? "{}" : optionsJson);
        Session.Wallet.WriteAccounts(w, options.RootElement);
    });

    /// <summary>
    /// Signs an EIP-1559 ETH transfer from the node's EVM account, { chainId, nonce, to, valueWei, maxFeePerGas,
    /// maxPriorityFeePerGas, gas, data? }: { ok: { raw, hash } }, the raw signed transaction for eth_sendRawTransaction.
    /// </summary>
    [JSExport]
    public static string WalletSignEvmTransfer(string transferJson) => Answer(w =>
    {
        using JsonDocument transfer = JsonDocument.Parse(transferJson ?? "");
        Session.Wallet.WriteSignedEvmTransfer(w, transfer.RootElement);
    });

    /// <summary>Checks tests/vectors/protocol/protocol-v1.txt here, in WebAssembly: { ok: { passed, failed, failures } }.</summary>
    [JSExport]
    public static string RunVectors(string text) => Answer(w => ProtocolVectorRunner.Run(text).WriteTo(w));

    /// <summary>Checks tests/vectors/protocol/negative-v1.txt here: every input refused with its stated error; { ok: { passed, failed, failures } }.</summary>
    [JSExport]
    public static string RunNegativeVectors(string text) => Answer(w => NegativeVectorRunner.Run(text).WriteTo(w));

    /// <summary>Milliseconds taken by <paramref name="count"/> managed Ed25519 verifications of distinct entries (a figure for the README; nothing depends on it).</summary>
    [JSExport]
    public static double MeasureManagedVerification(int count) => SignatureChecks.MeasureManaged(Math.Clamp(count, 1, 10_000));

    internal static NodeSession Session => _session ?? throw new InvalidOperationException("no node is open in this page; call open first");

    private static void Joined(Utf8JsonWriter w, ChannelKey channel)
    {
        Session.Join(channel);
        w.WriteStartObject();
        w.WriteString("id", NodeNames.Hex(channel.Id));
        w.WriteString("name", NodeNames.Clean(channel.Name));
        w.WriteString("invite", channel.ToText());
        w.WriteEndObject();
    }

    private static string RequireText(string? text, bool required)
    {
        text ??= "";
        if (required && string.IsNullOrWhiteSpace(text))
        {
            throw new ArgumentException("the text is empty");
        }

        if (Utf8Text.GetBytes(text).Length > MaxTextBytes)
        {
            throw new ArgumentException($"at most {MaxTextBytes} bytes of text");
        }

        return text;
    }

    private static byte Media(int mediaType, byte[]? media)
    {
        if (media is null)
        {
            return PostBody.NoMedia;
        }

        return mediaType is PostBody.WebpImage or PostBody.JpegImage
            ? (byte)mediaType
            : throw new ArgumentException($"media type {mediaType} is not a known one ({PostBody.WebpImage} WebP, {PostBody.JpegImage} JPEG)");
    }

    /// <summary>Longest message or post text, in UTF-8 bytes (one entry; the frame layer fragments it), as the gateway's API had it.</summary>
    public const int MaxTextBytes = 1000;

    private static string Answer(Action<Utf8JsonWriter> value)
    {
        try
        {
            string ok = StateJson.Write(value);
            return "{\"ok\":" + ok + "}";
        }
        catch (Exception e) when (e is ProtocolException or ArgumentException or InvalidOperationException or JsonException or FormatException or WalletException)
        {
            return StateJson.Write(w =>
            {
                w.WriteStartObject();
                w.WriteString("error", e.Message);
                w.WriteEndObject();
            });
        }
    }

    private static string? Text(JsonElement o, string property) =>
        o.ValueKind == JsonValueKind.Object && o.TryGetProperty(property, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static List<string> Texts(JsonElement o, string property)
    {
        var list = new List<string>();
        if (o.ValueKind == JsonValueKind.Object && o.TryGetProperty(property, out JsonElement v) && v.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement item in v.EnumerateArray())
            {
                list.Add(item.ValueKind == JsonValueKind.String ? item.GetString()! : throw new ArgumentException($"{property} are texts"));
            }
        }

        return list;
    }
}
