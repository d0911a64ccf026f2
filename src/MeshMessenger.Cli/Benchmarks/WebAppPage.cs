using MeshMessenger.Protocol;
using MeshMessenger.Protocol.Identity;
using Microsoft.Playwright;

namespace MeshMessenger.Cli.Benchmarks;

/// <summary>
/// The web app in a browser page, driven through its UI by the stable hooks app.js documents (ids, data-ready,
/// data-mode, data-link, li.bubble, .state[data-state]): what a person sees and clicks.
/// </summary>
public sealed class WebAppPage
{
    // Before any page script: records performance.now() (milliseconds since navigation start) when the app marks
    // itself ready, so the time to an interactive page is measured in the page, not through the driver.
    private const string ReadyProbe =
        """
        (() => {
          const mark = () => {
            if (window.__mmReadyAt === undefined && document.body && document.body.dataset.ready === 'true') {
              window.__mmReadyAt = performance.now();
            }
          };
          new MutationObserver(mark).observe(document, { subtree: true, attributes: true, childList: true });
        })();
        """;

    private const string SentStates = ".state[data-state=sent], .state[data-state=relayed], .state[data-state=delivered], .state[data-state=read]";

    private WebAppPage(IPage page) => Page = page;

    /// <summary>The page.</summary>
    public IPage Page { get; }

    /// <summary>This browser's node id (8 hex digits) once created or restored.</summary>
    public string Id { get; private set; } = "";

    /// <summary>Opens the app in <paramref name="context"/> and waits until it is ready.</summary>
    public static async Task<WebAppPage> OpenAsync(IBrowserContext context, string baseUrl)
    {
        await context.AddInitScriptAsync(ReadyProbe);
        IPage page = await context.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        await page.GotoAsync(baseUrl.TrimEnd('/') + "/");
        var app = new WebAppPage(page);
        await app.WaitReadyAsync();
        return app;
    }

