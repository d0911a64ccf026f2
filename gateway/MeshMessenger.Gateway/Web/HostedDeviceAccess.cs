using System.Globalization;
using MeshMessenger.Gateway.Links;
using MeshMessenger.Protocol;

namespace MeshMessenger.Gateway.Web;

/// <summary>Runs a read or a write on a hosted demo device and answers its failures as problems.</summary>
internal static class HostedDeviceAccess
{
    /// <summary>Runs a read on a hosted node: a bad id or input is 400, a node not hosted here 404.</summary>
    public static IResult On(EmulatedDevices devices, string id, Func<VirtualDevice, IResult> action)
    {
        if (NodeIdText.Parse(id) is not uint device)
        {
            return NodeIdText.BadId(id);
        }

        try
        {
            return devices.Use(device, action);
        }
        catch (KeyNotFoundException e)
        {
            return Results.Problem(e.Message, statusCode: 404);
        }
        catch (ProtocolException e)
        {
            return Results.Problem(e.Message, statusCode: 400);
        }
    }

    /// <summary>
    /// Runs a write on a hosted node and answers only once what it wrote is committed to the store (a 2xx is a
    /// promise that survives kill -9); over budget is 429 with Retry-After, a store failure 503.
    /// </summary>
    public static async Task<IResult> Write(EmulatedDevices devices, string id, HttpResponse response, Func<VirtualDevice, IResult> action)
    {
        if (NodeIdText.Parse(id) is not uint device)
        {
            return NodeIdText.BadId(id);
        }

        try
        {
            return await devices.WriteAsync(device, action).ConfigureAwait(false);
        }
        catch (KeyNotFoundException e)
        {
            return Results.Problem(e.Message, statusCode: 404);
        }
        catch (ProtocolException e)
        {
            return Results.Problem(e.Message, statusCode: 400);
        }
        catch (HostedWriteRefusedException e)
        {
            return Refused(e, response);
        }
    }

    private static IResult Refused(HostedWriteRefusedException e, HttpResponse response)
    {
        if (e.RetryAfter is TimeSpan wait)
        {
            response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        return Results.Problem(e.Message, statusCode: e.StatusCode);
    }
}
