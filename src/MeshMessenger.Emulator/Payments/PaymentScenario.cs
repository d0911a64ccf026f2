using System.Numerics;
using MeshMessenger.Emulator.Scenarios;
using MeshMessenger.Firmware.Routing;
using MeshMessenger.Protocol;
using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Frames;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Payments;
using MeshMessenger.Protocol.Wire;
using MeshMessenger.Wallet.Chains;
using MeshMessenger.Wallet.Evm;
using MeshMessenger.Wallet.Hd;
using MeshMessenger.Wallet.Mesh;
using MeshMessenger.Wallet.Relay;
using MeshMessenger.Wallet.Tips;
using MeshMessenger.Wallet.Utxo;

namespace MeshMessenger.Emulator.Payments;

/// <summary>
/// A tip over the mesh, end to end, on virtual devices (docs/emulator.md §8). Five LoRa-only devices on a line 400 m
/// apart (shadowing off, so the placement forces the topology): the payer (0), two relays (1, 2), a gateway with chain
/// access (3: runs <see cref="ChainRelay"/> against the real chain in <see cref="PaymentChains"/>; its profile lists the
/// chain in ServedChains) and the author (4, one hop past the gateway). The author posts publicly; when the post has
/// reached the payer, the payer taps "tip": its wallet (derived from its identity phrase, funded before the run) reads
/// what it needs through <see cref="MeshChainBackend"/> (EVM: fees and nonce; UTXO: unspent outputs and fee rate),
/// signs, broadcasts over the radio with <see cref="TipSender"/>, and posts the tip entry once the gateway says
/// Accepted. The author's wallet checks the tip with <see cref="TipVerifier"/> through the mesh (a Transfer read, and a
/// Status read when the chain shows no payment yet) until it is confirmed.
/// <para>
/// Time: the chain runs in real time, the mesh in simulated time. They meet like this: the gateway runs a request's
/// RPC calls at the simulated instant it opens the request (the simulated clock stands still meanwhile), polls its
/// tracked transactions every <see cref="PollSeconds"/> simulated seconds, and a block is mined (anvil: evm_mine with
/// automine off; litecoind: generatetoaddress) every <see cref="BlockSeconds"/> simulated seconds from a seeded phase.
/// </para>
/// </summary>
public sealed class PaymentScenario
{
    /// <summary>The paying device.</summary>
    public const int PayerIndex = 0;

    /// <summary>The gateway.</summary>
    public const int GatewayIndex = 3;

    /// <summary>The author of the tipped post.</summary>
    public const int AuthorIndex = 4;

    /// <summary>Distance between neighbours on the line, m (LongFast, log-distance: about 3 dB above the demodulation floor).</summary>
    public const double SpacingM = 400;

    /// <summary>The parts in the order they are listed.</summary>
    public static readonly string[] PartOrder =
    [
        "fees read: request", "fees read: answer", "balance read: request", "balance read: answer", "nonce read: request", "nonce read: answer", "utxos read: request", "utxos read: answer",
        "broadcast: request", "status Accepted", "status Included", "status Final", "status other", "tip entry",
        "tip check (transfer read): request", "tip check (transfer read): answer", "tip check (status read): request", "tip check (status read): answer", "hop acks", "sync", "other",
    ];

    private const string PostPart = "tipped post";
    private readonly PaymentChains _chains;
    private readonly Dictionary<(uint Author, uint Sequence), string> _labels = [];
    private readonly Dictionary<uint, string> _fragments = [];
    private readonly Dictionary<uint, List<(long Bytes, long AirMs)>> _early = [];
    private readonly Dictionary<string, (int Frames, int Fragments, long Bytes, long AirMs)> _parts = [];
    private readonly List<string> _requests = [];
    private readonly List<string> _payerStatuses = [];
    private readonly QueueSynchronizationContext _context = new();
    private readonly List<EmulatedChainLink> _links = [];
    private Emulation _emulation = null!;
    private long _tapMs = -1;
    private long _acceptedMs = -1;
    private long _includedMs = -1;
    private long _confirmedMs = -1;
    private bool _payerDone;
    private uint _postSequence;
    private uint _broadcastSequence;
    private byte[] _txId = [];
    private int _blocks;
    private Exception? _failure;

