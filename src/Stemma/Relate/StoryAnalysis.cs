using Stemma.Lineage;

namespace Stemma.Relate;

/// <summary>Everything <see cref="StoryAnalyzer"/> found.</summary>
/// <param name="Documents">One placement per analysed article, in input order.</param>
/// <param name="Pairs">Related pairs (every label but unrelated).</param>
/// <param name="Trees">One lineage tree per copy family with two or more members or a credited outside origin.</param>
/// <param name="Timings">Wall time of each stage, for benchmarks and `--verbose`.</param>
public sealed record StoryAnalysis(IReadOnlyList<DocumentPlacement> Documents, IReadOnlyList<RelatedPair> Pairs, IReadOnlyList<LineageTree> Trees, RelateTimings? Timings = null);

/// <summary>Wall time of each relate stage.</summary>
/// <param name="CandidatePairs">Distinct candidate pairs (near duplicates and term-index pairs).</param>
/// <param name="AlignedPairs">Candidates that passed the cheap filter and were aligned and labeled.</param>
public sealed record RelateTimings(TimeSpan Features, TimeSpan Statistics, TimeSpan Candidates, TimeSpan Labels, TimeSpan Groups, TimeSpan Lineage, int CandidatePairs, int AlignedPairs)
{
    public override string ToString() =>
        $"features {Features.TotalSeconds:F2} s, statistics {Statistics.TotalSeconds:F2} s, candidates {Candidates.TotalSeconds:F2} s ({CandidatePairs} pairs), labels {Labels.TotalSeconds:F2} s ({AlignedPairs} aligned), " +
        $"groups {Groups.TotalSeconds:F2} s, lineage {Lineage.TotalSeconds:F2} s";
}

/// <summary>Where one document sits: its copy family, its story, what it most likely copied and the outside source it credits.</summary>
/// <param name="Id">The article id.</param>
/// <param name="Family">Id of the copy family (its smallest member id).</param>
/// <param name="Story">Id of the story (smallest member id).</param>
/// <param name="Parent">The document this one most likely copied from, or null for an original.</param>
/// <param name="Relation">Relation to <paramref name="Parent"/>.</param>
/// <param name="Origin">Credited outside source (attribution of the document or of its family's original).</param>
public sealed record DocumentPlacement(string Id, string Family, string Story, string? Parent, string? Relation, string? Origin);

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
