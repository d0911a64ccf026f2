namespace MeshMessenger.Emulator.Scenarios;

/// <summary>A scenario file is missing or wrong; the message names the field.</summary>
public sealed class ScenarioException(string message) : Exception(message);
