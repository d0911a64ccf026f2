namespace MeshMessenger.Emulator.Chips;

/// <summary>A packet as one receiving chip hears it.</summary>
public sealed record AirArrival(AirPacket Packet, double RssiDbm, double SnrDb, bool Corrupted);
