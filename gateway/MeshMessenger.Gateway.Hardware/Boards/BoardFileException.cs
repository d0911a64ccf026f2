namespace MeshMessenger.Gateway.Hardware.Boards;

/// <summary>A pin file is missing or wrong; the message names the file and the field.</summary>
public sealed class BoardFileException(string message) : Exception(message);
