namespace MeshMessenger.DeviceCost;

/// <summary>The IL of one method body: instructions, of which branches and calls.</summary>
public sealed record MethodIl(string Name, int Instructions, int Branches, int Calls);
