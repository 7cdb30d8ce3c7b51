namespace Stemma.Relate;

/// <summary>Settings of <see cref="StoryAnalyzer"/>; the defaults suit news collections up to a few hundred thousand articles.</summary>
public sealed record StoryAnalyzerOptions
{
    /// <summary>Rewrites and independent reports join a story only when published within this time of each other (either date unknown: joined).</summary>
    public TimeSpan StoryWindow { get; init; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Two groups of families join one story only when their texts are on average at least this alike (mean weighted
    /// term cosine over all cross pairs of families): one link alone cannot chain different events of a topic.
    /// </summary>
    public double MinStoryCohesion { get; init; } = 0.1;

    /// <summary>Terms per document kept in the "more like this" index (the highest weighted).</summary>
    public int IndexTermsPerDocument { get; init; } = 32;

    /// <summary>Candidates kept per indexed document from the term index (one document per near-duplicate group is indexed, so copies do not take these places).</summary>
    public int CandidatesPerDocument { get; init; } = 6;

    /// <summary>Least cosine over indexed terms for a term-index candidate.</summary>
    public double MinCandidateScore { get; init; } = 0.12;

    /// <summary>Postings read per query at most (strongest terms first), bounding the work per document.</summary>
    public int PostingsBudget { get; init; } = 2000;

    /// <summary>Terms in more than this share of documents are indexed only for documents without enough rarer terms...</summary>
    public double MaxDocumentFrequencyShare { get; init; } = 0.01;

    /// <summary>...unless in no more than this many documents (small collections).</summary>
    public int MinDocumentFrequencyCap { get; init; } = 50;

    /// <summary>A candidate pair is aligned only when its weighted term cosine or name overlap reaches this.</summary>
    public double MinVerifyScore { get; init; } = 0.15;

    /// <summary>Families up to this size compare every pair of members to build the lineage; larger ones use the pairs already found.</summary>
    public int FullLineageFamilySize { get; init; } = 40;

    /// <summary>
    /// Families above this size (a wire story reposted by hundreds of sites) build their lineage from each member's
    /// pairs already found (the near-duplicate partners and term-index candidates) rather than from every pair of
    /// members: the root is chosen and each parent picked among known pairs, and a member with no earlier known pair
    /// is estimated against a bounded number of earlier members. The work grows with members times partners, not members squared.
    /// </summary>
    public int BoundedLineageFamilySize { get; init; } = 250;

    /// <summary>The thresholds of the relation labels (<see cref="RelationThresholds.Default"/>).</summary>
    public RelationThresholds Relations { get; init; } = RelationThresholds.Default;

    /// <summary>The confidence table of lineage edges, fitted on generated ground truth (<see cref="Lineage.LineageConfidence.Default"/>).</summary>
    public Lineage.LineageConfidence LineageConfidence { get; init; } = Lineage.LineageConfidence.Default;

    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// Whether the term-statistics step runs without garbage collections (<see cref="Pipeline.CollectionPause"/>): it keeps
    /// nearly all it allocates (every document's term weights). Process-wide, so for a process running one analysis.
    /// </summary>
    public bool PauseCollections { get; init; }
}
