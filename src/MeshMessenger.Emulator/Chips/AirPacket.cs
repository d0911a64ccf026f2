using MeshMessenger.Radio.LoRa;

namespace MeshMessenger.Emulator.Chips;

/// <summary>One packet a simulated chip put on the air, with the settings a receiver must match.</summary>
public sealed record AirPacket(
    SimulatedChip Sender,
    byte[] Bytes,
    long StartUs,
    long EndUs,
    long FrequencyHz,
    LoRaModulation Modulation,
    byte SyncWord,
    double TxPowerDbm,
    bool Corrupted);
