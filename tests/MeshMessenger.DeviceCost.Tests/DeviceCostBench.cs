using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using MeshMessenger.Crypto;

namespace MeshMessenger.DeviceCost;

/// <summary>
/// <c>device-cost</c>: field operations per primitive and per frame (counting build), IL per field operation (shipped
/// build), the device-time estimate, the fixed tables, and this machine's time per operation.
/// </summary>
public static class DeviceCostBench
{
    /// <summary>
    /// Microseconds per IL instruction on the nanoFramework interpreter on an ESP32 at 240 MHz, low and high ends.
    /// Derived in docs/device-cost.md §2 from a measured .NET Micro Framework loop (the interpreter nanoCLR
    /// descends from) scaled by clock, widened for 64-bit arithmetic and build differences on ESP32.
    /// </summary>
    public const double LowMicrosecondsPerIl = 0.1;

    /// <inheritdoc cref="LowMicrosecondsPerIl"/>
    public const double HighMicrosecondsPerIl = 0.5;

    /// <summary>Runs the bench, prints the tables and returns the JSON document.</summary>
    public static DeviceCostReport Run(int verifyCount, int timingN, int timingRounds, TextWriter output)
    {
        // 1. Operation counts (deterministic except verify, which runs in variable time on public data).
        var counts = new Dictionary<string, OpCount>();
        Ed25519.CompactBaseTable = true; // drops the full table, so the next fixed-base multiplication builds it
        Ed25519.CompactBaseTable = false;
        OpCount firstUse = CryptoCounts.PublicKey(1);
        counts["ed25519_full_table_build_once"] = firstUse - CryptoCounts.PublicKey(1);
        counts["ed25519_public_key"] = CryptoCounts.WithCompactTable(false, () => CryptoCounts.PublicKey(1));
        counts["ed25519_sign"] = CryptoCounts.WithCompactTable(false, () => CryptoCounts.Sign(1, 2));
        counts["ed25519_sign_compact_table"] = CryptoCounts.WithCompactTable(true, () => CryptoCounts.Sign(1, 2));
        counts["x25519_shared_secret"] = CryptoCounts.SharedSecret(4, 5);
        counts["x25519_base_point"] = CryptoCounts.WithCompactTable(false, () => CryptoCounts.BasePoint(4));
        counts["x25519_base_point_compact_table"] = CryptoCounts.WithCompactTable(true, () => CryptoCounts.BasePoint(4));
        bool deterministic = CryptoCounts.WithCompactTable(false, () => CryptoCounts.Sign(1, 2) == CryptoCounts.Sign(200, 201))
            && CryptoCounts.SharedSecret(4, 5) == CryptoCounts.SharedSecret(77, 78);

        OpCount[] verify = CryptoCounts.Verify(verifyCount, 16);
        var verifyStats = new VerifyStats(
            verifyCount,
            verify.Average(c => (double)c.Mul),
            verify.Min(c => c.Mul),
            verify.Max(c => c.Mul),
            verify.Average(c => (double)c.Square),
            verify.Min(c => c.Square),
            verify.Max(c => c.Square),
            verify.Average(c => (double)c.MulAndSquare),
            verify.Min(c => c.MulAndSquare),
            verify.Max(c => c.MulAndSquare));
        counts["ed25519_verify_mean_case"] = verify.OrderBy(c => Math.Abs(c.MulAndSquare - verifyStats.MeanMulAndSquare)).First();

        // 2. Per frame, through DeviceApp.OnReceive on the firmware sources (full table, as shipped).
        var frames = new Dictionary<string, FrameCost>();
        var mesh = new Mesh();
        byte[]? dm1 = null;
        int senderVerified = mesh.Alice.Verifier.Calls;
        OpCount compose = OpCount.Of(() => dm1 = mesh.DirectMessage("first message to bob"));
        frames["sender_compose_first_dm"] = new FrameCost(compose, mesh.Alice.Verifier.Calls - senderVerified);
        frames["relay_dm_for_another"] = Measure(mesh.Relay, dm1!);
        frames["recipient_first_dm"] = Measure(mesh.Bob, dm1!);
        byte[] dm2 = mesh.DirectMessage("second message to bob");
        frames["relay_dm_for_another_2"] = Measure(mesh.Relay, dm2);
        frames["recipient_next_dm"] = Measure(mesh.Bob, dm2);
        byte[] post = mesh.ChannelPost("post to the hikers");
        frames["relay_channel_post_not_member"] = Measure(mesh.Relay, post);
        frames["recipient_channel_post"] = Measure(mesh.Bob, post);

        // 3. IL per field operation (shipped build; straight-line, so static = executed).
        const string Fe = "MeshMessenger.Crypto.Curve25519.FieldElement";
        MethodIl carry = IlCount.Of(Fe, "Carry");
        var il = new List<MethodIl>
        {
            IlCount.Of(Fe, "Mul"), IlCount.Of(Fe, "Square"), IlCount.Of(Fe, "MulSmall"), IlCount.Of(Fe, "Add"),
            IlCount.Of(Fe, "Sub"), IlCount.Of(Fe, "CMov"), IlCount.Of(Fe, "CSwap"), carry,
            IlCount.Of("MeshMessenger.Crypto.Sha512", "Compress"), IlCount.Of("MeshMessenger.Crypto.Sha256", "Compress"),
            IlCount.Of("MeshMessenger.Crypto.ChaCha20", "KeystreamBlock"), IlCount.Of("MeshMessenger.Crypto.Poly1305", "ProcessBlock"),
        };
        var perOp = new IlPerOperation(
            il[0].Instructions + carry.Instructions,
            il[1].Instructions + carry.Instructions,
            il[2].Instructions + carry.Instructions,
            il[3].Instructions + carry.Instructions,
            il[5].Instructions,
            (int)IlCount.Executed("MeshMessenger.Crypto.Sha512", "Compress", new[] { 16, 64, 10 }),
            (int)IlCount.Executed("MeshMessenger.Crypto.Sha256", "Compress", new[] { 16, 48, 8 }),
            (int)IlCount.Executed("MeshMessenger.Crypto.ChaCha20", "KeystreamBlock", new[] { 10 }),
            (int)IlCount.Executed("MeshMessenger.Crypto.Poly1305", "ProcessBlock", Array.Empty<int>()));

        // 4. Device-time estimate.
        var estimates = new Dictionary<string, Estimate>();
        foreach (KeyValuePair<string, OpCount> c in counts)
        {
            estimates[c.Key] = Estimate.Of(c.Value, perOp);
        }

        foreach (KeyValuePair<string, FrameCost> f in frames)
        {
            estimates["frame_" + f.Key] = Estimate.Of(f.Value.Operations, perOp);
        }

        // 5. Fixed tables (full table built, then both modes' footprints).
        CryptoCounts.WithCompactTable(false, () => CryptoCounts.Sign(1, 2));
        int fullBytes = Ed25519.FixedBaseTableBytes;
        int compactBytes = CryptoCounts.WithCompactTable(true, () => Ed25519.FixedBaseTableBytes);
        CryptoCounts.WithCompactTable(false, () => CryptoCounts.Sign(1, 2));
        List<StaticTable> tables = StaticTables.All();

        // 6. This machine.
        Dictionary<string, Spread> host = HostTiming.Measure(timingN, timingRounds);

        var report = new DeviceCostReport(
            DateTime.UtcNow.ToString("O"),
            Environment.ProcessorCount,
            System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
            deterministic,
            counts,
            verifyStats,
            frames,
            il,
            perOp,
            LowMicrosecondsPerIl,
            HighMicrosecondsPerIl,
            estimates,
            fullBytes,
            compactBytes,
            tables,
            host);
        Print(report, output);
        return report;
    }

