using System.Runtime.InteropServices;
using System.Text;

namespace MeshMessenger.Gateway.PeopleMigration;

/// <summary>
/// File changes that survive a crash or power cut once they return: file data is fsynced before a rename, and the
/// folder after the rename or delete, since a directory entry is only durable once its directory is synced
/// (fsync(2), POSIX.1-2017: "the directory containing the file" must be synced too).
/// </summary>
internal static class DurableFiles
{
    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> through a fsynced temporary file renamed over it (mode 0600 on Unix).</summary>
    public static void WriteAtomically(string path, byte[] bytes)
    {
        string temporary = path + ".new";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temporary, options))
        {
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
        SyncDirectoryOf(path);
    }

    /// <summary>Deletes <paramref name="path"/> (nothing if it is not there) and syncs its folder.</summary>
    public static void Delete(string path)
    {
        File.Delete(path);
        SyncDirectoryOf(path);
    }

    private static void SyncDirectoryOf(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // .NET offers no directory fsync; the gateway runs on Linux (docs/gateway.md), elsewhere the rename is as durable as the OS makes it
        }

        string directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        int handle = Open(Encoding.UTF8.GetBytes(directory + "\0"), ReadOnlyDirectory);
        if (handle < 0)
        {
            throw new IOException($"{directory} could not be opened to sync it (errno {Marshal.GetLastPInvokeError()})");
        }

        try
        {
            if (Fsync(handle) != 0)
            {
                throw new IOException($"{directory} could not be synced (errno {Marshal.GetLastPInvokeError()})");
            }
        }
        finally
        {
            _ = Close(handle);
        }
    }

    // O_RDONLY (0) | O_CLOEXEC (02000000, the same on x86-64 and arm64 Linux, asm-generic/fcntl.h); O_DIRECTORY is
    // left out because its value differs between those architectures, and a read-only open of a folder works without it.
    private const int ReadOnlyDirectory = 0x80000;

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open(byte[] path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int Fsync(int handle);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int handle);
}
