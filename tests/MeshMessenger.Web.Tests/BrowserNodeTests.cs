using System.Net;
using System.Text.Json;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace MeshMessenger.Web.Tests;

/// <summary>
/// The browser node (src/MeshMessenger.Browser) as the web app gets it: meshnode.js and the WebAssembly runtime
/// served by a real gateway, run in Debian's chromium. Nodes in separate pages talk only through frames the test
/// carries between them in JavaScript, as a link would.
/// </summary>
public sealed class BrowserNodeTests(WebAppFixture web, ITestOutputHelper output) : IClassFixture<WebAppFixture>
{
    private static readonly string VectorsFile = Path.Combine(AppContext.BaseDirectory, "vectors", "protocol", "protocol-v1.txt");

    [Fact]
    public async Task The_protocol_vectors_pass_byte_for_byte_inside_chromium()
    {
        string text = await File.ReadAllTextAsync(VectorsFile);
        // Counted here independently of the runner: every "key = value" line outside comments is one vector.
        int vectors = text.Split('\n').Select(l => l.TrimEnd('\r')).Count(l => !l.StartsWith('#') && !l.StartsWith('[') && l.Contains(" = ", StringComparison.Ordinal));
        Assert.True(vectors > 50, $"only {vectors} vectors found in {VectorsFile}");

        IPage page = await BootedPageAsync();
        JsonElement report = await page.EvaluateAsync<JsonElement>("async text => (await window.meshnode).runVectors(text)", text);
        string[] failures = [.. report.GetProperty("failures").EnumerateArray().Select(f => f.GetString()!)];
        Assert.True(failures.Length == 0, string.Join("\n", failures));
        Assert.Equal(0, report.GetProperty("failed").GetInt32());
        Assert.Equal(vectors, report.GetProperty("passed").GetInt32());

        // A changed byte anywhere in a vector must fail it: the runner compares, it does not just decode.
        string tampered = text.Replace("entry_hash = 4539d8c8", "entry_hash = 4539d8c9", StringComparison.Ordinal);
        Assert.NotEqual(text, tampered);
        JsonElement bad = await page.EvaluateAsync<JsonElement>("async text => (await window.meshnode).runVectors(text)", tampered);
        Assert.True(bad.GetProperty("failed").GetInt32() >= 1);
        Assert.Equal(vectors, bad.GetProperty("failed").GetInt32() + bad.GetProperty("passed").GetInt32());
        Assert.Contains(bad.GetProperty("failures").EnumerateArray(), f => f.GetString()!.StartsWith("[alice entry 0] entry_hash", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Two_browser_nodes_exchange_a_direct_message_that_only_the_recipient_reads_and_a_reopened_node_has_it_all()
    {
        IPage ada = await BootedPageAsync();
        IPage bo = await BootedPageAsync();
        IPage eve = await BootedPageAsync();
        JsonElement adaCard = await OpenNewAsync(ada, "Ada");
        JsonElement boCard = await OpenNewAsync(bo, "Bo");
        await OpenNewAsync(eve, "Eve");
        string adaId = adaCard.GetProperty("id").GetString()!;
        string boId = boCard.GetProperty("id").GetString()!;
        await AddContactAsync(ada, boCard.GetProperty("card").GetString()!);
        await AddContactAsync(bo, adaCard.GetProperty("card").GetString()!);

        int seq = (await CallAsync(ada, "(n, peer) => n.sendText(peer, 'The well at the school works again')", boId)).GetInt32();
        Assert.Equal("sending", (await CallAsync(ada, "(n, peer) => n.conversation(peer)", boId))[0].GetProperty("state").GetString());
        // Everything Ada sends reaches Bo and Eve (a broadcast link); their answers go back to Ada.
        await CarryAsync(ada, bo, eve);
        // Handing frames to the link promises nothing; "sent" needs a neighbour's heads showing it holds the entry.
        Assert.Equal("sending", (await CallAsync(ada, "(n, peer) => n.conversation(peer)", boId))[0].GetProperty("state").GetString());
        await CallAsync(eve, "n => n.announceHeads(false)", "");
        await CarryAsync(eve, ada, bo);
        Assert.Equal("sent", (await CallAsync(ada, "(n, peer) => n.conversation(peer)", boId))[0].GetProperty("state").GetString());
        await CarryAsync(bo, ada, eve);

        JsonElement atBo = await CallAsync(bo, "(n, peer) => n.conversation(peer)", adaId);
        Assert.Equal("The well at the school works again", Assert.Single(atBo.EnumerateArray()).GetProperty("text").GetString());
        Assert.False(atBo[0].GetProperty("outgoing").GetBoolean());
        Assert.Equal(1, (await CallAsync(bo, "n => n.state()", "")).GetProperty("conversations")[0].GetProperty("unread").GetInt32());
        Assert.Equal("delivered", (await CallAsync(ada, "(n, peer) => n.conversation(peer)", boId))[0].GetProperty("state").GetString());

        // The signatures of those entries were checked by WebCrypto (receiveAll), not by the managed verifier.
        Assert.True((await CallAsync(bo, "n => n.signatureFigures()", "")).GetProperty("webCrypto").GetInt32() >= 2);

        // Eve received every frame, holds Ada's entry, and cannot read it.
        Assert.Empty((await CallAsync(eve, "(n, peer) => n.conversation(peer)", adaId)).EnumerateArray());
        Assert.DoesNotContain("school", (await CallAsync(eve, "n => n.state()", "")).GetRawText(), StringComparison.Ordinal);

        await CallAsync(bo, "(n, peer) => n.markRead(peer)", adaId);
        await CarryAsync(bo, ada, eve);
        Assert.Equal("read", (await CallAsync(ada, "(n, peer) => n.conversation(peer)", boId))[0].GetProperty("state").GetString());
        Assert.Equal(0, (await CallAsync(bo, "n => n.state()", "")).GetProperty("conversations")[0].GetProperty("unread").GetInt32());

        // Reopen both from what takeNewEntries handed out (as the app persists it): same conversation, same states.
        foreach ((IPage page, string name, string peer, string expectState) in new[] { (ada, "Ada", boId, "read"), (bo, "Bo", adaId, "") })
        {
            JsonElement before = await CallAsync(page, "n => n.state()", "");
            JsonElement reopened = await page.EvaluateAsync<JsonElement>(
                @"async ([name, peer]) => {
                    const n = await window.meshnode;
                    const blobs = window.saved.concat([n.takeNewEntries()].filter(b => b));
                    const all = new Uint8Array(blobs.reduce((s, b) => s + b.length, 0));
                    let at = 0; for (const b of blobs) { all.set(b, at); at += b.length; }
                    const contacts = n.state().contacts.length ? [window.peerCard] : [];
                    n.open({ backupCode: window.backupCode, name, restoring: false, entries: all, contacts, channels: [] });
                    return { state: n.state(), conversation: n.conversation(peer) };
                }",
                new[] { name, peer });
            JsonElement after = reopened.GetProperty("state");
            Assert.Equal(before.GetProperty("id").GetString(), after.GetProperty("id").GetString());
            Assert.Equal(before.GetProperty("nextSequence").GetUInt32(), after.GetProperty("nextSequence").GetUInt32());
            Assert.Equal(Conversations(before), Conversations(after));
            Assert.Contains(Conversations(after), c => c.Contains("The well at the school works again", StringComparison.Ordinal));
            JsonElement message = Assert.Single(reopened.GetProperty("conversation").EnumerateArray());
            Assert.Equal("The well at the school works again", message.GetProperty("text").GetString());
            Assert.Equal(seq, message.GetProperty("seq").GetInt32());
            if (expectState.Length > 0)
            {
                Assert.Equal(expectState, message.GetProperty("state").GetString());
            }
        }
    }

    [Fact]
    public async Task The_gateway_serves_the_runtime_brotli_compressed_as_application_wasm()
    {
        using var http = new HttpClient(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None }) { BaseAddress = new Uri(web.BaseUrl) };
        string boot = await http.GetStringAsync("/_framework/dotnet.js");
        string wasm = Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "webapp", "_framework"), "dotnet.native.*.wasm").Select(Path.GetFileName).Single()!;

