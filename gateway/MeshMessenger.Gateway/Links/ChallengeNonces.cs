namespace MeshMessenger.Gateway.Links;

/// <summary>
/// The nonces of the challenges outstanding on every IP link of this gateway (UDP and WebSocket), so that a proof
/// consumes its nonce wherever it arrives. A proof signs the challenge (gateway id, nonce, list: docs/protocol.md §5.4)
/// but not the address it went to, and a device answers any challenge that reaches it; so an attacker who has a
/// challenge sent to its own address, forwards it to the victim's device and reads the proof the device sends to the
/// gateway could present that proof from its own address (or socket) and be proven as the victim. The victim's copy
/// arrives from another address than the challenge went to: it withdraws the challenge where it was issued, and the
/// attacker's copy then finds no nonce.
/// </summary>
public sealed class ChallengeNonces
{
    /// <summary>Nonces kept at most; past that expired ones go, then all (a flood of challenges: they are still checked per address).</summary>
    public const int Capacity = 65_536;

    private readonly object _gate = new();
    private readonly Dictionary<string, (Action Withdraw, long ExpiresAt)> _open = new(StringComparer.Ordinal);

    /// <summary>Nonces now kept.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _open.Count;
            }
        }
    }

    /// <summary>Notes a challenge's nonce; <paramref name="withdraw"/> removes that challenge where it was issued (it must not call back here).</summary>
    public void Issue(byte[] nonce, long expiresAt, Action withdraw)
    {
        lock (_gate)
        {
            if (_open.Count >= Capacity)
            {
                long now = Environment.TickCount64;
                foreach (string gone in _open.Where(p => now > p.Value.ExpiresAt).Select(p => p.Key).ToList())
                {
                    _open.Remove(gone);
                }

                if (_open.Count >= Capacity)
                {
                    _open.Clear();
                }
            }

            _open[Convert.ToHexString(nonce)] = (withdraw, expiresAt);
        }
    }

    /// <summary>Forgets a nonce its own proof consumed.</summary>
    public void Consumed(byte[] nonce)
    {
        lock (_gate)
        {
            _open.Remove(Convert.ToHexString(nonce));
        }
    }

    /// <summary>A proof quoted <paramref name="nonce"/> from an address it was not sent to: its challenge is withdrawn. True if there was one.</summary>
    public bool Withdraw(byte[] nonce)
    {
        Action? withdraw;
        lock (_gate)
        {
            if (!_open.Remove(Convert.ToHexString(nonce), out (Action Withdraw, long ExpiresAt) open))
            {
                return false;
            }

            withdraw = open.Withdraw;
        }

        withdraw(); // outside this lock: it takes the issuing link's
        return true;
    }
}
