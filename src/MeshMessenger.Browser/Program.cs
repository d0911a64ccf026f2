[assembly: System.Runtime.Versioning.SupportedOSPlatform("browser")]

namespace MeshMessenger.Browser;

/// <summary>The entry point dotnet.js runs once at boot; the work happens in the exports (<see cref="MeshNodeExports"/>).</summary>
public static class Program
{
    /// <summary>Nothing to do at start: the page calls the exports.</summary>
    public static void Main()
    {
    }
}
