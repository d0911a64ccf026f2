using System.Globalization;
using MeshMessenger.Anchoring.Batches;
using MeshMessenger.Anchoring.Proofs;
using MeshMessenger.Anchoring.Rpc;
using MeshMessenger.Gateway.Anchoring;
using MeshMessenger.Gateway.Configuration;
using MeshMessenger.Gateway.Links;
using MeshMessenger.Gateway.Mqtt;
using MeshMessenger.Gateway.PeopleMigration;
using MeshMessenger.Protocol;
using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Node;
using MeshMessenger.Protocol.Receipts;
using MeshMessenger.Protocol.Sealing;
using MeshMessenger.Protocol.Wire;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;

namespace MeshMessenger.Gateway.Web;

/// <summary>
/// The web app (docs/gateway.md §6): static files from the <c>webapp</c> folder next to the binaries and a
/// JSON API over the demo devices the gateway emulates and the people of an earlier release who wait to move to
/// their browsers. The gateway holds no person's key: people are nodes in their own browsers. Ids in URLs are
/// node ids as 8 hex digits. Every request body is untrusted: bad input is a 400 problem with the reason, never
/// an exception page.
/// </summary>
public static class WebAppEndpoints
{
    /// <summary>Longest message or post text, in UTF-8 bytes (one entry; the frame layer fragments it).</summary>
    public const int MaxTextBytes = 1000;

    // A photo upload and its form fields; a larger request is refused with 413 before it is read.
    private static readonly Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute UploadLimit = new(PhotoShrinker.MaxUploadBytes + (64 * 1024));

    /// <summary>Maps the static files and the API.</summary>
    public static void MapWebApp(this WebApplication app)
    {
        app.UseWebHardening();
        string root = Path.Combine(AppContext.BaseDirectory, "webapp");
        if (Directory.Exists(root))
        {
            var files = new PhysicalFileProvider(root);
            app.UsePrecompressedFramework(root);
            app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
            app.UseStaticFiles(new StaticFileOptions { FileProvider = files });
        }

        RouteGroupBuilder api = app.MapGroup("/api");
        api.MapGet("/events", LiveEvents);
        api.MapGet("/gateway", Gateway);
        api.MapGet("/devices", (EmulatedDevices devices) => devices.Devices.Select(d => new { id = Hex(d.Id), name = DisplayNames.Clean(d.Name), demo = true }));
        api.MapGet("/nodes", Nodes);
        api.MapGet("/anchoring", AnchoringStatus);
        api.MapGet("/migrations", (PendingMigrations pending) => pending.Ids.Select(id => new { id = Hex(id) }));

        // Under /api/devices/{id}, where an earlier release scoped the person's access cookie, so their browser sends it here.
        api.MapGet("/devices/{id}/migration", Migration);
        api.MapPost("/devices/{id}/migration/done", MigrationDone);

        RouteGroupBuilder device = api.MapGroup("/devices/{id}");
        device.AddEndpointFilter(PendingPeopleAreNotHosted);
        device.MapGet("/card", (string id, EmulatedDevices devices) => On(devices, id, d => Results.Json(new { id = Hex(d.Id), name = d.Name, text = Card(d) })));
        device.MapGet("/card.svg", (string id, EmulatedDevices devices) => On(devices, id, d => Results.Text(QrImages.Svg(Card(d)), "image/svg+xml")));
        device.MapGet("/card.png", (string id, EmulatedDevices devices) => On(devices, id, d => Results.File(QrImages.Png(Card(d)), "image/png", $"{d.Name}-contact.png")));
        device.MapGet("/contacts", (string id, EmulatedDevices devices) => On(devices, id, d =>
        {
            Func<uint, string> names = NamesOf(d); // built once: it reads every known profile
            return Results.Json(d.Contacts.Select(c => new { id = Hex(c), name = names(c) }).OrderBy(c => c.name, StringComparer.Ordinal).ToList());
        }));
        device.MapPost("/contacts", AddContact);
        device.MapGet("/chats", (string id, EmulatedDevices devices) => On(devices, id, d => Results.Json(Conversations(d))));
        device.MapGet("/chats/{peer}", (string id, string peer, EmulatedDevices devices) => On(devices, id, d => Parse(peer) is uint p ? Results.Json(new { peer = Hex(p), name = NamesOf(d)(p), messages = Conversation(d, p) }) : BadId(peer)));
        device.MapPost("/chats/{peer}", SendDirect);
        device.MapPost("/chats/{peer}/read", (string id, string peer, EmulatedDevices devices, HttpResponse response) => Write(devices, id, response, d => Parse(peer) is uint p ? Results.Json(new { read = d.ReadFrom(p) }) : BadId(peer)));
        device.MapGet("/channels", (string id, EmulatedDevices devices) => On(devices, id, d => Results.Json(d.Channels.Values.Select(c => new { id = Hex(c.Id), name = DisplayNames.Clean(c.Name), invite = c.ToText() }))));
        device.MapPost("/channels", CreateOrJoinChannel);
        device.MapGet("/channels/{channel}", (string id, string channel, EmulatedDevices devices) => On(devices, id, d => Parse(channel) is uint c && d.Channels.ContainsKey(c) ? Results.Json(Posts(d, m => m.Kind == EntryKind.ChannelPost && m.Channel == c, ascending: true, limit: 500)) : Results.Problem("not a member of that channel", statusCode: 404)));
        device.MapPost("/channels/{channel}", PostToChannel).DisableAntiforgery().WithMetadata(UploadLimit);
        device.MapGet("/feed", (string id, EmulatedDevices devices) => On(devices, id, d => Results.Json(Posts(d, m => m.Kind is EntryKind.PublicPost or EntryKind.ChannelPost, ascending: false, limit: 200))));
        device.MapPost("/feed", PostPublic).DisableAntiforgery().WithMetadata(UploadLimit);
        device.MapGet("/media/{author}/{seq}", Media);
        device.MapGet("/proofs/{seq}", ExplainProof);
    }

