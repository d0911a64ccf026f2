namespace MeshMessenger.Gateway.Links;

/// <summary>
/// A node the gateway hosts could not write: it is over its budget (429, with <see cref="RetryAfter"/>), or the
/// store could not keep the entry (503). Either way nothing it tried to write stays in its chain.
/// </summary>
public sealed class HostedWriteRefusedException(string message, int statusCode, TimeSpan? retryAfter) : Exception(message)
{
    /// <summary>The HTTP status that says why: 429 over budget, 503 the store failed.</summary>
    public int StatusCode { get; } = statusCode;

    /// <summary>When trying again can succeed, or null if unknown.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
