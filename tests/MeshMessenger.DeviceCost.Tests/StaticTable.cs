namespace MeshMessenger.DeviceCost;

/// <summary>One static array of the device code and its raw size in bytes.</summary>
public sealed record StaticTable(string Field, string Type, int Length, long Bytes);
