using System.Globalization;

namespace MeshMessenger.Gateway.Mqtt;

/// <summary>
/// MQTT topics: <c>{root}/{region}/e/{author}</c> carries one signed entry per message (the author's node id
/// as 8 hex digits, which every relay already sees in the clear). Meshtastic's <c>msh/REGION/2/e/CHANNEL/!id</c>
/// names the channel and the gateway; this layout names neither, so a subscriber cannot tell which channel
/// a sealed entry belongs to or which gateway heard it (docs/gateway.md).
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
}
