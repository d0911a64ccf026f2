namespace MeshMessenger.Protocol.Platform;

/// <summary>
/// Ed25519 verification as a replaceable edge. Devices use <see cref="Ed25519SignatureVerifier"/>; the
/// emulator shares one memoising verifier among thousands of virtual devices, which changes the cost of
/// a pure function and nothing else.
/// </summary>
public interface ISignatureVerifier
{
    /// <summary>True if <paramref name="signature"/> at <paramref name="signatureOffset"/> signs the 32-byte <paramref name="hash"/> under <paramref name="publicKey"/>.</summary>
    bool Verify(byte[] publicKey, byte[] hash, byte[] signature, int signatureOffset);
}
