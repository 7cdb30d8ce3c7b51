namespace Stemma.Storage;

/// <summary>
/// The whole persistence contract every Stemma backend implements (SQLite by default, PostgreSQL later): the three parts
/// that scale differently, behind one object. One shared contract test suite (Stemma.Testing) runs against each
/// implementation; behaviour must not differ between them. Batches report outcomes per item instead of throwing for one
/// bad item. Implementations are safe for concurrent readers and writers; every method honours its cancellation token.
/// Methods other than <see cref="InitializeAsync"/> initialize the store on first use if needed.
/// </summary>
public interface IStore : IDocumentStore, ICandidateIndex, IRelationStore, IAsyncDisposable
{
    /// <summary>Creates or migrates the schema. Safe to call on every start.</summary>
    /// <exception cref="StoreException">The storage exists but cannot be used (not a database, newer schema...).</exception>
    Task InitializeAsync(CancellationToken cancellationToken = default);
}

/// <summary>
/// Documents and their features: the part that grows with the corpus and is sharded by document id.
/// </summary>
public interface IDocumentStore
{
    /// <summary>
    /// Adds documents in one transaction. Idempotent: a document whose id is already stored with the same
    /// content hash is reported <see cref="AddStatus.Unchanged"/> and nothing is written for it; a changed
    /// content hash under a known id replaces the old version (<see cref="AddStatus.Updated"/>): fields,
    /// annotations, signature, band keys and terms are replaced, the pair scores involving it are dropped (they are
    /// stale), its group assignment, insertion position and <see cref="StoredDocument.IngestedAt"/> are kept.
    /// Added and updated documents are <em>pending</em> (see <see cref="IRelationStore.GetPendingAsync"/>) until a
    /// relate commit names them: a crash between the two leaves them pending, never lost.
    /// The document frequencies of <see cref="StoredDocument.Terms"/> are counted in the same transaction.
    /// An invalid document (empty id, missing signature...) is <see cref="AddStatus.Rejected"/> with a reason and
    /// does not stop the others. Outcomes are in input order; a repeated id within one batch is handled in order.
    /// </summary>
    Task<IReadOnlyList<AddOutcome>> AddDocumentsAsync(IReadOnlyList<StoredDocument> documents, CancellationToken cancellationToken = default);

    Task<StoredDocument?> GetDocumentAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>The stored documents among <paramref name="ids"/>, in the order asked; unknown ids are skipped.</summary>
    Task<IReadOnlyList<StoredDocument>> GetDocumentsAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken = default);

    Task<long> CountDocumentsAsync(CancellationToken cancellationToken = default);

    /// <summary>All stored documents in insertion order, for rebuilding in-memory indexes. Streams; does not load all at once.</summary>
    IAsyncEnumerable<StoredDocument> ListDocumentsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes documents with their annotations, signatures, band keys, terms (their document frequencies fall), postings,
    /// pair scores, placements and pending marks. Unknown ids are ignored. Returns how many documents were removed.
    /// </summary>
    Task<int> DeleteDocumentsAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken = default);

    /// <summary>Removes everything: documents, terms, postings, pairs, groups, trees. The schema stays.</summary>
    Task ClearAsync(CancellationToken cancellationToken = default);
}

/// <summary>
/// The candidate index: content hashes, LSH band buckets, term postings and term statistics; sharded by key (hash,
/// band key, term) when the store scales out. Lookups take many keys at once so a batch costs one round trip per kind.
/// </summary>
public interface ICandidateIndex
{
    /// <summary>Ids of stored documents whose normalized content hash equals <paramref name="contentHash"/>, in insertion order.</summary>
    Task<IReadOnlyList<string>> FindByContentHashAsync(ulong contentHash, CancellationToken cancellationToken = default);

    /// <summary>
    /// Ids of stored documents sharing at least one LSH band key (same band index, same key) with <paramref name="bandKeys"/>,
    /// each once, in insertion order. A key equal to a stored key of another band does not match.
    /// </summary>
    Task<IReadOnlyList<string>> FindBandCandidatesAsync(IReadOnlyList<ulong> bandKeys, CancellationToken cancellationToken = default);

