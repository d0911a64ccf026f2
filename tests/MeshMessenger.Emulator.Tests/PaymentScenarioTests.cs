using MeshMessenger.Emulator.Payments;
using MeshMessenger.Wallet.Chains;

namespace MeshMessenger.Emulator.Tests;

/// <summary>
/// A tip over the emulated mesh against real chains (anvil, litecoind regtest; tests/setup.sh installs both): the
/// payer is three LoRa hops from the only gateway and has no IP link; the tip must be mined and confirmed in the
/// author's feed through the mesh, and the run must produce its figures.
/// </summary>
public sealed class PaymentScenarioTests
{
    [Theory]
    [InlineData(PaymentKind.Ether)]
    [InlineData(PaymentKind.Erc20)]
    [InlineData(PaymentKind.Litecoin)]
    public async Task A_tip_from_three_hops_away_is_mined_and_confirmed_in_the_authors_feed(PaymentKind kind)
    {
        using PaymentChains chains = await PaymentChains.StartAsync([kind]);
        var scenario = new PaymentScenario(chains, kind, 1);

        PaymentRunResult result = scenario.Run();

        Emulation emulation = scenario.Emulation!;
        Assert.Equal(3, result.PayerHopsToGateway);
        Assert.Equal(3, PaymentScenario.Hops(emulation, PaymentScenario.PayerIndex, PaymentScenario.GatewayIndex));
        Assert.False(emulation.Devices[PaymentScenario.PayerIndex].Wifi); // LoRa only: no IP link
        Assert.All(emulation.Devices, d => Assert.False(d.Wifi));

        // The transaction is on the chain, in a block, as the gateway's own backend reads it.
        byte[] txId = Convert.FromHexString(result.TransactionId);
        TransactionState state = await chains.BackendFor(kind).StateAsync(txId, CancellationToken.None);
        Assert.True(state.Stage >= TransactionStage.Included, $"the tip's transaction is {state.Stage}");

        // The gateway's statuses came back over the radio, and the author's wallet confirmed the tip through the mesh.
        Assert.Equal("Accepted", result.PayerStatuses[0]);
        Assert.Contains("Included", result.PayerStatuses);
        Assert.Contains("Final", result.PayerStatuses);
        Assert.True(result.Confirmed);
        Assert.InRange(result.TapToAcceptedMs, 1, result.TapToIncludedMs);
        Assert.InRange(result.TapToConfirmedMs, result.TapToAcceptedMs, long.MaxValue);
        Assert.Contains(result.Requests, r => r.EndsWith("Transfer", StringComparison.Ordinal) && r.StartsWith($"n{PaymentScenario.AuthorIndex} ", StringComparison.Ordinal));

        // Figures: each part of the payment was on air.
        string[] reads = kind == PaymentKind.Litecoin ? ["utxos read", "fees read"] : ["fees read", "nonce read"];
        foreach (string part in reads.SelectMany(r => new[] { r + ": request", r + ": answer" })
                     .Concat(["broadcast: request", "status Accepted", "status Included", "tip entry", "tip check (transfer read): request", "tip check (transfer read): answer"]))
        {
            AirtimePart? measured = result.Parts.SingleOrDefault(p => p.Part == part);
            Assert.True(measured is not null, $"{part} missing from {string.Join("; ", result.Parts)}");
            Assert.True(measured!.Frames >= 1 && measured.Bytes > 0 && measured.AirtimeMs > 0, $"{part}: {measured}");
        }

        // The payer's entries cross three hops: sent once and relayed twice (learned routes, no losses on this line).
        Assert.True(result.Parts.Single(p => p.Part == "broadcast: request").Frames >= 3);
        Assert.DoesNotContain(result.Parts, p => p.Part == "other");
        Assert.Equal(result.Parts.Sum(p => p.Bytes), result.TotalBytes);
    }
}
