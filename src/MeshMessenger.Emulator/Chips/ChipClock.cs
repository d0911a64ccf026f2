using MeshMessenger.Radio.Hardware;

namespace MeshMessenger.Emulator.Chips;

/// <summary>
/// Virtual time shared by simulated chips and the drivers that talk to them: a driver's wait advances it.
/// Given a floor (the emulator's event time), the clock never reads less than the floor, and a driver's
/// waits run ahead of it only within the current event, as a processor's time does between interrupts.
/// </summary>
public sealed class ChipClock : IRadioTimer
{
    private readonly Func<long>? _floorMicroseconds;
    private long _ownUs;

    /// <summary>A free-running clock that only drivers' waits and <see cref="Advance"/> move.</summary>
    public ChipClock()
    {
    }

    /// <summary>A clock that follows <paramref name="floorMicroseconds"/> (simulated time) and the waits within it.</summary>
    public ChipClock(Func<long> floorMicroseconds)
    {
        _floorMicroseconds = floorMicroseconds;
    }

    /// <inheritdoc />
    public long NowMicroseconds => _floorMicroseconds is null ? _ownUs : Math.Max(_ownUs, _floorMicroseconds());

    /// <inheritdoc />
    public void Delay(int microseconds) => _ownUs = NowMicroseconds + Math.Max(1, microseconds);

    /// <summary>Moves time forward without a driver waiting (another party's activity).</summary>
    public void Advance(long microseconds) => _ownUs = NowMicroseconds + microseconds;
}
