using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using MeshMessenger.Protocol.Payments;
using MeshMessenger.Wallet.Chains;
using MeshMessenger.Wallet.Hd;
using MeshMessenger.Wallet.Utxo;

namespace MeshMessenger.Browser.Payments;

/// <summary>
/// The page's BIP-44 address windows on each UTXO chain for this session: the gap scan (<see cref="AddressWindow"/>,
/// one read over the mesh per address) runs once per chain; after it, balances and spends read only the addresses in
/// the window, receive 0 to the last used or handed out, change 0 to the last used (BIP-44 "Address gap limit").
/// </summary>
/// <remarks>
/// The highest receive index handed out lives for the session only (the page keeps no wallet record): after a reload
/// the scan finds paid addresses again, and an address handed out but not paid may be handed out once more.
/// </remarks>
internal sealed class UtxoWindows
{
    private readonly Func<HdAccounts> _accounts;
    private readonly Dictionary<ChainTag, State> _chains = [];

    /// <summary>Windows over the keys <paramref name="accounts"/> answers.</summary>
    public UtxoWindows(Func<HdAccounts> accounts) => _accounts = accounts;

    /// <summary>The receive index shown until a fresh one is asked for: the highest handed out this session, else 0.</summary>
    public int CurrentReceive(ChainTag chain) => _chains.TryGetValue(chain, out State? s) ? Math.Max(0, s.HandedOut) : 0;

    /// <summary>Hands out the next fresh receive index (BIP-44: after the last used one and the highest handed out); true in <c>BeyondGap</c> past the gap limit.</summary>
    public async Task<(int Index, bool BeyondGap)> NextReceiveAsync(ChainTag chain, UtxoNetwork network, IChainBackend backend, CancellationToken ct)
    {
        State s = await ScannedAsync(chain, network, backend, ct);
        s.Fresh = null; // a later balance reads again
        int index = Math.Max(s.ReceiveUsed, s.HandedOut + 1);
        s.HandedOut = index;
        return (index, index >= s.ReceiveUsed + ReceiveAddresses.GapLimit);
    }

    /// <summary>The unspent outputs of every receive and change address in the window, each with its key.</summary>
    public async Task<List<SpendableOutput>> OutputsAsync(ChainTag chain, UtxoNetwork network, IChainBackend backend, CancellationToken ct)
    {
        State s = await ScannedAsync(chain, network, backend, ct);
        if (s.Fresh is List<SpendableOutput> fresh)
        {
            s.Fresh = null; // the scan just read them
            return fresh;
        }

        var outputs = new List<SpendableOutput>();
        int receiveEnd = Math.Max(s.ReceiveUsed, s.HandedOut + 1);
        for (int change = 0; change <= 1; change++)
        {
            int end = change == 0 ? receiveEnd : s.ChangeUsed;
            for (int i = 0; i < end; i++)
            {
                SegwitAccount owner = _accounts().SegwitAccount(network, 0, change, i);
                foreach (UnspentOutput output in await backend.UnspentAsync(UtxoAddressText.Parse(owner.Address, network).Bytes, ct))
                {
                    outputs.Add(new SpendableOutput(output, owner));
                    if (change == 0 && i >= s.ReceiveUsed)
                    {
                        s.ReceiveUsed = i + 1;
                    }
                }
            }
        }

        return outputs;
    }

    /// <summary>The fresh change index (BIP-44 internal chain) a spend built now uses.</summary>
    public int NextChange(ChainTag chain) => _chains.TryGetValue(chain, out State? s) ? s.ChangeUsed : 0;

    /// <summary>Records that a spend paying change to <paramref name="changeIndex"/> was broadcast: the window grows to it.</summary>
    public void ChangeUsed(ChainTag chain, int changeIndex)
    {
        if (_chains.TryGetValue(chain, out State? s))
        {
            s.ChangeUsed = Math.Max(s.ChangeUsed, changeIndex + 1);
        }
    }

    private async Task<State> ScannedAsync(ChainTag chain, UtxoNetwork network, IChainBackend backend, CancellationToken ct)
    {
        if (_chains.TryGetValue(chain, out State? known))
        {
            return known;
        }

        AddressWindow receive = await AddressWindow.ScanAsync(_accounts(), network, 0, 0, backend, -1, ct);
        AddressWindow change = await AddressWindow.ScanAsync(_accounts(), network, 0, 1, backend, -1, ct);
        var outputs = new List<SpendableOutput>(receive.Outputs);
        outputs.AddRange(change.Outputs);
        var state = new State { ReceiveUsed = receive.NextUnused, ChangeUsed = change.NextUnused, Fresh = outputs };
        _chains.TryAdd(chain, state); // two reads may have raced: the first one kept
        return _chains[chain];
    }

    private sealed class State
    {
        public int ReceiveUsed { get; set; }

        public int ChangeUsed { get; set; }

        public int HandedOut { get; set; } = -1;

        public List<SpendableOutput>? Fresh { get; set; }
    }
}
