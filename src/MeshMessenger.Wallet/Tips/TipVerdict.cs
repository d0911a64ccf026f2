namespace MeshMessenger.Wallet.Tips;

/// <summary>A tip check's result: the outcome, the refusal (<see cref="TipRefusal.None"/> unless invalid) and a sentence for people.</summary>
public sealed record TipVerdict(TipOutcome Outcome, TipRefusal Refusal, string Message)
{
    /// <summary>True when the tip is confirmed on its chain.</summary>
    public bool IsConfirmed => Outcome == TipOutcome.Confirmed;

    internal static TipVerdict Invalid(TipRefusal refusal, string message) => new(TipOutcome.Invalid, refusal, message);
}
