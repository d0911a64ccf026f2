namespace MeshMessenger.Gateway.Hardware.Boards;

/// <summary>A line of the bill of materials.</summary>
public sealed record BoardPart(string Item, decimal Usd);
