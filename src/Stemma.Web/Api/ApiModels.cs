using Stemma.Lineage;
using Stemma.Relate;
using Stemma.Web.Services;

namespace Stemma.Web.Api;

/// <summary>The JSON shapes of the API; kept apart from core types so the wire format stays stable.</summary>
public sealed record IngestResponse(int Added, int Updated, int Unchanged, int Rejected, int PairsStored, IReadOnlyList<IngestedDocumentDto> Documents, IReadOnlyList<InputErrorDto> Errors);

/// <param name="Id">The stored document id.</param>
/// <param name="Status">stored or rejected.</param>
/// <param name="Error">Why it was rejected.</param>
/// <param name="Family">The copy family it joined.</param>
/// <param name="Story">The story it joined.</param>
/// <param name="StorySize">Documents in that story now.</param>
public sealed record IngestedDocumentDto(string Id, string Status, string? Error, string? Family, string? Story, int StorySize);

public sealed record InputErrorDto(string Source, string Error);

public sealed record ChangeDto(string Kind, string? Before, string? After);

public sealed record CheckResponse(string? Title, int Words, IReadOnlyList<CheckMatchDto> Matches, IReadOnlyList<InputErrorDto> Errors);

/// <param name="Id">The stored document.</param>
/// <param name="Relation">How the checked article relates to it (copy, excerpt, edited, spun...).</param>
/// <param name="Changes">What the checked article changed relative to the stored one.</param>
public sealed record CheckMatchDto(string Id, string? Title, string? Site, DateTimeOffset? Date, string? Story, double Jaccard, double Containment, string Relation, double Similarity, IReadOnlyList<ChangeDto> Changes);

public sealed record StoryListResponse(int Total, int Page, int PageSize, IReadOnlyList<StorySummaryDto> Stories);

/// <param name="Title">The headline of the story's original (<see cref="Original"/>).</param>
/// <param name="FirstDocument">The earliest-dated member (which may be a copy dated before its original).</param>
public sealed record StorySummaryDto(string Id, string? Title, int Size, int Families, int Sites, DateTimeOffset? EarliestDate, DateTimeOffset? LatestDate, string FirstDocument)
{
    /// <summary>The member the story is titled after: the stored lineage root of its largest copy family.</summary>
    public string? Original { get; init; }
}

public sealed record StoryResponse(string Id, string? Title, int Size, bool Truncated, IReadOnlyList<StoryMemberDto> Members, IReadOnlyList<TreeDto> Trees, IReadOnlyList<StoryChangeDto> Changes);

public sealed record StoryMemberDto(string Id, string? Title, string? Site, DateTimeOffset? Date, string Family, string? Parent, string? Relation, double? Similarity, string? Origin);

public sealed record TreeDto(string Family, string Root, IReadOnlyList<TreeNodeDto> Nodes, IReadOnlyList<TreeEdgeDto> Edges);

public sealed record TreeNodeDto(string Id, bool Outside, string? Site, DateTimeOffset? Date, string? Title);

/// <summary>A copy edge as `analyze --json` writes it: what decided it, how sure it is, and whether anything tells its direction.</summary>
/// <param name="Direction">"known", or "unknown" when nothing tells which of the two came first (then the edge only says they are one text).</param>
/// <param name="Confidence">How likely the edge is right, in [0, 1].</param>
/// <param name="TieBreak">Whether the parent or the direction was picked by a tie-break rather than by evidence.</param>
/// <param name="Evidence">What decided the edge: credit, date-order, inherited-lines, inherited-figures, excerpt, text, family-majority, tie-break.</param>
public sealed record TreeEdgeDto(string Parent, string Child, string Relation, double Similarity, string Direction, double Confidence, bool TieBreak, IReadOnlyList<EdgeEvidenceDto> Evidence);

public sealed record EdgeEvidenceDto(string Kind, string Detail);

public sealed record StoryChangeDto(string Parent, string Child, string Kind, string? Before, string? After);

public sealed record DocumentResponse(
    string Id, string? Title, string? Site, string? Url, string? Author, DateTimeOffset? Date, string? Language, string? Format,
    string? Attribution, string Body, IReadOnlyList<AnnotationDto> Annotations, string? Family, string? Story);

public sealed record AnnotationDto(string Kind, string Text, int Position);

/// <param name="Evidence">The measurements the label rests on.</param>
/// <param name="Dimensions">Same place, same people, same time, same narrative: the dimensions people judge news similarity by, scored from the evidence with the weights fitted on their ratings.</param>
public sealed record CompareResponse(string A, string B, string Relation, double Similarity, double CoverageA, double CoverageB, IReadOnlyList<PassageDto> Passages, IReadOnlyList<ChangeDto> Changes, EvidenceDto? Evidence = null, DimensionsDto? Dimensions = null);

