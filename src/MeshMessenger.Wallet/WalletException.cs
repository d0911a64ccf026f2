using System;

namespace MeshMessenger.Wallet;

/// <summary>A typed wallet refusal: <see cref="Error"/> says which, the message says why in words a person can act on.</summary>
public sealed class WalletException : Exception
{
    /// <summary>Creates the refusal.</summary>
    public WalletException(WalletError error, string message)
        : base(message)
    {
        Error = error;
    }

    /// <summary>Creates the refusal with the exception that caused it.</summary>
    public WalletException(WalletError error, string message, Exception inner)
        : base(message, inner)
    {
        Error = error;
    }

    /// <summary>Which refusal this is.</summary>
    public WalletError Error { get; }
}
