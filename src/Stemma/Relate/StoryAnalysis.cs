using Stemma.Lineage;

namespace Stemma.Relate;

/// <summary>Everything <see cref="StoryAnalyzer"/> found.</summary>
/// <param name="Documents">One placement per analysed article, in input order.</param>
/// <param name="Pairs">Related pairs (every label but unrelated).</param>
/// <param name="Trees">One lineage tree per copy family with two or more members or a credited outside origin.</param>
/// <param name="Timings">Wall time of each stage, for benchmarks and `--verbose`.</param>
public sealed record StoryAnalysis(IReadOnlyList<DocumentPlacement> Documents, IReadOnlyList<RelatedPair> Pairs, IReadOnlyList<LineageTree> Trees, RelateTimings? Timings = null)
{
    /// <summary>Every story with its size and cohesion, by id.</summary>
    public IReadOnlyList<StorySummary> Stories { get; init; } = [];
}

/// <summary>One story: how many documents and copy families it holds and how well they hang together.</summary>
/// <param name="Id">The story id (smallest member id).</param>
/// <param name="Documents">Documents in the story.</param>
/// <param name="Families">Copy families in the story.</param>
/// <param name="Cohesion">Mean weighted term cosine between its families' texts (1 for a single family); random pairs of a news collection sit near 0.04.</param>
public sealed record StorySummary(string Id, int Documents, int Families, double Cohesion);

/// <summary>Where one document sits: its copy family, its story, what it most likely copied and the outside source it credits.</summary>
/// <param name="Id">The article id.</param>
/// <param name="Family">Id of the copy family (its smallest member id).</param>
/// <param name="Story">Id of the story (smallest member id).</param>
/// <param name="Parent">The document this one most likely copied from, or null for an original.</param>
/// <param name="Relation">Relation to <paramref name="Parent"/>.</param>
/// <param name="Origin">Credited outside source (attribution of the document or of its family's original).</param>
public sealed record DocumentPlacement(string Id, string Family, string Story, string? Parent, string? Relation, string? Origin)
{
    /// <summary>Confidence of the edge to <see cref="Parent"/> (see <see cref="LineageEdge.Confidence"/>); null without a parent.</summary>
    public double? ParentConfidence { get; init; }

    /// <summary>Direction of the edge to <see cref="Parent"/>: "known", or "unknown" when nothing tells which came first; null without a parent.</summary>
    public string? ParentDirection { get; init; }

    /// <summary>Which cell of the confidence table the edge's confidence was read from (see <see cref="LineageEdge.ConfidenceBasis"/>).</summary>
    public string? ParentConfidenceBasis { get; init; }

    /// <summary>What decided the parent (see <see cref="LineageEdge.Evidence"/>).</summary>
    public IReadOnlyList<EdgeEvidence> ParentEvidence { get; init; } = [];
}

/// <summary>A labeled pair with its evidence; <see cref="Changes"/> go from A to B and leave out mere word swaps.</summary>
/// <param name="A">Id of the first article.</param>
/// <param name="B">Id of the second article.</param>
/// <param name="Relation">The relation label.</param>
/// <param name="Similarity">Story similarity in [0, 1].</param>
/// <param name="Jaccard">Shingle Jaccard from the near-duplicate engine, when it found the pair.</param>
/// <param name="Containment">Shingle containment from the near-duplicate engine, when it found the pair.</param>
/// <param name="AlignedFraction">Words inside aligned passages, over the shorter text.</param>
/// <param name="TermCosine">Weighted term cosine.</param>
/// <param name="EntityOverlap">Name overlap (Dice).</param>
/// <param name="SubstitutionRate">Differing words inside aligned passages.</param>
/// <param name="Changes">What changed from A to B (figures, dates, quotations, names, inserted and dropped passages).</param>
public sealed record RelatedPair(
    string A,
    string B,
    string Relation,
    double Similarity,
    double? Jaccard,
    double? Containment,
    double AlignedFraction,
    double TermCosine,
    double EntityOverlap,
    double SubstitutionRate,
    IReadOnlyList<Change> Changes);

/// <summary>Wall time of each relate stage, and how much of it the garbage collector held the threads.</summary>
/// <param name="CandidatePairs">Distinct candidate pairs (near duplicates and term-index pairs).</param>
/// <param name="ComparedPairs">Candidates that passed the cheap filter and were labeled.</param>
/// <param name="AlignedPairs">Of those, the ones that could share text and were aligned.</param>
/// <param name="LineagePairs">Pairs of family members the lineage stage aligned itself.</param>
public sealed record RelateTimings(StageTime Features, StageTime Statistics, StageTime Candidates, StageTime Labels, StageTime Groups, StageTime Lineage, int CandidatePairs, int ComparedPairs, int AlignedPairs, int LineagePairs)
{
    public override string ToString() =>
        $"features {Features}, statistics {Statistics}, candidates {Candidates} ({CandidatePairs} pairs), labels {Labels} ({ComparedPairs} compared, {AlignedPairs} aligned), " +
        $"groups {Groups}, lineage {Lineage} ({LineagePairs} aligned)";
}

/// <summary>How long a stage took, and the garbage-collection pauses within it.</summary>
public readonly record struct StageTime(TimeSpan Wall, TimeSpan GcPause)
{
    public override string ToString() => GcPause.TotalSeconds >= 0.005
        ? $"{Wall.TotalSeconds:F2} s (GC {GcPause.TotalSeconds:F2} s)"
        : $"{Wall.TotalSeconds:F2} s";
}

/// <summary>Times consecutive stages: each <see cref="Lap"/> ends one.</summary>
internal sealed class StageClock
{
    private readonly System.Diagnostics.Stopwatch watch = System.Diagnostics.Stopwatch.StartNew();
    private TimeSpan lastPause = GC.GetTotalPauseDuration();

    public StageTime Lap()
    {
        var pause = GC.GetTotalPauseDuration();
        var time = new StageTime(watch.Elapsed, pause - lastPause);
        watch.Restart();
        lastPause = pause;
        return time;
    }
}