/// <summary>What a relation label rests on (see <see cref="PairEvidence"/>).</summary>
public sealed record EvidenceDto(double TermCosine, double LeadCosine, double EntityOverlap, double NumberOverlap, double DateOverlap, double FactOrder, double CoverageA, double CoverageB, double MatchedFraction, double SubstitutionRate, int SynonymSwaps);

/// <summary>How alike two texts are as people judge news, each in [0, 1] (see <see cref="StoryDimensions"/>).</summary>
public sealed record DimensionsDto(double SamePlace, double SamePeople, double SameTime, double SameNarrative);

/// <summary>A shared passage: character ranges [start, end) of each body and its text in each.</summary>
public sealed record PassageDto(int StartA, int EndA, int StartB, int EndB, string TextA, string TextB, int MatchedWords);

internal static class ApiMapping
{
    public static ChangeDto ToDto(this Change change) => new(change.Kind.ToName(), change.Before, change.After);

    public static CheckMatchDto ToDto(this CheckMatch match) => new(
        match.Stored.Id, match.Stored.Title, match.Stored.Site, match.Stored.Date, match.Story,
        Math.Round(match.Jaccard, 4), Math.Round(match.Containment, 4), match.Relation, Math.Round(match.Similarity, 4),
        [.. match.Changes.Select(ToDto)]);

    public static StoryResponse ToDto(this StoryView story) => new(
        story.StoryId,
        story.First?.Title,
        story.Members.Count,
        story.Truncated,
        [.. story.Members.Select(m => new StoryMemberDto(m.Article.Id, m.Article.Title, m.Article.Site, m.Article.Date, m.Family, m.Parent, m.Relation, m.Similarity is double s ? Math.Round(s, 4) : null, m.Origin))],
        [.. story.Trees.Select(ToDto)],
        [.. story.Changes.Select(c => new StoryChangeDto(c.Parent, c.Child, c.Change.Kind.ToName(), c.Change.Before, c.Change.After))]);

    public static TreeDto ToDto(this LineageTree tree) => new(
        tree.Family,
        tree.Root,
        [.. tree.Nodes.Select(n => new TreeNodeDto(n.Id, n.IsOutside, n.Site, n.Date, n.Title))],
        [.. tree.Edges.Select(e => new TreeEdgeDto(
            e.Parent, e.Child, e.Relation, Math.Round(e.Similarity, 4), e.Direction, Math.Round(e.Confidence, 3), e.IsTieBreak,
            [.. e.Evidence.Select(x => new EdgeEvidenceDto(x.Kind, x.Detail))]))]);

    public static DocumentResponse ToDto(this Article article, string? family, string? story) => new(
        article.Id, article.Title, article.Site, article.Url, article.Author, article.Date, article.Language, article.Format,
        article.Attribution, article.Body, [.. article.Annotations.Select(a => new AnnotationDto(a.Kind.ToKebabCase(), a.Text, a.Position))], family, story);

    public static CompareResponse ToDto(this CompareView view) => new(
        view.A.Id,
        view.B.Id,
        view.Comparison.Relation,
        Math.Round(view.Comparison.Similarity, 4),
        Math.Round(view.Comparison.Alignment.CoverageA, 4),
        Math.Round(view.Comparison.Alignment.CoverageB, 4),
        [.. view.Comparison.Alignment.Spans.Select(s => new PassageDto(s.A.Start, s.A.End, s.B.Start, s.B.End, s.A.In(view.A.Body), s.B.In(view.B.Body), s.MatchedWords))],
        [.. view.Comparison.Changes.Where(c => c.Matters).Select(ToDto)],
        view.Comparison.Evidence.ToDto(),
        view.Comparison.Dimensions.ToDto());

    public static EvidenceDto ToDto(this PairEvidence e) => new(
        Math.Round(e.TermCosine, 4), Math.Round(e.LeadCosine, 4), Math.Round(e.EntityOverlap, 4), Math.Round(e.NumberOverlap, 4), Math.Round(e.DateOverlap, 4),
        Math.Round(e.FactOrder, 4), Math.Round(e.CoverageA, 4), Math.Round(e.CoverageB, 4), Math.Round(e.MatchedFraction, 4), Math.Round(e.SubstitutionRate, 4), e.SynonymSwaps);

    public static DimensionsDto ToDto(this StoryDimensions d) => new(
        Math.Round(d.SamePlace, 4), Math.Round(d.SamePeople, 4), Math.Round(d.SameTime, 4), Math.Round(d.SameNarrative, 4));
}
