namespace MeshMessenger.Gateway.Hardware;

/// <summary>The gateway could not reach its radio; the message names the board, the device or pin, and what to check.</summary>
public sealed class HardwareException(string message, Exception? inner = null) : Exception(message, inner);
