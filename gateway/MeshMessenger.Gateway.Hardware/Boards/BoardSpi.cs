namespace MeshMessenger.Gateway.Hardware.Boards;

/// <summary>The SPI bus a radio sits on.</summary>
public sealed record BoardSpi
{
    /// <summary>Bus number: /dev/spidev{bus}.{line} on Linux, SPI1/SPI2 on an ESP32.</summary>
    public int Bus { get; init; }

    /// <summary>Hardware chip-select line (CE0 = 0, CE1 = 1), or -1 when chip select is a plain GPIO.</summary>
    public int ChipSelectLine { get; init; } = -1;

    /// <summary>ESP32 only: the clock pin routed to the bus.</summary>
    public int? Sck { get; init; }

    /// <summary>ESP32 only: MISO.</summary>
    public int? Miso { get; init; }

    /// <summary>ESP32 only: MOSI.</summary>
    public int? Mosi { get; init; }
}
