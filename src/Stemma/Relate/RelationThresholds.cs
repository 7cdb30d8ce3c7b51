namespace Stemma.Relate;

/// <summary>
/// The thresholds that turn a pair's measurements (<see cref="PairEvidence"/> and its alignment) into a relation label.
/// The defaults were set on generated pairs of every operation and checked on real news; `relate-quality --sweep NAME
/// --values a,b,...` shows how label accuracy by operation moves with each one.
/// </summary>
public sealed record RelationThresholds
{
    public static RelationThresholds Default { get; } = new();

    /// <summary>Text reuse: at least this share of the shorter text lies in aligned passages...</summary>
    public double TextReuseShortCoverage { get; init; } = 0.4;

    /// <summary>...holding at least this many matched words (or 80% of the shorter text, when shorter).</summary>
    public int TextReuseMinWords { get; init; } = 30;

    /// <summary>Shared passages, not a copy: under this share of the shorter text in passages...</summary>
    public double SharedPassagesShortCoverage { get; init; } = 0.75;

    /// <summary>...and under this share of the longer.</summary>
    public double SharedPassagesLongCoverage { get; init; } = 0.35;

    /// <summary>Spun: the bulk of both texts aligned, the longer at least this share...</summary>
    public double SpunLongCoverage { get; init; } = 0.5;

    /// <summary>...with at least this share of the aligned words swapped...</summary>
    public double SpunSubstitutionRate { get; init; } = 0.07;

    /// <summary>...or, from <see cref="SynonymDecidesFrom"/> up, at least this many swaps for synonyms making half the one-for-one swaps.</summary>
    public int SpunMinSynonymSwaps { get; init; } = 3;

    /// <summary>Below this substitution rate swapped words are an edit whatever they are; between it and <see cref="SpunSubstitutionRate"/> synonyms decide.</summary>
    public double SynonymDecidesFrom { get; init; } = 0.02;

    /// <summary>A copy (not edited) swaps under this share of its aligned words.</summary>
    public double CopyMaxSubstitutionRate { get; init; } = 0.01;

    /// <summary>An excerpt is at most this share of the longer text (in words and in coverage of it).</summary>
    public double ExcerptMaxShare { get; init; } = 0.8;

    /// <summary>Least weighted term cosine of a rewrite or an independent report: below it, two texts that share no passage are unrelated.</summary>
    public double MinStoryCosine { get; init; } = 0.2;

    /// <summary>A rewrite shares at least this factual overlap (0.6 names + 0.4 figures)...</summary>
    public double RewriteMinFacts { get; init; } = 0.35;

    /// <summary>...and retells them at least this far (half fact order, half shared figures).</summary>
    public double RewriteMinRetold { get; init; } = 0.8;

    /// <summary>A rewrite's names and figures follow its source's order at least this far (longest common subsequence).</summary>
    public double RewriteFactOrder { get; init; } = 0.6;

    /// <summary>Same event: at least this name overlap (with <see cref="MinStoryCosine"/>)...</summary>
    public double SameEventMinEntities { get; init; } = 0.3;

    /// <summary>...or at least this term cosine with some shared facts.</summary>
    public double SameEventMinCosine { get; init; } = 0.4;

    /// <summary>
    /// Shared passages, not a copy, when neither text's lead lies in them: every passage starts at least this many words
    /// into both texts (and the leads differ, <see cref="SharedBlockMaxLeadCosine"/>). A copy keeps its source's lead; two
    /// stories that end in one disclaimer, footer or promotion block share only what follows their own leads.
    /// </summary>
    public int SharedBlockMinLeadWords { get; init; } = 30;

    /// <summary>...and the two leads' weighted cosine is under this (and the names overlap under <see cref="OneEventMinOverlap"/>).</summary>
    public double SharedBlockMaxLeadCosine { get; init; } = 0.25;

    /// <summary>Two texts that share passages tell one event when both their names and their leads overlap at least this much.</summary>
    public double OneEventMinOverlap { get; init; } = 0.3;

    /// <summary>Words in shared passages that make two otherwise different stories "shares-passages" rather than unrelated...</summary>
    public int SharedPassageWords { get; init; } = 30;

    /// <summary>...covering at least this share of one of them.</summary>
    public double SharedPassageMinCoverage { get; init; } = 0.1;
}
