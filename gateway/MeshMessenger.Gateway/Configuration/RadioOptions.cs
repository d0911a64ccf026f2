namespace MeshMessenger.Gateway.Configuration;

/// <summary>The gateway's own LoRa radio.</summary>
public sealed class RadioOptions
{
    /// <summary>Board name from hardware/boards (empty: no radio).</summary>
    public string Board { get; set; } = "";

    /// <summary>Folder of board pin files; empty: the ones shipped with the gateway (hardware/boards).</summary>
    public string BoardsDirectory { get; set; } = "";

    /// <summary>Modem preset.</summary>
    public string Preset { get; set; } = "LongFast";

    /// <summary>
    /// Share (percent) of the region's hourly duty-cycle allowance that answers to heads and wants may take, so a
    /// restoring neighbour never starves direct-message downlink; an answer beyond it is refused and counted.
    /// </summary>
    public int SyncAirtimePercent { get; set; } = 50;

    /// <summary>
    /// Seconds between the radio's archive pulls (docs/protocol.md §8.5): each asks the neighbour that carried an
    /// author's entries for one range the store lacks, paid from <see cref="SyncAirtimePercent"/>. 0 turns pulling off.
    /// </summary>
    public int ArchivePullSeconds { get; set; } = 15;

    /// <summary>Transmit power; capped by the region and the module.</summary>
    public int TxPowerDbm { get; set; } = 20;
}
