using System.Numerics;

namespace MeshMessenger.Browser.Payments;

/// <summary>One own payment in the history: what was paid, and the stage its gateway last reported (or why it failed).</summary>
internal sealed class PaymentRecord
{
    /// <summary>Creates a record of a confirmed quote.</summary>
    public PaymentRecord(SpendQuote quote, uint time)
    {
        Quote = quote;
        Time = time;
    }

    /// <summary>The payment as confirmed.</summary>
    public SpendQuote Quote { get; }

    /// <summary>Unix seconds when it was confirmed.</summary>
    public uint Time { get; }

    /// <summary>Why the broadcast was refused (the chain node's or the gateway's words), or null.</summary>
    public string? Refused { get; set; }

    /// <summary>The sequence of the published tip entry, or 0.</summary>
    public uint TipSequence { get; set; }

    /// <summary>Base units, for sums.</summary>
    public BigInteger Amount => Quote.Amount;
}
