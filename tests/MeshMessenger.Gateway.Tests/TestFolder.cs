using Microsoft.Data.Sqlite;

namespace MeshMessenger.Gateway.Tests;

/// <summary>A temporary folder for a test's databases and processes; kept when MM_KEEP_TEST_FILES is set, for a look after a failure.</summary>
internal sealed class TestFolder(string prefix) : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory(prefix).FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools(); // pooled connections hold the files open
        if (Environment.GetEnvironmentVariable("MM_KEEP_TEST_FILES") is null)
        {
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException e) when (Directory.Exists(Path))
            {
                // Something wrote here after the test ended: name what, for the next look.
                string left = string.Join(", ", Directory.EnumerateFileSystemEntries(Path).Select(System.IO.Path.GetFileName));
                throw new IOException($"{e.Message}; still there: {left}", e);
            }
        }
    }
}
