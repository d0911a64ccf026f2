using System.Globalization;
using System.Text;
using MeshMessenger.Gateway.PeopleMigration;

namespace MeshMessenger.Gateway.Timekeeping;

/// <summary>
/// The gateway clock's floor across restarts: a file (data/clock-floor) holding a Unix time in milliseconds that
/// no stamp before it passed. The clock reserves ahead (stamp + <see cref="Lease"/>) so it writes at most once per
/// lease, and a power cut between writes still leaves the file above every stamp made.
/// </summary>
public sealed class ClockFloorFile(string path)
{
    /// <summary>How far ahead of a stamp the floor is reserved.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(10);

    private const int MaxLength = 20; // the digits of a long

    /// <summary>The file.</summary>
    public string Path { get; } = path;

    /// <summary>The stored floor, or null when there is none or it is unreadable (then the clock starts from the system clock): more than 20 bytes, not all digits, or past year 9999.</summary>
    public long? Load()
    {
        try
        {
            // At most a few bytes: a garbage file of any size costs nothing, and a value past year 9999 would throw at every stamp.
            using var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.Read);
            byte[] head = new byte[MaxLength + 1];
            int length = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            return length <= MaxLength
                && long.TryParse(head.AsSpan(0, length), NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite, CultureInfo.InvariantCulture, out long ms)
                && ms <= DateTimeOffset.MaxValue.ToUnixTimeMilliseconds()
                ? ms
                : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// Stores <paramref name="unixMilliseconds"/> through <see cref="DurableFiles.WriteAtomically"/>: a fsynced side
    /// file renamed over the old one and the folder fsynced, so a kill -9 or a power cut leaves the old or the new value,
    /// and once this returns the new one survives a power cut (the promise the lease makes).
    /// </summary>
    public void Store(long unixMilliseconds) =>
        DurableFiles.WriteAtomically(Path, Encoding.ASCII.GetBytes(unixMilliseconds.ToString(CultureInfo.InvariantCulture)));
}