    private static FrameCost Measure(Device device, byte[] frame)
    {
        int before = device.Verifier.Calls;
        OpCount ops = device.Receive(frame);
        return new FrameCost(ops, device.Verifier.Calls - before);
    }

    private static void Print(DeviceCostReport r, TextWriter o)
    {
        o.WriteLine("Field operations (counting build; deterministic: " + (r.Deterministic ? "yes, identical for other keys and messages" : "NO") + ")");
        o.WriteLine($"{"operation",-34} {"mul",7} {"square",7} {"mul+sq",7} {"small",6} {"add/sub",8} {"cmov",6} {"sha512",7} {"chacha",7} {"poly",5}");
        foreach (KeyValuePair<string, OpCount> c in r.Counts)
        {
            Row(o, c.Key, c.Value);
        }

        VerifyStats v = r.Verify;
        o.WriteLine($"ed25519 verify over n = {v.N} random keys and messages: mul+square mean {v.MeanMulAndSquare:F1}, min {v.MinMulAndSquare}, max {v.MaxMulAndSquare} (mul {v.MeanMul:F1} [{v.MinMul}..{v.MaxMul}], square {v.MeanSquare:F1} [{v.MinSquare}..{v.MaxSquare}])");
        o.WriteLine();
        o.WriteLine("Per frame, through DeviceApp.OnReceive (single-fragment LoRa frames; full table)");
        o.WriteLine($"{"frame",-34} {"mul",7} {"square",7} {"mul+sq",7} {"small",6} {"add/sub",8} {"cmov",6} {"sha512",7} {"chacha",7} {"poly",5} verifies");
        foreach (KeyValuePair<string, FrameCost> f in r.Frames)
        {
            Row(o, f.Key, f.Value.Operations, $" {f.Value.Verifications,8}");
        }

        o.WriteLine();
        IlPerOperation p = r.IlPerOperation;
        o.WriteLine($"IL instructions executed per call (shipped build, straight-line): mul {p.Mul}, square {p.Square}, mul-small {p.MulSmall}, add/sub {p.Add}, cmov {p.ConditionalMove}; per block (loop counts from the source): sha512 {p.Sha512Block}, sha256 {p.Sha256Block}, chacha20 {p.ChaCha20Block}, poly1305 {p.Poly1305Block}");
        o.WriteLine($"ESP32 (nanoFramework interpreter) estimate at {r.LowMicrosecondsPerIl}-{r.HighMicrosecondsPerIl} us per IL instruction:");
        foreach (KeyValuePair<string, Estimate> e in r.Estimates)
        {
            o.WriteLine($"  {e.Key,-44} {e.Value.IlInstructions,10:N0} IL  {e.Value.LowMilliseconds,8:F0} - {e.Value.HighMilliseconds,6:F0} ms");
        }

        o.WriteLine();
        o.WriteLine($"Fixed-base table: full {r.FullBaseTableBytes:N0} bytes, compact {r.CompactBaseTableBytes:N0} bytes (field limbs)");
        o.WriteLine("Static arrays and long constant strings in device code (raw bytes):");
        foreach (StaticTable t in r.StaticTables)
        {
            o.WriteLine($"  {t.Bytes,8:N0}  {t.Type,-14} x{t.Length,-5} {t.Field}  [{t.Where}]");
        }

        o.WriteLine();
        o.WriteLine("This machine (shipped build), microseconds per call: median [min..max] of rounds");
        foreach (KeyValuePair<string, Spread> h in r.Host)
        {
            o.WriteLine($"  {h.Key,-24} {h.Value.MedianMicroseconds,9:F1} [{h.Value.MinMicroseconds:F1}..{h.Value.MaxMicroseconds:F1}]  n = {h.Value.N} x {h.Value.Rounds} rounds");
        }
    }

    private static void Row(TextWriter o, string name, OpCount c, string tail = "")
    {
        o.WriteLine($"{name,-34} {c.Mul,7} {c.Square,7} {c.MulAndSquare,7} {c.MulSmall,6} {c.Additions,8} {c.ConditionalMoves,6} {c.Sha512Blocks,7} {c.ChaCha20Blocks,7} {c.Poly1305Blocks,5}{tail}");
    }
}