        using var request = new HttpRequestMessage(HttpMethod.Get, "/_framework/" + wasm);
        request.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip, deflate, br");
        using HttpResponseMessage brotli = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, brotli.StatusCode);
        Assert.Equal("br", Assert.Single(brotli.Content.Headers.ContentEncoding));
        Assert.Equal("application/wasm", brotli.Content.Headers.ContentType!.MediaType);
        Assert.Contains("Accept-Encoding", brotli.Headers.Vary);
        Assert.Contains("immutable", brotli.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        byte[] body = await brotli.Content.ReadAsByteArrayAsync();
        byte[] plain = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "webapp", "_framework", wasm));
        Assert.True(body.Length < plain.Length / 2, $"{body.Length} bytes for a {plain.Length}-byte module is not compressed");
        using (var decoded = new MemoryStream())
        {
            await using (var unbrotli = new System.IO.Compression.BrotliStream(new MemoryStream(body), System.IO.Compression.CompressionMode.Decompress))
            {
                await unbrotli.CopyToAsync(decoded);
            }

            Assert.Equal(plain, decoded.ToArray());
        }

        using var gzipOnly = new HttpRequestMessage(HttpMethod.Get, "/_framework/" + wasm);
        gzipOnly.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip");
        using HttpResponseMessage gzip = await http.SendAsync(gzipOnly);
        Assert.Equal("gzip", Assert.Single(gzip.Content.Headers.ContentEncoding));

        using HttpResponseMessage identity = await http.GetAsync("/_framework/" + wasm);
        Assert.Empty(identity.Content.Headers.ContentEncoding);
        Assert.Equal(plain, await identity.Content.ReadAsByteArrayAsync());

        using HttpResponseMessage module = await http.GetAsync("/_framework/dotnet.js");
        Assert.Equal("text/javascript", module.Content.Headers.ContentType!.MediaType);
        Assert.Equal("no-cache", module.Headers.CacheControl!.ToString());
        Assert.Contains("wasm-unsafe-eval", module.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.NotEmpty(boot);
        using HttpResponseMessage traversal = await http.GetAsync("/_framework/..%2Fapp.js");
        Assert.NotEqual("text/javascript", traversal.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Signature_verification_speed_inside_chromium_is_measured_managed_and_webcrypto()
    {
        IPage page = await BootedPageAsync();
        const int count = 200;
        double ms = await page.EvaluateAsync<double>("async count => (await window.meshnode).measureManagedVerification(count)", count);
        Assert.True(ms > 0, "a verification failed or nothing was timed");
        output.WriteLine($"managed Ed25519 in WebAssembly (chromium): {count} verifications in {ms:0} ms, {ms / count:0.00} ms each");

        const int batch = 1000;
        JsonElement web = await page.EvaluateAsync<JsonElement>(
            @"async count => {
                const { verifyEd25519 } = await import('/meshnode.js');
                const keys = await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify']);
                const pk = new Uint8Array(await crypto.subtle.exportKey('raw', keys.publicKey));
                const items = [];
                for (let i = 0; i < count; i++) {
                  const hash = crypto.getRandomValues(new Uint8Array(32));
                  items.push([hash, new Uint8Array(await crypto.subtle.sign({ name: 'Ed25519' }, keys.privateKey, hash))]);
                }
                const start = performance.now();
                const results = await Promise.all(items.map(([h, s]) => verifyEd25519(pk, h, s)));
                return { ms: performance.now() - start, valid: results.filter(r => r).length };
            }",
            batch);
        Assert.Equal(batch, web.GetProperty("valid").GetInt32());
        double webMs = web.GetProperty("ms").GetDouble();
        output.WriteLine($"WebCrypto Ed25519 (chromium), one batch: {batch} verifications in {webMs:0} ms, {webMs / batch:0.000} ms each");
    }

    [Fact]
    public async Task The_negative_vectors_are_refused_inside_chromium_each_with_its_stated_error()
    {
        string text = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "vectors", "protocol", "negative-v1.txt"));
        int cases = NegativeSections(text).Count;
        Assert.True(cases >= 80, $"only {cases} cases");

        IPage page = await BootedPageAsync();
        JsonElement report = await page.EvaluateAsync<JsonElement>("async text => (await window.meshnode).runNegativeVectors(text)", text);
        string[] failures = [.. report.GetProperty("failures").EnumerateArray().Select(f => f.GetString()!)];
        Assert.True(failures.Length == 0, string.Join("\n", failures));
        Assert.Equal(cases, report.GetProperty("passed").GetInt32());

        // A wrong expectation fails its case: the runner compares the error, it does not only see a refusal.
        string tampered = text.Replace("[frame: version 2]\ndecoder_text = frame_lora\ninput = 41000001aa\nerror_text = UnsupportedVersion", "[frame: version 2]\ndecoder_text = frame_lora\ninput = 41000001aa\nerror_text = UnknownType", StringComparison.Ordinal);
        Assert.NotEqual(text, tampered);
        JsonElement bad = await page.EvaluateAsync<JsonElement>("async text => (await window.meshnode).runNegativeVectors(text)", tampered);
        Assert.Equal(1, bad.GetProperty("failed").GetInt32());
        Assert.StartsWith("[frame: version 2] expected UnknownType, got UnsupportedVersion", bad.GetProperty("failures")[0].GetString());
    }

    [Fact]
    public async Task Entries_signed_outside_the_strict_rules_are_refused_inside_chromium_though_WebCrypto_accepts_three_of_them()
    {
        List<Dictionary<string, string>> sections = NegativeSections(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "vectors", "protocol", "negative-v1.txt")));
        string[][] signatures = [.. sections.Where(s => s["decoder_text"] == "signature").Select(s => new[] { s["public"], s["message"], s["signature"] })];
        List<Dictionary<string, string>> entries = [.. sections.Where(s => s["decoder_text"] == "chain" && s["verdict_text"] == "BadSignature")];
        Assert.Equal(5, signatures.Length);
        Assert.Equal(5, entries.Count);

        // chromium's WebCrypto (BoringSSL) enforces S < L and compares R's bytes, but takes small-order R, small-order A
        // and a non-canonical A (docs/protocol.md §3.3, rules 2-4): the last three of the file's order.
        IPage page = await BootedPageAsync();
        bool[] webCrypto = await page.EvaluateAsync<bool[]>(
            @"async cases => {
                const { verifyEd25519 } = await import('/meshnode.js');
                const bytes = hex => new Uint8Array((hex.match(/../g) ?? []).map(b => parseInt(b, 16)));
                return Promise.all(cases.map(([pk, msg, sig]) => verifyEd25519(bytes(pk), bytes(msg), bytes(sig))));
            }",
            signatures);
        Assert.Equal([false, false, true, true, true], webCrypto);

        // The node takes them through receiveAll, WebCrypto first, and refuses every one as BadSignature (8); the held
        // genesis before some of them is accepted (0).
        await OpenNewAsync(page, "Vera");
        foreach (Dictionary<string, string> entry in entries)
        {
            string[] frames = [.. new[] { entry.GetValueOrDefault("held"), entry["input"] }.OfType<string>().Select(hex => "21000077" + hex)];
            int[] codes = await page.EvaluateAsync<int[]>(
                @"async frames => {
                    const n = await window.meshnode;
                    const bytes = hex => new Uint8Array((hex.match(/../g) ?? []).map(b => parseInt(b, 16)));
                    return n.receiveAll(frames.map(bytes));
                }",
                frames);
            Assert.Equal([.. Enumerable.Repeat(0, frames.Length - 1), (int)Protocol.ProtocolError.BadSignature], codes);
        }
    }

    [Fact]
    public async Task WebCrypto_ed25519_in_chromium_agrees_with_rfc_8032_and_wycheproof()
    {
        var cases = new List<object[]>();
        string? pk = null, message = null;
        foreach (string line in (await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "vectors", "rfc", "rfc8032-ed25519.txt"))).Split('\n').Select(l => l.TrimEnd('\r')))
        {
            int eq = line.IndexOf(" =", StringComparison.Ordinal);
            if (line.StartsWith('#') || eq < 0)
            {
                continue;
            }

            string key = line[..eq], value = line[(eq + 2)..].Trim();
            if (key == "public")
            {
                pk = value;
            }
            else if (key == "message")
            {
                message = value;
            }
            else if (key == "signature")
            {
                cases.Add(["rfc8032", pk!, message!, value, "valid"]);
                char flipped = value[0] == '0' ? '1' : '0';
                cases.Add(["rfc8032 altered", pk!, message!, flipped + value[1..], "invalid"]);
            }
        }

        Assert.Equal(8, cases.Count);
        using JsonDocument wycheproof = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "vectors", "wycheproof", "ed25519_test.json")));
        foreach (JsonElement group in wycheproof.RootElement.GetProperty("testGroups").EnumerateArray())
        {
            string key = group.GetProperty("publicKey").GetProperty("pk").GetString()!;
            foreach (JsonElement t in group.GetProperty("tests").EnumerateArray())
            {
                cases.Add([$"wycheproof {t.GetProperty("tcId").GetInt32()}", key, t.GetProperty("msg").GetString()!, t.GetProperty("sig").GetString()!, t.GetProperty("result").GetString()!]);
            }
        }

        Assert.Equal(8 + wycheproof.RootElement.GetProperty("numberOfTests").GetInt32(), cases.Count);
        IPage page = await BootedPageAsync();
        bool[] results = await page.EvaluateAsync<bool[]>(
            @"async cases => {
                const { verifyEd25519 } = await import('/meshnode.js');
                const bytes = hex => new Uint8Array((hex.match(/../g) ?? []).map(b => parseInt(b, 16)));
                return Promise.all(cases.map(([, pk, msg, sig]) => verifyEd25519(bytes(pk), bytes(msg), bytes(sig))));
            }",
            cases);
        string[] wrong = [.. cases.Zip(results).Where(c => (string)c.First[4] != "acceptable" && c.Second != ((string)c.First[4] == "valid")).Select(c => $"{c.First[0]}: expected {c.First[4]}, WebCrypto said {c.Second}")];
        Assert.True(wrong.Length == 0, string.Join("\n", wrong));
        Assert.Contains(results, r => r);
        Assert.Contains(results, r => !r);
    }

    [Fact]
    public async Task Junk_frames_forged_entries_corrupt_stored_entries_and_junk_texts_throw_nothing_unexpected_and_the_node_still_works()
    {
        IPage ada = await BootedPageAsync();
        IPage bo = await BootedPageAsync();
        JsonElement adaCard = await OpenNewAsync(ada, "Ada");
        JsonElement boCard = await OpenNewAsync(bo, "Bo");
        string adaId = adaCard.GetProperty("id").GetString()!;
        string boId = boCard.GetProperty("id").GetString()!;
        await AddContactAsync(bo, adaCard.GetProperty("card").GetString()!);
        await CallAsync(bo, "(n, peer) => n.sendText(peer, 'genuine words')", adaId);
        int[][] genuine = await bo.EvaluateAsync<int[][]>("async () => (await window.meshnode).takeOutbound().map(f => Array.from(f))");

        JsonElement report = await ada.EvaluateAsync<JsonElement>(
            @"async genuine => {
                const n = await window.meshnode;
                const thrown = [];
                const codes = { zero: 0, refused: 0 };
                let seed = 7;
                const rand = k => { seed = (seed * 1103515245 + 12345) >>> 0; return seed % k; };
                const bytes = len => { const b = new Uint8Array(len); for (let i = 0; i < len; i++) b[i] = rand(256); return b; };
                const take = (what, f) => { try { const c = n.receive(f); codes[c === 0 ? 'zero' : 'refused']++; if (typeof c !== 'number') thrown.push(what + ': not a number'); } catch (e) { thrown.push(what + ': ' + e.message); } };
                // Random frames, half with a valid version-1 header of every type; empty, a byte, oversized.
                for (let i = 0; i < 1500; i++) { const f = bytes(rand(1300)); if (i % 2 && f.length) f[0] = 0x20 | rand(32); take('random ' + i, f); }
                take('empty', new Uint8Array(0));
                take('oversized', bytes(5000));
                // Each genuine frame cut at every length, and with one byte flipped at every position.
                for (const g of genuine.map(a => new Uint8Array(a))) {
                    for (let len = 0; len < g.length; len++) take('cut ' + len, g.slice(0, len));
                    for (let at = 0; at < g.length; at++) { const f = g.slice(); f[at] ^= 1 << rand(8); take('flipped ' + at, f); }
                    take('genuine', g);
                }
                // Batches with junk in them: receiveAll resolves, one code per frame.
                try { const c = await n.receiveAll([bytes(40), bytes(1232), new Uint8Array(0)]); if (c.length !== 3) thrown.push('receiveAll count'); } catch (e) { thrown.push('receiveAll: ' + e.message); }
                // Junk texts: a plain Error each, never anything else.
                const refused = [];
                const expectError = (what, f) => { try { f(); thrown.push(what + ': accepted'); } catch (e) { if (!(e instanceof Error) || !e.message) thrown.push(what + ': odd error'); else refused.push(what); } };
                expectError('card', () => n.addContact('MM1:' + 'A'.repeat(5000)));
                expectError('card junk', () => n.addContact('\u0000\uffff<script>'));
                expectError('invite', () => n.joinChannel('MMC1:not-an-invite'));
                expectError('invite long', () => n.joinChannel('x'.repeat(200000)));
                expectError('long text', () => n.post('x'.repeat(100000)));
                expectError('bad peer', () => n.sendText('zz', 'hi'));
                expectError('bad peer 2', () => n.conversation('0000000000000001'));
                // The stored entries with bytes flipped or cut: open refuses with an Error or opens; either way no other failure.
                const saved = n.takeNewEntries();
                const blobs = window.saved.concat(saved ? [saved] : []);
                const all = new Uint8Array(blobs.reduce((s, b) => s + b.length, 0)); let at = 0; for (const b of blobs) { all.set(b, at); at += b.length; }
                const opens = { refused: 0, opened: 0 };
                for (let i = 0; i < 60; i++) {
                    const junk = i < 20 ? all.slice(0, rand(all.length)) : all.slice();
                    if (i >= 20) junk[rand(junk.length)] ^= 1 << rand(8);
                    try { n.open({ backupCode: window.backupCode, name: 'Ada', restoring: false, entries: junk, contacts: [], channels: [] }); n.state(); opens.opened++; }
                    catch (e) { if (e instanceof Error && e.message) opens.refused++; else thrown.push('open: odd error'); }
                }
                // Reopened whole, with everything received: the conversation holds the genuine message once.
                n.open({ backupCode: window.backupCode, name: 'Ada', restoring: false, entries: all, contacts: [], channels: [] });
                return { thrown, codes, refused, opens, texts: n.state().conversations.map(c => c.lastText) };
            }",
            genuine);
        output.WriteLine(report.GetRawText().Length > 2000 ? report.GetRawText()[..2000] : report.GetRawText());
        Assert.Empty(report.GetProperty("thrown").EnumerateArray());
        Assert.Equal(7, report.GetProperty("refused").GetArrayLength());
        Assert.True(report.GetProperty("codes").GetProperty("refused").GetInt32() > 1000);
        Assert.Equal(60, report.GetProperty("opens").GetProperty("refused").GetInt32() + report.GetProperty("opens").GetProperty("opened").GetInt32());
        Assert.Equal(["genuine words"], report.GetProperty("texts").EnumerateArray().Select(t => t.GetString() ?? "").ToArray());

        // Still a working node: it replies, and Bo reads the reply.
        await AddContactAsync(ada, boCard.GetProperty("card").GetString()!);
        await CallAsync(ada, "(n, peer) => n.sendText(peer, 'still here')", boId);
        await CarryAsync(ada, bo);
        Assert.Contains((await CallAsync(bo, "(n, peer) => n.conversation(peer)", adaId)).EnumerateArray(), m => m.GetProperty("text").GetString() == "still here");
    }

    private static List<string> Conversations(JsonElement state) =>
        [.. state.GetProperty("conversations").EnumerateArray().Select(c => $"{c.GetProperty("peer")} {c.GetProperty("name")} {c.GetProperty("lastText")} {c.GetProperty("lastTime")} unread {c.GetProperty("unread")}")];

    /// <summary>The sections of negative-v1.txt, each as its "key = value" lines.</summary>
    private static List<Dictionary<string, string>> NegativeSections(string text)
    {
        var sections = new List<Dictionary<string, string>>();
        foreach (string line in text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0 && !l.StartsWith('#')))
        {
            if (line.StartsWith('['))
            {
                sections.Add([]);
                continue;
            }

            int eq = line.IndexOf(" = ", StringComparison.Ordinal);
            sections[^1][line[..eq]] = line[(eq + 3)..];
        }

        return sections;
    }

    /// <summary>A page of the gateway's origin with meshnode.js booted as window.meshnode (a promise of the API).</summary>
    private async Task<IPage> BootedPageAsync()
    {
        IPage page = await web.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        await page.GotoAsync("/icon.svg");
        await page.EvaluateAsync("() => { window.meshnode = import('/meshnode.js').then(m => m.bootNode()); window.saved = []; }");
        await page.EvaluateAsync("async () => { await window.meshnode; }");
        return page;
    }

    private static async Task<JsonElement> OpenNewAsync(IPage page, string name) =>
        await page.EvaluateAsync<JsonElement>(
            @"async name => {
                const n = await window.meshnode;
                const made = n.create(name);
                window.backupCode = made.backupCode;
                const opened = n.open({ backupCode: made.backupCode, name, restoring: false, entries: null, contacts: [], channels: [] });
                if (opened.id !== made.id) throw new Error('opened another id');
                return opened;
            }",
            name);

    /// <summary>Adds a contact card, kept (as the app's keystore would) for reopening.</summary>
    private static async Task AddContactAsync(IPage page, string card)
    {
        JsonElement added = await page.EvaluateAsync<JsonElement>("async card => { const n = await window.meshnode; window.peerCard = card; return n.addContact(card); }", card);
        Assert.Equal(8, added.GetProperty("id").GetString()!.Length);
    }

    /// <summary>Calls <paramref name="body"/> (n, arg) on the page's node; keeps the entries it hands out, as the app would.</summary>
    private static async Task<JsonElement> CallAsync(IPage page, string body, string arg) =>
        await page.EvaluateAsync<JsonElement>(
            $@"async arg => {{
                const n = await window.meshnode;
                const f = {body};
                const result = f(n, arg);
                const blob = n.takeNewEntries();
                if (blob) window.saved.push(blob);
                return result ?? null;
            }}",
            arg);

    /// <summary>Takes the frames <paramref name="from"/> has to send and gives each to every page in <paramref name="to"/>; every frame is accepted.</summary>
    private static async Task CarryAsync(IPage from, params IPage[] to)
    {
        int[][] frames = await from.EvaluateAsync<int[][]>("async () => (await window.meshnode).takeOutbound().map(f => Array.from(f))");
        Assert.True(frames.Length > 0, "nothing to send");
        foreach (IPage page in to)
        {
            JsonElement codes = await page.EvaluateAsync<JsonElement>(
                @"async frames => {
                    const n = await window.meshnode;
                    if (frames.some(f => f.length > 1232)) throw new Error('frame too large');
                    const codes = await n.receiveAll(frames.map(f => new Uint8Array(f)));
                    const blob = n.takeNewEntries();
                    if (blob) window.saved.push(blob);
                    return codes;
                }",
                frames);
            Assert.All(codes.EnumerateArray(), c => Assert.Equal(0, c.GetInt32()));
        }
    }
}
