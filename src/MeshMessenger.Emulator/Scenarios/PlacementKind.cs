namespace MeshMessenger.Emulator.Scenarios;

/// <summary>How devices are placed.</summary>
public enum PlacementKind
{
    /// <summary>Uniformly at random in a square sized so that density stays at one device per spacing².</summary>
    Random,

    /// <summary>On a square grid with the given spacing.</summary>
    Grid,

    /// <summary>At the listed coordinates.</summary>
    List,
}
