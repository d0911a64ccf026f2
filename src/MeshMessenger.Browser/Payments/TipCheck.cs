using System;

namespace MeshMessenger.Browser.Payments;

/// <summary>What the page knows of one tip: confirmed (counts), pending (asked again later) or invalid (never counts), with the reason.</summary>
internal sealed class TipCheck
{
    /// <summary>The tip's payment is on the chain as named.</summary>
    public const string Confirmed = "confirmed";

    private TipCheck(string state, string? reason, bool settled)
    {
        State = state;
        Reason = reason;
        Settled = settled;
        CheckedAt = DateTime.UtcNow;
    }

    /// <summary>confirmed, pending or invalid.</summary>
    public string State { get; }

    /// <summary>Why it does not count (yet), or null.</summary>
    public string? Reason { get; }

    /// <summary>True when asking again cannot change the answer.</summary>
    public bool Settled { get; }

    /// <summary>When it was checked.</summary>
    public DateTime CheckedAt { get; }

    /// <summary>Counts.</summary>
    public static TipCheck Confirm() => new(Confirmed, null, settled: true);

    /// <summary>Not yet: asked again after a while.</summary>
    public static TipCheck Pending(string reason) => new("pending", reason, settled: false);

    /// <summary>Never counts.</summary>
    public static TipCheck Invalid(string reason) => new("invalid", reason, settled: true);
}
