using MeshMessenger.Radio.Hardware;

namespace MeshMessenger.Emulator.Chips;

/// <summary>Virtual time shared by simulated chips and the drivers that talk to them: a driver's wait advances it.</summary>
public sealed class ChipClock : IRadioTimer
{
    /// <inheritdoc />
    public long NowMicroseconds { get; private set; }

    /// <inheritdoc />
    public void Delay(int microseconds) => NowMicroseconds += Math.Max(1, microseconds);

    /// <summary>Moves time forward without a driver waiting (another party's activity).</summary>
    public void Advance(long microseconds) => NowMicroseconds += microseconds;
}
