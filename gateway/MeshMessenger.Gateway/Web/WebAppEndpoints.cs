using Microsoft.Extensions.FileProviders;

namespace MeshMessenger.Gateway.Web;

/// <summary>
/// The web app (docs/gateway.md §6): static files from the <c>webapp</c> folder next to the binaries and a
/// JSON API over the demo devices the gateway emulates and the people of an earlier release who wait to move to
/// their browsers. The gateway holds no person's key: people are nodes in their own browsers. Ids in URLs are
/// node ids as 8 hex digits. Every request body is untrusted: bad input is a 400 problem with the reason, never
/// an exception page.
/// </summary>
public static class WebAppEndpoints
{
    /// <summary>Maps the static files and the API.</summary>
    public static void MapWebApp(this WebApplication app)
    {
        app.UseWebHardening();
        string root = Path.Combine(AppContext.BaseDirectory, "webapp");
        if (Directory.Exists(root))
        {
            var files = new PhysicalFileProvider(root);
            app.UsePrecompressedFramework(root);
            app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
            app.UseStaticFiles(new StaticFileOptions { FileProvider = files });
        }

        RouteGroupBuilder api = app.MapGroup("/api");
        GatewayStatusEndpoints.Map(api);
        MigrationEndpoints.Map(api);
        HostedDeviceEndpoints.Map(api);
    }
}
