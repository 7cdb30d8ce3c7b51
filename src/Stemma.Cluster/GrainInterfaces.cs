using Stemma.Lineage;
using Stemma.Storage;

namespace Stemma.Cluster;

/// <summary>
/// How long a client waits for quick calls before it asks again (<see cref="ClusterStore.RetryBudget"/>). A message sent
/// to a silo just as it dies can be lost with no error: the gateway that forwarded it does not answer for it, so without
/// these the client would wait out the whole response timeout (minutes, sized for large writes).
/// </summary>
public static class CallTimeouts
{
    /// <summary>
    /// A shard's read, 30 seconds (as a <see cref="ResponseTimeoutAttribute"/> takes it): reads of a shard's memory take
    /// milliseconds; a new activation that loads its state first is asked again and answers once loaded.
    /// </summary>
    public const string ShardRead = "00:00:30";

    /// <summary>
    /// The writer lock's calls, 10 seconds: a third of the lease (<see cref="ClusterStore.Lease"/>), so a renewal lost on the
    /// way is sent again before the lease lapses and another writer could take the lock.
    /// </summary>
    public const string WriterLock = "00:00:10";
}

/// <summary>
/// One shard of the candidate index of one store (key <see cref="Shards.Key"/>): the content hashes, LSH band buckets,
/// term document frequencies and term postings whose keys hash to it, held in memory. It is derived state: the store is
/// the record, and a shard that finds itself behind (a new activation after a silo died, a write it missed) rebuilds its
/// slice from the store.
/// </summary>
public interface IIndexShardGrain : IGrainWithStringKey
{
    /// <summary>Applies one write's changes; see <see cref="ShardUpdate"/>.</summary>
    Task ApplyAsync(ShardUpdate update);

    /// <summary>Rebuilds from the store unless the shard already stands at <paramref name="version"/>.</summary>
    Task EnsureAsync(long version);

    [ResponseTimeout(CallTimeouts.ShardRead)]
    Task<Found[]> FindByContentHashAsync(ulong contentHash);

    /// <summary>Documents in any of the given buckets (band number, key), each once.</summary>
    [ResponseTimeout(CallTimeouts.ShardRead)]
    Task<Found[]> FindBandCandidatesAsync(int[] bands, ulong[] keys);

    /// <summary>
    /// For many probes at once: the documents with the given content hashes (<paramref name="hashProbes"/> names the probe
    /// of each) and those in the given buckets (band number and key; <paramref name="bandProbes"/> names the probe of each),
    /// each (probe, document) once.
    /// </summary>
    [ResponseTimeout(CallTimeouts.ShardRead)]
    Task<ProbeFound[]> FindSketchCandidatesAsync(int[] hashProbes, ulong[] hashes, int[] bandProbes, int[] bands, ulong[] keys);

    [ResponseTimeout(CallTimeouts.ShardRead)]
    Task<ShardFrequency[]> GetTermFrequenciesAsync(uint[] terms);

    [ResponseTimeout(CallTimeouts.ShardRead)]
    Task<ShardPosting[]> GetPostingsAsync(uint[] terms, int maxPerTerm);

    [ResponseTimeout(CallTimeouts.ShardRead)]
    Task<ShardStatistics> GetStatisticsAsync();
}

/// <summary>
/// One shard of the documents of one store (key <see cref="Shards.Key"/>, as the index shards' but a grain type of its
/// own): the documents whose id hashes to it (<see cref="Shards.OfDocument"/>), as the store returns them (article,
/// annotations, content hash, signature, band keys, position), held in memory so the relate step's reads of candidates
/// and regions fan out by id over the silos instead of queuing at the one store. Derived state, like an index shard: the
/// store is the record, and a shard behind it reads its slice again (<see cref="VersionedShardGrain"/>).
/// </summary>
public interface IDocumentShardGrain : IGrainWithStringKey
{
    /// <summary>Applies one write's changes; see <see cref="DocumentShardUpdate"/>.</summary>
    Task ApplyAsync(DocumentShardUpdate update);

    /// <summary>Reads its slice from the store again unless the shard already stands at <paramref name="version"/>.</summary>
    Task EnsureAsync(long version);

    /// <summary>The documents among <paramref name="ids"/> this shard holds (ids it does not hold are skipped), each once.</summary>
    [ResponseTimeout(CallTimeouts.ShardRead)]
    Task<StoredDocument[]> GetDocumentsAsync(string[] ids);

    [ResponseTimeout(CallTimeouts.ShardRead)]
    Task<DocumentShardStatistics> GetStatisticsAsync();
}

/// <summary>
/// The way into the store a silo holds (key: the store's name): writes, relations and listings go straight to it. A
/// stateless worker, so every silo serves these calls locally and a silo that dies takes nothing with it. Every write
/// takes the number of document shards of the store (<c>documentShards</c> in each) and tells each of them
/// what it changed, with the store's versions around it (<see cref="IDocumentShardGrain"/>), before it answers.
/// </summary>
public interface IStoreGatewayGrain : IGrainWithStringKey
{
    Task InitializeAsync();

    Task<Versioned<AddResult>> AddDocumentsAsync(IReadOnlyList<StoredDocument> documents, int documentShards);

    Task<long> CountDocumentsAsync();

    /// <summary>All documents in insertion order, streamed in batches.</summary>
    IAsyncEnumerable<StoredDocument> ListDocumentsAsync();

    Task<Versioned<int>> DeleteDocumentsAsync(IReadOnlyList<string> ids, int documentShards);

