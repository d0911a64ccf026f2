namespace MeshMessenger.DeviceCost;

/// <summary>One static array (or long constant string) of the device code, its raw size in bytes and where it lives.</summary>
public sealed record StaticTable(string Field, string Type, int Length, long Bytes, string Where);
