using System;
using System.Threading;
using System.Threading.Tasks;
using MeshMessenger.Wallet.Chains;
using MeshMessenger.Wallet.Hd;

namespace MeshMessenger.Wallet.Utxo;

/// <summary>
/// Finds the next unused receive address m/84'/coin'/account'/0/i (BIP-84 on BIP-44's layout). Scanning follows
/// BIP-44 "Address gap limit": it stops after <see cref="GapLimit"/> consecutive unused addresses.
/// </summary>
public static class ReceiveAddresses
{
    /// <summary>BIP-44 "Address gap limit": 20.</summary>
    public const int GapLimit = 20;

    /// <summary>
    /// The first receive address after the last used one found before a gap of <see cref="GapLimit"/> unused addresses
    /// (index 0 if none is used).
    /// </summary>
    /// <param name="accounts">The wallet's keys.</param>
    /// <param name="network">The chain.</param>
    /// <param name="account">The BIP-44 account index.</param>
    /// <param name="isUsed">Whether the chain has seen an address (for example <see cref="HasOutputs"/>).</param>
    /// <param name="ct">Cancels the scan.</param>
    public static async Task<SegwitAccount> NextUnusedAsync(
        HdAccounts accounts,
        UtxoNetwork network,
        int account,
        Func<SegwitAccount, CancellationToken, Task<bool>> isUsed,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        ArgumentNullException.ThrowIfNull(isUsed);
        int nextUnused = 0;
        int gap = 0;
        for (int index = 0; gap < GapLimit; index++)
        {
            SegwitAccount candidate = accounts.SegwitAccount(network, account, 0, index);
            if (await isUsed(candidate, ct).ConfigureAwait(false))
            {
                nextUnused = index + 1;
                gap = 0;
            }
            else
            {
                gap++;
            }
        }

        return accounts.SegwitAccount(network, account, 0, nextUnused);
    }

    /// <summary>
    /// "Used" as a node without a wallet can tell: the address holds an unspent output, confirmed or in the mempool.
    /// An address that was paid and fully spent reads as unused; its index is then reused only if the gap allows.
    /// </summary>
    public static Func<SegwitAccount, CancellationToken, Task<bool>> HasOutputs(IChainBackend backend)
    {
        ArgumentNullException.ThrowIfNull(backend);
        return async (candidate, ct) =>
        {
            UtxoAddress address = UtxoAddressText.Parse(candidate.Address);
            return (await backend.UnspentAsync(address.Bytes, ct).ConfigureAwait(false)).Count > 0;
        };
    }
}
