using MeshMessenger.Gateway.Links;
using MeshMessenger.Gateway.PeopleMigration;

namespace MeshMessenger.Gateway.Web;

/// <summary>
/// The hand-over of the people an earlier release hosted to their own browsers (docs/gateway.md §6): who waits,
/// their identity for the browser holding their access cookie, and the browser's word that it stored it. Until
/// then their old device API answers 410 Gone (<see cref="PendingPeopleAreNotHosted"/>).
/// </summary>
internal static class MigrationEndpoints
{
    /// <summary>Maps the migration routes under <paramref name="api"/>.</summary>
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/migrations", (PendingMigrations pending) => pending.Ids.Select(id => new { id = NodeIdText.Hex(id) }));

        // Under /api/devices/{id}, where an earlier release scoped the person's access cookie, so their browser sends it here.
        api.MapGet("/devices/{id}/migration", Migration);
        api.MapPost("/devices/{id}/migration/done", MigrationDone);
    }

    /// <summary>
    /// A person an earlier release hosted is not a node here any more: every call of their old device API answers
    /// 410 Gone, so nothing is read or written as them while their identity moves to their browser. Emulated demo
    /// devices are open to every page.
    /// </summary>
    public static async ValueTask<object?> PendingPeopleAreNotHosted(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        HttpContext http = context.HttpContext;
        if (http.Request.RouteValues["id"] is string id && NodeIdText.Parse(id) is uint node
            && http.RequestServices.GetRequiredService<PendingMigrations>().Find(node) is not null)
        {
            return Results.Problem($"{NodeIdText.Hex(node)} is no longer hosted by this gateway: the identity moves to the browser it joined from, which keeps the keys from now on", statusCode: 410);
        }

        return await next(context).ConfigureAwait(false);
    }

    /// <summary>The cookie an earlier release gave the browser a person joined from; scoped to their device's API path.</summary>
    private static string KeyCookie(uint id) => $"mm_key_{NodeIdText.Hex(id)}";

    /// <summary>
    /// A pending person's identity, for the browser holding their access cookie only (403 otherwise, 404 when
    /// nobody with that id is pending): backup code, name, the contact cards of their address book that the
    /// gateway can vouch for (demo devices and people of the same file) and their channel invites. Served on every
    /// such request until <see cref="MigrationDone"/>, never cached.
    /// </summary>
    private static IResult Migration(string id, PendingMigrations pending, EmulatedDevices devices, HttpContext http)
    {
        if (Admitted(id, pending, http, out PendingPerson? person) is IResult refused)
        {
            return refused;
        }

        http.Response.Headers.CacheControl = "no-store";
        Dictionary<uint, VirtualDevice> demo = devices.Devices.ToDictionary(d => d.Id);
        return Results.Json(new
        {
            id = NodeIdText.Hex(person!.Id),
            name = person.Name,
            backupCode = person.BackupCode,
            contacts = person.Contacts.Select(c => demo.TryGetValue(c, out VirtualDevice? d) ? HostedDeviceViews.Card(d) : pending.CardOf(c)).OfType<string>().ToList(),
            channels = person.Channels,
        });
    }

    /// <summary>
    /// The browser holding a pending person's access cookie has stored their identity: the secret is removed from
    /// people.json durably and from memory (200), or the answer is 503 naming the cause and the person stays pending.
    /// </summary>
    private static IResult MigrationDone(string id, PendingMigrations pending, HttpContext http)
    {
        if (Admitted(id, pending, http, out PendingPerson? person) is IResult refused)
        {
            return refused;
        }

        try
        {
            if (!pending.Complete(person!.Id))
            {
                return Results.Problem($"nobody with id {id} waits to move to their browser", statusCode: 404);
            }
        }
        catch (IOException e)
        {
            return Results.Problem($"the people file could not be rewritten without this person ({e.Message}); nothing was removed, try again", statusCode: 503);
        }

        http.Response.Cookies.Delete(KeyCookie(person.Id), new CookieOptions { Path = $"/api/devices/{NodeIdText.Hex(person.Id)}", HttpOnly = true, SameSite = SameSiteMode.Strict });
        return Results.Json(new { id = NodeIdText.Hex(person.Id), moved = true });
    }

    /// <summary>Null when <paramref name="id"/> is pending and this request carries their access cookie; else the problem to answer (400, 404, 403).</summary>
    private static IResult? Admitted(string id, PendingMigrations pending, HttpContext http, out PendingPerson? person)
    {
        person = null;
        if (NodeIdText.Parse(id) is not uint node)
        {
            return NodeIdText.BadId(id);
        }

        person = pending.Find(node);
        if (person is null)
        {
            return Results.Problem($"nobody with id {id} waits to move to their browser", statusCode: 404);
        }

        return person.Admits(http.Request.Cookies[KeyCookie(node)])
            ? null
            : Results.Problem("only the browser this person joined from may take their identity", statusCode: 403);
    }
}
