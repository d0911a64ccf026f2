namespace MeshMessenger.Crypto.Curve25519;

/// <summary>A point of edwards25519 in extended coordinates (X : Y : Z : T), x = X/Z, y = Y/Z, xy = T/Z (RFC 8032 §5.1.4).</summary>
internal struct EdwardsPoint
{
    public FieldElement X;
    public FieldElement Y;
    public FieldElement Z;
    public FieldElement T;
}
