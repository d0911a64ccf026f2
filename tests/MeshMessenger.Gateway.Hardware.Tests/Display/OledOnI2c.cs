using System.Device.I2c;
using MeshMessenger.Gateway.Hardware.Display;

namespace MeshMessenger.Gateway.Hardware.Tests.Display;

/// <summary>
/// An SSD1306 or SH1106 at the I2C edge: an <see cref="I2cDevice"/> that records every write and decodes it as the
/// controller would. Each write is a control byte (Co bit 7: one byte follows, then another control byte; D/C bit 6:
/// data, else commands; SSD1306 datasheet §8.1.5.2) and then commands with their arguments (SSD1306 §10, SH1106
/// command table) or display data, which lands in display memory at the address pointers and moves them as the
/// addressing mode says (SSD1306 §10.1.3-10.1.5; the SH1106 has page addressing only, over 132 columns). A
/// command the chip does not have is recorded in <see cref="Unknown"/>. With <see cref="Absent"/> every write
/// fails as Linux reports an unacknowledged address (EREMOTEIO).
/// </summary>
internal sealed class OledOnI2c(OledController chip, int address = 0x3C) : I2cDevice
{
    private readonly int _ramColumns = chip == OledController.Sh1106 ? 132 : 128;
    private readonly byte[,] _ram = new byte[8, 132];
    private readonly List<byte> _pending = [];
    private int _column;
    private int _page;
    private int _columnStart;
    private int _columnEnd = 127;
    private int _pageStart;
    private int _pageEnd = 7;

    public bool Absent { get; set; }

    public List<byte[]> Writes { get; } = [];

    public List<string> Unknown { get; } = [];

    public bool On { get; private set; }

    public int Contrast { get; private set; } = 0x7F;

    /// <summary>0 horizontal, 1 vertical, 2 page (the reset value).</summary>
    public int AddressingMode { get; private set; } = 2;

    public bool SegmentRemapped { get; private set; }

    public bool ComRemapped { get; private set; }

    public bool Inverse { get; private set; }

    public bool ChargePump { get; private set; }

    public int Multiplex { get; private set; } = 63;

    public int DataBytes { get; private set; }

    public override I2cConnectionSettings ConnectionSettings => new(1, address);

    /// <summary>The 128 columns the panel shows (SH1106: RAM columns 2-129), as display memory.</summary>
    public MonoFrame Memory()
    {
        int offset = chip == OledController.Sh1106 ? 2 : 0;
        var memory = new byte[MonoFrame.Width * MonoFrame.Pages];
        for (int page = 0; page < MonoFrame.Pages; page++)
        {
            for (int x = 0; x < MonoFrame.Width; x++)
            {
                memory[(page * MonoFrame.Width) + x] = (byte)(_ram[page, x + offset] ^ (Inverse ? 0xFF : 0));
            }
        }

        return MonoFrame.FromMemory(memory);
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (Absent)
        {
            throw new IOException($"Error 121 performing I2C data transfer.");
        }

        Writes.Add(buffer.ToArray());
        int i = 0;
        while (i < buffer.Length)
        {
            byte control = buffer[i++];
            bool single = (control & 0x80) != 0;
            bool data = (control & 0x40) != 0;
            int end = single ? Math.Min(i + 1, buffer.Length) : buffer.Length;
            for (; i < end; i++)
            {
                if (data)
                {
                    Data(buffer[i]);
                }
                else
                {
                    Command(buffer[i]);
                }
            }
        }
    }

    public override void WriteByte(byte value) => Write([value]);

    public override byte ReadByte() => throw new NotSupportedException("the display is write-only over I2C here");

    public override void Read(Span<byte> buffer) => throw new NotSupportedException("the display is write-only over I2C here");

    public override void WriteRead(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer) => throw new NotSupportedException("the display is write-only over I2C here");

    private void Data(byte value)
    {
        DataBytes++;
        if (_page < 8 && _column < _ramColumns)
        {
            _ram[_page, _column] = value;
        }

        switch (AddressingMode)
        {
            case 0:
                if (++_column > _columnEnd)
                {
                    _column = _columnStart;
                    _page = _page >= _pageEnd ? _pageStart : _page + 1;
                }

                break;
            case 1:
                if (++_page > _pageEnd)
                {
                    _page = _pageStart;
                    _column = _column >= _columnEnd ? _columnStart : _column + 1;
                }

                break;
            default:
                _column = Math.Min(_column + 1, _ramColumns - 1);
                break;
        }
    }

    private void Command(byte value)
    {
        _pending.Add(value);
        byte op = _pending[0];
        int needed = Arguments(op);
        if (needed < 0)
        {
            Unknown.Add($"0x{op:X2}");
            _pending.Clear();
            return;
        }

        if (_pending.Count <= needed)
        {
            return;
        }

        byte[] a = [.. _pending.Skip(1)];
        _pending.Clear();
        switch (op)
        {
            case <= 0x0F: _column = (_column & 0xF0) | op; break;
            case <= 0x1F: _column = (_column & 0x0F) | ((op & 0x0F) << 4); break;
            case 0x20: AddressingMode = a[0] & 3; break;
            case 0x21: _columnStart = _column = a[0] & 0x7F; _columnEnd = a[1] & 0x7F; break;
            case 0x22: _pageStart = _page = a[0] & 7; _pageEnd = a[1] & 7; break;
            case 0x81: Contrast = a[0]; break;
            case 0x8D: ChargePump = (a[0] & 0x04) != 0; break;
            case 0xA0 or 0xA1: SegmentRemapped = op == 0xA1; break;
            case 0xA6 or 0xA7: Inverse = op == 0xA7; break;
            case 0xA8: Multiplex = a[0] & 0x3F; break;
            case 0xAE or 0xAF: On = op == 0xAF; break;
            case >= 0xB0 and <= 0xB7: _page = op & 7; break;
            case 0xC0 or 0xC8: ComRemapped = op == 0xC8; break;
            default: break; // accepted and without effect on the picture: start line, offset, clock, pre-charge, VCOMH, scrolling
        }
    }

    // Arguments after the command byte, or -1 for a byte the chip does not take as a command.
    private int Arguments(byte op)
    {
        bool ssd = chip == OledController.Ssd1306;
        return op switch
        {
            <= 0x1F => 0,
            0x20 when ssd => 1,
            0x21 or 0x22 when ssd => 2,
            0x26 or 0x27 when ssd => 6,
            0x29 or 0x2A when ssd => 5,
            0x2E or 0x2F when ssd => 0,
            >= 0x30 and <= 0x33 when !ssd => 0, // SH1106 pump voltage
            >= 0x40 and <= 0x7F => 0,
            0x81 => 1,
            0x8D when ssd => 1,
            0xA0 or 0xA1 or 0xA4 or 0xA5 or 0xA6 or 0xA7 => 0,
            0xA3 when ssd => 2,
            0xA8 => 1,
            0xAD when !ssd => 1, // SH1106 DC-DC
            0xAE or 0xAF => 0,
            >= 0xB0 and <= 0xB7 => 0,
            0xC0 or 0xC8 => 0,
            0xD3 or 0xD5 or 0xD9 or 0xDA or 0xDB => 1,
            0xE3 => 0,
            0xE0 or 0xEE when !ssd => 0, // SH1106 read-modify-write
            _ => -1,
        };
    }
}
