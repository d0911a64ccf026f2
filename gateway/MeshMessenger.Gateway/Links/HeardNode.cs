using MeshMessenger.Gateway.Ingest;

namespace MeshMessenger.Gateway.Links;

/// <summary>A node as <see cref="NodeDirectory"/> last heard it.</summary>
public sealed record HeardNode(uint Id, IngestSource Link, double? RssiDbm, double? SnrDb, DateTimeOffset LastHeard, long Frames)
{
    /// <summary>
    /// The link margin in words: SNR above the demodulation floor of LongFast's SF11 (−17.5 dB, SX1276
    /// datasheet table 13, "LoRa demodulator SNR"): 10 dB or more is excellent, 5 good, 0 fair, below
    /// that poor. Wi-Fi and in-process links have no SNR and report "n/a".
    /// </summary>
    public string Quality => SnrDb switch
    {
        null => "n/a",
        >= -7.5 => "excellent",
        >= -12.5 => "good",
        >= -17.5 => "fair",
        _ => "poor",
    };
}