    /// <summary>A run of <paramref name="kind"/> with <paramref name="seed"/> against <paramref name="chains"/>.</summary>
    public PaymentScenario(PaymentChains chains, PaymentKind kind, int seed)
    {
        _chains = chains ?? throw new ArgumentNullException(nameof(chains));
        Kind = kind;
        Seed = seed;
        BlockSeconds = kind == PaymentKind.Litecoin ? 150 : 12;
    }

    /// <summary>The payment type.</summary>
    public PaymentKind Kind { get; }

    /// <summary>The seed (device identities, radio timing, block phase).</summary>
    public int Seed { get; }

    /// <summary>Simulated seconds between blocks (default: 12 on the EVM chain, as Ethereum's slot; 150 on Litecoin, its target spacing).</summary>
    public double BlockSeconds { get; set; }

    /// <summary>Simulated seconds between the gateway's polls of its tracked transactions.</summary>
    public double PollSeconds { get; set; } = 10;

    /// <summary>Simulated seconds before the author's wallet asks again about a tip still pending.</summary>
    public double RecheckSeconds { get; set; } = 60;

    /// <summary>The run ends after this many simulated minutes even if nothing is confirmed.</summary>
    public double MaxMinutes { get; set; } = 60;

    /// <summary>The routing policy.</summary>
    public string Policy { get; set; } = "learned-routes";

    /// <summary>The emulation of the last run (devices, links), or null before <see cref="Run"/>.</summary>
    public Emulation? Emulation => _emulation;

    /// <summary>The layout: five devices on a line, LongFast EU_868, shadowing off, no Wi-Fi, no background traffic.</summary>
    public static Scenario Layout(int seed) => new()
    {
        Name = "pay-tip",
        Seed = seed,
        Placement = new PlacementSpec
        {
            Kind = PlacementKind.List,
            Points = [[0, 0], [SpacingM, 0], [2 * SpacingM, 0], [3 * SpacingM, 0], [4 * SpacingM, 0]],
        },
        PathLoss = new PathLossSpec { ShadowingSigmaDb = 0 },
        Cad = new CadSpec { Model = "ideal" }, // the payment's message flow is measured, not the channel's losses
        Traffic = new TrafficSpec { DmPerNodePerHour = 0, ChannelPostsPerNodePerHour = 0 },
        Wifi = new WifiSpec { Share = 0 },
        DurationMinutes = 60,
        Policies = ["learned-routes"],
    };

    /// <summary>Hops between two devices over links that decode (RSSI at or above the sensitivity), or -1.</summary>
    public static int Hops(Emulation emulation, int from, int to)
    {
        ArgumentNullException.ThrowIfNull(emulation);
        var depth = new Dictionary<int, int> { [from] = 0 };
        var queue = new Queue<int>([from]);
        while (queue.Count > 0)
        {
            int at = queue.Dequeue();
            if (at == to)
            {
                return depth[at];
            }

            foreach ((int next, double rssi) in emulation.Medium.LinksOf(at))
            {
                if (rssi >= emulation.Budget.SensitivityDbm && depth.TryAdd(next, depth[at] + 1))
                {
                    queue.Enqueue(next);
                }
            }
        }

        return -1;
    }

    /// <summary>The wallet accounts of a device: BIP-39 seed of its identity phrase (no passphrase).</summary>
    public static HdAccounts AccountsOf(NodeIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        RecoveryPhrase phrase = RecoveryPhrase.FromIdentity(identity);
        if (WalletSeed.TryFromPhrase(phrase, string.Empty, out WalletSeed? seed) != RecoveryPhraseError.None)
        {
            throw new InvalidOperationException("an identity phrase gave no wallet seed");
        }

        return seed!.ToAccounts();
    }

