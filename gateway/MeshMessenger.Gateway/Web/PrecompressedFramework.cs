using System.Text.RegularExpressions;
using Microsoft.Net.Http.Headers;

namespace MeshMessenger.Gateway.Web;

/// <summary>
/// Serves the browser node's runtime (webapp/_framework/, published by the build with .br and .gz copies of
/// every file) precompressed: the Brotli copy when the request's Accept-Encoding names br (RFC 9110 §12.5.3,
/// RFC 7932), else the gzip copy, else the plain file, with Content-Encoding and Vary: Accept-Encoding
/// (RFC 9110 §8.4, §12.5.5) and the plain file's Content-Type (application/wasm for WebAssembly, which
/// WebAssembly.instantiateStreaming requires; text/javascript for modules, RFC 9239). File names carrying a
/// build fingerprint never change content, so they are cached for a year as immutable (RFC 8246); the others
/// (dotnet.js, the boot manifest) are revalidated on every load.
/// </summary>
public static partial class PrecompressedFramework
{
    /// <summary>The URL path the runtime is served under.</summary>
    public const string PathPrefix = "/_framework/";

    /// <summary>Serves <c>/_framework/*</c> from <paramref name="webRoot"/>/_framework; other requests pass on.</summary>
    public static void UsePrecompressedFramework(this IApplicationBuilder app, string webRoot)
    {
        string folder = Path.GetFullPath(Path.Combine(webRoot, "_framework"));
        app.Use((http, next) => ServeAsync(http, next, folder));
    }

    private static async Task ServeAsync(HttpContext http, RequestDelegate next, string folder)
    {
        string path = http.Request.Path.Value ?? "";
        if (!path.StartsWith(PathPrefix, StringComparison.Ordinal) || !(HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method)))
        {
            await next(http).ConfigureAwait(false);
            return;
        }

        string name = path[PathPrefix.Length..];
        string? contentType = ContentTypeOf(name);
        string file = Path.GetFullPath(Path.Combine(folder, name));
        // Only plain names directly in the folder: no traversal, no sub-folders, no asking for the .br copy itself.
        if (contentType is null || name.Contains('/', StringComparison.Ordinal) || name.Contains('\\', StringComparison.Ordinal)
            || !file.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(file))
        {
            await next(http).ConfigureAwait(false);
            return;
        }

        string accepted = http.Request.Headers.AcceptEncoding.ToString();
        string? encoding = null;
        if (Accepts(accepted, "br") && File.Exists(file + ".br"))
        {
            (file, encoding) = (file + ".br", "br");
        }
        else if (Accepts(accepted, "gzip") && File.Exists(file + ".gz"))
        {
            (file, encoding) = (file + ".gz", "gzip");
        }

        HttpResponse response = http.Response;
        response.ContentType = contentType;
        response.Headers.Vary = HeaderNames.AcceptEncoding;
        response.Headers.CacheControl = Fingerprinted().IsMatch(name) ? "public, max-age=31536000, immutable" : "no-cache";
        if (encoding is not null)
        {
            response.Headers.ContentEncoding = encoding;
        }

        var info = new FileInfo(file);
        response.ContentLength = info.Length;
        response.Headers.LastModified = info.LastWriteTimeUtc.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        if (HttpMethods.IsHead(http.Request.Method))
        {
            return;
        }

        await response.SendFileAsync(file, http.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>True if the Accept-Encoding value lists <paramref name="coding"/> without q=0 (RFC 9110 §12.5.3).</summary>
    private static bool Accepts(string acceptEncoding, string coding)
    {
        foreach (string part in acceptEncoding.Split(','))
        {
            string[] pieces = part.Split(';');
            if (pieces[0].Trim().Equals(coding, StringComparison.OrdinalIgnoreCase))
            {
                return !pieces.Skip(1).Any(p => p.Replace(" ", "", StringComparison.Ordinal) is "q=0" or "q=0.0" or "q=0.00" or "q=0.000");
            }
        }

        return false;
    }

    private static string? ContentTypeOf(string name) => Path.GetExtension(name) switch
    {
        ".wasm" => "application/wasm",
        ".js" or ".mjs" => "text/javascript",
        ".json" => "application/json",
        ".dat" or ".pdb" => "application/octet-stream",
        _ => null,
    };

    /// <summary>A name with the publish fingerprint before its extension, as in "dotnet.native.b6l13xorvf.js".</summary>
    [GeneratedRegex(@"\.[a-z0-9]{8,16}\.(wasm|js|mjs|json|dat|pdb)$")]
    private static partial Regex Fingerprinted();
}
