using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MeshMessenger.Gateway.Configuration;
using Microsoft.Extensions.Options;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace MeshMessenger.Gateway.Mqtt;

/// <summary>
/// The default broker: MQTTnet's server inside the gateway, so a single gateway needs no set-up. It listens on
/// Gateway:Mqtt:Bind (loopback by default). Clients that log in with the broker credential
/// (<see cref="BridgeLogin"/>) may do anything; anonymous clients may subscribe and read, but their publishes
/// (and wills) are refused, and they may not connect with a client id that a logged-in client uses, so no
/// stranger can inject entries or take over a gateway's session.
/// </summary>
public sealed class EmbeddedBroker(IOptions<GatewayOptions> options, BridgeLogin login, ILogger<EmbeddedBroker> log) : IHostedService, IAsyncDisposable
{
    // Client ids that logged-in clients have used since start, the bridge's own from the outset.
    private readonly ConcurrentDictionary<string, bool> _reservedClientIds = new(StringComparer.Ordinal) { [login.ClientId] = true };
    private MqttServer? _server;

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        MqttOptions mqtt = options.Value.Mqtt;
        if (mqtt.Mode != "embedded")
        {
            return;
        }

        IPAddress bind = IPAddress.Parse(mqtt.Bind);
        bool v6 = bind.AddressFamily == AddressFamily.InterNetworkV6;
        MqttServerOptions serverOptions = new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointPort(mqtt.Port)
            .WithDefaultEndpointBoundIPAddress(v6 ? IPAddress.None : bind) // None: no listener of that family
            .WithDefaultEndpointBoundIPV6Address(v6 ? bind : IPAddress.None)
            .WithPersistentSessions()
            .Build();
        _server = new MqttServerFactory().CreateMqttServer(serverOptions);
        _server.ValidatingConnectionAsync += ValidateConnectionAsync;
        _server.InterceptingPublishAsync += InterceptPublishAsync;
        await _server.StartAsync().ConfigureAwait(false);
        log.LogInformation("embedded MQTT broker listening on {Address} port {Port}; publishing needs the credential in {File}", bind, mqtt.Port, BridgeLogin.PasswordFileName);
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is not null)
        {
            await _server.StopAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _server?.Dispose();
        return ValueTask.CompletedTask;
    }

    private Task ValidateConnectionAsync(ValidatingConnectionEventArgs e)
    {
        if (e.UserName is null && e.RawPassword is null)
        {
            // Anonymous: read-only, and never under a logged-in client's id, or the broker would hand it that
            // client's session and its queued messages (MQTT 5.0 §3.1.4, "session taken over").
            if (!string.IsNullOrEmpty(e.ClientId) && _reservedClientIds.ContainsKey(e.ClientId))
            {
                e.ReasonCode = MqttConnectReasonCode.NotAuthorized;
                e.ReasonString = "this client id belongs to a logged-in client";
                log.LogWarning("embedded broker: refused an anonymous client from {Endpoint} that used a logged-in client's id", e.RemoteEndPoint);
            }

            return Task.CompletedTask;
        }

        if (!login.Accepts(e.UserName, e.RawPassword))
        {
            e.ReasonCode = MqttConnectReasonCode.BadUserNameOrPassword;
            log.LogWarning("embedded broker: refused a client from {Endpoint} with a wrong user name or password", e.RemoteEndPoint);
            return Task.CompletedTask;
        }

        if (!string.IsNullOrEmpty(e.ClientId))
        {
            _reservedClientIds[e.ClientId] = true;
        }

        return Task.CompletedTask;
    }

    private Task InterceptPublishAsync(InterceptingPublishEventArgs e)
    {
        // Only logged-in clients reach this broker with a user name (others are refused at connect).
        if (e.UserName != login.UserName)
        {
            e.ProcessPublish = false;
            e.Response.ReasonCode = MqttPubAckReasonCode.NotAuthorized;
            e.Response.ReasonString = "publishing needs the broker credential";

            // QoS 0 has no PUBACK to carry the refusal (MQTT 5.0 §4.3.1), so the connection is closed instead.
            e.CloseConnection = e.ApplicationMessage.QualityOfServiceLevel == MqttQualityOfServiceLevel.AtMostOnce;
        }

        return Task.CompletedTask;
    }
}
