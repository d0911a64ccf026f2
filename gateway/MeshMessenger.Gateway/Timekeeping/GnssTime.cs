using System.Globalization;
using System.Reflection;
using MeshMessenger.Gateway.Configuration;
using MeshMessenger.Gateway.Hardware.Gnss;
using Microsoft.Extensions.Options;

namespace MeshMessenger.Gateway.Timekeeping;

/// <summary>
/// Runs the GNSS receiver when Gateway:Gnss:Port is set and feeds its fixes to the <see cref="GatewayClock"/>;
/// gives /health its "time" part and its GNSS problem (port missing or not permitted, no NMEA, garbage, no fix).
/// </summary>
public sealed class GnssTime : IHostedService, IDisposable
{
    private readonly GatewayClock _clock;
    private readonly GnssOptions _options;

    /// <summary>The receiver from the options; none when no port is configured.</summary>
    public GnssTime(GatewayClock clock, IOptions<GatewayOptions> options)
        : this(clock, options.Value.Gnss)
    {
    }

    /// <summary>The receiver from <paramref name="options"/>.</summary>
    public GnssTime(GatewayClock clock, GnssOptions options)
    {
        _clock = clock;
        _options = options;
        if (options.Enabled)
        {
            Receiver = new GnssReceiver(options.Port, options.Baud, new NmeaTimeFilter(BuildDate), TimeProvider.System);
            Receiver.FixReceived += clock.Observe;
        }
    }

    /// <summary>The day this gateway was built (assembly metadata "BuildDate"): GNSS dates before it are refused.</summary>
    public static DateTimeOffset BuildDate { get; } =
        typeof(GnssTime).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "BuildDate")?.Value is { } text
        && DateTimeOffset.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset date)
            ? date
            : new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The receiver, or null when none is configured.</summary>
    public GnssReceiver? Receiver { get; }

    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        Receiver?.Start();
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        Receiver?.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Why GNSS gives no time, naming the port, or why its time is refused; null when neither (also when no receiver is configured).</summary>
    public string? Problem() => Receiver is null
        ? null
        : Receiver.Problem(TimeSpan.FromSeconds(_options.NoDataSeconds), TimeSpan.FromSeconds(_options.NoFixSeconds)) ?? _clock.Problem();

    /// <summary>The "time" part of /health: source, offset, fix age and, with a receiver, its port and counts.</summary>
    public object Health()
    {
        GnssReceiverState? state = Receiver?.State();
        return _clock.Health(_options.SharePosition, state is null
            ? null
            : new
            {
                port = state.Port,
                baud = state.Baud,
                error = state.Error,
                bytes = state.Bytes,
                sentences = state.Counts.ToDictionary(c => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(c.Key.ToString()), c => c.Value),
                problem = Problem(),
            });
    }

    /// <inheritdoc/>
    public void Dispose() => Receiver?.Dispose();
}
