namespace MeshMessenger.Gateway.Display;

/// <summary>The status display's state for /health: "off" (not configured), "ok", or "degraded" with the problem in words.</summary>
public sealed class DisplayHealth
{
    private volatile string _state = "off";
    private volatile string? _problem;

    /// <summary>"off", "ok" or "degraded".</summary>
    public string State => _state;

    /// <summary>What is wrong and how to fix it, while degraded.</summary>
    public string? Problem => _problem;

    /// <summary>Working.</summary>
    public void Ok()
    {
        _problem = null;
        _state = "ok";
    }

    /// <summary>Not working, for <paramref name="problem"/>.</summary>
    public void Degraded(string problem)
    {
        _problem = problem;
        _state = "degraded";
    }
}
