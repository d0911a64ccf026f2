using System;

namespace MeshMessenger.Protocol;

/// <summary>
/// Thrown by encoders and local operations when the caller asks for something the protocol cannot
/// express (text too long for a frame, appending before the chain head is known). Decoders of untrusted
/// bytes never throw; they return a <see cref="ProtocolError"/>.
/// </summary>
public sealed class ProtocolException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ProtocolException(ProtocolError error, string message)
        : base(message)
    {
        Error = error;
    }

    /// <summary>The kind of failure.</summary>
    public ProtocolError Error { get; }
}
