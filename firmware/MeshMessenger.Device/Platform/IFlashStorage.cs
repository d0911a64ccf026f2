namespace MeshMessenger.Device.Platform;

/// <summary>
/// Named files on the board's flash, as the stores need them: read at an offset, append, delete. Nothing
/// else (no rename, no truncate, no seek-and-overwrite), so the stores stay correct on any file system that
/// can append: an interrupted append leaves a prefix of the written bytes, which the record CRCs detect.
/// ESP32: nanoFramework.System.IO.FileSystem on the internal SPIFFS/LittleFS drive "I:\"; host: a directory.
/// </summary>
public interface IFlashStorage
{
    /// <summary>The length of the file in bytes, or -1 if it does not exist.</summary>
    int Length(string name);

    /// <summary>Reads up to <paramref name="count"/> bytes at <paramref name="position"/>; returns how many were read (0 at the end).</summary>
    int Read(string name, int position, byte[] buffer, int offset, int count);

    /// <summary>Appends bytes to the file (creating it) and returns once they are on flash (flushed).</summary>
    void Append(string name, byte[] data, int offset, int count);

    /// <summary>Deletes the file if it exists.</summary>
    void Delete(string name);
}