    /// <summary>Runs the tip; throws if the wallet or the chain refused something (the run's figures are then meaningless).</summary>
    public PaymentRunResult Run()
    {
        Scenario scenario = Layout(Seed);
        scenario.DurationMinutes = MaxMinutes;
        _emulation = new Emulation(scenario, Policy);
        VirtualDevice payer = _emulation.Devices[PayerIndex];
        VirtualDevice gateway = _emulation.Devices[GatewayIndex];
        VirtualDevice author = _emulation.Devices[AuthorIndex];
        HdAccounts payerWallet = AccountsOf(payer.Identity);
        HdAccounts authorWallet = AccountsOf(author.Identity);
        ChainTag chain = Kind == PaymentKind.Litecoin ? PaymentChains.LitecoinRegtest : PaymentChains.Anvil;
        var recipient = new ChainAddress(chain, Kind == PaymentKind.Litecoin
            ? UtxoAddressText.Parse(authorWallet.SegwitAccount(UtxoNetwork.LitecoinRegtest, 0, 0, 0).Address, UtxoNetwork.LitecoinRegtest).Bytes
            : authorWallet.EthereumAccount(0).Address.Bytes.ToArray());
        _emulation.ProfileOf = d => Profile.Of(d.Identity, $"n{d.Index}", null,
            d.Index == AuthorIndex ? [recipient] : null,
            d.Index == GatewayIndex ? [chain] : null);
        _emulation.Transmitted = Count;

        Block(() => _chains.FundAsync(Kind, payerWallet));
        Block(() => _chains.SetAutomineAsync(false));
        var relay = new ChainRelay([_chains.BackendFor(Kind)], new MemoryRelayJournal(), null, new SimulatedTimeProvider(_emulation));
        var random = new Random(Seed);
        long blockMs = (long)(BlockSeconds * 1000);
        long duration = (long)(MaxMinutes * 60_000);

        _emulation.At(0, () =>
        {
            ServeChains(gateway, relay);
            var payerLink = Link(payer);
            var authorLink = Link(author);
            payer.App.Node.PaymentEntryReceived += (from, _, kind, body) => NotePayerStatus(kind, body);
            author.App.Node.PaymentEntryReceived += (from, sequence, kind, body) =>
            {
                if (kind == EntryKind.Tip && from == payer.Identity.Id && TipBody.TryDecode(body, out TipBody? tip) == ProtocolError.None)
                {
                    Track(CheckTipAsync(authorLink, author, tip!));
                }
            };

            _postSequence = author.App.Node.PostPublic("Sunset over the ridge, drawn on the way back.");
            _labels[(author.Identity.Id, _postSequence)] = PostPart;
            _emulation.Flush(author);
            WaitForPost(payer, author, payerLink, payerWallet, recipient);
        });

        for (long at = random.NextInt64(blockMs); at < duration; at += blockMs)
        {
            _emulation.At(at, () =>
            {
                Block(() => _chains.MineAsync(Kind));
                _blocks++;
            });
        }

        long pollMs = (long)(PollSeconds * 1000);
        for (long at = pollMs; at < duration; at += pollMs)
        {
            _emulation.At(at, () =>
            {
                foreach ((uint requester, ChainStatusBody status) in Block(() => relay.PollAsync()))
                {
                    SendStatus(gateway, requester, status, ChainRequestKind.Broadcast);
                }
            });
        }

        _emulation.AfterEvent = Settle;
        _emulation.StopWhen = () => _failure is not null || (_confirmedMs >= 0 && _payerDone);
        SynchronizationContext? previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(_context);
        try
        {
            _emulation.Run();
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
            Block(() => _chains.SetAutomineAsync(true));
        }

        if (_failure is not null)
        {
            throw new InvalidOperationException($"the {Kind} tip failed (seed {Seed}): {_failure.Message}", _failure);
        }

        foreach (List<(long Bytes, long AirMs)> unnamed in _early.Values)
        {
            foreach ((long bytes, long air) in unnamed)
            {
                Add("other", true, bytes, air);
            }
        }

        return new PaymentRunResult
        {
            Kind = Kind,
            Seed = Seed,
            PayerHopsToGateway = Hops(_emulation, PayerIndex, GatewayIndex),
            TransactionId = Convert.ToHexStringLower(_txId),
            Confirmed = _confirmedMs >= 0,
            TapToAcceptedMs = _acceptedMs < 0 ? -1 : _acceptedMs - _tapMs,
            TapToIncludedMs = _includedMs < 0 ? -1 : _includedMs - _tapMs,
            TapToConfirmedMs = _confirmedMs < 0 ? -1 : _confirmedMs - _tapMs,
            PayerStatuses = _payerStatuses,
            Requests = _requests,
            BlocksMined = _blocks,
            Parts = PartOrder.Where(_parts.ContainsKey).Select(p => new AirtimePart(p, _parts[p].Frames, _parts[p].Fragments, _parts[p].Bytes, _parts[p].AirMs)).ToList(),
        };
    }

