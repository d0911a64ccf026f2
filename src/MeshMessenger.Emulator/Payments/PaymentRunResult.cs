namespace MeshMessenger.Emulator.Payments;

/// <summary>
/// What one emulated tip cost and how long it took: the parts on air (<see cref="Parts"/>, excluding the tipped post
/// itself), their totals, and the simulated times from the tap to the gateway's Accepted, to the payer's Included,
/// and to the author's feed showing the tip confirmed.
/// </summary>
public sealed record PaymentRunResult
{
    /// <summary>The payment type.</summary>
    public required PaymentKind Kind { get; init; }

    /// <summary>The scenario seed.</summary>
    public required int Seed { get; init; }

    /// <summary>LoRa hops from the paying device to the gateway (shortest path over decodable links).</summary>
    public required int PayerHopsToGateway { get; init; }

    /// <summary>The transaction id (EVM hash; UTXO id in display order), hex.</summary>
    public required string TransactionId { get; init; }

    /// <summary>True when the author's wallet saw the tip confirmed through the mesh.</summary>
    public required bool Confirmed { get; init; }

    /// <summary>Simulated ms from the tap to the gateway's Accepted status at the payer, or -1.</summary>
    public required long TapToAcceptedMs { get; init; }

    /// <summary>Simulated ms from the tap to the Included status at the payer, or -1.</summary>
    public required long TapToIncludedMs { get; init; }

    /// <summary>Simulated ms from the tap to the author's feed showing the tip confirmed, or -1.</summary>
    public required long TapToConfirmedMs { get; init; }

    /// <summary>The status kinds that reached the payer for the broadcast, in order.</summary>
    public required IReadOnlyList<string> PayerStatuses { get; init; }

    /// <summary>The chain requests the payer and the author sent, by kind, in order.</summary>
    public required IReadOnlyList<string> Requests { get; init; }

    /// <summary>Blocks mined during the run.</summary>
    public required int BlocksMined { get; init; }

    /// <summary>The parts on air.</summary>
    public required IReadOnlyList<AirtimePart> Parts { get; init; }

    /// <summary>Bytes on air for the payment, all parts.</summary>
    public long TotalBytes => Parts.Sum(p => p.Bytes);

    /// <summary>Time on air for the payment, all parts, ms.</summary>
    public long TotalAirtimeMs => Parts.Sum(p => p.AirtimeMs);
}
