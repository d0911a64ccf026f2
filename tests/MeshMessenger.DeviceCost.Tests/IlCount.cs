extern alias shipped;

using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Reflection.Emit;

namespace MeshMessenger.DeviceCost;

/// <summary>
/// Counts the IL instructions of methods of the shipped (uncounted) Crypto assembly, decoding the method bodies
/// with the opcode table of System.Reflection.Emit (ECMA-335 §III). The field operations are straight-line code
/// (no branch), so the static count of a method plus the carry chain it calls is exactly what an interpreter
/// executes per call.
/// </summary>
public static class IlCount
{
    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    /// <summary>The shipped MeshMessenger.Crypto assembly (no OPERATION_COUNT).</summary>
    public static Assembly Shipped => typeof(shipped::MeshMessenger.Crypto.Ed25519).Assembly;

    /// <summary>Instructions, branches and calls in the body of <paramref name="typeName"/>.<paramref name="method"/>.</summary>
    public static MethodIl Of(string typeName, string method)
    {
        Type type = Shipped.GetType(typeName, throwOnError: true)!;
        MethodInfo info = type.GetMethod(method, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance)!;
        byte[] il = info.GetMethodBody()!.GetILAsByteArray()!;
        int instructions = 0, branches = 0, calls = 0;
        for (int pos = 0; pos < il.Length;)
        {
            short value = il[pos] == 0xFE ? (short)(0xFE00 | il[pos + 1]) : il[pos];
            OpCode op = OpCodesByValue[value];
            pos += op.Size + OperandSize(op, il, pos + op.Size);
            instructions++;
            if (op.FlowControl is FlowControl.Branch or FlowControl.Cond_Branch)
            {
                branches++;
            }

            if (op.FlowControl == FlowControl.Call)
            {
                calls++;
            }
        }

        return new MethodIl($"{type.Name}.{method}", instructions, branches, calls);
    }

    /// <summary>
    /// IL instructions one call executes, for a method whose loops (found as backward branches, ECMA-335 §III.3.15)
    /// run the given <paramref name="iterations"/>, in source order; loops must not nest. Each loop's range (body,
    /// increment and condition) counts that many times; the rest once.
    /// </summary>
    public static long Executed(string typeName, string method, int[] iterations)
    {
        Type type = Shipped.GetType(typeName, throwOnError: true)!;
        MethodInfo info = type.GetMethod(method, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance)!;
        byte[] il = info.GetMethodBody()!.GetILAsByteArray()!;
        var offsets = new List<int>();
        var loops = new List<(int Start, int End)>();
        for (int pos = 0; pos < il.Length;)
        {
            short value = il[pos] == 0xFE ? (short)(0xFE00 | il[pos + 1]) : il[pos];
            OpCode op = OpCodesByValue[value];
            int operandAt = pos + op.Size;
            int next = operandAt + OperandSize(op, il, operandAt);
            if (op.OperandType == OperandType.ShortInlineBrTarget || op.OperandType == OperandType.InlineBrTarget)
            {
                int target = next + (op.OperandType == OperandType.ShortInlineBrTarget ? (sbyte)il[operandAt] : BitConverter.ToInt32(il, operandAt));
                if (target <= pos)
                {
                    loops.Add((target, pos));
                }
            }

            offsets.Add(pos);
            pos = next;
        }

        loops.Sort((a, b) => a.Start.CompareTo(b.Start));
        if (loops.Count != iterations.Length)
        {
            throw new InvalidOperationException($"{type.Name}.{method} has {loops.Count} loops, expected {iterations.Length}");
        }

        for (int i = 1; i < loops.Count; i++)
        {
            if (loops[i].Start <= loops[i - 1].End)
            {
                throw new InvalidOperationException($"{type.Name}.{method}: nested loops");
            }
        }

        long executed = 0;
        foreach (int offset in offsets)
        {
            int times = 1;
            for (int i = 0; i < loops.Count; i++)
            {
                if (offset >= loops[i].Start && offset <= loops[i].End)
                {
                    times = iterations[i];
                }
            }

            executed += times;
        }

        return executed;
    }

    private static int OperandSize(OpCode op, byte[] il, int at) => op.OperandType switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, at)),
        _ => 4,
    };
}
