namespace MeshMessenger.Radio.Sx126x;

/// <summary>SX126x interrupt bits (DS_SX1261-2 §13.3.1, table 13-29).</summary>
public static class Sx126xIrq
{
    /// <summary>Packet transmission completed.</summary>
    public const int TxDone = 1 << 0;

    /// <summary>Packet received.</summary>
    public const int RxDone = 1 << 1;

    /// <summary>Preamble detected.</summary>
    public const int PreambleDetected = 1 << 2;

    /// <summary>LoRa header received.</summary>
    public const int HeaderValid = 1 << 4;

    /// <summary>LoRa header CRC error.</summary>
    public const int HeaderError = 1 << 5;

    /// <summary>Payload CRC error.</summary>
    public const int CrcError = 1 << 6;

    /// <summary>Channel activity detection finished (§13.4.7).</summary>
    public const int CadDone = 1 << 7;

    /// <summary>Channel activity detection found LoRa symbols (set with <see cref="CadDone"/>).</summary>
    public const int CadDetected = 1 << 8;

    /// <summary>Rx or Tx timeout.</summary>
    public const int Timeout = 1 << 9;

    /// <summary>Every bit.</summary>
    public const int All = 0x03FF;
}
