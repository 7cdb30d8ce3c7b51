using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Stemma.Present;
using Stemma.Storage;
using Stemma.Web.Services;

namespace Stemma.Web.Api;

/// <summary>The JSON API under /api: thin handlers over <see cref="StemmaCatalog"/>.</summary>
internal static class ApiEndpoints
{
    public const int StoriesPageSize = 20;
    private const int CheckTop = 10;

    /// <summary>Records read from a check request: check takes one article; a few more tell that there are too many (and let a few bad records pass before it).</summary>
    internal const int CheckMaxRecords = 16;

    private static readonly string[] UploadTypes =
        ["text/plain", "text/html", "application/json", "application/x-ndjson", "application/xml", "text/xml", "application/rss+xml", "application/atom+xml",
         "application/warc", "application/gzip", "application/octet-stream", "multipart/form-data", "application/x-www-form-urlencoded"];

    public static void MapStemmaApi(this IEndpointRouteBuilder app, ServeOptions options)
    {
        var api = app.MapGroup("/api").WithTags("Stemma").DisableAntiforgery();

        api.MapPost("/documents", IngestAsync)
            .AddEndpointFilter(new BearerTokenFilter(options.Token))
            .Accepts<string>(UploadTypes[0], UploadTypes[1..])
            .WithName("AddDocuments")
            .WithSummary("Store one article or a batch (any format Stemma reads, raw body or multipart files); returns ids and what each joined.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);

        api.MapPost("/check", CheckAsync)
            .AddEndpointFilter(new BearerTokenFilter(options.Token))
            .Accepts<string>(UploadTypes[0], UploadTypes[1..])
            .WithName("CheckArticle")
            .WithSummary("Is this article a copy of something stored? Matches, relations and changes; stores nothing.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);

        api.MapGet("/stories", ListStoriesAsync)
            .WithName("ListStories")
            .WithSummary("Stories filtered by title words (q) and site, sorted by size, newest or oldest, 20 per page.")
            .ProducesProblem(StatusCodes.Status400BadRequest);

        api.MapGet("/stories/{*id}", GetStoryAsync)
            .WithName("GetStory")
            .WithSummary("A story's members, relation labels, lineage trees and changed facts.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/documents/{*id}", GetDocumentAsync)
            .WithName("GetDocument")
            .WithSummary("A stored document: metadata, body and annotations.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/compare", CompareAsync)
            .WithName("Compare")
            .WithSummary("Aligned passages and changes between two stored documents.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<Results<Ok<IngestResponse>, ProblemHttpResult>> IngestAsync(HttpRequest request, StemmaCatalog catalog, ServeOptions options, CancellationToken cancellationToken)
    {
        var content = await ReadArticlesAsync(request, options, options.Limits.MaxRequestRecords, cancellationToken).ConfigureAwait(false);
        if (content.TooManyRecords)
        {
            return TypedResults.Problem(
                detail: $"The request holds more than {options.Limits.MaxRequestRecords:N0} articles (limit MaxRequestRecords); split the batch.",
                statusCode: StatusCodes.Status413PayloadTooLarge,
                title: "Too many articles");
        }

        if (content.Articles.Count == 0)
        {
            return NoArticle(content);
        }

        var summary = await catalog.IngestAsync(content.Articles, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new IngestResponse(
            summary.Added,
            summary.Updated,
            summary.Unchanged,
            summary.Rejected + content.Errors.Count,
            summary.PairsStored,
            [.. summary.Documents.Select(d => new IngestedDocumentDto(d.Id, d.Status, d.Error, d.Family, d.Story, d.StorySize))],
            [.. content.Errors.Select(e => new InputErrorDto(e.Source, e.Error))]));
    }

    private static async Task<Results<Ok<CheckResponse>, ProblemHttpResult>> CheckAsync(HttpRequest request, StemmaCatalog catalog, ServeOptions options, CancellationToken cancellationToken)
    {
        // Reading stops at the second article: check takes one, so a body of a million records costs no more than two.
        var content = await ReadArticlesAsync(request, options, CheckMaxRecords, cancellationToken).ConfigureAwait(false);
        if (content.Articles.Count > 1 || (content.TooManyRecords && content.Articles.Count > 0))
        {
            return TypedResults.Problem(detail: "check takes one article; the body holds more than one.", statusCode: StatusCodes.Status400BadRequest, title: "More than one article");
        }

        if (content.Articles.Count == 0)
        {
            return NoArticle(content);
        }

        var article = content.Articles[0];
        var result = await catalog.CheckAsync(article, CheckTop, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new CheckResponse(
            article.Title,
            Stemma.Text.WordTokenizer.Count(article.Body),
            [.. result.Matches.Select(m => m.ToDto())],
            [.. content.Errors.Select(e => new InputErrorDto(e.Source, e.Error))]));
    }

    private static async Task<Results<Ok<StoryListResponse>, ProblemHttpResult>> ListStoriesAsync(
        StemmaCatalog catalog, string? q, string? site, string? sort, int? page, CancellationToken cancellationToken)
    {
        if (!TryParseSort(sort, out var order))
        {
            return TypedResults.Problem(detail: $"sort must be size, newest or oldest, not '{sort}'.", statusCode: StatusCodes.Status400BadRequest, title: "Unknown sort");
        }

        if (page is < 1)
        {
            return TypedResults.Problem(detail: "page starts at 1.", statusCode: StatusCodes.Status400BadRequest, title: "Bad page number");
        }

        var number = page ?? 1;
        var result = await catalog.Store.ListStoriesAsync(StoryQueryFor(q, site, order, number), cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new StoryListResponse(
            result.TotalCount,
            number,
            StoriesPageSize,
            [.. result.Stories.Select(s => new StorySummaryDto(s.StoryId, s.OriginalId is null ? s.FirstTitle : s.OriginalTitle, s.Size, s.FamilyCount, s.SiteCount, s.EarliestDate, s.LatestDate, s.FirstDocumentId) { Original = s.OriginalId ?? s.FirstDocumentId })]));
    }

    private static async Task<Results<Ok<StoryResult>, ProblemHttpResult>> GetStoryAsync(string id, HttpRequest request, StemmaCatalog catalog, CancellationToken cancellationToken)
    {
        id = IdFromPath(request, id, "/stories/");
        var story = await catalog.GetStoryAsync(id, allowStale: false, cancellationToken).ConfigureAwait(false);
        return story is null ? NotFound("story", id) : TypedResults.Ok(story.ToResult());
    }

    private static async Task<Results<Ok<DocumentResponse>, ProblemHttpResult>> GetDocumentAsync(string id, HttpRequest request, StemmaCatalog catalog, CancellationToken cancellationToken)
    {
        id = IdFromPath(request, id, "/documents/");
        var article = await catalog.GetArticleAsync(id, cancellationToken).ConfigureAwait(false);
        if (article is null)
        {
            return NotFound("document", id);
        }

        var group = await catalog.Store.GetGroupAsync(id, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(article.ToDto(group?.FamilyId, group?.StoryId));
    }

    private static async Task<Results<Ok<CompareResult>, ProblemHttpResult>> CompareAsync(string? a, string? b, StemmaCatalog catalog, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(a) || string.IsNullOrEmpty(b))
        {
            return TypedResults.Problem(detail: "Give two document ids: /api/compare?a=ID&b=ID.", statusCode: StatusCodes.Status400BadRequest, title: "Missing document id");
        }

        var view = await catalog.CompareAsync(a, b, cancellationToken).ConfigureAwait(false);
        return view is null ? NotFound("document", await catalog.GetArticleAsync(a, cancellationToken).ConfigureAwait(false) is null ? a : b) : TypedResults.Ok(CompareResult.From(view.A, view.B, view.Comparison));
    }

    /// <summary>
    /// The id after <paramref name="prefix"/> in the path as the client sent it, fully unescaped: ids hold '/', which
    /// clients send plain or as %2F, and the server decodes every escape in a path except %2F.
    /// </summary>
    internal static string IdFromPath(HttpRequest request, string routeId, string prefix)
    {
        var raw = request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(raw))
        {
            return routeId;
        }

        var path = raw.Split('?', 2)[0];
        var at = path.IndexOf("/api" + prefix, StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            return routeId;
        }

        try
        {
            return Uri.UnescapeDataString(path[(at + 4 + prefix.Length)..]);
        }
        catch (UriFormatException)
        {
            return routeId;
        }
    }

    public static bool TryParseSort(string? sort, out StorySort order)
    {
        switch (sort?.Trim().ToLowerInvariant())
        {
            case null or "" or "size":
                order = StorySort.Size;
                return true;
            case "newest" or "date":
                order = StorySort.Newest;
                return true;
            case "oldest":
                order = StorySort.Oldest;
                return true;
            default:
                order = StorySort.Size;
                return false;
        }
    }

    public static StoryQuery StoryQueryFor(string? q, string? site, StorySort sort, int page) => new()
    {
        Search = string.IsNullOrWhiteSpace(q) ? null : q.Trim(),
        Site = string.IsNullOrWhiteSpace(site) ? null : site.Trim(),
        Sort = sort,
        Offset = (Math.Max(1, page) - 1) * StoriesPageSize,
        Limit = StoriesPageSize,
    };

    private static async Task<UploadContent> ReadArticlesAsync(HttpRequest request, ServeOptions options, int maxRecords, CancellationToken cancellationToken)
    {
        var uploads = await RequestUploads.ReadAsync(request, options.MaxBodyBytes, cancellationToken).ConfigureAwait(false);
        return UploadReader.Read(uploads, options.Limits, maxRecords, cancellationToken);
    }

    private static ProblemHttpResult NoArticle(UploadContent content) => TypedResults.Problem(
        detail: content.Errors.Count == 0 ? "The body holds no article." : string.Join("; ", content.Errors.Take(5).Select(e => $"{e.Source}: {e.Error}")),
        statusCode: StatusCodes.Status400BadRequest,
        title: "No readable article");

    private static ProblemHttpResult NotFound(string what, string id) =>
        TypedResults.Problem(detail: $"No {what} with id '{id}' is stored.", statusCode: StatusCodes.Status404NotFound, title: $"Unknown {what}");

    /// <summary>Writes need <c>Authorization: Bearer TOKEN</c> when the server was started with a token.</summary>
    private sealed class BearerTokenFilter(string? token) : IEndpointFilter
    {
        private readonly byte[]? expected = token is null ? null : Encoding.UTF8.GetBytes(token);

        public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
        {
            if (expected is null)
            {
                return next(context);
            }

            var header = context.HttpContext.Request.Headers.Authorization.ToString();
            const string scheme = "Bearer ";
            var given = header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) ? Encoding.UTF8.GetBytes(header[scheme.Length..].Trim()) : [];
            if (CryptographicOperations.FixedTimeEquals(given, expected))
            {
                return next(context);
            }

            context.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
            return ValueTask.FromResult<object?>(TypedResults.Problem(
                detail: "This server takes writes only with 'Authorization: Bearer <token>' (the --token it was started with).",
                statusCode: StatusCodes.Status401Unauthorized,
                title: "Missing or wrong token"));
        }
    }
}
