namespace MeshMessenger.Crypto.Curve25519;

/// <summary>A projective point pre-processed for addition: (Y + X, Y - X, Z, 2d·T).</summary>
internal struct CachedPoint
{
    public FieldElement YPlusX;
    public FieldElement YMinusX;
    public FieldElement Z;
    public FieldElement T2D;
}
