using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using System.Text.Unicode;
using Stemma.Align;
using Stemma.Lineage;
using Stemma.Relate;

namespace Stemma.Present;

/// <summary>
/// The JSON shapes of compare and story results, written alike by every host: `stemma compare|story --format json` and
/// the HTTP API serialise these same records, so a field has one name everywhere (camelCase: startA, not aStart).
/// </summary>
public static class WireJson
{
    private static readonly JsonSerializerOptions CompactOptions = Create(indented: false);
    private static readonly JsonSerializerOptions IndentedOptions = Create(indented: true);

    /// <summary>One wire record as JSON: camelCase names, non-ASCII text (titles in any language) kept readable, markup characters still escaped.</summary>
    public static string Write<T>(T value, bool indented = false)
        where T : class =>
        JsonSerializer.Serialize(value, (JsonTypeInfo<T>)(indented ? IndentedOptions : CompactOptions).GetTypeInfo(typeof(T)));

    private static JsonSerializerOptions Create(bool indented)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            WriteIndented = indented,
            Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
            TypeInfoResolver = WireJsonContext.Default,
        };
        options.MakeReadOnly();
        return options;
    }

    /// <summary>Measurements are rounded on the wire: four decimals say all a reader can use.</summary>
    internal static double Round(double value) => Math.Round(value, 4);
}

[JsonSerializable(typeof(CompareResult))]
[JsonSerializable(typeof(StoryResult))]
[JsonSerializable(typeof(LineageResult))]
[JsonSerializable(typeof(PairLabelResult))]
[JsonSerializable(typeof(List<CheckMatchResult>))]
internal sealed partial class WireJsonContext : JsonSerializerContext;

/// <summary>One match of `check`: a stored document the checked article relates to, how, its story and family, and the facts the article changed.</summary>
public sealed record CheckMatchResult(string Id, string? Title, string Relation, double Similarity, string? Story, string? Family, IReadOnlyList<ChangeResult> Changes)
{
    public static CheckMatchResult From(Pipeline.CheckedMatch match)
    {
        ArgumentNullException.ThrowIfNull(match);
        return new(
            match.Stored.Id, match.Stored.Title, match.Comparison.Relation, WireJson.Round(match.Comparison.Similarity),
            match.Placement?.StoryId, match.Placement?.FamilyId, ChangeResult.Mattering(match.Comparison.Changes));
    }
}

/// <summary>One line of `compare --pairs`: a pair's label, similarity and the dimensions people judge news by.</summary>
public sealed record PairLabelResult(string Id, string Relation, double Similarity, DimensionsResult Dimensions);

/// <summary>A change from one version to the next; <paramref name="Summary"/> replaces <paramref name="Before"/> for a long dropped passage.</summary>
/// <param name="Kind">figure, date, quote, entity, inserted, dropped, wording...</param>
/// <param name="Restatement">Why a changed figure states the same amount ("currency conversion"); null for a changed fact.</param>
public sealed record ChangeResult(string Kind, string? Before, string? After, string? Restatement = null, string? Summary = null)
{
    public static ChangeResult From(Change change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return new(change.Kind.ToName(), change.Summary is null ? change.Before : null, change.After, change.Restatement, change.Summary);
    }

    /// <summary>The changes a reader cares about (every kind but swapped ordinary words).</summary>
    public static IReadOnlyList<ChangeResult> Mattering(IEnumerable<Change> changes) => [.. changes.Where(c => c.Matters).Select(From)];
}

/// <summary>What a relation label rests on (see <see cref="PairEvidence"/>).</summary>
public sealed record EvidenceResult(double TermCosine, double LeadCosine, double EntityOverlap, double NumberOverlap, double DateOverlap, double FactOrder, double CoverageA, double CoverageB, double MatchedFraction, double SubstitutionRate, int SynonymSwaps)
{
    public static EvidenceResult From(PairEvidence e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new(
            WireJson.Round(e.TermCosine), WireJson.Round(e.LeadCosine), WireJson.Round(e.EntityOverlap), WireJson.Round(e.NumberOverlap), WireJson.Round(e.DateOverlap),
            WireJson.Round(e.FactOrder), WireJson.Round(e.CoverageA), WireJson.Round(e.CoverageB), WireJson.Round(e.MatchedFraction), WireJson.Round(e.SubstitutionRate), e.SynonymSwaps);
    }
}

