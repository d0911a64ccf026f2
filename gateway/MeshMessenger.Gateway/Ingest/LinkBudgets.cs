namespace MeshMessenger.Gateway.Ingest;

/// <summary>
/// What each link address may make the gateway do, charged after verification to the address that sent the
/// bytes, never to the author an entry claims: anyone can copy a genuine entry and flip a byte, so a budget keyed
/// on the claimed author lets a stranger spend a victim's share. Two buckets per address at the same rate: one
/// for new, verified entries and one for everything else (duplicates, bad signatures, malformed or unknown
/// frames), so an address that sends junk exhausts only its own junk budget. An address whose either bucket is
/// empty is refused before verification, which bounds the work a flood can cause.
/// </summary>
/// <remarks>
/// Entries from MQTT (authenticated gateways, back-pressured one acknowledgement at a time) and from the nodes
/// the gateway hosts (budgeted where they write, with 429 answers) carry no link key and are not limited here.
/// </remarks>
public sealed class LinkBudgets(double perMinute, double burst)
{
    private readonly RateLimiter _stored = new(perMinute, burst);
    private readonly RateLimiter _wasted = new(perMinute, burst);

    /// <summary>
    /// The budget key of a frame's sender: the UDP source address and port, or the radio's relay byte (all a
    /// radio frame says of who transmitted it); null for links that are not limited here.
    /// </summary>
    public static string? KeyOf(IngestSource source, string? origin, byte relay) => source switch
    {
        IngestSource.Udp => "udp/" + origin,
        IngestSource.Radio => "radio/" + relay.ToString("x2", System.Globalization.CultureInfo.InvariantCulture),
        _ => null,
    };

    /// <summary>True if <paramref name="key"/> may have one more frame processed now.</summary>
    public bool MayProcess(string? key, long nowMs) => key is null || (_stored.HasToken(key, nowMs) && _wasted.HasToken(key, nowMs));

    /// <summary>Charges one processed frame to <paramref name="key"/>: to its entry budget if it stored a new entry, else to its junk budget.</summary>
    public void Charge(string? key, bool storedNewEntry, long nowMs)
    {
        if (key is not null)
        {
            (storedNewEntry ? _stored : _wasted).Spend(key, nowMs);
        }
    }
}