    Task<Versioned<bool>> ClearAsync(int documentShards);

    Task<Versioned<int>> AddPairsAsync(IReadOnlyList<PairScore> pairs, int documentShards);

    Task<IReadOnlyList<PairScore>> GetPairsAsync(string documentId);

    Task<IReadOnlyList<PairScore>> GetPairsAmongAsync(IReadOnlyList<string> documentIds);

    Task<long> CountPairsAsync();

    Task<Versioned<int>> SetGroupsAsync(IReadOnlyList<GroupAssignment> assignments, int documentShards);

    Task<GroupAssignment?> GetGroupAsync(string documentId);

    Task<IReadOnlyList<FamilySummary>> ListFamiliesAsync(int minSize);

    Task<IReadOnlyList<string>> GetFamilyMembersAsync(string familyId);

    Task<StoryPage> ListStoriesAsync(StoryQuery query);

    Task<IReadOnlyList<string>> GetStoryMembersAsync(string storyId);

    /// <summary>The members of each story asked, in that order (see <see cref="IStore.GetStoryMembersAsync(IReadOnlyList{string}, CancellationToken)"/>).</summary>
    Task<IReadOnlyList<IReadOnlyList<string>>> GetMembersOfStoriesAsync(IReadOnlyList<string> storyIds);

    Task<IReadOnlyList<StoredPlacement>> GetPlacementsAsync(IReadOnlyList<string> documentIds);

    Task<IReadOnlyList<LineageTree>> GetTreesAsync(string storyId);

    Task<IReadOnlyList<string>> GetPendingAsync(int limit);

    Task<IReadOnlyList<string>> GetLabeledBeforeAsync(long documentCount, int limit);

    Task<Versioned<long>> CommitRelateAsync(RelateCommit commit, int documentShards);

    Task<long> GetVersionAsync();
}

/// <summary>
/// The cluster's writer lock for one store (key: the store's name): a lease an ingest takes and renews; a lease not
/// renewed in time (the client died) lapses, so a dead ingest never blocks the cluster for long.
/// </summary>
public interface IWriterLockGrain : IGrainWithStringKey
{
    /// <summary>Takes or renews the lease for <paramref name="owner"/>; false while another owner holds a live lease.</summary>
    [ResponseTimeout(CallTimeouts.WriterLock)]
    Task<bool> TryAcquireAsync(Guid owner, TimeSpan lease);

    [ResponseTimeout(CallTimeouts.WriterLock)]
    Task ReleaseAsync(Guid owner);
}

/// <summary>
/// Sketches a slice of an ingest batch (content hash, signature, band keys, terms), so the cluster, not the ingesting
/// client, does the work. A stateless worker: each silo runs activations on its own cores, and calls with different
/// keys spread over the gateways, hence over the silos.
/// </summary>
public interface ISketchWorkerGrain : IGrainWithIntegerKey
{
    /// <summary>The stored documents of <paramref name="articles"/>, one each, in order (see <see cref="Pipeline.DocumentSketcher"/>), and the silo that made them.</summary>
    Task<SketchedSlice> SketchAsync(IReadOnlyList<Article> articles, Sketch.SketchOptions sketch, Index.LshParameters lsh);
}

/// <summary>
/// One story of one store (key <see cref="StoryGrain.Key"/>): its members and copy trees, kept current by the relate
/// commits that go through <see cref="ClusterStore"/> (each names the stories its region had and has), so readers
/// (<c>serve --cluster</c>) get a story from the grain rather than from the store. A story merged into another or split
/// is told it is gone. A write the cluster did not make (<see cref="IWriteLedgerGrain"/>) sends a grain whose view
/// predates it back to the store.
/// </summary>
public interface IStoryGrain : IGrainWithStringKey
{
    /// <summary>Takes the story as of store version <see cref="StoryView.Version"/>; an older view than the one held is ignored.</summary>
    Task UpdateAsync(StoryView view);

    /// <summary>Drops what the grain holds (documents were deleted); the next read takes the story from the store.</summary>
    Task ForgetAsync();

    Task<StoryView> GetAsync();
}

/// <summary>
/// Reads input files whose bytes a client sends (HTML pages, WordPress JSON, feeds, text, JSONL, WARC, gzip of these):
/// extraction and annotation run on the silos, the client only lists files and ships them. A stateless worker, like
/// <see cref="ISketchWorkerGrain"/>.
/// </summary>
public interface IReadWorkerGrain : IGrainWithIntegerKey
{
    /// <summary>Each input's outcomes (<see cref="Ingest.ArticleReader.ReadContent"/>), inputs in order, and the silo that read them.</summary>
    Task<ReadSlice> ReadAsync(RawFile[] inputs, Ingest.IngestLimits limits);
}

/// <summary>
/// Which steps of one store's version (key: the store's name) the cluster made and told the story grains of. Every write
/// through <see cref="ClusterStore"/> that raised the version by exactly one reports that step once its story grains are
/// told; a step never reported was made by another writer (an ingest without <c>--cluster</c>), or by a cluster client
/// that has not finished telling the grains yet, and a story view older than it may be stale.
/// </summary>
public interface IWriteLedgerGrain : IGrainWithStringKey
{
    /// <summary>The step from <paramref name="before"/> to <paramref name="after"/> went through the cluster, story grains told.</summary>
    Task ReportAsync(long before, long after);

    /// <summary>
    /// Reads the store's version and answers the newest step up to it that was not reported: a story view made at an older
    /// version may miss what that step changed.
    /// </summary>
    Task<long> GetUnreportedAsync();
}