    private static T Block<T>(Func<Task<T>> work) => Task.Run(work).GetAwaiter().GetResult();

    private static void Block(Func<Task> work) => Task.Run(work).GetAwaiter().GetResult();

    private static string ReadPart(ChainRequestKind kind) => kind switch
    {
        ChainRequestKind.Fees => "fees read",
        ChainRequestKind.Balance => "balance read",
        ChainRequestKind.Nonce => "nonce read",
        ChainRequestKind.Utxos => "utxos read",
        ChainRequestKind.Broadcast => "broadcast",
        ChainRequestKind.Transfer => "tip check (transfer read)",
        ChainRequestKind.Status => "tip check (status read)",
        _ => "other",
    };

    private EmulatedChainLink Link(VirtualDevice device)
    {
        var link = new EmulatedChainLink(_emulation, device, (sequence, body) =>
        {
            string part = ReadPart(body.Kind);
            _labels[(device.Identity.Id, sequence)] = part == "other" ? "other" : part + ": request";
            _requests.Add($"n{device.Index} {body.Kind}");
            if (body.Kind == ChainRequestKind.Broadcast)
            {
                _broadcastSequence = sequence;
            }
        });
        _links.Add(link);
        return link;
    }

    /// <summary>The gateway opens chain requests sealed to it and answers at the same simulated instant.</summary>
    private void ServeChains(VirtualDevice gateway, ChainRelay relay)
    {
        gateway.App.Node.PaymentEntryReceived += (requester, sequence, kind, body) =>
        {
            if (kind != EntryKind.ChainRequest || ChainRequestBody.TryDecode(body, out ChainRequestBody? request) != ProtocolError.None)
            {
                return;
            }

            foreach (ChainStatusBody status in Block(() => relay.HandleAsync(requester, sequence, request!)))
            {
                SendStatus(gateway, requester, status, request!.Kind);
            }
        };
    }

    private void SendStatus(VirtualDevice gateway, uint requester, ChainStatusBody status, ChainRequestKind kind)
    {
        uint sequence = gateway.App.Node.SendChainStatus(requester, status);
        _labels[(gateway.Identity.Id, sequence)] = kind == ChainRequestKind.Broadcast
            ? status.Kind is ChainStatusKind.Accepted or ChainStatusKind.Included or ChainStatusKind.Final ? "status " + status.Kind : "status other"
            : ReadPart(kind) + ": answer";
        _emulation.At(_emulation.NowMs, () => _emulation.Flush(gateway));
    }

    private void NotePayerStatus(EntryKind kind, byte[] body)
    {
        if (kind != EntryKind.ChainStatus || ChainStatusBody.TryDecode(body, out ChainStatusBody? status) != ProtocolError.None
            || _broadcastSequence == 0 || status!.RequestSequence != _broadcastSequence)
        {
            return;
        }

        _payerStatuses.Add(status.Kind.ToString());
        switch (status.Kind)
        {
            case ChainStatusKind.Accepted:
                _acceptedMs = _acceptedMs < 0 ? _emulation.NowMs : _acceptedMs;
                break;
            case ChainStatusKind.Included:
                _includedMs = _includedMs < 0 ? _emulation.NowMs : _includedMs;
                break;
            case ChainStatusKind.Final:
                _payerDone = true;
                break;
            case ChainStatusKind.Failed:
            case ChainStatusKind.Dropped:
                _failure ??= new InvalidOperationException($"the gateway reported {status.Kind}: {status.Reason}");
                break;
        }
    }