    /// <summary>The cookie an earlier release gave the browser a person joined from; scoped to their device's API path.</summary>
    private static string KeyCookie(uint id) => $"mm_key_{Hex(id)}";

    /// <summary>
    /// A person an earlier release hosted is not a node here any more: every call of their old device API answers
    /// 410 Gone, so nothing is read or written as them while their identity moves to their browser. Emulated demo
    /// devices are open to every page.
    /// </summary>
    private static async ValueTask<object?> PendingPeopleAreNotHosted(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        HttpContext http = context.HttpContext;
        if (http.Request.RouteValues["id"] is string id && Parse(id) is uint node
            && http.RequestServices.GetRequiredService<PendingMigrations>().Find(node) is not null)
        {
            return Results.Problem($"{Hex(node)} is no longer hosted by this gateway: the identity moves to the browser it joined from, which keeps the keys from now on", statusCode: 410);
        }

        return await next(context).ConfigureAwait(false);
    }

    /// <summary>
    /// A pending person's identity, for the browser holding their access cookie only (403 otherwise, 404 when
    /// nobody with that id is pending): backup code, name, the contact cards of their address book that the
    /// gateway can vouch for (demo devices and people of the same file) and their channel invites. Served on every
    /// such request until <see cref="MigrationDone"/>, never cached.
    /// </summary>
    private static IResult Migration(string id, PendingMigrations pending, EmulatedDevices devices, HttpContext http)
    {
        if (Admitted(id, pending, http, out PendingPerson? person) is IResult refused)
        {
            return refused;
        }

        http.Response.Headers.CacheControl = "no-store";
        Dictionary<uint, VirtualDevice> demo = devices.Devices.ToDictionary(d => d.Id);
        return Results.Json(new
        {
            id = Hex(person!.Id),
            name = person.Name,
            backupCode = person.BackupCode,
            contacts = person.Contacts.Select(c => demo.TryGetValue(c, out VirtualDevice? d) ? Card(d) : pending.CardOf(c)).OfType<string>().ToList(),
            channels = person.Channels,
        });
    }

