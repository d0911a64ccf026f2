namespace MeshMessenger.Radio.Hardware;

/// <summary>Time for the drivers' waits and deadlines. A board sleeps; a simulation advances virtual time.</summary>
public interface IRadioTimer
{
    /// <summary>Monotonic time in microseconds.</summary>
    long NowMicroseconds { get; }

    /// <summary>Waits at least <paramref name="microseconds"/>.</summary>
    void Delay(int microseconds);
}
