using MeshMessenger.Gateway.Configuration;
using Microsoft.Extensions.Options;
using MQTTnet.Server;

namespace MeshMessenger.Gateway.Mqtt;

/// <summary>The default broker: MQTTnet's server inside the gateway, so a single gateway needs no set-up.</summary>
public sealed class EmbeddedBroker(IOptions<GatewayOptions> options, ILogger<EmbeddedBroker> log) : IHostedService, IAsyncDisposable
{
    private MqttServer? _server;

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        MqttOptions mqtt = options.Value.Mqtt;
        if (mqtt.Mode != "embedded")
        {
            return;
        }

        MqttServerOptions serverOptions = new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointPort(mqtt.Port)
            .WithPersistentSessions()
            .Build();
        _server = new MqttServerFactory().CreateMqttServer(serverOptions);
        await _server.StartAsync().ConfigureAwait(false);
        log.LogInformation("embedded MQTT broker listening on port {Port}", mqtt.Port);
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
}
