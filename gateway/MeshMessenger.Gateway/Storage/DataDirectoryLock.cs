using System.Globalization;

namespace MeshMessenger.Gateway.Storage;

/// <summary>
/// One process per data folder: an exclusive lock on DIR/meshmsg.lock, held while the gateway (or <c>meshmsg
/// up</c>) runs. .NET opens a file with <see cref="FileShare.None"/> under an flock(2) LOCK_EX on Linux, and the
/// kernel drops that lock when the process ends however it ends, SIGKILL included, so a stale lock never
/// blocks a restart. The holder's pid goes in DIR/meshmsg.pid, for the refusal (the locked file itself cannot
/// be read by another .NET process: reading takes LOCK_SH).
/// Within one process the folder may be taken more than once (<c>up</c> takes it before it starts anvil,
/// then its in-process gateway takes it again); it is released when the last holder disposes.
/// </summary>
public sealed class DataDirectoryLock : IDisposable
{
    private static readonly Dictionary<string, (FileStream File, int Holders)> Held = new(StringComparer.Ordinal);
    private readonly string _folder;
    private bool _released;

    private DataDirectoryLock(string folder) => _folder = folder;

    /// <summary>The lock file's name inside the data folder.</summary>
    public const string FileName = "meshmsg.lock";

    /// <summary>Takes the data folder (creating it), or refuses because another process holds it.</summary>
    /// <exception cref="DataDirectoryInUseException">Another process runs on this folder; the message names the folder and its pid.</exception>
    public static DataDirectoryLock Acquire(string folder)
    {
        folder = Path.GetFullPath(folder);
        Directory.CreateDirectory(folder);
        lock (Held)
        {
            if (Held.TryGetValue(folder, out var held))
            {
                Held[folder] = (held.File, held.Holders + 1);
                return new DataDirectoryLock(folder);
            }

            FileStream file;
            try
            {
                file = new FileStream(Path.Combine(folder, FileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                string holder = "another process";
                try
                {
                    holder = "process " + int.Parse(File.ReadAllText(Path.Combine(folder, "meshmsg.pid")).Trim(), CultureInfo.InvariantCulture);
                }
                catch (Exception e) when (e is IOException or FormatException or OverflowException or UnauthorizedAccessException)
                {
                    // the holder has not written its pid yet, or it is unreadable: say "another process"
                }

                throw new DataDirectoryInUseException(folder, $"the data folder {folder} is in use by {holder} (it holds {Path.Combine(folder, FileName)}); stop it first, or choose another folder");
            }

            File.WriteAllText(Path.Combine(folder, "meshmsg.pid"), Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n");
            Held[folder] = (file, 1);
            return new DataDirectoryLock(folder);
        }
    }

    /// <summary>Releases this hold; the file lock goes with the last one.</summary>
    public void Dispose()
    {
        lock (Held)
        {
            if (_released)
            {
                return;
            }

            _released = true;
            var (file, holders) = Held[_folder];
            if (holders > 1)
            {
                Held[_folder] = (file, holders - 1);
                return;
            }

            Held.Remove(_folder);
            file.Dispose();
        }
    }
}
