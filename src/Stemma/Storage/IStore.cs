namespace Stemma.Storage;

/// <summary>
/// The persistence contract every Stemma backend implements (SQLite by default, PostgreSQL later).
/// One shared contract test suite (Stemma.Testing StoreContractTests) runs against each implementation;
/// behaviour must not differ between them. Batches report outcomes per document instead of throwing for one bad item.
/// Implementations are safe for concurrent readers and writers; every method honours its cancellation token.
/// Methods other than <see cref="InitializeAsync"/> initialize the store on first use if needed.
/// </summary>
public interface IStore : IAsyncDisposable
{
    /// <summary>Creates or migrates the schema. Safe to call on every start.</summary>
    /// <exception cref="StoreException">The storage exists but cannot be used (not a database, newer schema...).</exception>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds documents in one transaction. Idempotent: a document whose id is already stored with the same
    /// content hash is reported <see cref="AddStatus.Unchanged"/> and nothing is written for it; a changed
    /// content hash under a known id replaces the old version (<see cref="AddStatus.Updated"/>): fields,
    /// annotations, signature and band keys are replaced, the pair scores involving it are dropped (they are
    /// stale), its group assignment, insertion position and <see cref="StoredDocument.IngestedAt"/> are kept.
    /// An invalid document (empty id, missing signature...) is <see cref="AddStatus.Rejected"/> with a reason and
    /// does not stop the others. Outcomes are in input order; a repeated id within one batch is handled in order.
    /// </summary>
    Task<IReadOnlyList<AddOutcome>> AddDocumentsAsync(IReadOnlyList<StoredDocument> documents, CancellationToken cancellationToken = default);

    Task<StoredDocument?> GetDocumentAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>The stored documents among <paramref name="ids"/>, in the order asked; unknown ids are skipped.</summary>
    Task<IReadOnlyList<StoredDocument>> GetDocumentsAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken = default);

    /// <summary>Ids of stored documents whose normalized content hash equals <paramref name="contentHash"/>, in insertion order.</summary>
    Task<IReadOnlyList<string>> FindByContentHashAsync(ulong contentHash, CancellationToken cancellationToken = default);

    /// <summary>
    /// Ids of stored documents sharing at least one LSH band key (same band index, same key) with <paramref name="bandKeys"/>,
    /// each once, in insertion order. A key equal to a stored key of another band does not match.
    /// </summary>
    Task<IReadOnlyList<string>> FindBandCandidatesAsync(IReadOnlyList<ulong> bandKeys, CancellationToken cancellationToken = default);

    Task<long> CountDocumentsAsync(CancellationToken cancellationToken = default);

    /// <summary>All stored documents in insertion order, for rebuilding in-memory indexes. Streams; does not load all at once.</summary>
    IAsyncEnumerable<StoredDocument> ListDocumentsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes documents with their annotations, signatures, band keys, pair scores and group assignments.
    /// Unknown ids are ignored. Returns how many documents were removed.
    /// </summary>
    Task<int> DeleteDocumentsAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken = default);

    /// <summary>Removes everything: documents, pairs, groups. The schema stays.</summary>
    Task ClearAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores verified pair scores, one per unordered pair, kept in canonical order (<see cref="PairScore.A"/> ordinally
    /// before <see cref="PairScore.B"/>; scores are taken as symmetric). A pair (in either order) already stored is
    /// overwritten. Pairs naming an unknown document or the same document twice are skipped.
    /// Returns how many pairs were stored.
    /// </summary>
    Task<int> AddPairsAsync(IReadOnlyList<PairScore> pairs, CancellationToken cancellationToken = default);

    /// <summary>
    /// The pairs that involve <paramref name="documentId"/>, in canonical order, highest similarity first
    /// (<see cref="PairScore.Similarity"/>, or <see cref="PairScore.Jaccard"/> where it is null; then Jaccard; then A, then B ordinally).
    /// </summary>
    Task<IReadOnlyList<PairScore>> GetPairsAsync(string documentId, CancellationToken cancellationToken = default);

    /// <summary>The pairs whose both documents are among <paramref name="documentIds"/> (e.g. one family, for a lineage graph), ordered as <see cref="GetPairsAsync"/>.</summary>
    Task<IReadOnlyList<PairScore>> GetPairsAmongAsync(IReadOnlyList<string> documentIds, CancellationToken cancellationToken = default);

    Task<long> CountPairsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces family and story assignments for the given documents (documents not named keep theirs).
    /// Assignments naming an unknown document are skipped; for a document named twice the last one wins.
    /// Returns how many assignments were stored.
    /// </summary>
    Task<int> SetGroupsAsync(IReadOnlyList<GroupAssignment> assignments, CancellationToken cancellationToken = default);

    /// <summary>The family and story of one document, or null when it has none.</summary>
    Task<GroupAssignment?> GetGroupAsync(string documentId, CancellationToken cancellationToken = default);

    /// <summary>Families with at least <paramref name="minSize"/> members, largest first, then by family id (ordinal).</summary>
    Task<IReadOnlyList<FamilySummary>> ListFamiliesAsync(int minSize = 1, CancellationToken cancellationToken = default);

    /// <summary>Ids of the members of one family, in insertion order.</summary>
    Task<IReadOnlyList<string>> GetFamilyMembersAsync(string familyId, CancellationToken cancellationToken = default);

    /// <summary>One page of stories (same-event groups of families) filtered, sorted and paged as <paramref name="query"/> says.</summary>
    Task<StoryPage> ListStoriesAsync(StoryQuery query, CancellationToken cancellationToken = default);

    /// <summary>Ids of the members of one story, in insertion order.</summary>
    Task<IReadOnlyList<string>> GetStoryMembersAsync(string storyId, CancellationToken cancellationToken = default);
}

