using System;
using MeshMessenger.Device.Platform;
using MeshMessenger.Device.Storage;

namespace MeshMessenger.Device.Provisioning;

/// <summary>
/// The provisioning bundle on flash, replaced atomically: two slot files (<c>bundle.a</c>, <c>bundle.b</c>), each one
/// <see cref="FlashRecord"/> holding a generation (4, LE) and the bundle bytes. A store writes the slot not in force
/// with the next generation and only then deletes the other; loading takes the intact slot with the higher generation.
/// Power lost at any byte of a store leaves the old bundle or the new one, never a mix.
/// </summary>
public sealed class BundleStore
{
    private const byte BundleType = 4;

    private readonly IFlashStorage _flash;
    private readonly string[] _slots = new string[] { "bundle.a", "bundle.b" };
    private readonly byte[] _buffer = new byte[FlashRecord.MaxPayload + FlashRecord.Overhead];

    /// <summary>Creates the store over <paramref name="flash"/>.</summary>
    public BundleStore(IFlashStorage flash)
    {
        _flash = flash;
    }

    /// <summary>The bundle bytes in force, or null if none is stored intact.</summary>
    public byte[]? Load()
    {
        int slot;
        uint generation;
        return Current(out slot, out generation);
    }

    /// <summary>Stores <paramref name="bundle"/> durably; false if flash failed (the old bundle is still in force).</summary>
    public bool Store(byte[] bundle, int offset, int count)
    {
        if (count + 4 > FlashRecord.MaxPayload)
        {
            return false;
        }

        int oldSlot = -1;
        try
        {
            int slot;
            uint generation;
            byte[]? current = Current(out slot, out generation);
            oldSlot = current == null ? -1 : slot;
            int target = current == null ? 0 : 1 - slot;
            FlashRecord.PutUInt32(_buffer, 4, current == null ? 1 : generation + 1);
            Array.Copy(bundle, offset, _buffer, 8, count);
            int total = FlashRecord.Seal(_buffer, BundleType, 4 + count);
            _flash.Delete(_slots[target]);
            _flash.Append(_slots[target], _buffer, 0, total);
        }
        catch (Exception)
        {
            return false;
        }
        finally
        {
            Array.Clear(_buffer, 0, _buffer.Length); // held the phrase and the Wi-Fi password
        }

        // Sealed: the new slot is intact, newer, and in force after any reboot. Deleting the old one only tidies up;
        // if it fails, Load still prefers the new slot, so the store succeeded.
        if (oldSlot >= 0)
        {
            try
            {
                _flash.Delete(_slots[oldSlot]);
            }
            catch (Exception)
            {
                StaleSlotDeleteFailures++;
            }
        }

        return true;
    }

    /// <summary>Stores whose old slot could not be deleted afterwards (harmless: the newer slot wins on load).</summary>
    public int StaleSlotDeleteFailures { get; private set; }

    private byte[]? Current(out int slot, out uint generation)
    {
        slot = -1;
        generation = 0;
        byte[]? best = null;
        for (int i = 0; i < _slots.Length; i++)
        {
            int length = _flash.Length(_slots[i]);
            byte type;
            if (length < 0 || FlashRecord.TryRead(_flash, _slots[i], 0, length, _buffer, out type) == 0 || type != BundleType)
            {
                continue;
            }

            int payload = FlashRecord.PayloadLength(_buffer);
            uint g = payload >= 4 ? FlashRecord.GetUInt32(_buffer, 4) : 0;
            if (payload < 4 || (best != null && unchecked((int)(g - generation)) <= 0))
            {
                continue;
            }

            best = new byte[payload - 4];
            Array.Copy(_buffer, 8, best, 0, best.Length);
            slot = i;
            generation = g;
        }

        Array.Clear(_buffer, 0, _buffer.Length); // held the phrase and the Wi-Fi password
        return best;
    }
}
