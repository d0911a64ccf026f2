using System.Globalization;

namespace MeshMessenger.Gateway.Mqtt;

/// <summary>
/// MQTT topics: <c>{root}/{region}/e/{author}</c> carries one signed entry per message (the author's node id
/// as 8 hex digits, which every relay already sees in the clear). Meshtastic's <c>msh/REGION/2/e/CHANNEL/!id</c>
/// names the channel and the gateway; this layout names neither, so a subscriber cannot tell which channel
/// a sealed entry belongs to or which gateway heard it (docs/gateway.md). Sync between gateways (docs/protocol.md §8)
/// uses <c>{root}/{region}/h/{gateway}</c> for a gateway's heads and <c>{root}/{region}/w/{asked}/{asker}</c> for a
/// want addressed to one gateway; the answers are entries on the entry topics.
/// </summary>
public sealed class TopicLayout(string root, string region)
{
    /// <summary>Topic for an author's entries.</summary>
    public string EntryTopic(uint author) => $"{root}/{region}/e/{author.ToString("x8", CultureInfo.InvariantCulture)}";

    /// <summary>Filter for every entry in the region.</summary>
    public string EntryFilter => $"{root}/{region}/e/+";

    /// <summary>The author a topic names, or null if it is not an entry topic of this region.</summary>
    public uint? AuthorOf(string topic)
    {
        string prefix = $"{root}/{region}/e/";
        return topic.StartsWith(prefix, StringComparison.Ordinal)
            && uint.TryParse(topic.AsSpan(prefix.Length), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out uint author)
            && topic.Length == prefix.Length + 8
            ? author
            : null;
    }

    /// <summary>Topic a gateway publishes its heads on.</summary>
    public string HeadsTopic(uint gateway) => $"{root}/{region}/h/{Hex(gateway)}";

    /// <summary>Filter for every gateway's heads in the region.</summary>
    public string HeadsFilter => $"{root}/{region}/h/+";

    /// <summary>Topic for a want from <paramref name="asker"/> to <paramref name="asked"/>.</summary>
    public string WantTopic(uint asked, uint asker) => $"{root}/{region}/w/{Hex(asked)}/{Hex(asker)}";

    /// <summary>Filter for the wants addressed to <paramref name="asked"/>.</summary>
    public string WantFilter(uint asked) => $"{root}/{region}/w/{Hex(asked)}/+";

    /// <summary>The gateway a heads topic names, or null if it is not a heads topic of this region.</summary>
    public uint? HeadsOf(string topic) => IdAfter(topic, $"{root}/{region}/h/");

    /// <summary>The asker a want topic addressed to <paramref name="asked"/> names, or null if it is none.</summary>
    public uint? AskerOf(string topic, uint asked) => IdAfter(topic, $"{root}/{region}/w/{Hex(asked)}/");

    private static string Hex(uint id) => id.ToString("x8", CultureInfo.InvariantCulture);

    private static uint? IdAfter(string topic, string prefix) =>
        topic.StartsWith(prefix, StringComparison.Ordinal)
            && topic.Length == prefix.Length + 8
            && uint.TryParse(topic.AsSpan(prefix.Length), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out uint id)
            ? id
            : null;
}
