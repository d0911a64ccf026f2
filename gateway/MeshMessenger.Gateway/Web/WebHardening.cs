namespace MeshMessenger.Gateway.Web;

/// <summary>
/// Wires the web app's protections (docs/gateway.md §6): security headers, the origin check on state-changing
/// requests, problem bodies on every 4xx, per-client quotas and the bound on concurrent photo decodes.
/// </summary>
public static class WebHardening
{
    /// <summary>Registers the services: per-client quotas, the photo decode gate, and API binding errors thrown with their reason.</summary>
    public static IServiceCollection AddWebHardening(this IServiceCollection services)
    {
        // Without this a body that cannot be bound is an empty 400; thrown, ProblemBodies answers with the reason.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddSingleton<ClientQuotas>();
        services.AddSingleton<PhotoDecodeGate>();
        return services;
    }

    /// <summary>Adds the middleware, before the static files and the API.</summary>
    public static void UseWebHardening(this WebApplication app)
    {
        app.Use(SecurityHeaders.InvokeAsync);
        app.Use(ProblemBodies.InvokeAsync);
        app.Use(RequestOriginCheck.InvokeAsync);
    }
}
