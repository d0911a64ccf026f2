using MeshMessenger.Radio.Hardware;

namespace MeshMessenger.Emulator.Chips;

/// <summary>
/// What the simulated SX1262 and SX1276 share: a place on the <see cref="ChipAir"/>, the virtual clock,
/// the reset line, and the faults a test can switch on (nothing on the bus, BUSY stuck high). Each chip
/// implements its own SPI protocol byte by byte and updates its state from the clock on every access.
/// </summary>
public abstract class SimulatedChip(ChipAir air, ChipClock clock, double x, double y) : ISpiBus, IRadioPins
{
    /// <summary>Position, metres east.</summary>
    public double X { get; } = x;

    /// <summary>Position, metres north.</summary>
    public double Y { get; } = y;

    /// <summary>No chip on the bus: MISO reads 0xFF (pulled up), BUSY and IRQ stay low.</summary>
    public bool Absent { get; set; }

    /// <summary>Protocol errors the driver made (a command while BUSY was high, and the like); tests expect none.</summary>
    public List<string> Violations { get; } = [];

    /// <summary>The channel.</summary>
    protected ChipAir Air { get; } = air;

    /// <summary>The virtual clock.</summary>
    protected ChipClock Clock { get; } = clock;

    /// <summary>True while NRESET is held low.</summary>
    protected bool InReset { get; private set; }

    /// <inheritdoc />
    public abstract bool IsBusy { get; }

    /// <inheritdoc />
    public abstract bool IsIrqHigh { get; }

    /// <summary>Where the antenna switch points: true while the driver transmits.</summary>
    public bool AntennaOnTransmit { get; private set; }

    /// <inheritdoc />
    public void SetRfSwitch(bool transmit) => AntennaOnTransmit = transmit;

    /// <inheritdoc />
    public void SetReset(bool high)
    {
        if (!high)
        {
            InReset = true;
        }
        else if (InReset)
        {
            InReset = false;
            PowerOnReset();
        }
    }

    /// <inheritdoc />
    public void Transfer(byte[] write, byte[] read, int count)
    {
        if (Absent || InReset)
        {
            Array.Fill(read, Absent ? (byte)0xFF : (byte)0x00, 0, count);
            return;
        }

        Update();
        Exchange(write, read, count);
        Update();
    }

    /// <summary>Registers, buffers and mode back to their reset values.</summary>
    protected abstract void PowerOnReset();

    /// <summary>One SPI transaction, chip select low for all of it.</summary>
    protected abstract void Exchange(byte[] write, byte[] read, int count);

    /// <summary>Applies what the clock says has happened: transmissions ended, packets arrived, timeouts fired.</summary>
    protected abstract void Update();
}
