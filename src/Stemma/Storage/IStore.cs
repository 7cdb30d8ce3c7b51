namespace Stemma.Storage;

/// <summary>
/// The persistence contract every Stemma backend implements (SQLite by default, PostgreSQL later).
/// One shared contract test suite runs against each implementation; behaviour must not differ between them.
/// Batches report outcomes per document instead of throwing for one bad item.
/// </summary>
public interface IStore : IAsyncDisposable
{
    /// <summary>Creates or migrates the schema. Safe to call on every start.</summary>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds documents in one transaction. Idempotent: a document whose id is already stored with the same
    /// content hash is reported <see cref="AddStatus.Unchanged"/> and nothing is written for it; a changed
    /// content hash under a known id replaces the old version (<see cref="AddStatus.Updated"/>).
    /// </summary>
    Task<IReadOnlyList<AddOutcome>> AddDocumentsAsync(IReadOnlyList<StoredDocument> documents, CancellationToken cancellationToken = default);

    Task<StoredDocument?> GetDocumentAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Ids of stored documents whose normalized content hash equals <paramref name="contentHash"/>.</summary>
    Task<IReadOnlyList<string>> FindByContentHashAsync(ulong contentHash, CancellationToken cancellationToken = default);

    /// <summary>Ids of stored documents sharing at least one LSH band key (same band index, same key) with <paramref name="bandKeys"/>.</summary>
    Task<IReadOnlyList<string>> FindBandCandidatesAsync(IReadOnlyList<ulong> bandKeys, CancellationToken cancellationToken = default);

    Task<long> CountDocumentsAsync(CancellationToken cancellationToken = default);

    /// <summary>All stored documents in insertion order, for rebuilding in-memory indexes.</summary>
    IAsyncEnumerable<StoredDocument> ListDocumentsAsync(CancellationToken cancellationToken = default);

    /// <summary>Stores verified pair scores; a pair (in either order) already stored is overwritten.</summary>
    Task AddPairsAsync(IReadOnlyList<PairScore> pairs, CancellationToken cancellationToken = default);

    /// <summary>The pairs that involve <paramref name="documentId"/>, highest similarity first.</summary>
    Task<IReadOnlyList<PairScore>> GetPairsAsync(string documentId, CancellationToken cancellationToken = default);

    /// <summary>Replaces family and story assignments for the given documents.</summary>
    Task SetGroupsAsync(IReadOnlyList<GroupAssignment> assignments, CancellationToken cancellationToken = default);

    /// <summary>Families with at least <paramref name="minSize"/> members, largest first.</summary>
    Task<IReadOnlyList<FamilySummary>> ListFamiliesAsync(int minSize = 1, CancellationToken cancellationToken = default);

    /// <summary>Ids of the members of one family, in insertion order.</summary>
    Task<IReadOnlyList<string>> GetFamilyMembersAsync(string familyId, CancellationToken cancellationToken = default);
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

    /// <summary>When the store first saw the document; set by the store.</summary>
    public DateTimeOffset? IngestedAt { get; init; }
}

public enum AddStatus
{
    Added,
    Unchanged,
    Updated,
    Rejected,
}

public sealed record AddOutcome(string Id, AddStatus Status, string? Error = null);

/// <summary>Verified similarity of two documents. <see cref="Relation"/> is null until pairs are classified.</summary>
public sealed record PairScore(string A, string B, double Jaccard, double Containment, string? Relation = null, double? Similarity = null);

public sealed record GroupAssignment(string DocumentId, string FamilyId, string StoryId);

public sealed record FamilySummary(string FamilyId, string StoryId, int Size, string FirstDocumentId, string? FirstTitle);
