namespace MeshMessenger.Gateway.Storage;

/// <summary>Another process runs on the same data folder; the message names the folder and that process.</summary>
public sealed class DataDirectoryInUseException(string folder, string message) : Exception(message)
{
    /// <summary>The folder, as a full path.</summary>
    public string Folder { get; } = folder;
}
