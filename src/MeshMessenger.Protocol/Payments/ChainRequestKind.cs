namespace MeshMessenger.Protocol.Payments;

/// <summary>What a <see cref="ChainRequestBody"/> asks a gateway to do on a chain, and what its payload holds.</summary>
public enum ChainRequestKind
{
    /// <summary>Broadcast a transaction; payload: the raw signed transaction bytes (not empty).</summary>
    Broadcast = 1,

    /// <summary>Read a balance; payload: the address bytes (<see cref="ChainAddress"/> shape), then optionally a 20-byte ERC-20 token (EVM only).</summary>
    Balance = 2,

    /// <summary>Read an EVM account's next nonce; payload: the 20-byte address.</summary>
    Nonce = 3,

    /// <summary>List a UTXO address's unspent outputs; payload: one 21-byte address (version and program).</summary>
    Utxos = 4,

    /// <summary>Quote fees; no payload.</summary>
    Fees = 5,

    /// <summary>Report a transaction's state; payload: the 32-byte transaction id.</summary>
    Status = 6,

    /// <summary>What a transaction paid, to whom, and whether it is final; payload: the 32-byte transaction id.</summary>
    Transfer = 7,
}