    /// <summary>
    /// The browser holding a pending person's access cookie has stored their identity: the secret is removed from
    /// people.json durably and from memory (200), or the answer is 503 naming the cause and the person stays pending.
    /// </summary>
    private static IResult MigrationDone(string id, PendingMigrations pending, HttpContext http)
    {
        if (Admitted(id, pending, http, out PendingPerson? person) is IResult refused)
        {
            return refused;
        }

        try
        {
            if (!pending.Complete(person!.Id))
            {
                return Results.Problem($"nobody with id {id} waits to move to their browser", statusCode: 404);
            }
        }
        catch (IOException e)
        {
            return Results.Problem($"the people file could not be rewritten without this person ({e.Message}); nothing was removed, try again", statusCode: 503);
        }

        http.Response.Cookies.Delete(KeyCookie(person.Id), new CookieOptions { Path = $"/api/devices/{Hex(person.Id)}", HttpOnly = true, SameSite = SameSiteMode.Strict });
        return Results.Json(new { id = Hex(person.Id), moved = true });
    }

    /// <summary>Null when <paramref name="id"/> is pending and this request carries their access cookie; else the problem to answer (400, 404, 403).</summary>
    private static IResult? Admitted(string id, PendingMigrations pending, HttpContext http, out PendingPerson? person)
    {
        person = null;
        if (Parse(id) is not uint node)
        {
            return BadId(id);
        }

        person = pending.Find(node);
        if (person is null)
        {
            return Results.Problem($"nobody with id {id} waits to move to their browser", statusCode: 404);
        }

        return person.Admits(http.Request.Cookies[KeyCookie(node)])
            ? null
            : Results.Problem("only the browser this person joined from may take their identity", statusCode: 403);
    }

    /// <summary>
    /// A live-update stream, unless this client address holds <see cref="ClientQuotas.StreamsPerAddress"/> already
    /// (429) or the gateway holds <see cref="LiveUpdates.MaxSubscribers"/> (503); both say when to retry.
    /// </summary>
    private static IResult LiveEvents(LiveUpdates live, ClientQuotas quotas, HttpContext http, CancellationToken ct)
    {
        if (live.SubscriberCount >= LiveUpdates.MaxSubscribers)
        {
            http.Response.Headers.RetryAfter = "30";
            return Results.Problem("too many live pages are open on this gateway; retry later", statusCode: 503);
        }

        if (quotas.TryOpenStream(ClientQuotas.ClientOf(http)) is not { } lease)
        {
            http.Response.Headers.RetryAfter = "30";
            return Results.Problem($"this address holds {ClientQuotas.StreamsPerAddress} live-update streams already; close a page or retry later", statusCode: 429);
        }

        // Given back when the response ends, however it ends (the stream may never be enumerated).
        http.Response.RegisterForDispose(lease);
        return TypedResults.ServerSentEvents(live.SubscribeAsync(ct));
    }

    private static IResult Gateway(IOptions<GatewayOptions> options, NodeIdentity identity, MqttBridge mqtt, AnchoringService anchoring, UdpLink udp) => Results.Json(new
    {
        name = options.Value.Name,
        node = Hex(identity.Id),
        region = options.Value.Region,
        preset = options.Value.Radio.Preset,
        udpPort = udp.BoundPort != 0 ? udp.BoundPort : options.Value.Udp.Port, // the bound port with Udp:AnyPort
        channel = EmulatedDevices.Village.Name,
        channelInvite = EmulatedDevices.Village.ToText(), // its secret is public by design (derived from its name)
        mqtt = mqtt.State,
        anchoring = anchoring.Store is not null,
        maxTextBytes = MaxTextBytes,
        loraTextBytes = 152, // docs/protocol.md §5.3: a DM of up to 152 bytes fits one 255-byte LoRa frame
    });

