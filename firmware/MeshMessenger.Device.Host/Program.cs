using System;
using System.IO;
using MeshMessenger.Protocol.Identity;

namespace MeshMessenger.Device.Host;

/// <summary>
/// <c>MeshMessenger.Device.Host --serial TTY --flash DIR [--tx-power DBM]</c>: runs the device program on this machine.
/// Prints one line per state change (<c>device: awaiting provisioning</c>, <c>device: running NODE REGION PRESET
/// channels=N</c>) and runs until killed. Exit codes: 0 never (it runs for ever), 1 the port or folder could not be
/// opened, 2 bad usage.
/// </summary>
public static class Program
{
    /// <summary>Entry point.</summary>
    public static int Main(string[] args)
    {
        string? serial = null;
        string? flash = null;
        int txPower = 14;
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--serial": serial = args[i + 1]; break;
                case "--flash": flash = args[i + 1]; break;
                case "--tx-power" when int.TryParse(args[i + 1], out int p): txPower = p; break;
                default: return Usage();
            }
        }

        if (serial is null || flash is null || args.Length % 2 != 0)
        {
            return Usage();
        }

        TtySerialPort port;
        try
        {
            port = new TtySerialPort(serial);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
        {
            Console.Error.WriteLine($"device: cannot open {serial}: {e.Message}");
            return 1;
        }

        var platform = new HostPlatform(port, new DirectoryFlashStorage(flash));
        var program = new DeviceProgram(platform, txPower);
        program.Start();
        Report(program);
        int seen = 0;
        while (true)
        {
            platform.Sleep(program.Step());
            if (program.Reprovisioned != seen)
            {
                seen = program.Reprovisioned;
                Report(program);
            }
        }
    }

    private static void Report(DeviceProgram program)
    {
        if (program.State != DeviceState.Running || program.Bundle is null)
        {
            Console.WriteLine("device: awaiting provisioning");
            return;
        }

        Console.WriteLine($"device: running {NodeId.ToText(program.NodeId)} {program.Bundle.Region} {program.Bundle.Preset} channels={program.Bundle.Channels.Length} store={program.Store?.Status} entries={program.Store?.Count}");
    }

    private static int Usage()
    {
        Console.Error.WriteLine("usage: MeshMessenger.Device.Host --serial TTY --flash DIR [--tx-power DBM]");
        return 2;
    }
}