    /// <summary>The payer taps "tip" five simulated seconds after the post has reached it.</summary>
    private void WaitForPost(VirtualDevice payer, VirtualDevice author, EmulatedChainLink link, HdAccounts wallet, ChainAddress recipient)
    {
        if (payer.App.Node.Chains.HashOf(author.Identity.Id, _postSequence) is null)
        {
            _emulation.At(_emulation.NowMs + 1000, () => WaitForPost(payer, author, link, wallet, recipient));
            return;
        }

        _emulation.At(_emulation.NowMs + 5000, () =>
        {
            _tapMs = _emulation.NowMs;
            Track(PayAsync(link, payer, author.Identity.Id, wallet, recipient));
        });
    }

    /// <summary>
    /// The payer's wallet: reads through the mesh, signs, and hands the signed bytes to <see cref="TipSender"/>, which
    /// broadcasts them through the mesh and composes the tip entry once the gateway says Accepted.
    /// </summary>
    private async Task PayAsync(EmulatedChainLink link, VirtualDevice payer, uint author, HdAccounts wallet, ChainAddress recipient)
    {
        using var mesh = new MeshChainBackend(link, recipient.Chain, TimeSpan.FromHours(1));
        var sender = new TipSender(mesh);
        Profile authorProfile = payer.App.Node.Chains.ProfileOf(author) ?? throw new InvalidOperationException("the payer does not know the author's profile");
        byte[] postHash = payer.App.Node.Chains.HashOf(author, _postSequence)!;
        TipBody tip;
        if (Kind == PaymentKind.Litecoin)
        {
            SegwitAccount account = wallet.SegwitAccount(UtxoNetwork.LitecoinRegtest, 0, 0, 0);
            IReadOnlyList<UnspentOutput> unspent = await Call(link, mesh.UnspentAsync(UtxoAddressText.Parse(account.Address, UtxoNetwork.LitecoinRegtest).Bytes, CancellationToken.None));
            ChainFees fees = await Call(link, mesh.FeesAsync(CancellationToken.None));
            tip = await Call(link, sender.SendUtxoAsync(
                UtxoNetwork.LitecoinRegtest,
                unspent.Select(o => new SpendableOutput(o, account)).ToList(),
                account,
                fees.SatoshisPerVirtualByte,
                authorProfile,
                _postSequence,
                postHash,
                100_000, // 0.001 LTC
                CancellationToken.None));
        }
        else
        {
            // The one EVM builder (EvmTransfer) over the mesh: fees, balances and nonce read through the gateway, the
            // token gas limit is EvmTransfer.TokenTransferGas; TipSender broadcasts and composes the tip.
            byte[]? token = Kind == PaymentKind.Erc20 ? _chains.Token! : null;
            BigInteger amount = token is null ? BigInteger.Pow(10, 16) : BigInteger.Pow(10, 18); // 0.01 ETH; 1 token (18 decimals)
            tip = await Call(link, sender.SendEvmAsync(new EvmTransfer(mesh), wallet.EthereumAccount(0), authorProfile, _postSequence, postHash, token, amount, CancellationToken.None));
        }

        _txId = tip.TxId;
        uint sequence = payer.App.Node.PostTip(tip);
        _labels[(payer.Identity.Id, sequence)] = "tip entry";
        _emulation.Flush(payer);
    }

    /// <summary>The author's wallet checks a tip with <see cref="TipVerifier"/> through the mesh until it is confirmed; asks again while it is pending.</summary>
    private async Task CheckTipAsync(EmulatedChainLink link, VirtualDevice author, TipBody tip)
    {
        using var mesh = new MeshChainBackend(link, tip.Recipient.Chain, TimeSpan.FromHours(1));
        var verifier = new TipVerifier(mesh);
        Profile own = _emulation.ProfileOf!(author);
        byte[]? postHash = author.App.Node.Chains.HashOf(author.Identity.Id, tip.PostSequence);
        while (true)
        {
            TipVerdict verdict = await Call(link, verifier.VerifyAsync(tip, own, postHash, CancellationToken.None));
            if (verdict.IsConfirmed)
            {
                _confirmedMs = _emulation.NowMs;
                return;
            }

            if (verdict.Outcome == TipOutcome.Invalid)
            {
                throw new InvalidOperationException("the author's wallet refused the tip: " + verdict.Message);
            }

            var wait = new TaskCompletionSource();
            _emulation.At(_emulation.NowMs + (long)(RecheckSeconds * 1000), () => wait.SetResult());
            await wait.Task;
        }
    }

