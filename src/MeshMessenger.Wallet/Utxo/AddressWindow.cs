using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using MeshMessenger.Wallet.Chains;
using MeshMessenger.Wallet.Hd;

namespace MeshMessenger.Wallet.Utxo;

/// <summary>
/// One BIP-44 chain of an account (external 0 = receive, internal 1 = change, m/84'/coin'/account'/change/i) scanned
/// up to the gap limit, with the unspent outputs found on it. BIP-44 "Address gap limit": scanning stops after
/// <see cref="ReceiveAddresses.GapLimit"/> consecutive addresses without outputs, and never before the highest index
/// the wallet remembers handing out.
/// </summary>
/// <remarks>
/// A node without a wallet (scantxoutset and the mempool, <see cref="IChainBackend.UnspentAsync"/>) sees only unspent
/// outputs: an address paid and then fully spent reads as unused. The caller's record of the highest index handed out
/// closes that hole on the device that keeps it: <see cref="NextToHandOut"/> never returns an index at or below it.
/// </remarks>
public sealed class AddressWindow
{
    private AddressWindow(int change, List<SpendableOutput> outputs, int nextUnused, int scanned)
    {
        Change = change;
        Outputs = outputs;
        NextUnused = nextUnused;
        Scanned = scanned;
    }

    /// <summary>0 for the receive (external) chain, 1 for the change (internal) chain (BIP-44 "Change").</summary>
    public int Change { get; }

    /// <summary>Every unspent output (confirmed or in the mempool) of the scanned addresses, with its owner's key.</summary>
    public IReadOnlyList<SpendableOutput> Outputs { get; }

    /// <summary>The index after the last address found holding outputs (0 if none).</summary>
    public int NextUnused { get; }

    /// <summary>How many addresses were read (indexes 0 to <c>Scanned - 1</c>).</summary>
    public int Scanned { get; }

    /// <summary>Reads the addresses of one chain from index 0 until the gap limit is reached past both the last used one and <paramref name="highestHandedOut"/>.</summary>
    /// <param name="accounts">The wallet's keys.</param>
    /// <param name="network">The chain.</param>
    /// <param name="account">The BIP-44 account index.</param>
    /// <param name="change">0 receive, 1 change.</param>
    /// <param name="backend">Answers unspent outputs per address (a node, or a gateway over the mesh).</param>
    /// <param name="highestHandedOut">The highest index the wallet remembers handing out on this chain, -1 if none.</param>
    /// <param name="ct">Cancels the scan.</param>
    public static async Task<AddressWindow> ScanAsync(
        HdAccounts accounts,
        UtxoNetwork network,
        int account,
        int change,
        IChainBackend backend,
        int highestHandedOut,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        ArgumentNullException.ThrowIfNull(backend);
        if (change is not (0 or 1))
        {
            throw new ArgumentOutOfRangeException(nameof(change), change, "BIP-44 change is 0 (external) or 1 (internal)");
        }

        var outputs = new List<SpendableOutput>();
        int nextUnused = 0;
        int gap = 0;
        int index = 0;
        var batch = new List<SegwitAccount>();
        IReadOnlyList<IReadOnlyList<UnspentOutput>> read = [];
        for (; gap < ReceiveAddresses.GapLimit || index <= highestHandedOut; index++)
        {
            if (index % BatchSize(backend) == 0)
            {
                read = await ReadAsync(accounts, network, account, change, backend, index, batch, ct).ConfigureAwait(false);
            }

            SegwitAccount candidate = batch[index % BatchSize(backend)];
            IReadOnlyList<UnspentOutput> found = read[index % BatchSize(backend)];
            if (found.Count > 0)
            {
                foreach (UnspentOutput output in found)
                {
                    outputs.Add(new SpendableOutput(output, candidate));
                }

                nextUnused = index + 1;
                gap = 0;
            }
            else
            {
                gap++;
            }
        }

        return new AddressWindow(change, outputs, nextUnused, index);
    }

    // A node answers many addresses with one scan of its UTXO set; over the mesh each address is one read.
    private static int BatchSize(IChainBackend backend) => backend is UtxoChainBackend ? ReceiveAddresses.GapLimit : 1;

    private static async Task<IReadOnlyList<IReadOnlyList<UnspentOutput>>> ReadAsync(
        HdAccounts accounts,
        UtxoNetwork network,
        int account,
        int change,
        IChainBackend backend,
        int from,
        List<SegwitAccount> batch,
        CancellationToken ct)
    {
        batch.Clear();
        var addresses = new List<byte[]>();
        for (int i = from; i < from + BatchSize(backend); i++)
        {
            SegwitAccount candidate = accounts.SegwitAccount(network, account, change, i);
            batch.Add(candidate);
            addresses.Add(UtxoAddressText.Parse(candidate.Address, network).Bytes);
        }

        return backend is UtxoChainBackend node
            ? await node.UnspentAsync(addresses, ct).ConfigureAwait(false)
            : [await backend.UnspentAsync(addresses[0], ct).ConfigureAwait(false)];
    }

    /// <summary>
    /// The index to hand out next: after the last used one and after <paramref name="highestHandedOut"/>, so an address
    /// once handed out is not handed out again even if it was paid and spent since.
    /// </summary>
    /// <param name="highestHandedOut">The highest index the wallet remembers handing out, -1 if none.</param>
    public int NextToHandOut(int highestHandedOut) => Math.Max(NextUnused, highestHandedOut + 1);

    /// <summary>
    /// Whether <paramref name="index"/> lies beyond the gap limit after the last used address: a wallet restored from
    /// the phrase elsewhere, which scans by BIP-44's gap rule, would not look there (BIP-44: "Wallet software should
    /// warn when the user is trying to exceed the gap limit on an external chain by generating a new address").
    /// </summary>
    public bool BeyondGap(int index) => index >= NextUnused + ReceiveAddresses.GapLimit;

    /// <summary>The sum of <see cref="Outputs"/> with at least <paramref name="minimumConfirmations"/> confirmations.</summary>
    public ulong Total(uint minimumConfirmations)
    {
        ulong total = 0;
        foreach (SpendableOutput output in Outputs)
        {
            if (output.Output.Confirmations >= minimumConfirmations)
            {
                total += output.Output.Value;
            }
        }

        return total;
    }
}