    /// <summary>
    /// For many probes at once, what <see cref="FindByContentHashAsync"/> and <see cref="FindBandCandidatesAsync"/> give
    /// for each probe's content hash and band keys, together: one list per probe, in the order given, each document once,
    /// in insertion order. The whole batch costs one round trip (one per shard for a sharded index), not two per probe.
    /// </summary>
    Task<IReadOnlyList<IReadOnlyList<string>>> FindSketchCandidatesAsync(IReadOnlyList<SketchProbe> probes, CancellationToken cancellationToken = default);

    /// <summary>
    /// Document frequencies of the given terms over the stored documents (as counted from <see cref="StoredDocument.Terms"/>),
    /// with the first document that brought each term where at most <see cref="TermFrequency.FirstDocumentUpTo"/>
    /// documents hold it (null above: a store need not look it up). Terms no stored document has are left out.
    /// </summary>
    Task<IReadOnlyList<TermFrequency>> GetTermFrequenciesAsync(IReadOnlyList<uint> terms, CancellationToken cancellationToken = default);

    /// <summary>
    /// The postings of the given terms (see <see cref="IRelationStore.CommitRelateAsync"/>, which writes them): for each
    /// term at most <paramref name="maxPerTerm"/> documents, strongest weight first.
    /// </summary>
    Task<IReadOnlyList<Posting>> GetPostingsAsync(IReadOnlyList<uint> terms, int maxPerTerm, CancellationToken cancellationToken = default);
}

/// <summary>
/// Relations, stories and lineage: what the relate stage decided, kept per region of the corpus and replaced whole when
/// a region is related again. Also the ingest job's state: pending documents, a version that every commit raises, and
/// the writer lock that serialises ingests across processes.
/// </summary>
public interface IRelationStore
{
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

    /// <summary>
    /// The members of many stories at once (a relate region reads every story it touches): one list per story id, in the
    /// order asked, each as <see cref="GetStoryMembersAsync(string, CancellationToken)"/> gives it (empty for an unknown
    /// story). Stores answer in a fixed number of round trips per thousands of stories; this default, for a store that
    /// cannot, asks one story at a time.
    /// </summary>
    async Task<IReadOnlyList<IReadOnlyList<string>>> GetStoryMembersAsync(IReadOnlyList<string> storyIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(storyIds);
        var members = new IReadOnlyList<string>[storyIds.Count];
        for (var i = 0; i < storyIds.Count; i++)
        {
            members[i] = await GetStoryMembersAsync(storyIds[i], cancellationToken).ConfigureAwait(false);
        }

        return members;
    }

    /// <summary>Placements (family, story, parent, relation, origin) of the given documents; documents without one are skipped.</summary>
    Task<IReadOnlyList<StoredPlacement>> GetPlacementsAsync(IReadOnlyList<string> documentIds, CancellationToken cancellationToken = default);

