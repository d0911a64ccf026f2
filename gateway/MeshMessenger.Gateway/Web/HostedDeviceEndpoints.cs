using MeshMessenger.Anchoring.Proofs;
using MeshMessenger.Anchoring.Rpc;
using MeshMessenger.Gateway.Anchoring;
using MeshMessenger.Gateway.Configuration;
using MeshMessenger.Gateway.Links;
using MeshMessenger.Protocol;
using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Node;
using MeshMessenger.Protocol.Sealing;
using MeshMessenger.Protocol.Wire;
using Microsoft.Extensions.Options;

namespace MeshMessenger.Gateway.Web;

/// <summary>
/// The messaging API of the demo devices the gateway emulates (docs/gateway.md §6): cards, contacts, chats,
/// channels, the feed, photos and proofs, under <c>/api/devices/{id}</c>. Anyone may read and write as a demo
/// device; a person an earlier release hosted is refused here while they move to their browser.
/// </summary>
internal static class HostedDeviceEndpoints
{
    /// <summary>Longest message or post text, in UTF-8 bytes (one entry; the frame layer fragments it).</summary>
    public const int MaxTextBytes = 1000;

    // A photo upload and its form fields; a larger request is refused with 413 before it is read.
    private static readonly Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute UploadLimit = new(PhotoShrinker.MaxUploadBytes + (64 * 1024));

    /// <summary>Maps the demo devices' list and their API under <paramref name="api"/>.</summary>
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/devices", (EmulatedDevices devices) => devices.Devices.Select(d => new { id = NodeIdText.Hex(d.Id), name = DisplayNames.Clean(d.Name), demo = true }));

