namespace MeshMessenger.Protocol;

/// <summary>
/// Why untrusted bytes were refused. Every decoder returns one of these instead of throwing; the names are
/// what logs, counters and the gateway's drop reasons show.
/// </summary>
public enum ProtocolError
{
    /// <summary>No error.</summary>
    None = 0,

    /// <summary>The input ended before a field did.</summary>
    Truncated,

    /// <summary>The input, or an encoding, is longer than its limit.</summary>
    TooLarge,

    /// <summary>The version field names a format this code does not speak.</summary>
    UnsupportedVersion,

    /// <summary>An unknown frame type, entry kind or sealing.</summary>
    UnknownType,

    /// <summary>A field holds a value outside its range (a reserved bit, a non-canonical varint, a zero count).</summary>
    InvalidField,

    /// <summary>Bytes are left over after the last field.</summary>
    TrailingBytes,

    /// <summary>A public key is malformed or has low order.</summary>
    InvalidKey,

    /// <summary>An Ed25519 signature does not verify (forgery or corruption).</summary>
    BadSignature,

    /// <summary>Authenticated decryption failed (wrong key, or the ciphertext was altered).</summary>
    DecryptFailed,

    /// <summary>Text is not valid UTF-8.</summary>
    InvalidText,

    /// <summary>A checksum in a human-typed code does not match.</summary>
    BadChecksum,
}
