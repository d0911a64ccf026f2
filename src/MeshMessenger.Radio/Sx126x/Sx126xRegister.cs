namespace MeshMessenger.Radio.Sx126x;

/// <summary>SX126x registers the driver touches (DS_SX1261-2 §12, table 12-1).</summary>
public static class Sx126xRegister
{
    /// <summary>LoRa sync word, two bytes; reset value 0x1424 (private network).</summary>
    public const int LoRaSyncWord = 0x0740;

    /// <summary>Reset value of <see cref="LoRaSyncWord"/>: what a freshly reset SX126x must read back.</summary>
    public const int LoRaSyncWordResetValue = 0x1424;
}
