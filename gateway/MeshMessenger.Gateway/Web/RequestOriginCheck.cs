namespace MeshMessenger.Gateway.Web;

/// <summary>
/// Refuses state-changing requests (POST, PUT, PATCH, DELETE) made by another site's page, including a page on
/// another port of the same host, which SameSite cookies do not stop. Fetch Metadata (W3C): Sec-Fetch-Site
/// <c>cross-site</c> or <c>same-site</c> is refused. Without it, an Origin header (RFC 6454) that is present must be
/// this request's own scheme://host:port. Requests with neither header (curl, the CLI) pass: browsers send one.
/// </summary>
internal static class RequestOriginCheck
{
    public static Task InvokeAsync(HttpContext http, RequestDelegate next)
    {
        string method = http.Request.Method;
        if (!(HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsPatch(method) || HttpMethods.IsDelete(method)))
        {
            return next(http);
        }

        string? refusal = Refusal(http.Request);
        return refusal is null
            ? next(http)
            : Results.Problem(refusal, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden").ExecuteAsync(http);
    }

    /// <summary>Why a request from another site is refused, or null if it may go on (the rule above; the WebSocket link applies it to its GET handshake).</summary>
    internal static string? Refusal(HttpRequest request)
    {
        string site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0)
        {
            return site is "same-origin" or "none"
                ? null
                : $"a page of another site (Sec-Fetch-Site: {site}) may not change anything here";
        }

        string origin = request.Headers.Origin.ToString();
        string own = $"{request.Scheme}://{request.Host.Value}";
        return origin.Length == 0 || string.Equals(origin, own, StringComparison.OrdinalIgnoreCase)
            ? null
            : $"a page from {origin} may not change anything on {own}";
    }
}
