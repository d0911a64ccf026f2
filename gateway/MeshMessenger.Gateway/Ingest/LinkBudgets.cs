using System.Net;
using System.Net.Sockets;

namespace MeshMessenger.Gateway.Ingest;

/// <summary>
/// What each link address may make the gateway do, charged after verification to the address that sent the
/// bytes, never to the author an entry claims: anyone can copy a genuine entry and flip a byte, so a budget keyed
/// on the claimed author lets a stranger spend a victim's share. Two buckets per address at the same rate: one
/// for new, verified entries and one for everything else (duplicates, bad signatures, malformed or unknown
/// frames), so an address that sends junk exhausts only its own junk budget. An address whose either bucket is
/// empty is refused before verification, which bounds the work a flood can cause.
/// On the radio the only address is the relay byte, which nobody signs: junk sent under a victim's byte would spend
/// the victim's junk budget, and new entries of made-up identities its entry budget. So a radio entry is charged to
/// its author, and only when it is a new entry that verified (only the author's key makes one), and radio junk is
/// not budgeted at all: the radio's airtime already bounds it to a few frames a second.
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
    /// The budget key of a frame's sender: the UDP source host or the WebSocket client's host (an IPv4 address, or the /64 prefix of an IPv6 one,
    /// which one subscriber usually holds whole, so rotating ports or addresses buys no fresh budget), or the
    /// radio's relay byte (all a radio frame says of who transmitted it; never charged, see the class summary); null for links not limited here.
    /// </summary>
    public static string? KeyOf(IngestSource source, string? origin, byte relay) => source switch
    {
        IngestSource.Udp => "udp/" + HostOf(origin),
        IngestSource.WebSocket => "ws/" + HostOf(origin),
        IngestSource.Radio => "radio/" + relay.ToString("x2", System.Globalization.CultureInfo.InvariantCulture),
        _ => null,
    };

    /// <summary>The budget key of an entry heard on the radio: its author, charged only for new entries that verified.</summary>
    public static string RadioAuthorKeyOf(uint author) => RadioAuthorPrefix + author.ToString("x8", System.Globalization.CultureInfo.InvariantCulture);

    private const string RadioPrefix = "radio/";

    private const string RadioAuthorPrefix = "radio-author/";

    // Radio junk has no budget: the relay byte it comes under is anyone's to claim (see the class remarks).
    private static bool JunkBudgeted(string key) => !key.StartsWith(RadioPrefix, StringComparison.Ordinal) && !key.StartsWith(RadioAuthorPrefix, StringComparison.Ordinal);

    /// <summary>True if <paramref name="key"/> may have one more frame processed now. Safe from any thread.</summary>
    public bool MayProcess(string? key, long nowMs)
    {
        if (key is null)
        {
            return true;
        }

        lock (_stored)
        {
            return _stored.HasToken(key, nowMs) && (!JunkBudgeted(key) || _wasted.HasToken(key, nowMs));
        }
    }

    /// <summary>Charges one processed frame to <paramref name="key"/>: to its entry budget if it stored a new entry, else to its junk budget (none on the radio).</summary>
    public void Charge(string? key, bool storedNewEntry, long nowMs)
    {
        if (key is not null && (storedNewEntry || JunkBudgeted(key)))
        {
            lock (_stored)
            {
                (storedNewEntry ? _stored : _wasted).Spend(key, nowMs);
            }
        }
    }

    /// <summary>The host part of an address "ip:port": the IPv4 address (IPv4-mapped IPv6 unmapped), or the /64 of an IPv6 address (text unchanged if it is not an address).</summary>
    public static string HostOf(string? origin)
    {
        if (!IPEndPoint.TryParse(origin ?? "", out IPEndPoint? endpoint))
        {
            return origin ?? "";
        }

        IPAddress address = endpoint.Address.IsIPv4MappedToIPv6 ? endpoint.Address.MapToIPv4() : endpoint.Address;
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            byte[] bytes = address.GetAddressBytes();
            Array.Clear(bytes, 8, 8); // the /64 (RFC 4291 §2.5.4: the interface id is the low 64 bits)
            return new IPAddress(bytes) + "/64";
        }

        return address.ToString();
    }
}