/// <summary>How alike two texts are as people judge news, each in [0, 1] (see <see cref="StoryDimensions"/>).</summary>
public sealed record DimensionsResult(double SamePlace, double SamePeople, double SameTime, double SameNarrative)
{
    public static DimensionsResult From(StoryDimensions d)
    {
        ArgumentNullException.ThrowIfNull(d);
        return new(WireJson.Round(d.SamePlace), WireJson.Round(d.SamePeople), WireJson.Round(d.SameTime), WireJson.Round(d.SameNarrative));
    }
}

/// <summary>A shared passage: character ranges [start, end) of each body, and its text in each.</summary>
public sealed record PassageResult(int StartA, int EndA, int StartB, int EndB, int MatchedWords, string TextA, string TextB);

/// <summary>A character range [start, end) of one body.</summary>
public sealed record RangeResult(int Start, int End);

/// <summary>Two versions aligned and labelled: the relation, its evidence, the shared passages, what only one has, and what changed from A to B.</summary>
public sealed record CompareResult(
    string A,
    string B,
    string Relation,
    double Similarity,
    double CoverageA,
    double CoverageB,
    EvidenceResult Evidence,
    DimensionsResult Dimensions,
    IReadOnlyList<PassageResult> Passages,
    IReadOnlyList<RangeResult> OnlyInA,
    IReadOnlyList<RangeResult> OnlyInB,
    IReadOnlyList<ChangeResult> Changes)
{
    public static CompareResult From(Article a, Article b, Comparison comparison)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(comparison);
        var alignment = comparison.Alignment;
        return new(
            a.Id,
            b.Id,
            comparison.Relation,
            WireJson.Round(comparison.Similarity),
            WireJson.Round(alignment.CoverageA),
            WireJson.Round(alignment.CoverageB),
            EvidenceResult.From(comparison.Evidence),
            DimensionsResult.From(comparison.Dimensions),
            [.. alignment.Spans.Select(s => new PassageResult(s.A.Start, s.A.End, s.B.Start, s.B.End, s.MatchedWords, s.A.In(a.Body), s.B.In(b.Body)))],
            Ranges(alignment.UnalignedA),
            Ranges(alignment.UnalignedB),
            ChangeResult.Mattering(comparison.Changes));
    }

    private static IReadOnlyList<RangeResult> Ranges(IReadOnlyList<TextRange> ranges) => [.. ranges.Select(r => new RangeResult(r.Start, r.End))];
}

/// <summary>One version in a copy tree, or the outside source the family's original credits.</summary>
public sealed record TreeNodeResult(string Id, bool Outside, string? Site, DateTimeOffset? Date, string? Title);

/// <summary>What decided an edge (see <see cref="EdgeEvidence"/>).</summary>
public sealed record EdgeEvidenceResult(string Kind, string Detail);

/// <summary>
/// "Child was copied from Parent": the relation, how sure the edge is and what decided it. <paramref name="Direction"/> is
/// "unknown" when nothing tells which came first (then the edge is not a claim about who copied whom).
/// </summary>
public sealed record TreeEdgeResult(
    string Parent,
    string Child,
    string Relation,
    double Similarity,
    string Direction,
    double Confidence,
    bool TieBreak,
    IReadOnlyList<EdgeEvidenceResult> Evidence,
    IReadOnlyList<ChangeResult> Changes);

/// <summary>A copy family's tree (stemma).</summary>
public sealed record TreeResult(string Family, string Story, string Root, IReadOnlyList<TreeNodeResult> Nodes, IReadOnlyList<TreeEdgeResult> Edges)
{
    public static TreeResult From(LineageTree tree)
    {
        ArgumentNullException.ThrowIfNull(tree);
        return new(
            tree.Family,
            tree.Story,
            tree.Root,
            [.. tree.Nodes.Select(n => new TreeNodeResult(n.Id, n.IsOutside, n.Site, n.Date, n.Title))],
            [.. tree.Edges.Select(e => new TreeEdgeResult(
                e.Parent, e.Child, e.Relation, WireJson.Round(e.Similarity), e.Direction, Math.Round(e.Confidence, 3), e.IsTieBreak,
                [.. e.Evidence.Select(x => new EdgeEvidenceResult(x.Kind, x.Detail))],
                [.. e.Changes.Select(ChangeResult.From)]))]);
    }
}

/// <summary>The copy trees of a corpus or a story (`stemma lineage --format json`).</summary>
public sealed record LineageResult(IReadOnlyList<TreeResult> Trees);

/// <summary>A member of a story: its copy family and its place in the family's tree.</summary>
/// <param name="Parent">The version it most likely copied; null for an original.</param>
/// <param name="Direction">Of the edge to <paramref name="Parent"/>: "known", or "unknown" when nothing tells which came first.</param>
public sealed record StoryMemberResult(
    string Id, string? Title, string? Site, DateTimeOffset? Date, string Family, string? Parent, string? Relation, double? Similarity, string? Origin,
    string? Direction, double? Confidence);

