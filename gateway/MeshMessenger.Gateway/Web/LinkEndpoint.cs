using System.Net;
using MeshMessenger.Gateway.Configuration;
using MeshMessenger.Gateway.Ingest;
using MeshMessenger.Gateway.Links;
using Microsoft.Extensions.Options;

namespace MeshMessenger.Gateway.Web;

/// <summary>
/// <c>GET /api/link</c>: the WebSocket link for browser nodes (<see cref="WebSocketLink"/>). The handshake is refused
/// with 403 when it comes from another site's page (browsers send Origin and Sec-Fetch-Site on WebSocket handshakes;
/// the rule of <see cref="RequestOriginCheck"/>; clients without either, like devices on UDP, pass), 400 when it is
/// not a WebSocket upgrade, 429 when the client's address has its share of sockets open and 503 when the gateway
/// has all it allows. The server pings every <see cref="WebSocketLinkOptions.KeepAliveSeconds"/> (RFC 6455 §5.5.2).
/// </summary>
public static class LinkEndpoint
{
    /// <summary>Adds the WebSocket middleware and maps the endpoint.</summary>
    public static void MapLink(this WebApplication app)
    {
        WebSocketLinkOptions options = app.Services.GetRequiredService<IOptions<GatewayOptions>>().Value.WebSocket;
        app.UseWebSockets(new WebSocketOptions
        {
            KeepAliveInterval = TimeSpan.FromSeconds(options.KeepAliveSeconds),
            KeepAliveTimeout = TimeSpan.FromSeconds(options.KeepAliveSeconds),
        });
        app.MapGet("/api/link", AcceptAsync);
    }

    private static async Task AcceptAsync(HttpContext http, WebSocketLink link, GatewayCounters counters)
    {
        if (RequestOriginCheck.Refusal(http.Request) is string refusal)
        {
            counters.Add("ws_refused_origin");
            await Results.Problem(refusal, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden").ExecuteAsync(http).ConfigureAwait(false);
            return;
        }

        if (!http.WebSockets.IsWebSocketRequest)
        {
            await Results.Problem("GET /api/link takes a WebSocket upgrade (RFC 6455); each binary message is then one frame", statusCode: StatusCodes.Status400BadRequest).ExecuteAsync(http).ConfigureAwait(false);
            return;
        }

        string origin = new IPEndPoint(http.Connection.RemoteIpAddress ?? IPAddress.IPv6None, http.Connection.RemotePort).ToString();
        using IDisposable? slot = link.TryReserve(origin, out int status, out string reason);
        if (slot is null)
        {
            http.Response.Headers.RetryAfter = "10";
            await Results.Problem(reason, statusCode: status).ExecuteAsync(http).ConfigureAwait(false);
            return;
        }

        using System.Net.WebSockets.WebSocket socket = await http.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        await link.RunAsync(socket, origin, http.RequestAborted).ConfigureAwait(false);
    }
}
