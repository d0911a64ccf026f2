using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace MeshMessenger.DeviceCost;

/// <summary>
/// Every static array field (and every long constant string) of the device sources (Crypto, Radio, Protocol, Firmware as compiled into this
/// assembly), measured from the arrays themselves after their type initializers ran: element count times element
/// size (structs by their blittable size, strings by their UTF-8 bytes, references at 4 bytes as on a 32-bit MCU).
/// Array headers and object overhead are not counted.
/// </summary>
public static class StaticTables
{
    private static readonly string[] DeviceNamespaces = { "MeshMessenger.Crypto", "MeshMessenger.Radio", "MeshMessenger.Protocol", "MeshMessenger.Firmware" };

    /// <summary>The tables, largest first.</summary>
    public static List<StaticTable> All()
    {
        var tables = new List<StaticTable>();
        foreach (Type type in typeof(StaticTables).Assembly.GetTypes())
        {
            if (type.Namespace == null || !DeviceNamespaces.Any(n => type.Namespace == n || type.Namespace.StartsWith(n + ".", StringComparison.Ordinal)) || type.IsGenericTypeDefinition)
            {
                continue;
            }

            if (type == typeof(Crypto.OperationCounters))
            {
                continue; // the counting build's own counters
            }

            RuntimeHelpers.RunClassConstructor(type.TypeHandle);
            foreach (FieldInfo field in type.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                string name = $"{type.FullName}.{field.Name}";
                if (field.IsLiteral && field.FieldType == typeof(string))
                {
                    var text = (string)field.GetRawConstantValue()!;
                    if (text.Length >= 64)
                    {
                        tables.Add(new StaticTable(name, "const string", text.Length, Encoding.UTF8.GetByteCount(text), "assembly (flash)"));
                    }
                }
                else if (field.FieldType.IsArray)
                {
                    var array = field.GetValue(null) as Array;
                    tables.Add(array == null
                        ? new StaticTable(name, field.FieldType.Name, 0, 0, "heap, built on first use (not yet)")
                        : new StaticTable(name, array.GetType().GetElementType()!.Name + "[]", array.Length, BytesOf(array), "heap"));
                }
            }
        }

        tables.Sort((a, b) => b.Bytes.CompareTo(a.Bytes));
        return tables;
    }

    private static long BytesOf(Array array)
    {
        Type element = array.GetType().GetElementType()!;
        if (element == typeof(string))
        {
            long sum = 0;
            foreach (string? s in array)
            {
                sum += s == null ? 4 : 4 + Encoding.UTF8.GetByteCount(s);
            }

            return sum;
        }

        if (element.IsArray)
        {
            long sum = 0;
            foreach (Array? inner in array)
            {
                sum += 4 + (inner == null ? 0 : BytesOf(inner));
            }

            return sum;
        }

        if (element.IsValueType)
        {
            int size = element.IsEnum ? Marshal.SizeOf(Enum.GetUnderlyingType(element)) : Marshal.SizeOf(element);
            return (long)array.Length * size;
        }

        return 4L * array.Length;
    }
}
