using System;
using MeshMessenger.Crypto;

namespace MeshMessenger.Protocol.Wire;

/// <summary>
/// Reads a bounded byte range of untrusted input. Every method reports running out of bytes through its
/// return value instead of throwing, so decoders built on it cannot let an exception escape.
/// </summary>
public sealed class ByteReader
{
    private readonly byte[] _buffer;
    private readonly int _end;
    private int _position;

    /// <summary>Reads <paramref name="count"/> bytes of <paramref name="buffer"/> from <paramref name="offset"/>; the range must be valid.</summary>
    public ByteReader(byte[] buffer, int offset, int count)
    {
        _buffer = buffer;
        _position = offset;
        _end = offset + count;
    }

    /// <summary>Absolute position in the buffer.</summary>
    public int Position => _position;

    /// <summary>Bytes left to read.</summary>
    public int Remaining => _end - _position;

    /// <summary>Reads one byte, or returns -1 at the end.</summary>
    public int ReadByte()
    {
        if (_position >= _end)
        {
            return -1;
        }

        return _buffer[_position++];
    }

    /// <summary>Reads a big-endian 32-bit value.</summary>
    public bool TryReadUInt32(out uint value)
    {
        if (_end - _position < 4)
        {
            value = 0;
            return false;
        }

        value = CryptoBytes.LoadUInt32BigEndian(_buffer, _position);
        _position += 4;
        return true;
    }

    /// <summary>Reads a canonical LEB128 varint of at most 32 bits (see <see cref="Varint"/>).</summary>
    public bool TryReadVarint(out uint value)
    {
        int next = Varint.TryRead(_buffer, _position, _end, out value);
        if (next < 0)
        {
            return false;
        }

        _position = next;
        return true;
    }

    /// <summary>Copies <paramref name="count"/> bytes into a new array, if that many remain.</summary>
    public byte[]? ReadBytes(int count)
    {
        if (count < 0 || _end - _position < count)
        {
            return null;
        }

        var result = new byte[count];
        Array.Copy(_buffer, _position, result, 0, count);
        _position += count;
        return result;
    }

    /// <summary>Advances past <paramref name="count"/> bytes, if that many remain.</summary>
    public bool Skip(int count)
    {
        if (count < 0 || _end - _position < count)
        {
            return false;
        }

        _position += count;
        return true;
    }
}
