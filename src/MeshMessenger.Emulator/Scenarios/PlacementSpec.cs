namespace MeshMessenger.Emulator.Scenarios;

/// <summary>Placement of devices.</summary>
public sealed class PlacementSpec
{
    /// <summary>Random, grid or list.</summary>
    public PlacementKind Kind { get; set; } = PlacementKind.Random;

    /// <summary>Grid step, or the side of the area per device for random placement (density stays the same as nodes grow).</summary>
    public double SpacingM { get; set; } = 350;

    /// <summary>Coordinates in metres for list placement, as [x, y] pairs.</summary>
    public List<double[]> Points { get; set; } = [];
}
