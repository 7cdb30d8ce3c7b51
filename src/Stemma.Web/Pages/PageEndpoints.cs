using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Stemma.Web.Api;
using Stemma.Web.Components;
using Stemma.Web.Services;

namespace Stemma.Web.Pages;

/// <summary>The server-rendered pages: each handler loads a model and renders one Razor component (static SSR).</summary>
internal static class PageEndpoints
{
    public static void MapStemmaPages(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup(string.Empty).ExcludeFromDescription();
        pages.MapGet("/", () => TypedResults.Redirect("/stories"));

        pages.MapGet("/stories", async (StemmaCatalog catalog, string? q, string? site, string? sort, int? page, CancellationToken cancellationToken) =>
        {
            if (!ApiEndpoints.TryParseSort(sort, out var order))
            {
                order = Storage.StorySort.Size;
            }

            var number = Math.Max(1, page ?? 1);
            var result = await catalog.Store.ListStoriesAsync(ApiEndpoints.StoryQueryFor(q, site, order, number), cancellationToken).ConfigureAwait(false);
            var sortName = order switch { Storage.StorySort.Newest => "newest", Storage.StorySort.Oldest => "oldest", _ => "size" };
            return Page<StoriesPage>(new StoriesModel(result, q, site, sortName, number, ApiEndpoints.StoriesPageSize));
        });

        pages.MapGet("/story", async (StemmaCatalog catalog, string? id, CancellationToken cancellationToken) =>
        {
            var story = string.IsNullOrEmpty(id) ? null : await catalog.GetStoryAsync(id, allowStale: true, cancellationToken).ConfigureAwait(false);
            return story is null ? NotFound("No such story", $"No story with id '{id}' is stored.") : Page<StoryPage>(StoryLayout.Build(story, RelationsToOriginal(story)));
        });

        pages.MapGet("/document", async (StemmaCatalog catalog, string? id, CancellationToken cancellationToken) =>
        {
            var article = string.IsNullOrEmpty(id) ? null : await catalog.GetArticleAsync(id, cancellationToken).ConfigureAwait(false);
            if (article is null)
            {
                return NotFound("No such document", $"No document with id '{id}' is stored.");
            }

            var group = await catalog.Store.GetGroupAsync(article.Id, cancellationToken).ConfigureAwait(false);
            return Page<DocumentPage>(new DocumentModel(article, group));
        });

        pages.MapGet("/compare", async (StemmaCatalog catalog, string? a, string? b, CancellationToken cancellationToken) =>
        {
            var view = string.IsNullOrEmpty(a) || string.IsNullOrEmpty(b) ? null : await catalog.CompareAsync(a, b, cancellationToken).ConfigureAwait(false);
            if (view is null)
            {
                return NotFound("Nothing to compare", "Both documents must be stored: /compare?a=ID&b=ID.");
            }

            // The earlier version goes on the left, whichever order the link asked for.
            var order = CompareLayout.Order(view.A, view.B, view.Comparison);
            if (order.Swap)
            {
                view = await catalog.CompareAsync(b!, a!, cancellationToken).ConfigureAwait(false) ?? view;
            }

            return Page<ComparePage>(new CompareModel(view, order));
        });

        pages.MapGet("/check", (HttpContext context, IAntiforgery antiforgery) =>
            Page<CheckPage>(new CheckModel(antiforgery.GetAndStoreTokens(context), null, null, [])));

        // Binding the form makes the endpoint require a valid antiforgery token (checked by UseAntiforgery).
        pages.MapPost("/check", async (HttpContext context, IFormCollection form, IAntiforgery antiforgery, StemmaCatalog catalog, ServeOptions options, CancellationToken cancellationToken) =>
        {
            var text = form["text"].ToString();
            var uploads = new List<(byte[] Content, string? Name, string? ContentType)>();
            foreach (var file in form.Files.Where(f => f.Length > 0))
            {
                using var buffer = new MemoryStream();
                await file.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
                uploads.Add((buffer.ToArray(), file.FileName, file.ContentType));
            }

            if (!string.IsNullOrWhiteSpace(text))
            {
                uploads.Add((System.Text.Encoding.UTF8.GetBytes(text), "pasted.txt", "text/plain"));
            }

            var tokens = antiforgery.GetAndStoreTokens(context);
            if (uploads.Count == 0)
            {
                return Page<CheckPage>(new CheckModel(tokens, text, null, [new UploadError("form", "paste an article or choose a file")]), StatusCodes.Status400BadRequest);
            }

            var content = UploadReader.Read(uploads, options.Limits, Api.ApiEndpoints.CheckMaxRecords, cancellationToken);
            if (content.Articles.Count == 0)
            {
                return Page<CheckPage>(new CheckModel(tokens, text, null, content.Errors), StatusCodes.Status400BadRequest);
            }

            var result = await catalog.CheckAsync(content.Articles[0], 10, cancellationToken).ConfigureAwait(false);
            return Page<CheckPage>(new CheckModel(tokens, text, result, content.Errors));
        });
    }

    /// <summary>
    /// How members outside the original's copy family relate to it, as the relate stage stored it: the pair with the
    /// original, else the member's most similar stored pair with the original's family, else its most similar pair.
    /// </summary>
    private static Func<string, string?> RelationsToOriginal(StoryView story)
    {
        var original = StoryLayout.OriginalOf(story);
        var family = original is null ? null : story.Member(original.Id)?.Family;
        var relations = new Dictionary<string, string>(StringComparer.Ordinal);
        if (original is not null)
        {
            var familyIds = story.Members.Where(m => m.Family == family).Select(m => m.Article.Id).ToHashSet(StringComparer.Ordinal);
            foreach (var member in story.Members.Where(m => m.Family != family))
            {
                var id = member.Article.Id;
                var pairs = story.Pairs.Where(p => p.A == id || p.B == id).ToList();
                var other = (Relate.RelatedPair p) => p.A == id ? p.B : p.A;
                var chosen = pairs.FirstOrDefault(p => other(p) == original.Id)
                    ?? pairs.Where(p => familyIds.Contains(other(p))).MaxBy(p => p.Similarity)
                    ?? pairs.MaxBy(p => p.Similarity);
                if (chosen is not null)
                {
                    relations[id] = chosen.Relation;
                }
            }
        }

        return id => relations.GetValueOrDefault(id);
    }

    private static RazorComponentResult Page<TComponent>(object model, int status = StatusCodes.Status200OK)
        where TComponent : IComponent =>
        new RazorComponentResult<TComponent>(new Dictionary<string, object?> { ["Model"] = model }) { StatusCode = status };

    private static RazorComponentResult NotFound(string heading, string message) =>
        new RazorComponentResult<MessagePage>(new Dictionary<string, object?> { ["Heading"] = heading, ["Message"] = message }) { StatusCode = StatusCodes.Status404NotFound };
}
