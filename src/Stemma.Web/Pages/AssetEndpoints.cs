using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Stemma.Web.Pages;

/// <summary>Serves the stylesheet and script embedded in the assembly: no CDN, no files to deploy next to the tool.</summary>
internal static class AssetEndpoints
{
    private static readonly (string Name, string ContentType)[] Assets = [("site.css", "text/css; charset=utf-8"), ("site.js", "text/javascript; charset=utf-8")];

    public static void MapAssets(this IEndpointRouteBuilder app)
    {
        foreach (var (name, contentType) in Assets)
        {
            var content = Load(name);
            app.MapGet("/assets/" + name, (HttpContext context) =>
            {
                context.Response.Headers.CacheControl = "public, max-age=3600";
                return TypedResults.Bytes(content, contentType);
            }).ExcludeFromDescription();
        }
    }

    private static byte[] Load(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Stemma.Web.Assets." + name)
            ?? throw new InvalidOperationException($"asset {name} is not embedded");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
