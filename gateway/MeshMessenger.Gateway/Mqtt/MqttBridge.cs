using MeshMessenger.Gateway.Configuration;
using MeshMessenger.Gateway.Ingest;
using MeshMessenger.Gateway.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Protocol;

namespace MeshMessenger.Gateway.Mqtt;

/// <summary>
/// Connects the gateway to a broker: publishes the persistent outbox (rows are deleted only after the
/// broker's PUBACK, so a broker restart loses nothing) and ingests what other gateways publish. The
/// session is persistent (clean start off, QoS 1) and the subscription uses MQTT 5's No Local, so the
/// broker keeps messages for the gateway while it is away and does not echo its own. An entry heard by
/// two gateways is stored once by each: the second copy is a duplicate to the chain store. When the broker
/// hands the session to another client with the same id (MQTT 5 reason 0x8E, session taken over), the bridge
/// counts it, reports it on /health for <see cref="TakeoverWindow"/>, and reconnects after a back-off. Gateways
/// also sync with each other through it (<see cref="MqttSync"/>): heads published every
/// <see cref="MqttOptions.SyncIntervalSeconds"/>, wants addressed to one gateway, answers as entries.
/// </summary>
public sealed class MqttBridge(IOptions<GatewayOptions> options, BridgeLogin login, GatewayDatabase database, FrameIngest ingest, MqttSync sync, GatewayCounters counters, ILogger<MqttBridge> log) : BackgroundService
{
    /// <summary>How long after the last session takeover /health reports it.</summary>
    public static readonly TimeSpan TakeoverWindow = TimeSpan.FromMinutes(10);

    private readonly TopicLayout _topics = new(options.Value.Mqtt.TopicRoot, options.Value.Region);
    private readonly Lock _takeoverLock = new();
    private readonly List<DateTimeOffset> _recentTakeovers = [];
    private const long NoSilentDrop = -1;
    private IMqttClient? _client;
    private IMqttClient? _watch;
    private long _watchGeneration;
    private long _silentDropWatchGeneration = NoSilentDrop;
    private volatile bool _subscribed;
    private volatile bool _takenOver;
    private volatile bool _closing;
    private DateTimeOffset _watchRetryAt;
    private DateTimeOffset _nextHeadsAt;

    // Sync work (a store query, a publish) runs one message at a time, off the receive loop.
    private readonly SemaphoreSlim _syncGate = new(1);

    // Sync messages waiting for the gate at most: a publisher flooding heads or wants is counted and dropped, not queued without end.
    private const int MaxPendingSync = 64;
    private int _pendingSync;

    /// <summary>"connected", "connecting" or "off", for the health endpoint.</summary>
    public string State { get; private set; } = "off";

    /// <summary>Session takeovers since start.</summary>
    public long Takeovers { get; private set; }

    /// <summary>
    /// What is wrong with the bridge, for /health: the broker unreachable, or the session taken over by another
    /// client within <see cref="TakeoverWindow"/>. Empty when all is well.
    /// </summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        string state = State;
        if (state is not ("connected" or "off"))
        {
            problems.Add($"mqtt: {state} to the broker");
        }

        if (RecentTakeover() is { } takeover)
        {
            problems.Add($"mqtt: {takeover}; another client connected with this gateway's client id");
        }

