namespace MeshMessenger.Gateway.Web;

/// <summary>
/// Headers on every response, static files included: a Content-Security-Policy (CSP Level 3) that allows only
/// the app's own scripts and styles (no inline script or style), pictures from itself, blob: and data:, fetches
/// and server-sent events to itself, and no framing; X-Content-Type-Options: nosniff; Referrer-Policy: no-referrer.
/// </summary>
internal static class SecurityHeaders
{
    /// <summary>
    /// The policy. 'wasm-unsafe-eval' lets the page compile WebAssembly (the browser node, CSP Level 3 §8.1 and the
    /// WebAssembly CSP integration) without allowing eval of JavaScript ('unsafe-eval' stays off).
    /// The camera (getUserMedia) is a permission, not a fetch, so it needs no source here.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' blob: data:; media-src 'self' blob: mediastream:; " +
        "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static Task InvokeAsync(HttpContext http, RequestDelegate next)
    {
        http.Response.OnStarting(() =>
        {
            IHeaderDictionary headers = http.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            return Task.CompletedTask;
        });
        return next(http);
    }
}
