namespace MeshMessenger.Radio.Sx126x;

/// <summary>SX126x command opcodes (DS_SX1261-2 §13, "List of Commands").</summary>
public static class Sx126xOpcode
{
    /// <summary>SetSleep (§13.1.1).</summary>
    public const byte SetSleep = 0x84;

    /// <summary>SetStandby: 0 STDBY_RC, 1 STDBY_XOSC (§13.1.2).</summary>
    public const byte SetStandby = 0x80;

    /// <summary>SetTx with a 24-bit timeout in 15.625 µs steps (§13.1.4).</summary>
    public const byte SetTx = 0x83;

    /// <summary>SetRx with a 24-bit timeout; 0xFFFFFF = continuous (§13.1.5).</summary>
    public const byte SetRx = 0x82;

    /// <summary>SetCad: start channel activity detection with the SetCadParams settings (§13.1.6).</summary>
    public const byte SetCad = 0xC5;

    /// <summary>SetCadParams: symbols, detection peak and minimum, exit mode, timeout (§13.4.7).</summary>
    public const byte SetCadParams = 0x88;

    /// <summary>SetRegulatorMode: 0 LDO, 1 DC-DC (§13.1.11).</summary>
    public const byte SetRegulatorMode = 0x96;

    /// <summary>Calibrate with a block mask (§13.1.12).</summary>
    public const byte Calibrate = 0x89;

    /// <summary>CalibrateImage for a band (§13.1.13, §9.2.1).</summary>
    public const byte CalibrateImage = 0x98;

    /// <summary>SetPaConfig (§13.1.14).</summary>
    public const byte SetPaConfig = 0x95;

    /// <summary>WriteRegister (§13.2.1).</summary>
    public const byte WriteRegister = 0x0D;

    /// <summary>ReadRegister (§13.2.2).</summary>
    public const byte ReadRegister = 0x1D;

    /// <summary>WriteBuffer (§13.2.3).</summary>
    public const byte WriteBuffer = 0x0E;

    /// <summary>ReadBuffer (§13.2.4).</summary>
    public const byte ReadBuffer = 0x1E;

    /// <summary>SetDioIrqParams (§13.3.1).</summary>
    public const byte SetDioIrqParams = 0x08;

    /// <summary>GetIrqStatus (§13.3.3).</summary>
    public const byte GetIrqStatus = 0x12;

    /// <summary>ClearIrqStatus (§13.3.4).</summary>
    public const byte ClearIrqStatus = 0x02;

    /// <summary>SetDIO2AsRfSwitchCtrl (§13.3.5).</summary>
    public const byte SetDio2AsRfSwitchCtrl = 0x9D;

    /// <summary>SetDIO3AsTCXOCtrl (§13.3.6).</summary>
    public const byte SetDio3AsTcxoCtrl = 0x97;

    /// <summary>SetRfFrequency (§13.4.1).</summary>
    public const byte SetRfFrequency = 0x86;

    /// <summary>SetPacketType: 0 GFSK, 1 LoRa (§13.4.2).</summary>
    public const byte SetPacketType = 0x8A;

    /// <summary>GetPacketType (§13.4.3).</summary>
    public const byte GetPacketType = 0x11;

    /// <summary>SetTxParams (§13.4.4).</summary>
    public const byte SetTxParams = 0x8E;

    /// <summary>SetModulationParams (§13.4.5).</summary>
    public const byte SetModulationParams = 0x8B;

    /// <summary>SetPacketParams (§13.4.6).</summary>
    public const byte SetPacketParams = 0x8C;

    /// <summary>SetBufferBaseAddress (§13.4.8).</summary>
    public const byte SetBufferBaseAddress = 0x8F;

    /// <summary>GetStatus (§13.5.1).</summary>
    public const byte GetStatus = 0xC0;

    /// <summary>GetRxBufferStatus (§13.5.2).</summary>
    public const byte GetRxBufferStatus = 0x13;

    /// <summary>GetPacketStatus (§13.5.3).</summary>
    public const byte GetPacketStatus = 0x14;

    /// <summary>GetDeviceErrors (§13.6.1).</summary>
    public const byte GetDeviceErrors = 0x17;

    /// <summary>ClearDeviceErrors (§13.6.2).</summary>
    public const byte ClearDeviceErrors = 0x07;
}