/// <summary>A document as stored: the article, its normalized content hash, MinHash signature and LSH band keys.</summary>
public sealed record StoredDocument
{
    public required Article Article { get; init; }

    /// <summary>Hash of the normalized body, for exact-duplicate detection.</summary>
    public required ulong ContentHash { get; init; }

    /// <summary>MinHash signature (one value per hash function).</summary>
    public required uint[] Signature { get; init; }

    /// <summary>One key per LSH band, index = band number.</summary>
    public required ulong[] BandKeys { get; init; }

    /// <summary>When the store first saw the document (UTC); set by the store, ignored on add.</summary>
    public DateTimeOffset? IngestedAt { get; init; }
}

public enum AddStatus
{
    Added,
    Unchanged,
    Updated,
    Rejected,
}

/// <param name="Id">The document id as given (empty when that was the problem).</param>
/// <param name="Error">Why the document was rejected; null otherwise.</param>
public sealed record AddOutcome(string Id, AddStatus Status, string? Error = null);

/// <summary>Verified similarity of two documents. <see cref="Relation"/> is null until pairs are classified.</summary>
public sealed record PairScore(string A, string B, double Jaccard, double Containment, string? Relation = null, double? Similarity = null);

public sealed record GroupAssignment(string DocumentId, string FamilyId, string StoryId);

/// <param name="StoryId">The story of the family's first member.</param>
/// <param name="FirstDocumentId">The earliest-dated member (undated members count as latest; ties by insertion order).</param>
/// <param name="FirstTitle">That member's title.</param>
public sealed record FamilySummary(string FamilyId, string StoryId, int Size, string FirstDocumentId, string? FirstTitle);

/// <summary>How <see cref="IStore.ListStoriesAsync"/> sorts.</summary>
public enum StorySort
{
    /// <summary>Most documents first, then story id.</summary>
    Size,

    /// <summary>Latest <see cref="StorySummary.EarliestDate"/> first (undated stories last), then story id.</summary>
    Newest,

    /// <summary>Earliest <see cref="StorySummary.EarliestDate"/> first (undated stories last), then story id.</summary>
    Oldest,
}

/// <summary>Filter, sort and page for listing stories.</summary>
public sealed record StoryQuery
{
    /// <summary>Only stories with at least this many documents.</summary>
    public int MinSize { get; init; } = 1;

    /// <summary>
    /// Whitespace-separated words; a story matches when one of its documents has every word in its title
    /// (case-insensitive substring). Null or blank: no filter.
    /// </summary>
    public string? Search { get; init; }

    /// <summary>Only stories with at least one document from this site (case-insensitive). Null: no filter.</summary>
    public string? Site { get; init; }

    public StorySort Sort { get; init; } = StorySort.Size;

    /// <summary>Stories to skip (for paging).</summary>
    public int Offset { get; init; }

    /// <summary>Most stories to return; 0 or less means all.</summary>
    public int Limit { get; init; } = 50;
}

/// <summary>One page of stories and how many stories match the query in all.</summary>
public sealed record StoryPage(IReadOnlyList<StorySummary> Stories, int TotalCount);

/// <param name="Size">Documents in the story.</param>
/// <param name="FamilyCount">Copy families in the story.</param>
/// <param name="FirstDocumentId">The earliest-dated member (undated members count as latest; ties by insertion order).</param>
/// <param name="EarliestDate">Earliest member date (UTC), null when no member is dated.</param>
/// <param name="LatestDate">Latest member date (UTC), null when no member is dated.</param>
/// <param name="SiteCount">Distinct known sites among the members.</param>
public sealed record StorySummary(
    string StoryId,
    int Size,
    int FamilyCount,
    string FirstDocumentId,
    string? FirstTitle,
    DateTimeOffset? EarliestDate,
    DateTimeOffset? LatestDate,
    int SiteCount);
