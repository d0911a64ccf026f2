namespace MeshMessenger.Protocol.Chain;

/// <summary>How an entry's body is protected. The top two bits of an entry's first byte.</summary>
public enum BodySealing
{
    /// <summary>Signed, readable by anyone.</summary>
    Clear = 0,

    /// <summary>ChaCha20-Poly1305 under a key only the author and one recipient can derive.</summary>
    Direct = 1,

    /// <summary>ChaCha20-Poly1305 under a key derived from the channel secret and the author's key.</summary>
    Channel = 2,
}
