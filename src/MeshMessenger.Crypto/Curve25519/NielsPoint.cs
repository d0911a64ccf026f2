namespace MeshMessenger.Crypto.Curve25519;

/// <summary>
/// An affine point pre-processed for mixed addition: (y + x, y - x, 2d·x·y). Negation swaps the first two and
/// negates the third, which lets a signed-digit table hold only positive multiples.
/// </summary>
internal struct NielsPoint
{
    public FieldElement YPlusX;
    public FieldElement YMinusX;
    public FieldElement XY2D;
}
