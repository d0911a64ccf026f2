using System.Text.Json;

namespace MeshMessenger.Gateway.Web;

/// <summary>
/// Every 4xx carries an RFC 9457 problem body (application/problem+json) whose <c>detail</c> says why: the reason a
/// request could not be bound (bad JSON, no body, wrong content type, too large; the API throws these, see
/// <see cref="WebHardening"/>), or, for an answer that has no body yet, what its status means for this request.
/// </summary>
internal static class ProblemBodies
{
    public static async Task InvokeAsync(HttpContext http, RequestDelegate next)
    {
        try
        {
            await next(http).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e) when (!http.Response.HasStarted)
        {
            // The message names the parameter and what was wrong; a JSON error adds where in the body.
            string detail = e.InnerException is JsonException json ? $"{e.Message} {json.Message}" : e.Message;
            http.Response.Clear();
            await Results.Problem(detail, statusCode: e.StatusCode).ExecuteAsync(http).ConfigureAwait(false);
            return;
        }

        HttpResponse response = http.Response;
        if (response.StatusCode is >= 400 and < 500 && !response.HasStarted && response.ContentLength is null && string.IsNullOrEmpty(response.ContentType))
        {
            await Results.Problem(Reason(http), statusCode: response.StatusCode).ExecuteAsync(http).ConfigureAwait(false);
        }
    }

    private static string Reason(HttpContext http)
    {
        string what = $"{http.Request.Method} {http.Request.Path}";
        return http.Response.StatusCode switch
        {
            StatusCodes.Status404NotFound => $"nothing at {what}",
            StatusCodes.Status405MethodNotAllowed => $"{what}: that method is not allowed here",
            StatusCodes.Status413PayloadTooLarge => $"{what}: the request body is too large",
            StatusCodes.Status415UnsupportedMediaType => $"{what}: send the body as JSON (Content-Type: application/json)",
            StatusCodes.Status400BadRequest => $"{what}: the request could not be read",
            _ => $"{what} was refused",
        };
    }
}