/// <summary>A labelled pair of members; changes go from A to B.</summary>
public sealed record PairResult(string A, string B, string Relation, double Similarity, IReadOnlyList<ChangeResult> Changes);

/// <summary>
/// A story as every host shows it: members in reading order (originals first, then by date, undated last), the copy trees
/// (largest first) and the labelled pairs among the members.
/// </summary>
/// <param name="Title">The first member's title in reading order (the original's, when the story has one).</param>
/// <param name="Size">Members in the story (more than <paramref name="Members"/> when <paramref name="Truncated"/>).</param>
/// <param name="PendingMembers">Members stored but not yet related (an ingest is running or was interrupted).</param>
public sealed record StoryResult(
    string Id,
    string? Title,
    int Size,
    bool Truncated,
    int PendingMembers,
    IReadOnlyList<StoryMemberResult> Members,
    IReadOnlyList<TreeResult> Trees,
    IReadOnlyList<PairResult> Pairs)
{
    /// <summary>The story of these members; <paramref name="analysis"/> holds their placements (same order as <paramref name="articles"/>), pairs and trees.</summary>
    public static StoryResult From(string storyId, IReadOnlyList<Article> articles, StoryAnalysis analysis, bool truncated = false, int pendingMembers = 0)
    {
        ArgumentNullException.ThrowIfNull(articles);
        ArgumentNullException.ThrowIfNull(analysis);
        var members = StoryMembers.InReadingOrder(articles, analysis);
        var ids = new HashSet<string>(articles.Select(a => a.Id), StringComparer.Ordinal);
        return new(
            storyId,
            members.Count == 0 ? null : members[0].Article.Title,
            articles.Count,
            truncated,
            pendingMembers,
            [.. members.Select(m => new StoryMemberResult(
                m.Article.Id, m.Article.Title, m.Article.Site, m.Article.Date, m.Placement.Family, m.Parent, m.Relation,
                m.Edge is null ? null : WireJson.Round(m.Edge.Similarity), m.Placement.Origin,
                m.Parent is null ? null : m.Edge?.Direction ?? m.Placement.ParentDirection,
                m.Parent is null ? null : m.Edge?.Confidence ?? m.Placement.ParentConfidence))],
            [.. StoryMembers.TreesInOrder(analysis.Trees).Select(TreeResult.From)],
            [.. analysis.Pairs.Where(p => ids.Contains(p.A) && ids.Contains(p.B))
                .Select(p => new PairResult(p.A, p.B, p.Relation, WireJson.Round(p.Similarity), ChangeResult.Mattering(p.Changes)))]);
    }
}

/// <summary>A story member with its placement and the tree edge that leads to it (null for a root).</summary>
public sealed record PlacedMember(Article Article, DocumentPlacement Placement, LineageEdge? Edge)
{
    public string? Parent => Placement.Parent ?? Edge?.Parent;

    public string? Relation => Placement.Relation ?? Edge?.Relation;
}

/// <summary>The order a reader follows a story in, shared by every view of it.</summary>
public static class StoryMembers
{
    /// <summary>Originals first, then by date (undated last), then id.</summary>
    public static IReadOnlyList<PlacedMember> InReadingOrder(IReadOnlyList<Article> articles, StoryAnalysis analysis)
    {
        ArgumentNullException.ThrowIfNull(articles);
        ArgumentNullException.ThrowIfNull(analysis);
        var edges = analysis.Trees.SelectMany(t => t.Edges).GroupBy(e => e.Child, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var placements = analysis.Documents.GroupBy(d => d.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        return [.. articles
            .Select(a => new PlacedMember(a, placements.GetValueOrDefault(a.Id) ?? new DocumentPlacement(a.Id, a.Id, a.Id, null, null, a.Attribution), edges.GetValueOrDefault(a.Id)))
            .OrderBy(m => m.Parent is null ? 0 : 1)
            .ThenBy(m => m.Article.Date ?? DateTimeOffset.MaxValue)
            .ThenBy(m => m.Article.Id, StringComparer.Ordinal)];
    }

    /// <summary>Largest tree first, then by root id.</summary>
    public static IReadOnlyList<LineageTree> TreesInOrder(IEnumerable<LineageTree> trees) =>
        [.. trees.OrderByDescending(t => t.Nodes.Count).ThenBy(t => t.Root, StringComparer.Ordinal)];
}