    /// <summary>The lineage trees of one story (one per copy family that has a tree), by family id.</summary>
    Task<IReadOnlyList<Lineage.LineageTree>> GetTreesAsync(string storyId, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="limit"/> ids of pending documents (added or updated, not yet related), in insertion order.</summary>
    Task<IReadOnlyList<string>> GetPendingAsync(int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Ids of documents whose placement was made when the store held fewer than <paramref name="documentCount"/>
    /// documents (statistics have moved since), at most <paramref name="limit"/>, in insertion order.
    /// </summary>
    Task<IReadOnlyList<string>> GetLabeledBeforeAsync(long documentCount, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores what relating one region decided, in one transaction: pairs with both documents in
    /// <see cref="RelateCommit.Region"/> are replaced by <see cref="RelateCommit.Pairs"/>; the region's placements are
    /// set; lineage trees of every story a region document belonged to, or now belongs to, are replaced by
    /// <see cref="RelateCommit.Trees"/>; the postings of the documents in <see cref="RelateCommit.Postings"/> are replaced;
    /// <see cref="RelateCommit.Processed"/> documents stop being pending; the version rises by one.
    /// Names of unknown documents are skipped. Returns the new version.
    /// </summary>
    Task<long> CommitRelateAsync(RelateCommit commit, CancellationToken cancellationToken = default);

    /// <summary>A number that rises with every change of documents or relations, so readers can drop cached views.</summary>
    Task<long> GetVersionAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes the store's writer lock, waiting while another ingest (in this process or another one) holds it;
    /// <paramref name="waiting"/> is called once when the wait begins. Disposing the result releases the lock; a process
    /// that dies releases it too.
    /// </summary>
    Task<IAsyncDisposable> AcquireWriterLockAsync(Action? waiting = null, CancellationToken cancellationToken = default);
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

    /// <summary>Insertion position in the store (set by the store, ignored on add): the corpus order ties are broken by.</summary>
    public long Position { get; init; }

    /// <summary>Distinct term hashes of the body, counted into the store's document frequencies; null counts nothing.</summary>
    public uint[]? Terms { get; init; }
}

/// <summary>One probe of <see cref="ICandidateIndex.FindSketchCandidatesAsync"/>: a document's content hash and LSH band keys.</summary>
public sealed record SketchProbe(ulong ContentHash, IReadOnlyList<ulong> BandKeys);

/// <summary>How many stored documents hold a term, and the first document that brought it (for rare terms).</summary>
public sealed record TermFrequency(uint Term, int DocumentFrequency, string? FirstDocument)
{
    /// <summary>
    /// The largest document frequency for which stores report <see cref="FirstDocument"/>: the relate step asks the first
    /// holder only of terms that rare (a term unique when its document was related was not posted for it).
    /// </summary>
    public const int FirstDocumentUpTo = 2;
}

/// <summary>One term a document is indexed by, with its normalized weight (a document's weights have unit length).</summary>
public readonly record struct PostedTerm(uint Term, float Weight);

/// <summary>A stored document found under a term, with the weight the term has in it.</summary>
public sealed record Posting(uint Term, string DocumentId, float Weight);

/// <summary>Where the relate stage placed one document.</summary>
/// <param name="LabeledAt">How many documents the store held when this placement was made (the statistics it used).</param>
public sealed record StoredPlacement(string DocumentId, string FamilyId, string StoryId, string? Parent, string? Relation, string? Origin, long LabeledAt);

/// <summary>What relating one region decided; see <see cref="IRelationStore.CommitRelateAsync"/>.</summary>
/// <param name="Region">Every document that was related together (whole stories).</param>
/// <param name="Placements">One per region document.</param>
/// <param name="Pairs">Related pairs among the region, with their relation, similarity and evidence.</param>
/// <param name="Trees">The lineage trees of the region's families.</param>
/// <param name="Postings">Index terms of region documents, replacing what each had.</param>
/// <param name="Processed">Pending documents this commit relates.</param>
public sealed record RelateCommit(
    IReadOnlyList<string> Region,
    IReadOnlyList<StoredPlacement> Placements,
    IReadOnlyList<PairScore> Pairs,
    IReadOnlyList<Lineage.LineageTree> Trees,
    IReadOnlyList<(string DocumentId, PostedTerm[] Terms)> Postings,
    IReadOnlyList<string> Processed)
{
    /// <summary>
    /// The stories the region's documents belonged to before this commit (empty when none had a placement). Those not
    /// among <see cref="Placements"/>' stories are gone (merged into another or split); stores need not read it, hosts
    /// that keep per-story state (the cluster's story grains) learn from it which stories to retire.
    /// </summary>
    public IReadOnlyList<string> FormerStories { get; init; } = [];
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
/// <param name="Details">The labeled pair with its evidence and changes (from A to B as stored), when the relate stage made it.</param>
public sealed record PairScore(string A, string B, double Jaccard, double Containment, string? Relation = null, double? Similarity = null, Relate.RelatedPair? Details = null);

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
    int SiteCount)
{
    /// <summary>
    /// The story's original, which it is titled after: the lineage root as stored (a member without a parent, the one
    /// a credited outside origin leads to) of the story's largest copy family; among equally large families, the
    /// earliest-dated root (undated last, then insertion order). Unlike <see cref="FirstDocumentId"/>, a doctored copy
    /// dated before its original does not name the story. Null only from a store that does not fill it.
    /// </summary>
    public string? OriginalId { get; init; }

    /// <summary>The title of <see cref="OriginalId"/>.</summary>
    public string? OriginalTitle { get; init; }
}
