using Stemma.Present;
using Stemma.Web.Services;

namespace Stemma.Web.Api;

/// <summary>
/// The JSON shapes of the API's own endpoints; compare and story results are the wire records of <see cref="Stemma.Present"/>,
/// the same ones `stemma compare|story --format json` prints.
/// </summary>
public sealed record IngestResponse(int Added, int Updated, int Unchanged, int Rejected, int PairsStored, IReadOnlyList<IngestedDocumentDto> Documents, IReadOnlyList<InputErrorDto> Errors);

/// <param name="Id">The stored document id.</param>
/// <param name="Status">stored or rejected.</param>
/// <param name="Error">Why it was rejected.</param>
/// <param name="Family">The copy family it joined.</param>
/// <param name="Story">The story it joined.</param>
/// <param name="StorySize">Documents in that story now.</param>
public sealed record IngestedDocumentDto(string Id, string Status, string? Error, string? Family, string? Story, int StorySize);

public sealed record InputErrorDto(string Source, string Error);

public sealed record CheckResponse(string? Title, int Words, IReadOnlyList<CheckMatchDto> Matches, IReadOnlyList<InputErrorDto> Errors);

/// <param name="Id">The stored document.</param>
/// <param name="Relation">How the checked article relates to it (copy, excerpt, edited, spun...).</param>
/// <param name="Changes">What the checked article changed relative to the stored one.</param>
public sealed record CheckMatchDto(string Id, string? Title, string? Site, DateTimeOffset? Date, string? Story, double Jaccard, double Containment, string Relation, double Similarity, IReadOnlyList<ChangeResult> Changes);

public sealed record StoryListResponse(int Total, int Page, int PageSize, IReadOnlyList<StorySummaryDto> Stories);

/// <param name="Title">The headline of the story's original (<see cref="Original"/>).</param>
/// <param name="FirstDocument">The earliest-dated member (which may be a copy dated before its original).</param>
public sealed record StorySummaryDto(string Id, string? Title, int Size, int Families, int Sites, DateTimeOffset? EarliestDate, DateTimeOffset? LatestDate, string FirstDocument)
{
    /// <summary>The member the story is titled after: the stored lineage root of its largest copy family.</summary>
    public string? Original { get; init; }
}

public sealed record DocumentResponse(
    string Id, string? Title, string? Site, string? Url, string? Author, DateTimeOffset? Date, string? Language, string? Format,
    string? Attribution, string Body, IReadOnlyList<AnnotationDto> Annotations, string? Family, string? Story);

public sealed record AnnotationDto(string Kind, string Text, int Position);

internal static class ApiMapping
{
    public static CheckMatchDto ToDto(this CheckMatch match) => new(
        match.Stored.Id, match.Stored.Title, match.Stored.Site, match.Stored.Date, match.Story,
        Math.Round(match.Jaccard, 4), Math.Round(match.Containment, 4), match.Relation, Math.Round(match.Similarity, 4),
        [.. match.Changes.Select(ChangeResult.From)]);

    public static DocumentResponse ToDto(this Article article, string? family, string? story) => new(
        article.Id, article.Title, article.Site, article.Url, article.Author, article.Date, article.Language, article.Format,
        article.Attribution, article.Body, [.. article.Annotations.Select(a => new AnnotationDto(a.Kind.ToKebabCase(), a.Text, a.Position))], family, story);
}
