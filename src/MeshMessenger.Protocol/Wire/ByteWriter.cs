using System;
using MeshMessenger.Crypto;

namespace MeshMessenger.Protocol.Wire;

/// <summary>
/// Appends big-endian integers, LEB128 varints and byte runs to a fixed buffer. The buffer is sized by
/// the caller from the frame limit, so an encoder can never grow past what a radio can send.
/// </summary>
public sealed class ByteWriter
{
    private readonly byte[] _buffer;
    private int _position;

    /// <summary>Creates a writer over a new buffer of <paramref name="capacity"/> bytes.</summary>
    public ByteWriter(int capacity)
    {
        _buffer = new byte[capacity];
    }

    /// <summary>Bytes written so far.</summary>
    public int Length => _position;

    /// <summary>Bytes still free.</summary>
    public int Remaining => _buffer.Length - _position;

    /// <summary>The underlying buffer (valid up to <see cref="Length"/>).</summary>
    public byte[] Buffer => _buffer;

    /// <summary>Writes one byte.</summary>
    public void WriteByte(int value)
    {
        Ensure(1);
        _buffer[_position++] = (byte)value;
    }

    /// <summary>Writes a 32-bit unsigned integer, most significant byte first.</summary>
    public void WriteUInt32(uint value)
    {
        Ensure(4);
        CryptoBytes.StoreUInt32BigEndian(value, _buffer, _position);
        _position += 4;
    }

    /// <summary>Writes an unsigned LEB128 varint (7 bits per byte, low group first, high bit = more).</summary>
    public void WriteVarint(uint value)
    {
        Ensure(Varint.SizeOf(value));
        _position = Varint.Write(value, _buffer, _position);
    }

    /// <summary>Copies <paramref name="count"/> bytes.</summary>
    public void WriteBytes(byte[] source, int offset, int count)
    {
        Ensure(count);
        Array.Copy(source, offset, _buffer, _position, count);
        _position += count;
    }

    /// <summary>Copies a whole array.</summary>
    public void WriteBytes(byte[] source)
    {
        WriteBytes(source, 0, source.Length);
    }

    /// <summary>A copy of the bytes written.</summary>
    public byte[] ToArray()
    {
        var result = new byte[_position];
        Array.Copy(_buffer, 0, result, 0, _position);
        return result;
    }

    private void Ensure(int count)
    {
        if (count > _buffer.Length - _position)
        {
            throw new ProtocolException(ProtocolError.TooLarge, "encoding needs " + (_position + count) + " bytes but the limit is " + _buffer.Length);
        }
    }
}