    private static IResult Nodes(NodeDirectory directory, EmulatedDevices devices, GatewayStatus status)
    {
        Dictionary<uint, VirtualDevice> hosted = devices.Devices.ToDictionary(d => d.Id);
        IReadOnlyList<HeardNode> heard = directory.Snapshot();
        Dictionary<uint, string> contacts = status.ContactNames(heard.Where(n => !hosted.ContainsKey(n.Id)).Select(n => n.Id));
        Dictionary<uint, string> names = DisplayNames.Distinct(heard.Select(n => (n.Id, hosted.TryGetValue(n.Id, out VirtualDevice? d) ? d.Name : contacts.GetValueOrDefault(n.Id, "?"))));
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        return Results.Json(heard.Select(n => new
        {
            id = Hex(n.Id),
            name = names[n.Id],
            kind = hosted.ContainsKey(n.Id) ? "demo device" : "device",
            link = n.Link.ToString().ToLowerInvariant(),
            rssi = n.RssiDbm,
            snr = n.SnrDb,
            quality = n.Quality,
            lastHeard = n.LastHeard.ToUnixTimeMilliseconds(),
            secondsAgo = (now - n.LastHeard.ToUnixTimeMilliseconds()) / 1000,
            frames = n.Frames,
        }));
    }

    private static IResult AnchoringStatus(AnchoringService anchoring, IOptions<GatewayOptions> options)
    {
        if (anchoring.Store is not { } store)
        {
            return Results.Json(new { enabled = options.Value.Anchoring.Enabled, started = false, address = anchoring.Address?.ToString(), batches = Array.Empty<object>(), lastError = anchoring.LastError });
        }

        List<AnchorBatch> batches = [.. store.Final(), .. store.Unfinished()];
        return Results.Json(new
        {
            enabled = true,
            started = true,
            address = anchoring.Address?.ToString(), // the sender of every anchor: check a proof's transaction against it
            chainId = options.Value.Anchoring.ChainId,
            batchMinutes = options.Value.Anchoring.BatchMinutes,
            lastError = anchoring.LastError,
            batches = batches.OrderByDescending(b => b.Id).Take(50).Select(b => new
            {
                id = b.Id,
                state = b.State.ToString().ToLowerInvariant(),
                leaves = b.LeafCount,
                root = Convert.ToHexStringLower(b.Root),
                tx = b.TransactionHash,
                block = b.BlockNumber,
                gasUsed = b.GasUsed,
            }),
        });
    }

