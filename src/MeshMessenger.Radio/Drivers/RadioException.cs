using System;

namespace MeshMessenger.Radio.Drivers;

/// <summary>A radio operation failed; <see cref="Error"/> says why and the message says what to check.</summary>
public sealed class RadioException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RadioException(RadioError error, string message)
        : base(message)
    {
        Error = error;
    }

    /// <summary>The cause.</summary>
    public RadioError Error { get; }
}
