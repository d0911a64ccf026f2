using MeshMessenger.Emulator.Metrics;
using MeshMessenger.Emulator.Payments;

namespace MeshMessenger.Cli.Benchmarks;

/// <summary>
/// Runs <see cref="PaymentScenario"/> (a tip from a device three LoRa hops from the gateway) for each payment type over
/// consecutive seeds, against one anvil (Ether, ERC-20) and one litecoind regtest started for the bench.
/// </summary>
public static class PaymentsBenchmark
{
    /// <summary>Runs <paramref name="runs"/> seeds from <paramref name="firstSeed"/> for each of <paramref name="kinds"/>; <paramref name="progress"/> names each run.</summary>
    public static async Task<PaymentsBenchmarkReport> RunAsync(IReadOnlyList<PaymentKind> kinds, int runs, int firstSeed, Action<string> progress)
    {
        DateTimeOffset started = DateTimeOffset.UtcNow;
        progress("starting anvil and litecoind");
        using PaymentChains chains = await PaymentChains.StartAsync(kinds).ConfigureAwait(false);
        var types = new List<PaymentTypeFigures>();
        int hops = 0;
        double poll = 0;
        string policy = string.Empty;
        foreach (PaymentKind kind in kinds)
        {
            var results = new List<PaymentRunResult>();
            double blockSeconds = 0;
            for (int seed = firstSeed; seed < firstSeed + runs; seed++)
            {
                progress($"{kind}, seed {seed} ({seed - firstSeed + 1} of {runs})");
                var scenario = new PaymentScenario(chains, kind, seed);
                PaymentRunResult result = await Task.Run(scenario.Run).ConfigureAwait(false);
                if (!result.Confirmed)
                {
                    throw new InvalidOperationException($"the {kind} tip of seed {seed} was not confirmed within {scenario.MaxMinutes} simulated minutes");
                }

                results.Add(result);
                blockSeconds = scenario.BlockSeconds;
                hops = result.PayerHopsToGateway;
                poll = scenario.PollSeconds;
                policy = scenario.Policy;
            }

            var parts = new List<PaymentPartFigure>();
            foreach (string part in PaymentScenario.PartOrder.Where(p => results.Any(r => r.Parts.Any(x => x.Part == p))))
            {
                AirtimePart?[] each = results.Select(r => r.Parts.FirstOrDefault(x => x.Part == part)).ToArray();
                parts.Add(new PaymentPartFigure(
                    part,
                    Spread.Of(each.Select(p => (double)(p?.Frames ?? 0)).ToList()),
                    Spread.Of(each.Select(p => (double)(p?.Bytes ?? 0)).ToList()),
                    Spread.Of(each.Select(p => (double)(p?.AirtimeMs ?? 0)).ToList())));
            }

            types.Add(new PaymentTypeFigures(
                Name(kind),
                kind == PaymentKind.Litecoin ? PaymentChains.LitecoinRegtest.ToText() : PaymentChains.Anvil.ToText(),
                blockSeconds,
                results.Select(r => r.Seed).ToList(),
                parts,
                Spread.Of(results.Select(r => (double)r.TotalBytes).ToList()),
                Spread.Of(results.Select(r => (double)r.TotalAirtimeMs).ToList()),
                Spread.Of(results.Select(r => r.TapToAcceptedMs / 1000.0).ToList()),
                Spread.Of(results.Select(r => r.TapToConfirmedMs / 1000.0).ToList())));
        }

        var layout = PaymentScenario.Layout(firstSeed);
        return new PaymentsBenchmarkReport(
            started,
            Environment.MachineName,
            Environment.ProcessorCount,
            System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
            layout.Preset,
            layout.Region,
            policy,
            hops,
            poll,
            runs,
            types);
    }

    /// <summary>The name a payment type is printed with.</summary>
    public static string Name(PaymentKind kind) => kind switch
    {
        PaymentKind.Ether => "Ether",
        PaymentKind.Erc20 => "ERC-20",
        _ => "P2WPKH (Litecoin regtest)",
    };
}