        return problems;
    }

    /// <summary>The state with any recent session takeover named, for /health.</summary>
    public string StateText() => RecentTakeover() is { } takeover ? $"{State}; {takeover}" : State;

    private string? RecentTakeover()
    {
        lock (_takeoverLock)
        {
            DateTimeOffset now = TimeProvider.System.GetUtcNow();
            _recentTakeovers.RemoveAll(t => now - t > TakeoverWindow);
            return _recentTakeovers.Count == 0
                ? null
                : $"session taken over {_recentTakeovers.Count} time{(_recentTakeovers.Count == 1 ? "" : "s")} in the last {TakeoverWindow.TotalMinutes:0} minutes, last at {_recentTakeovers[^1]:yyyy-MM-ddTHH:mm:ssZ}";
        }
    }

    /// <summary>Counts a takeover and returns how long to wait before taking the session back.</summary>
    private TimeSpan NoteTakeover()
    {
        int recent;
        lock (_takeoverLock)
        {
            DateTimeOffset now = TimeProvider.System.GetUtcNow();
            _recentTakeovers.RemoveAll(t => now - t > TakeoverWindow);
            _recentTakeovers.Add(now);
            recent = _recentTakeovers.Count;
            Takeovers++;
        }

        // Doubling from 1 s to at most 32 s: two clients that share an id would otherwise throw each other off
        // many times a second.
        return TimeSpan.FromSeconds(1 << Math.Min(5, recent - 1));
    }

    /// <summary>Rows waiting in the outbox.</summary>
    public long OutboxDepth()
    {
        using SqliteConnection c = database.Open();
        return GatewayDatabase.Scalar(c, "SELECT COUNT(*) FROM outbox");
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        MqttOptions mqtt = options.Value.Mqtt;
        if (mqtt.Mode == "off")
        {
            return;
        }

        _client = new MqttClientFactory().CreateMqttClient();
        _watch = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
        _client.DisconnectedAsync += e =>
        {
            _subscribed = false; // a new connection may start without the old session: subscribe again
            if (e.Reason == MqttClientDisconnectReason.SessionTakenOver)
            {
                _takenOver = true;
            }
            else if (e.ClientWasConnected && !_closing)
            {
                // No DISCONNECT packet reached us (reason 0): remember which watch connection was up, to ask it below.
                _silentDropWatchGeneration = Volatile.Read(ref _watchGeneration);
                log.LogInformation("MQTT disconnected: {Reason} {Text}", e.Reason, e.ReasonString ?? e.Exception?.Message);
            }

            return Task.CompletedTask;
        };
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (Interlocked.Exchange(ref _silentDropWatchGeneration, NoSilentDrop) is var generation and not NoSilentDrop
                    && await WatchSurvivedAsync(generation, stoppingToken).ConfigureAwait(false))
                {
                    // Mosquitto before 2.0.15 closes a taken-over connection without a DISCONNECT reason; that the
                    // broker closed this connection while the older watch connection still answers a PINGREQ shows
                    // it was not a restart or a network fault but a client with the same id.
                    _takenOver = true;
                }

                if (_takenOver)
                {
                    _takenOver = false;
                    TimeSpan wait = NoteTakeover();
                    counters.Add("mqtt_session_takeovers");
                    log.LogWarning("MQTT: the broker handed this gateway's session to another client with the same client id (session taken over: MQTT 5 reason 0x8E, or a close without a reason while the watch connection stayed up); reconnecting in {Seconds} s", wait.TotalSeconds);
                    if (!_client.IsConnected)
                    {
                        State = "connecting";
                        await Task.Delay(wait, stoppingToken).ConfigureAwait(false);
                    }
                }

                if (!_client.IsConnected)
                {
                    State = "connecting";
                    await ConnectAsync(_client, login.ClientId, persistent: true, mqtt, stoppingToken).ConfigureAwait(false);
                    State = "connected";
                    counters.Add("mqtt_connects");
                    log.LogInformation("MQTT connected to {Host}:{Port}", BrokerHost(mqtt), mqtt.Port);
                }

                if (!_watch.IsConnected && TimeProvider.System.GetUtcNow() >= _watchRetryAt)
                {
                    await ConnectWatchAsync(mqtt, stoppingToken).ConfigureAwait(false);
                }

                if ((mqtt.Downlink || Syncs(mqtt)) && !_subscribed)
                {
                    await SubscribeAsync(mqtt, stoppingToken).ConfigureAwait(false);
                    _nextHeadsAt = default; // heads at once on every (re)connection
                }

                if (Syncs(mqtt) && mqtt.Uplink && TimeProvider.System.GetUtcNow() >= _nextHeadsAt)
                {
                    _nextHeadsAt = TimeProvider.System.GetUtcNow().AddSeconds(mqtt.SyncIntervalSeconds);
                    await PublishHeadsAsync(stoppingToken).ConfigureAwait(false);
                }

                if (!await PublishOutboxAsync(stoppingToken).ConfigureAwait(false))
                {
                    await Task.Delay(100, stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or InvalidOperationException or MQTTnet.Adapter.MqttConnectingFailedException or TimeoutException)
            {
                State = _client.IsConnected ? State : "connecting";
                counters.Add("mqtt_errors");
                log.LogWarning("MQTT: {Message}; retrying in 1 s", e.Message);
                await Task.Delay(1000, stoppingToken).ConfigureAwait(false);
            }
        }

        State = "off";
        _closing = true;
        foreach (IMqttClient client in new[] { _client, _watch })
        {
            if (client.IsConnected)
            {
                await client.DisconnectAsync(cancellationToken: CancellationToken.None).ConfigureAwait(false);
            }

            client.Dispose();
        }
    }

    /// <summary>Connects the watch connection; a failure only postpones the next try, it never holds up the bridge.</summary>
    private async Task ConnectWatchAsync(MqttOptions mqtt, CancellationToken ct)
    {
        try
        {
            await ConnectAsync(_watch!, login.ClientId + "-w", persistent: false, mqtt, ct).ConfigureAwait(false);
            Interlocked.Increment(ref _watchGeneration);
        }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or InvalidOperationException or TimeoutException)
        {
            _watchRetryAt = TimeProvider.System.GetUtcNow().AddSeconds(30);
            log.LogInformation("MQTT watch connection: {Message}; a session takeover without a reason code will go unnoticed until it connects", e.Message);
        }
    }

    /// <summary>True when the watch connection that was up at a silent drop is still the same one and answers a ping.</summary>
    private async Task<bool> WatchSurvivedAsync(long generation, CancellationToken ct)
    {
        if (generation != Volatile.Read(ref _watchGeneration) || _watch is not { IsConnected: true })
        {
            return false;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(3));
        try
        {
            await _watch.PingAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException or InvalidOperationException)
        {
            return false;
        }

        return generation == Volatile.Read(ref _watchGeneration);
    }

    /// <summary>The embedded broker is reached on loopback when it listens on every address, else on the address it is bound to.</summary>
    private static string BrokerHost(MqttOptions mqtt) => mqtt.Mode != "embedded"
        ? mqtt.Host
        : System.Net.IPAddress.Parse(mqtt.Bind) switch
        {
            var any when any.Equals(System.Net.IPAddress.Any) => "127.0.0.1",
            var any when any.Equals(System.Net.IPAddress.IPv6Any) => "::1",
            var bound => bound.ToString(),
        };

    /// <summary>
    /// Connects the bridge (persistent session) or its watch connection (clean start, no subscriptions, only
    /// there to tell a takeover from a broker restart when the broker gives no reason).
    /// </summary>
    private async Task ConnectAsync(IMqttClient client, string clientId, bool persistent, MqttOptions mqtt, CancellationToken ct)
    {
        MqttClientOptionsBuilder builder = new MqttClientOptionsBuilder()
            .WithTcpServer(BrokerHost(mqtt), mqtt.Port)
            .WithClientId(clientId)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .WithCleanStart(!persistent)
            .WithSessionExpiryInterval(persistent ? 7u * 24 * 3600 : 0)
            .WithTimeout(TimeSpan.FromSeconds(5));
        if (login.UserName is not null)
        {
            builder = builder.WithCredentials(login.UserName, login.Password);
        }

        if (mqtt.UseTls)
        {
            builder = builder.WithTlsOptions(o => o.UseTls());
        }

        if (persistent)
        {
            _subscribed = false;
        }

        MqttClientConnectResult result = await client.ConnectAsync(builder.Build(), ct).ConfigureAwait(false);
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            throw new MQTTnet.Adapter.MqttConnectingFailedException($"the broker refused the connection: {result.ResultCode} {result.ReasonString}".TrimEnd(), null!);
        }
    }

    private static bool Syncs(MqttOptions mqtt) => mqtt.SyncIntervalSeconds > 0;

    private async Task SubscribeAsync(MqttOptions mqtt, CancellationToken ct)
    {
        // Entries and other gateways' heads come with downlink (this gateway takes what others hold); wants addressed
        // to it with uplink (it gives what it holds).
        var filters = new List<string>();
        if (mqtt.Downlink)
        {
            filters.Add(_topics.EntryFilter);
        }

        if (Syncs(mqtt) && mqtt.Downlink)
        {
            filters.Add(_topics.HeadsFilter);
        }

        if (Syncs(mqtt) && mqtt.Uplink)
        {
            filters.Add(sync.WantFilter);
        }

        MqttClientSubscribeOptionsBuilder builder = new();
        foreach (string filter in filters)
        {
            builder = builder.WithTopicFilter(f => f.WithTopic(filter).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).WithNoLocal(true));
        }

        MqttClientSubscribeResult result = await _client!.SubscribeAsync(builder.Build(), ct).ConfigureAwait(false);
        _subscribed = result.Items.All(i => (int)i.ResultCode <= 2); // granted QoS 0, 1 or 2
        if (!_subscribed)
        {
            throw new InvalidOperationException($"the broker refused the subscription to {string.Join(", ", filters)}: {string.Join(", ", result.Items.Select(i => i.ResultCode))}");
        }
    }

    /// <summary>
    /// Publishes the next heads, retained, so a gateway that subscribes later sees them at once (MQTT 5.0 §3.3.1.3);
    /// QoS 0, as the next ones follow within the interval.
    /// </summary>
    private async Task PublishHeadsAsync(CancellationToken ct)
    {
        if (sync.NextHeads() is not { } heads)
        {
            return;
        }

        MqttApplicationMessage message = new MqttApplicationMessageBuilder()
            .WithTopic(sync.HeadsTopic)
            .WithPayload(heads)
            .WithRetainFlag(true)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtMostOnce)
            .Build();
        await _client!.PublishAsync(message, ct).ConfigureAwait(false);
        counters.Add("mqtt_sync_heads_sent");
    }

    /// <summary>Answers a heads message with a want, or a want with entries; never throws, as it runs unobserved.</summary>
    private async Task SyncAsync(string topic, byte[] payload, bool isWant)
    {
        await _syncGate.WaitAsync().ConfigureAwait(false);
        try
        {
            var messages = new List<MqttApplicationMessage>();
            if (isWant)
            {
                foreach ((uint author, byte[] entry) in sync.Answer(topic, payload))
                {
                    messages.Add(new MqttApplicationMessageBuilder().WithTopic(_topics.EntryTopic(author)).WithPayload(entry).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
                }
            }
            else if (sync.WantFor(topic, payload) is { } want)
            {
                messages.Add(new MqttApplicationMessageBuilder().WithTopic(want.Topic).WithPayload(want.Frame).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
            }

            foreach (MqttApplicationMessage message in messages)
            {
                if (_client is not { IsConnected: true } || !(await _client.PublishAsync(message, CancellationToken.None).ConfigureAwait(false)).IsSuccess)
                {
                    counters.Add("mqtt_publish_refused");
                    break;
                }
            }

            counters.Add("frames_out_mqtt", messages.Count);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            counters.Add("mqtt_errors");
            log.LogWarning("MQTT sync: {Message}", ex.Message);
        }
        finally
        {
            _syncGate.Release();
            Interlocked.Decrement(ref _pendingSync);
        }
    }

    /// <summary>Publishes up to a batch of outbox rows; true if it sent any.</summary>
    private async Task<bool> PublishOutboxAsync(CancellationToken ct)
    {
        var rows = new List<(long Id, string Topic, byte[] Payload)>();
        using (SqliteConnection c = database.Open())
        using (SqliteCommand select = c.CreateCommand())
        {
            select.CommandText = "SELECT id, topic, payload FROM outbox ORDER BY id LIMIT 256";
            using SqliteDataReader reader = select.ExecuteReader();
            while (reader.Read())
            {
                rows.Add((reader.GetInt64(0), reader.GetString(1), (byte[])reader[2]));
            }
        }

        if (rows.Count == 0)
        {
            return false;
        }

        var sent = new List<long>();
        foreach (var (id, topic, payload) in rows)
        {
            MqttApplicationMessage message = new MqttApplicationMessageBuilder()
                .WithTopic(topic)
                .WithPayload(payload)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .Build();
            MqttClientPublishResult result = await _client!.PublishAsync(message, ct).ConfigureAwait(false);
            if (!result.IsSuccess)
            {
                counters.Add("mqtt_publish_refused");
                break;
            }

            sent.Add(id);
        }

        using (SqliteConnection c = database.Open())
        using (SqliteCommand delete = c.CreateCommand())
        {
            delete.CommandText = $"DELETE FROM outbox WHERE id IN ({string.Join(',', sent)})";
            delete.ExecuteNonQuery();
        }

        counters.Add("frames_out_mqtt", sent.Count);
        return sent.Count > 0;
    }

    private Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        string topic = e.ApplicationMessage.Topic;
        bool isHeads = _topics.HeadsOf(topic) is not null;
        if (isHeads || topic.StartsWith(sync.WantFilter[..^1], StringComparison.Ordinal))
        {
            byte[] message = System.Buffers.BuffersExtensions.ToArray(e.ApplicationMessage.Payload);
            if (message.Length > Protocol.Frames.FrameLimits.Ip)
            {
                counters.Add("dropped_mqtt_sync");
                return Task.CompletedTask;
            }

            if (Interlocked.Increment(ref _pendingSync) > MaxPendingSync)
            {
                Interlocked.Decrement(ref _pendingSync);
                counters.Add("dropped_mqtt_sync_busy");
                return Task.CompletedTask;
            }

            _ = SyncAsync(topic, message, isWant: !isHeads);
            return Task.CompletedTask;
        }

        uint? author = _topics.AuthorOf(e.ApplicationMessage.Topic);
        byte[] payload = System.Buffers.BuffersExtensions.ToArray(e.ApplicationMessage.Payload);
        if (author is null || payload.Length is 0 or > Protocol.Chain.EntryCodec.MaxEncodedSize)
        {
            counters.Add("dropped_mqtt_foreign");
            return Task.CompletedTask;
        }

        // The PUBACK goes only after the entry is committed (or refused), so the broker redelivers whatever a
        // crash lost; the receive loop is not held up meanwhile.
        e.AutoAcknowledge = false;
        _ = AcknowledgeAfterCommitAsync(e, payload);
        return Task.CompletedTask;
    }

    private async Task AcknowledgeAfterCommitAsync(MqttApplicationMessageReceivedEventArgs e, byte[] payload)
    {
        try
        {
            await ingest.IngestEntryAsync(payload, IngestSource.Mqtt, e.ClientId).ConfigureAwait(false);
            await e.AcknowledgeAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            counters.Add("mqtt_ack_errors");
            log.LogWarning("MQTT: could not acknowledge a message: {Message}", ex.Message);
        }
    }
}