    /// <summary>Waits for body[data-ready=true]; returns navigation start to that moment, measured in the page.</summary>
    public async Task<double> WaitReadyAsync()
    {
        await Page.Locator("body[data-ready=true]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        return await Page.EvaluateAsync<double>("() => window.__mmReadyAt ?? performance.now()");
    }

    /// <summary>
    /// Reloads the page; returns navigation start to ready. The app reopens the node from IndexedDB: the entries were
    /// verified when they arrived and are stored sealed (AES-GCM under the device key), so their signatures are not
    /// checked again.
    /// </summary>
    public async Task<double> ReloadAsync()
    {
        await Page.ReloadAsync();
        return await WaitReadyAsync();
    }

    /// <summary>Creates an identity on the welcome screen; returns the backup code the app shows once, after confirming it was written down.</summary>
    public async Task<string> CreateAsync(string name)
    {
        await Page.Locator("#create-name").FillAsync(name);
        await Page.Locator("#create-submit").ClickAsync();
        ILocator code = Page.Locator("#backup-code");
        await Page.Locator("#backup-dialog[open]").WaitForAsync();
        await Page.WaitForFunctionAsync("() => document.querySelector('#backup-code').textContent.trim().length > 0");
        string backupCode = (await code.TextContentAsync())!.Trim();
        await Page.Locator("#backup-written").CheckAsync();
        await Page.Locator("#backup-done").ClickAsync();
        Id = IdOf(backupCode);
        await WaitLinkedAsync();
        return backupCode;
    }

    /// <summary>Restores an identity on the welcome screen from its backup code (typed), then waits until the link is up.</summary>
    public async Task RestoreAsync(string backupCode, string name)
    {
        await Page.Locator("#restore-code").FillAsync(backupCode);
        await Page.Locator("#restore-name").FillAsync(name);
        await Page.Locator("#restore-submit").ClickAsync();
        Id = IdOf(backupCode);
        await WaitLinkedAsync();
    }

    /// <summary>Waits until this browser's identity is open and its link to the gateway is up.</summary>
    public Task WaitLinkedAsync() => Page.Locator("body[data-mode=self][data-link=up]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });

    /// <summary>This identity's contact card text, as the contacts screen shows it.</summary>
    public async Task<string> CardAsync()
    {
        await GoAsync("#/contacts");
        await Page.WaitForFunctionAsync("() => (document.querySelector('#my-card')?.textContent ?? '').includes('MM1:')");
        string text = (await Page.Locator("#my-card").TextContentAsync())!;
        return text[text.IndexOf("MM1:", StringComparison.Ordinal)..].Trim();
    }

    /// <summary>Adds a contact by pasting its card text on the contacts screen.</summary>
    public async Task AddContactAsync(string card)
    {
        await GoAsync("#/contacts");
        await Page.Locator("#card-text").FillAsync(card);
        await Page.Locator("#card-text").PressAsync("Enter");
        await Page.GetByText("Added ", new PageGetByTextOptions { Exact = false }).First.WaitForAsync();
    }

    /// <summary>Opens the conversation with <paramref name="peer"/>.</summary>
    public Task OpenConversationAsync(string peer) => GoAsync($"#/chats/{peer}");

    /// <summary>
    /// Types <paramref name="text"/> in the open conversation and presses Enter; returns the milliseconds from the key
    /// press to the message showing Sent (stored by the gateway) or a later state, measured in the page.
    /// </summary>
    public async Task<double> SendAsync(string text)
    {
        await Page.Locator("#message").FillAsync(text);
        await Page.EvaluateAsync(
            """
            ([text, states]) => {
              window.__mmSent = new Promise(resolve => {
                let start = null;
                document.getElementById('message').addEventListener('keydown', e => { if (e.key === 'Enter' && start === null) start = performance.now(); }, { capture: true });
                const done = () => start !== null && [...document.querySelectorAll('li.bubble.mine')].some(li => li.querySelector('.text')?.textContent === text && li.querySelector(states));
                const observer = new MutationObserver(() => { if (done()) { observer.disconnect(); resolve(performance.now() - start); } });
                observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
              });
            }
            """,
            new[] { text, SentStates });
        await Page.Locator("#message").PressAsync("Enter");
        return await Page.EvaluateAsync<double>("() => window.__mmSent");
    }

    /// <summary>Waits until the conversation with <paramref name="peer"/> shows a message reading <paramref name="text"/>.</summary>
    public async Task WaitForMessageAsync(string peer, string text)
    {
        await OpenConversationAsync(peer);
        await Page.Locator("li.bubble .text", new PageLocatorOptions { HasTextString = text }).First.WaitForAsync();
    }

    /// <summary>Every message shown in the open conversation, oldest first, as "mine|theirs text".</summary>
    public async Task<List<string>> MessagesAsync() =>
        [.. await Page.Locator("li.bubble").EvaluateAllAsync<string[]>("items => items.map(li => (li.classList.contains('mine') ? 'mine ' : 'theirs ') + li.querySelector('.text').textContent)")];

    /// <summary>
    /// Opens the conversation with <paramref name="peer"/> from another screen; returns the milliseconds from the
    /// navigation to the frame after its message <paramref name="count"/> was rendered, measured in the page.
    /// </summary>
    public async Task<double> TimeOpenConversationAsync(string peer, int count)
    {
        await GoAsync("#/contacts");
        return await Page.EvaluateAsync<double>(
            """
            ([peer, count]) => new Promise(resolve => {
              const start = performance.now();
              const done = () => document.querySelectorAll('ol.messages li.bubble').length >= count;
              const finish = () => requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - start), 0));
              const observer = new MutationObserver(() => { if (done()) { observer.disconnect(); finish(); } });
              observer.observe(document.body, { subtree: true, childList: true });
              location.hash = '#/chats/' + peer;
            })
            """,
            new object[] { peer, count });
    }

    /// <summary>
    /// Types <paramref name="backupCode"/> and <paramref name="name"/> on the welcome screen, clicks Restore and opens
    /// the conversation with <paramref name="peer"/>; returns the milliseconds from the click to the moment the
    /// conversation shows <paramref name="count"/> messages and the node holds its own chain up to
    /// <paramref name="ownHead"/>, measured in the page (polled every 20 ms).
    /// </summary>
    public async Task<double> TimeRestoreAsync(string backupCode, string name, string peer, int count, int ownHead)
    {
        await Page.Locator("#restore-code").FillAsync(backupCode);
        await Page.Locator("#restore-name").FillAsync(name);
        await Page.EvaluateAsync(
            """
            () => {
              window.__mmRestoreClick = null;
              document.getElementById('restore-submit').addEventListener('click', () => { window.__mmRestoreClick ??= performance.now(); }, { capture: true });
            }
            """);
        await Page.Locator("#restore-submit").ClickAsync();
        Id = IdOf(backupCode);
        await Page.Locator("body[data-mode=self]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        await GoAsync($"#/chats/{peer}");
        return await Page.EvaluateAsync<double>(
            """
            async ([count, ownHead]) => {
              const node = await (await import('/meshnode.js')).bootNode();
              return await new Promise(resolve => {
                const timer = setInterval(() => {
                  const shown = document.querySelectorAll('ol.messages li.bubble').length;
                  const own = (node.state().nextSequence || 1) - 1;
                  if (shown >= count && own >= ownHead) { clearInterval(timer); resolve(performance.now() - window.__mmRestoreClick); }
                }, 20);
              });
            }
            """,
            new object[] { count, ownHead });
    }

    /// <summary>This page's open node: the next sequence number of its own chain minus one (its own head).</summary>
    public Task<int> OwnHeadAsync() => Page.EvaluateAsync<int>("async () => ((await (await import('/meshnode.js')).bootNode()).state().nextSequence || 1) - 1");

    /// <summary>The node's signature figures: how many signatures this page checked with WebCrypto and with managed code.</summary>
    public async Task<(int WebCrypto, int Managed)> SignatureFiguresAsync()
    {
        int[] figures = await Page.EvaluateAsync<int[]>("async () => { const f = (await (await import('/meshnode.js')).bootNode()).signatureFigures(); return [f.webCrypto, f.managed]; }");
        return (figures[0], figures[1]);
    }

    /// <summary>The node id a backup code stands for.</summary>
    public static string IdOf(string backupCode) =>
        BackupCode.TryRestore(backupCode, out NodeIdentity? identity) == ProtocolError.None
            ? identity!.Id.ToString("x8", System.Globalization.CultureInfo.InvariantCulture)
            : throw new InvalidOperationException("the app showed something that is not a backup code");

    private async Task GoAsync(string hash)
    {
        await Page.EvaluateAsync("h => { location.hash = h; }", hash);
        await Page.WaitForFunctionAsync("h => location.hash === h", hash);
    }
}
