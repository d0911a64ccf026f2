namespace MeshMessenger.Gateway.Hardware.Display;

/// <summary>
/// The status display's behaviour: which page shows, when it dims and sleeps, what a press does. It sends a frame
/// only when the picture changed. After <c>dimAfter</c> without a press the contrast drops to
/// <see cref="OledPanel.DimContrast"/>, after twice that the panel is switched off (an OLED's pixels wear while lit).
/// A short press wakes a dimmed or dark display, or else turns the page; a long press wakes it on the QR code.
/// Thread-safe: presses arrive on the GPIO driver's thread, updates on the display loop's.
/// </summary>
public sealed class StatusDisplay(OledPanel panel, TimeProvider time, TimeSpan dimAfter)
{
    private readonly Lock _gate = new();
    private DateTimeOffset _lastPress = time.GetUtcNow();
    private MonoFrame? _shown;
    private DisplayStatus? _status;

    /// <summary>The page shown.</summary>
    public DisplayPage Page { get; private set; }

    /// <summary>Awake, dimmed, or off.</summary>
    public DisplayPower Power { get; private set; } = DisplayPower.Awake;

    /// <summary>A press shorter than a long press.</summary>
    public void ShortPress()
    {
        lock (_gate)
        {
            if (Power == DisplayPower.Awake)
            {
                Page = (DisplayPage)(((int)Page + 1) % Enum.GetValues<DisplayPage>().Length);
            }

            WakeLocked();
        }
    }

    /// <summary>A long press: the QR code of the web address.</summary>
    public void LongPress()
    {
        lock (_gate)
        {
            Page = DisplayPage.WebAddress;
            WakeLocked();
        }
    }

    /// <summary>Takes the latest status, dims or sleeps when due, and sends the page if its picture changed.</summary>
    /// <exception cref="IOException">The display stopped answering.</exception>
    public void Update(DisplayStatus status)
    {
        lock (_gate)
        {
            _status = status;
            TimeSpan idle = time.GetUtcNow() - _lastPress;
            if (Power == DisplayPower.Awake && idle >= dimAfter)
            {
                panel.SetContrast(OledPanel.DimContrast);
                Power = DisplayPower.Dimmed;
            }

            if (Power == DisplayPower.Dimmed && idle >= 2 * dimAfter)
            {
                panel.SetOn(false);
                Power = DisplayPower.Off;
            }

            if (Power != DisplayPower.Off)
            {
                DrawLocked();
            }
        }
    }

    private void WakeLocked()
    {
        _lastPress = time.GetUtcNow();
        if (Power == DisplayPower.Off)
        {
            panel.SetOn(true);
        }

        if (Power != DisplayPower.Awake)
        {
            panel.SetContrast(OledPanel.AwakeContrast);
        }

        Power = DisplayPower.Awake;
        if (_status is not null)
        {
            DrawLocked();
        }
    }

    private void DrawLocked()
    {
        MonoFrame frame = StatusPages.Render(Page, _status!);
        if (_shown is null || !_shown.SameAs(frame))
        {
            panel.Show(frame);
            _shown = frame;
        }
    }
}