    /// <summary>Awaits one wallet call over <paramref name="link"/> so <see cref="Settle"/> knows it is in flight.</summary>
    private static async Task<T> Call<T>(EmulatedChainLink link, Task<T> call)
    {
        link.Current = call;
        try
        {
            return await call;
        }
        finally
        {
            link.Current = null;
        }
    }

    private void Track(Task flow) => flow.ContinueWith(t => _failure ??= t.Exception!.GetBaseException(), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    /// <summary>After each event: run the wallet continuations queued at this instant; wait for those the thread pool still runs.</summary>
    private void Settle()
    {
        while (true)
        {
            _context.Drain();
            EmulatedChainLink? link = _links.FirstOrDefault(l => l.Answered > 0);
            if (link is null || _failure is not null)
            {
                return;
            }

            if (link.Current is null)
            {
                link.Settled(); // the wallet call has already returned
                continue;
            }

            // Counted from the answer, not from now: a continuation on the thread pool may already have asked again (a
            // count taken now would then wait for a request that only the next simulated event could bring).
            long requests = link.RequestsAtAnswer;
            if (!SpinWait.SpinUntil(() => _context.HasWork || _failure is not null || link.Requests != requests, TimeSpan.FromSeconds(60)))
            {
                throw new TimeoutException("a wallet continuation did not run within 60 s of real time");
            }

            // The queue was empty before the wait: what is there now is the answered call's continuation (or the
            // wallet asked again from the thread pool, and that request is outstanding now).
            _context.Drain();
            link.Settled();
        }
    }

    private void Count(int device, byte[] frame, long airtimeMs)
    {
        string part = "other";
        bool fragment = false;
        if (PacketInfo.TryRead(frame, FrameLimits.LoRa, out PacketInfo? info) == ProtocolError.None)
        {
            switch (info!.Frame.Type)
            {
                case FrameType.Entry:
                    part = _labels.GetValueOrDefault((info.Author, info.Sequence), "other");
                    break;
                case FrameType.Fragment:
                    fragment = true;
                    if (Fragment.TryDecode(info.Frame.Payload, out Fragment? piece) != ProtocolError.None)
                    {
                        break;
                    }

                    uint id = piece!.MessageId;
                    if (piece.Index == 0)
                    {
                        // The first piece starts with the entry's clear header: kind byte, author, sequence (docs/protocol.md §3).
                        var reader = new ByteReader(piece.Data, 0, piece.Data.Length);
                        if (reader.ReadByte() >= 0 && reader.TryReadUInt32(out uint author) && reader.TryReadVarint(out uint sequence))
                        {
                            _fragments[id] = _labels.GetValueOrDefault((author, sequence), "other");
                            if (_early.Remove(id, out List<(long Bytes, long AirMs)>? early))
                            {
                                foreach ((long bytes, long air) in early)
                                {
                                    Add(_fragments[id], true, bytes, air);
                                }
                            }
                        }
                    }

                    if (!_fragments.TryGetValue(id, out string? owner))
                    {
                        // A later piece went on air before the first: counted once the first names the entry.
                        _early.TryAdd(id, []);
                        _early[id].Add((frame.Length, airtimeMs));
                        return;
                    }

                    part = owner;
                    break;
                case FrameType.Ack:
                    part = "hop acks";
                    break;
                case FrameType.Heads:
                case FrameType.Want:
                    part = "sync";
                    break;
            }
        }

        Add(part, fragment, frame.Length, airtimeMs);
    }

    private void Add(string part, bool fragment, long frameBytes, long airtimeMs)
    {
        if (part == PostPart)
        {
            return; // the tipped post is not part of the payment
        }

        (int frames, int fragments, long bytes, long air) = _parts.GetValueOrDefault(part);
        _parts[part] = (frames + 1, fragments + (fragment ? 1 : 0), bytes + frameBytes, air + airtimeMs);
    }
}
