namespace MeshMessenger.Cli.Commands;

/// <summary>What <c>meshmsg up</c> was asked for.</summary>
public sealed record UpSettings(int Devices, int Port, int MqttPort, int UdpPort, double BatchSeconds, string? DataDirectory, bool Anchoring);