    private static IResult AddContact(string id, CardRequest request, EmulatedDevices devices) => On(devices, id, d =>
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
        return Results.Json(new { id = Hex(card.Profile.NodeId), name = NamesOf(d)(card.Profile.NodeId) });
    });

    private static Task<IResult> SendDirect(string id, string peer, TextRequest request, EmulatedDevices devices, HttpResponse response) => Write(devices, id, response, d =>
    {
        if (Parse(peer) is not uint p)
        {
            return BadId(peer);
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

    private static IResult CreateOrJoinChannel(string id, ChannelRequest request, EmulatedDevices devices) => On(devices, id, d =>
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
        return Results.Json(new { id = Hex(channel!.Id), name = channel.Name, invite = channel.ToText() });
    });

    private static async Task<IResult> PostToChannel(string id, string channel, HttpRequest http, EmulatedDevices devices, PhotoDecodeGate gate, HttpResponse response)
    {
        if (Parse(channel) is not uint c)
        {
            return BadId(channel);
        }

        // Checked before the form is read, so a post nobody may make costs no upload and no decode.
        IResult allowed = On(devices, id, d => d.Channels.ContainsKey(c) ? Results.Empty : Results.Problem("not a member of that channel", statusCode: 404));
        if (allowed != Results.Empty)
        {
            return allowed;
        }

        return await WithPost(http, gate, post => Write(devices, id, response, d => d.Channels.ContainsKey(c)
            ? Posted(d.Node.PostToChannel(c, post.Text, post.Photo?.MediaType ?? PostBody.NoMedia, post.Photo?.Bytes), post.Photo)
            : Results.Problem("not a member of that channel", statusCode: 404))).ConfigureAwait(false);
    }

    private static async Task<IResult> PostPublic(string id, HttpRequest http, EmulatedDevices devices, PhotoDecodeGate gate, HttpResponse response)
    {
        // Checked before the form is read, so a post nobody may make costs no upload and no decode.
        IResult allowed = On(devices, id, _ => Results.Empty);
        if (allowed != Results.Empty)
        {
            return allowed;
        }

        return await WithPost(http, gate, post => Write(devices, id, response, d => Posted(d.Node.PostPublic(post.Text, post.Photo?.MediaType ?? PostBody.NoMedia, post.Photo?.Bytes), post.Photo))).ConfigureAwait(false);
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

    private static IResult Media(string id, string author, uint seq, EmulatedDevices devices) => On(devices, id, d =>
    {
        MessageRecord? record = Parse(author) is uint a ? d.Node.Messages.Cast<MessageRecord>().FirstOrDefault(m => m.Author == a && m.Sequence == seq && m.Media is not null) : null;
        return record is null ? Results.NotFound()
            : Results.File(record.Media!, record.MediaType == PostBody.JpegImage ? "image/jpeg" : "image/webp");
    });

    private static async Task<IResult> ExplainProof(string id, uint seq, EmulatedDevices devices, AnchoringService anchoring, IOptions<GatewayOptions> options, CancellationToken ct)
    {
        if (Parse(id) is not uint author)
        {
            return BadId(id);
        }

        string name = devices.Devices.FirstOrDefault(d => d.Id == author)?.Name ?? Hex(author);
        var found = ProofLookup.Find(anchoring, Hex(author), seq);
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

    private static object Conversations(VirtualDevice d)
    {
        List<MessageRecord> direct = [.. d.Node.Messages.Cast<MessageRecord>().Where(m => m.Kind == EntryKind.Text)];
        Func<uint, string> nameOf = NamesOf(d);
        IEnumerable<uint> peers = d.Contacts.Concat(direct.Select(m => m.Outgoing ? m.Peer : m.Author)).Distinct();
        return peers.Select(p =>
        {
            MessageRecord? last = direct.Where(m => (m.Outgoing ? m.Peer : m.Author) == p).OrderBy(m => m.Time).ThenBy(m => m.Outgoing ? 0 : 1).LastOrDefault();
            d.ReadUpTo.TryGetValue(p, out uint read);
            return new
            {
                peer = Hex(p),
                name = nameOf(p),
                last = last?.Text,
                time = last is null ? 0 : EntryTime.ToUnixSeconds(last.Time) * 1000,
                unread = direct.Count(m => !m.Outgoing && m.Author == p && m.Sequence > read),
            };
        }).OrderByDescending(c => c.time).ThenBy(c => c.name).ToList();
    }

    private static object Conversation(VirtualDevice d, uint peer) =>
        d.Node.Messages.Cast<MessageRecord>()
            .Where(m => m.Kind == EntryKind.Text && (m.Outgoing ? m.Peer == peer : m.Author == peer))
            .Select(m => new
            {
                author = Hex(m.Author),
                seq = m.Sequence,
                text = m.Text,
                time = EntryTime.ToUnixSeconds(m.Time) * 1000,
                outgoing = m.Outgoing,
                state = !m.Outgoing ? null : StateOf(d, m.Sequence),
            })
            .ToList();

    /// <summary>A receipt or a relay heard wins; short of those, "sent" only once the gateway stored it and handed it to a link.</summary>
    private static string StateOf(VirtualDevice d, uint sequence)
    {
        MessageState state = d.Node.Tracker.StateOf(sequence);
        return state == MessageState.Sent && sequence > d.SentThrough ? "sending" : StateName(state);
    }

    private static string StateName(MessageState state) => state switch
    {
        MessageState.Read => "read",
        MessageState.Delivered => "delivered",
        MessageState.Relayed => "relayed",
        _ => "sent",
    };

    private static object Posts(VirtualDevice d, Func<MessageRecord, bool> which, bool ascending, int limit)
    {
        IEnumerable<MessageRecord> posts = d.Node.Messages.Cast<MessageRecord>().Where(which).OrderByDescending(m => m.Time).ThenByDescending(m => m.Sequence).Take(limit);
        posts = ascending ? posts.Reverse() : posts;
        Func<uint, string> nameOf = NamesOf(d);
        return posts.Select(m => new
        {
            author = Hex(m.Author),
            name = nameOf(m.Author),
            seq = m.Sequence,
            text = m.Text,
            time = EntryTime.ToUnixSeconds(m.Time) * 1000,
            channel = m.Channel == 0 ? null : d.Channels.GetValueOrDefault(m.Channel)?.Name is string channel ? DisplayNames.Clean(channel) : null,
            photo = m.Media is null ? null : $"/api/devices/{Hex(d.Id)}/media/{Hex(m.Author)}/{m.Sequence}",
            photoBytes = m.Media?.Length,
            outgoing = m.Outgoing,
        }).ToList();
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

    private static IResult On(EmulatedDevices devices, string id, Func<VirtualDevice, IResult> action)
    {
        if (Parse(id) is not uint device)
        {
            return BadId(id);
        }

        try
        {
            return devices.Use(device, action);
        }
        catch (KeyNotFoundException e)
        {
            return Results.Problem(e.Message, statusCode: 404);
        }
        catch (ProtocolException e)
        {
            return Results.Problem(e.Message, statusCode: 400);
        }
    }

    /// <summary>
    /// Runs a write on a hosted node and answers only once what it wrote is committed to the store (a 2xx is a
    /// promise that survives kill -9); over budget is 429 with Retry-After, a store failure 503.
    /// </summary>
    private static async Task<IResult> Write(EmulatedDevices devices, string id, HttpResponse response, Func<VirtualDevice, IResult> action)
    {
        if (Parse(id) is not uint device)
        {
            return BadId(id);
        }

        try
        {
            return await devices.WriteAsync(device, action).ConfigureAwait(false);
        }
        catch (KeyNotFoundException e)
        {
            return Results.Problem(e.Message, statusCode: 404);
        }
        catch (ProtocolException e)
        {
            return Results.Problem(e.Message, statusCode: 400);
        }
        catch (HostedWriteRefusedException e)
        {
            return Refused(e, response);
        }
    }

    private static IResult Refused(HostedWriteRefusedException e, HttpResponse response)
    {
        if (e.RetryAfter is TimeSpan wait)
        {
            response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        return Results.Problem(e.Message, statusCode: e.StatusCode);
    }

    private static string Card(VirtualDevice d) => ContactCard.Create(d.Identity, d.Name, null).ToText();

    /// <summary>
    /// The names <paramref name="d"/> shows: profile names from the mesh without hidden characters, with the node id
    /// added where two known nodes share a name, and the node id for a node whose profile is unknown.
    /// </summary>
    private static Func<uint, string> NamesOf(VirtualDevice d)
    {
        Dictionary<uint, string> names = DisplayNames.Distinct(d.Node.Chains.KnownProfiles().Select(p => (p.NodeId, p.Name)));
        return node => names.TryGetValue(node, out string? name) ? name : Hex(node);
    }

    private static uint? Parse(string hex) => hex.Length == 8 && uint.TryParse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out uint id) ? id : null;

    private static IResult BadId(string text) => Results.Problem($"'{text}' is not a node id (8 hex digits)", statusCode: 400);

    private static string Hex(uint id) => id.ToString("x8", CultureInfo.InvariantCulture);
}