        RouteGroupBuilder device = api.MapGroup("/devices/{id}");
        device.AddEndpointFilter(MigrationEndpoints.PendingPeopleAreNotHosted);
        device.MapGet("/card", (string id, EmulatedDevices devices) => HostedDeviceAccess.On(devices, id, d => Results.Json(new { id = NodeIdText.Hex(d.Id), name = d.Name, text = HostedDeviceViews.Card(d) })));
        device.MapGet("/card.svg", (string id, EmulatedDevices devices) => HostedDeviceAccess.On(devices, id, d => Results.Text(QrImages.Svg(HostedDeviceViews.Card(d)), "image/svg+xml")));
        device.MapGet("/card.png", (string id, EmulatedDevices devices) => HostedDeviceAccess.On(devices, id, d => Results.File(QrImages.Png(HostedDeviceViews.Card(d)), "image/png", $"{d.Name}-contact.png")));
        device.MapGet("/contacts", (string id, EmulatedDevices devices) => HostedDeviceAccess.On(devices, id, d =>
        {
            Func<uint, string> names = HostedDeviceViews.NamesOf(d); // built once: it reads every known profile
            return Results.Json(d.Contacts.Select(c => new { id = NodeIdText.Hex(c), name = names(c) }).OrderBy(c => c.name, StringComparer.Ordinal).ToList());
        }));
        device.MapPost("/contacts", AddContact);
        device.MapGet("/chats", (string id, EmulatedDevices devices) => HostedDeviceAccess.On(devices, id, d => Results.Json(HostedDeviceViews.Conversations(d))));
        device.MapGet("/chats/{peer}", (string id, string peer, EmulatedDevices devices) => HostedDeviceAccess.On(devices, id, d => NodeIdText.Parse(peer) is uint p ? Results.Json(new { peer = NodeIdText.Hex(p), name = HostedDeviceViews.NamesOf(d)(p), messages = HostedDeviceViews.Conversation(d, p) }) : NodeIdText.BadId(peer)));
        device.MapPost("/chats/{peer}", SendDirect);
        device.MapPost("/chats/{peer}/read", (string id, string peer, EmulatedDevices devices, HttpResponse response) => HostedDeviceAccess.Write(devices, id, response, d => NodeIdText.Parse(peer) is uint p ? Results.Json(new { read = d.ReadFrom(p) }) : NodeIdText.BadId(peer)));
        device.MapGet("/channels", (string id, EmulatedDevices devices) => HostedDeviceAccess.On(devices, id, d => Results.Json(d.Channels.Values.Select(c => new { id = NodeIdText.Hex(c.Id), name = DisplayNames.Clean(c.Name), invite = c.ToText() }))));
        device.MapPost("/channels", CreateOrJoinChannel);
        device.MapGet("/channels/{channel}", (string id, string channel, EmulatedDevices devices) => HostedDeviceAccess.On(devices, id, d => NodeIdText.Parse(channel) is uint c && d.Channels.ContainsKey(c) ? Results.Json(HostedDeviceViews.Posts(d, m => m.Kind == EntryKind.ChannelPost && m.Channel == c, ascending: true, limit: 500)) : Results.Problem("not a member of that channel", statusCode: 404)));
        device.MapPost("/channels/{channel}", PostToChannel).DisableAntiforgery().WithMetadata(UploadLimit);
        device.MapGet("/feed", (string id, EmulatedDevices devices) => HostedDeviceAccess.On(devices, id, d => Results.Json(HostedDeviceViews.Posts(d, m => m.Kind is EntryKind.PublicPost or EntryKind.ChannelPost, ascending: false, limit: 200))));
        device.MapPost("/feed", PostPublic).DisableAntiforgery().WithMetadata(UploadLimit);
        device.MapGet("/media/{author}/{seq}", Media);
        device.MapGet("/proofs/{seq}", ExplainProof);
    }

    private static IResult AddContact(string id, CardRequest request, EmulatedDevices devices) => HostedDeviceAccess.On(devices, id, d =>
    {
        string text = (request.Card ?? "").Trim();
        if (ContactCard.TryParse(text, out ContactCard? card) != ProtocolError.None)
        {
            return Results.Problem("that is not a MeshMessenger contact card (it starts with MM1: and carries a signature)", statusCode: 400);
        }

        if (card!.Profile.NodeId == d.Id)
        {
            return Results.Problem("that is your own card", statusCode: 400);
        }

        d.Node.AddContact(card);
        d.Contacts.Add(card.Profile.NodeId);
        return Results.Json(new { id = NodeIdText.Hex(card.Profile.NodeId), name = HostedDeviceViews.NamesOf(d)(card.Profile.NodeId) });
    });

    private static Task<IResult> SendDirect(string id, string peer, TextRequest request, EmulatedDevices devices, HttpResponse response) => HostedDeviceAccess.Write(devices, id, response, d =>
    {
        if (NodeIdText.Parse(peer) is not uint p)
        {
            return NodeIdText.BadId(peer);
        }

        if (CheckText(request.Text, required: true) is IResult bad)
        {
            return bad;
        }

        if (d.Node.Chains.ProfileOf(p) is null)
        {
            return Results.Problem("this gateway has not heard that person's keys yet; add their contact card", statusCode: 409);
        }

        d.Contacts.Add(p);
        return Results.Json(new { seq = d.Node.SendText(p, request.Text!) });
    });

    private static IResult CreateOrJoinChannel(string id, ChannelRequest request, EmulatedDevices devices) => HostedDeviceAccess.On(devices, id, d =>
    {
        ChannelKey? channel;
        if (!string.IsNullOrWhiteSpace(request.Invite))
        {
            if (ChannelKey.TryParse(request.Invite.Trim(), out channel) != ProtocolError.None)
            {
                return Results.Problem("that is not a channel invite (it starts with MMC1:)", statusCode: 400);
            }
        }
        else
        {
            if (BadName(request.Name, "a channel name", out string name) is IResult bad)
            {
                return bad;
            }

            channel = new ChannelKey(name, System.Security.Cryptography.RandomNumberGenerator.GetBytes(ChannelKey.SecretSize));
        }

        d.Join(channel!);
        return Results.Json(new { id = NodeIdText.Hex(channel!.Id), name = channel.Name, invite = channel.ToText() });
    });

    private static async Task<IResult> PostToChannel(string id, string channel, HttpRequest http, EmulatedDevices devices, PhotoDecodeGate gate, HttpResponse response)
    {
        if (NodeIdText.Parse(channel) is not uint c)
        {
            return NodeIdText.BadId(channel);
        }

        // Checked before the form is read, so a post nobody may make costs no upload and no decode.
        IResult allowed = HostedDeviceAccess.On(devices, id, d => d.Channels.ContainsKey(c) ? Results.Empty : Results.Problem("not a member of that channel", statusCode: 404));
        if (allowed != Results.Empty)
        {
            return allowed;
        }

        return await WithPost(http, gate, post => HostedDeviceAccess.Write(devices, id, response, d => d.Channels.ContainsKey(c)
            ? Posted(d.Node.PostToChannel(c, post.Text, post.Photo?.MediaType ?? PostBody.NoMedia, post.Photo?.Bytes), post.Photo)
            : Results.Problem("not a member of that channel", statusCode: 404))).ConfigureAwait(false);
    }

    private static async Task<IResult> PostPublic(string id, HttpRequest http, EmulatedDevices devices, PhotoDecodeGate gate, HttpResponse response)
    {
        // Checked before the form is read, so a post nobody may make costs no upload and no decode.
        IResult allowed = HostedDeviceAccess.On(devices, id, _ => Results.Empty);
        if (allowed != Results.Empty)
        {
            return allowed;
        }

        return await WithPost(http, gate, post => HostedDeviceAccess.Write(devices, id, response, d => Posted(d.Node.PostPublic(post.Text, post.Photo?.MediaType ?? PostBody.NoMedia, post.Photo?.Bytes), post.Photo))).ConfigureAwait(false);
    }

    private static IResult Posted(uint seq, ShrunkPhoto? photo) =>
        Results.Json(new { seq, photo = photo is null ? null : new { bytes = photo.Bytes.Length, width = photo.Width, height = photo.Height, quality = photo.Quality } });

    /// <summary>Reads a multipart post (text, optional photo), shrinks the photo and hands both on.</summary>
    private static async Task<IResult> WithPost(HttpRequest http, PhotoDecodeGate gate, Func<(string Text, ShrunkPhoto? Photo), Task<IResult>> post)
    {
        if (!http.HasFormContentType)
        {
            return Results.Problem("send the post as a form (text, and optionally a photo)", statusCode: 400);
        }

        IFormCollection form;
        try
        {
            form = await http.ReadFormAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or BadHttpRequestException)
        {
            return Results.Problem($"the form could not be read: {e.Message}", statusCode: e is BadHttpRequestException tooLarge ? tooLarge.StatusCode : 400);
        }

        string text = form["text"].ToString();
        IFormFile? file = form.Files.GetFile("photo");
        if (CheckText(text, required: file is null || file.Length == 0) is IResult bad)
        {
            return bad;
        }

        ShrunkPhoto? photo = null;
        if (file is { Length: > 0 })
        {
            if (file.Length > PhotoShrinker.MaxUploadBytes)
            {
                return Results.Problem($"photos up to {PhotoShrinker.MaxUploadBytes / (1024 * 1024)} MB", statusCode: 400);
            }

            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer).ConfigureAwait(false);
            using (IDisposable? slot = await gate.TryEnterAsync(http.HttpContext.RequestAborted).ConfigureAwait(false))
            {
                if (slot is null)
                {
                    http.HttpContext.Response.Headers.RetryAfter = "5";
                    return Results.Problem($"{PhotoDecodeGate.MaxConcurrent} photos are being shrunk already; retry in a few seconds", statusCode: 503);
                }

                photo = gate.Shrink(buffer.ToArray(), out string refusal);
                if (photo is null)
                {
                    return Results.Problem(refusal, statusCode: 400);
                }
            }
        }

        return await post((text, photo)).ConfigureAwait(false);
    }

    private static IResult Media(string id, string author, uint seq, EmulatedDevices devices) => HostedDeviceAccess.On(devices, id, d =>
    {
        MessageRecord? record = NodeIdText.Parse(author) is uint a ? d.Node.Messages.Cast<MessageRecord>().FirstOrDefault(m => m.Author == a && m.Sequence == seq && m.Media is not null) : null;
        return record is null ? Results.NotFound()
            : Results.File(record.Media!, record.MediaType == PostBody.JpegImage ? "image/jpeg" : "image/webp");
    });

    private static async Task<IResult> ExplainProof(string id, uint seq, EmulatedDevices devices, AnchoringService anchoring, IOptions<GatewayOptions> options, CancellationToken ct)
    {
        if (NodeIdText.Parse(id) is not uint author)
        {
            return NodeIdText.BadId(id);
        }

        string name = devices.Devices.FirstOrDefault(d => d.Id == author)?.Name ?? NodeIdText.Hex(author);
        var found = ProofLookup.Find(anchoring, NodeIdText.Hex(author), seq);
        if (found is not { } proof)
        {
            return Results.Json(new
            {
                anchored = false,
                words = anchoring.Store is null
                    ? "Anchoring is off on this gateway, so there is no public proof for this message."
                    : $"Not anchored yet. This gateway gathers chain checkpoints into a batch every {options.Value.Anchoring.BatchMinutes:0.#} minutes and writes the batch's fingerprint to the public chain; look again after the next batch.",
            });
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        List<(bool Passed, string Statement)> checks = await ProofVerifier.VerifyAsync(proof.Bundle, new EthereumRpcClient(http, new Uri(options.Value.Anchoring.Rpc)), anchoring.Address, ct).ConfigureAwait(false);
        bool holds = checks.All(c => c.Passed);
        // The claim is made only when every check passed: a proof that does not hold (yet: not final, say) proves nothing.
        string claim = holds
            ? $"Message #{seq} of {name} existed, exactly as it is now, no later than block {proof.Bundle.BlockNumber} of the public chain (chain id {options.Value.Anchoring.ChainId}). "
            : $"This proof for message #{seq} of {name} does not hold (yet): {checks.First(c => !c.Passed).Statement}. Until every check passes it says nothing about when the message existed. ";
        string words =
            claim +
            $"How: every message is signed and linked to the one before it, so {name}'s message #{proof.Checkpoint} fixes all earlier ones. " +
            $"A fingerprint of #{proof.Checkpoint} is one of {proof.Bundle.TreeSize} fingerprints combined into one Merkle root, and that root is in transaction {proof.Bundle.TransactionHash[..12]}…. " +
            "Only fingerprints went on the chain: the message stays private, and the proof says nothing about whether its content is true. " +
            "Anyone can check it without trusting this gateway: save the bundle and run `meshmsg verify bundle.json --rpc <any Ethereum node>`.";
        return Results.Json(new
        {
            anchored = true,
            holds,
            words,
            batch = proof.Batch.Id,
            state = proof.Batch.State.ToString().ToLowerInvariant(),
            checks = checks.Select(c => new { passed = c.Passed, statement = c.Statement }),
            bundle = System.Text.Json.JsonDocument.Parse(proof.Bundle.ToJson()).RootElement,
        });
    }

    /// <summary>Trims <paramref name="raw"/>; a problem unless it is 1 to 32 UTF-8 bytes (the profile's limit, used for channels too) without hidden characters.</summary>
    private static IResult? BadName(string? raw, string what, out string name)
    {
        name = (raw ?? "").Trim();
        if (DisplayNames.HasHiddenCharacters(name))
        {
            return Results.Problem($"{what} may not contain control, format or bidirectional-override characters", statusCode: 400);
        }

        return name.Length == 0 || Utf8Text.GetBytes(name).Length > Profile.MaxNameBytes
            ? Results.Problem($"{what} is 1 to {Profile.MaxNameBytes} bytes", statusCode: 400)
            : null;
    }

    private static IResult? CheckText(string? text, bool required)
    {
        if (required && string.IsNullOrWhiteSpace(text))
        {
            return Results.Problem("the text is empty", statusCode: 400);
        }

        return Utf8Text.GetBytes(text ?? "").Length > MaxTextBytes ? Results.Problem($"at most {MaxTextBytes} bytes of text", statusCode: 400) : null;
    }
}
