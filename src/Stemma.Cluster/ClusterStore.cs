using System.Runtime.CompilerServices;
using Orleans.Runtime;
using Stemma.Lineage;
using Stemma.Storage;

namespace Stemma.Cluster;

/// <summary>
/// The store as a cluster client sees it: an <see cref="IStore"/> whose candidate index is sharded over
/// <see cref="IIndexShardGrain"/>s by key, whose documents are read from <see cref="IDocumentShardGrain"/>s by id, and
/// whose writes and relations go through <see cref="IStoreGatewayGrain"/>s to the store the silos hold.
/// <see cref="Pipeline.StoreIngestor"/> and <see cref="Pipeline.StoreRelater"/> run over it unchanged, so an ingest
/// through the cluster does exactly what a single-process ingest does.
/// </summary>
/// <remarks>
/// Calls that fail because a silo went away (or did not answer in time) are tried again, up to
/// <see cref="RetryBudget"/>: the grain is activated again on a live silo. Every write is safe to repeat (a document added
/// twice is unchanged the second time; a relate commit replaces its region), and the shards' version check rebuilds any
/// shard that missed a write. Writes through one <see cref="ClusterStore"/> are serialized; ingests from several clients
/// are serialized by the cluster's writer lock (<see cref="IWriterLockGrain"/>).
/// </remarks>
public sealed class ClusterStore : IStore, Pipeline.IRemoteSketching, Ingest.IRemoteReading
{
    private const int ReadChunk = 1000;

    /// <summary>Ids per document shard message: a region of a few thousand documents is one message per shard, a huge read stays far below the message size limit.</summary>
    private const int DocumentChunk = 5000;

    /// <summary>Articles per sketch worker call: small enough that a batch spreads over every silo's cores.</summary>
    private const int SketchChunk = 16;
    /// <summary>How long the writer lock is held without a renewal (renewed every third of it).</summary>
    internal static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    private readonly IGrainFactory grains;
    private readonly string name;
    private readonly int shardCount;
    private readonly SemaphoreSlim writes = new(1, 1);
    private readonly IIndexShardGrain[] shards;
    private readonly IDocumentShardGrain[] documentShards;

    /// <param name="grains">The cluster client.</param>
    /// <param name="name">The store's name on the silos (<see cref="BackingStores.Default"/> for the one given to <c>stemma silo --db</c>).</param>
    /// <param name="shardCount">Shards of the candidate index; every client of one store must use the same number.</param>
    public ClusterStore(IGrainFactory grains, string name = BackingStores.Default, int shardCount = Shards.DefaultCount)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentOutOfRangeException.ThrowIfLessThan(shardCount, 1);
        this.grains = grains;
        this.name = name ?? throw new ArgumentNullException(nameof(name));
        this.shardCount = shardCount;
        shards = [.. Enumerable.Range(0, shardCount).Select(s => grains.GetGrain<IIndexShardGrain>(Shards.Key(name, s, shardCount)))];
        documentShards = [.. Enumerable.Range(0, shardCount).Select(s => grains.GetGrain<IDocumentShardGrain>(Shards.Key(name, s, shardCount)))];
    }

    /// <summary>The store's name on the silos.</summary>
    public string Name => name;

    /// <summary>How long a call keeps being tried again while silos fail (membership needs a while to declare one dead).</summary>
    public TimeSpan RetryBudget { get; init; } = DefaultRetryBudget;

    /// <summary>
    /// <see cref="RetryBudget"/> unless a client sets another: as long as one call's response timeout, so a shard read asked
    /// again every <see cref="CallTimeouts.ShardRead"/> while a new activation reads its slice from the store gets its answer
    /// whenever a single call would have.
    /// </summary>
    public static readonly TimeSpan DefaultRetryBudget = TimeSpan.FromMinutes(5);

    /// <summary>Calls that failed and were tried again (for tests and logs).</summary>
    public int Retries => retries;

    private int retries;

    /// <summary>Grain calls this store has made (each one message to a silo and one answer), for the scale model.</summary>
    public long Calls => Interlocked.Read(ref calls);

    private long calls;

    /// <summary>Writes this store made: each one gateway call, then one message to every index shard and, from the gateway, to every document shard.</summary>
    public long Writes => Interlocked.Read(ref writesMade);

    private long writesMade;

    /// <summary>Articles this store had sketched by the cluster's workers.</summary>
    public long Sketched => sketchedBySilo.Values.Sum();

    /// <summary>Articles sketched, by the silo whose worker sketched them.</summary>
    public IReadOnlyDictionary<string, long> SketchedBySilo => new Dictionary<string, long>(sketchedBySilo, StringComparer.Ordinal);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> sketchedBySilo = new(StringComparer.Ordinal);

    /// <summary>Distinct sketch worker keys a client uses: each is one grain, with activations on the silo its calls reach.</summary>
    private const int SketchKeys = 64;

    private long sketchKey;

    private IStoreGatewayGrain Gateway => grains.GetGrain<IStoreGatewayGrain>(name);

    /// <summary>
    /// Sketches a batch on the silos: slices of <see cref="SketchChunk"/> articles go to <see cref="ISketchWorkerGrain"/>s
    /// under different keys (so over every gateway), all at once.
    /// </summary>
    public async Task<IReadOnlyList<StoredDocument>> SketchAsync(IReadOnlyList<Article> articles, Sketch.SketchOptions sketch, Index.LshParameters lsh, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(articles);
        // Keys go round across calls too, so batches smaller than a slice still reach every gateway in turn.
        var slices = articles.Chunk(SketchChunk).Select(slice =>
        {
            var key = Interlocked.Increment(ref sketchKey) % SketchKeys;
            return RetryAsync(() => grains.GetGrain<ISketchWorkerGrain>(key).SketchAsync(slice, sketch, lsh), cancellationToken);
        }).ToList();
        var done = await Task.WhenAll(slices).ConfigureAwait(false);
        foreach (var slice in done)
        {
            sketchedBySilo.AddOrUpdate(slice.Silo, slice.Documents.Count, (_, count) => count + slice.Documents.Count);
        }

        return [.. done.SelectMany(slice => slice.Documents)];
    }

    /// <summary>Input files read by the cluster's read workers, by the silo whose worker read them.</summary>
    public IReadOnlyDictionary<string, long> ReadBySilo => new Dictionary<string, long>(readBySilo, StringComparer.Ordinal);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> readBySilo = new(StringComparer.Ordinal);

    /// <summary>Files per read worker call, and bytes (a call closes at whichever comes first).</summary>
    private const int ReadChunkFiles = 8;
    private const long ReadChunkBytes = 4 * 1024 * 1024;

    /// <summary>
    /// Reads input files on the silos: slices of a few files go to <see cref="IReadWorkerGrain"/>s under keys taken in turn
    /// (as sketch slices do), all at once; each file's outcomes come back in order.
    /// </summary>
    public async Task<IReadOnlyList<Ingest.ReadOutcome[]>> ReadAsync(IReadOnlyList<Ingest.RawInput> inputs, Ingest.IngestLimits limits, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var slices = new List<List<RawFile>>();
        long bytes = 0;
        foreach (var input in inputs)
        {
            if (slices.Count == 0 || slices[^1].Count >= ReadChunkFiles || bytes + input.Content.Length > ReadChunkBytes)
            {
                slices.Add([]);
                bytes = 0;
            }

            slices[^1].Add(new RawFile(input.Source, input.Id, input.Content));
            bytes += input.Content.Length;
        }

        var done = await Task.WhenAll(slices.Select(slice =>
        {
            var key = Interlocked.Increment(ref sketchKey) % SketchKeys;
            return RetryAsync(() => grains.GetGrain<IReadWorkerGrain>(key).ReadAsync([.. slice], limits), cancellationToken);
        })).ConfigureAwait(false);
        for (var i = 0; i < done.Length; i++)
        {
            readBySilo.AddOrUpdate(done[i].Silo, slices[i].Count, (_, count) => count + slices[i].Count);
        }

        return [.. done.SelectMany(slice => slice.Outcomes)];
    }

    /// <summary>Initializes the store on the silos and brings every shard up to the store's version.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await RetryAsync(() => Gateway.InitializeAsync(), cancellationToken).ConfigureAwait(false);
        await EnsureShardsAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<AddOutcome>> AddDocumentsAsync(IReadOnlyList<StoredDocument> documents, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var result = await WriteAsync(
            () => Gateway.AddDocumentsAsync(documents, shardCount),
            added =>
            {
                var updates = Empty();
                var latest = new Dictionary<string, StoredDocument>(StringComparer.Ordinal);
                foreach (var document in documents)
                {
                    if (document?.Article?.Id is { } id && added.Positions.ContainsKey(id))
                    {
                        latest[id] = document;
                    }
                }

                var updated = new HashSet<string>(added.Outcomes.Where(o => o.Status == AddStatus.Updated).Select(o => o.Id), StringComparer.Ordinal);
                foreach (var (id, document) in latest)
                {
                    var position = added.Positions[id];
                    for (var s = 0; s < shardCount; s++)
                    {
                        var slice = IndexShardGrain.Slice(document, position, s, shardCount);
                        if (slice is null && updated.Contains(id))
                        {
                            // An updated document may have had keys here before: an empty entry replaces them.
                            slice = new ShardDocument(id, position, null, [], [], []);
                        }

                        if (slice is not null)
                        {
                            updates[s].Upserts.Add(slice);
                        }
                    }
                }

                return updates;
            },
            cancellationToken).ConfigureAwait(false);
        return (await ReportAsync(result, result.Value.Positions.Count > 0, cancellationToken).ConfigureAwait(false)).Outcomes;
    }

    public async Task<StoredDocument?> GetDocumentAsync(string id, CancellationToken cancellationToken = default) =>
        (await GetDocumentsAsync([id], cancellationToken).ConfigureAwait(false)).FirstOrDefault();

    /// <summary>
    /// From the document shards: the ids grouped by shard, one call per shard asked (per <see cref="DocumentChunk"/> ids),
    /// all at once; answered in the order asked, as the store does.
    /// </summary>
    public async Task<IReadOnlyList<StoredDocument>> GetDocumentsAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var byShard = Shards.Split(ids.Where(id => id is not null && seen.Add(id)), id => Shards.OfDocument(id, shardCount), shardCount);

        var asks = Enumerable.Range(0, shardCount)
            .Where(s => byShard[s] is not null)
            .SelectMany(s => byShard[s]!.Chunk(DocumentChunk).Select(chunk => RetryAsync(() => documentShards[s].GetDocumentsAsync(chunk), cancellationToken)));
        var held = (await Task.WhenAll(asks).ConfigureAwait(false)).SelectMany(d => d).ToDictionary(d => d.Article.Id, StringComparer.Ordinal);
        var found = new List<StoredDocument>(ids.Count);
        foreach (var id in ids)
        {
            if (id is not null && held.TryGetValue(id, out var document))
            {
                found.Add(document);
            }
        }

        return found;
    }

    public Task<long> CountDocumentsAsync(CancellationToken cancellationToken = default) => RetryAsync(() => Gateway.CountDocumentsAsync(), cancellationToken);

    public async IAsyncEnumerable<StoredDocument> ListDocumentsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var document in Gateway.ListDocumentsAsync().WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return document;
        }
    }

    public async Task<int> DeleteDocumentsAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        // The stories that lose members read themselves from the store again.
        var stories = (await GetPlacementsAsync([.. ids.Where(id => id is not null)], cancellationToken).ConfigureAwait(false)).Select(p => p.StoryId).Distinct(StringComparer.Ordinal).ToList();
        var deleted = await DeleteFromStoreAndShardsAsync(ids, cancellationToken).ConfigureAwait(false);
        await ForgetStoriesAsync(stories, cancellationToken).ConfigureAwait(false);
        return await ReportChangedAsync(deleted, cancellationToken).ConfigureAwait(false);
    }

    private Task ForgetStoriesAsync(IEnumerable<string> stories, CancellationToken cancellationToken) =>
        Task.WhenAll(stories.Select(story => RetryAsync(() => Story(story).ForgetAsync(), cancellationToken)));

    private async Task<Versioned<int>> DeleteFromStoreAndShardsAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        return await WriteAsync(
            () => Gateway.DeleteDocumentsAsync(ids, shardCount),
            _ =>
            {
                var updates = Empty();
                foreach (var update in updates)
                {
                    update.Removed.AddRange(ids.Where(id => id is not null));
                }

                return updates;
            },
            cancellationToken).ConfigureAwait(false);
    }

    public async Task ClearAsync(CancellationToken cancellationToken = default)
    {
        var stories = new List<string>();
        for (var page = await ListStoriesAsync(new StoryQuery(), cancellationToken).ConfigureAwait(false); page.Stories.Count > 0 && stories.Count < page.TotalCount;
             page = await ListStoriesAsync(new StoryQuery { Offset = stories.Count }, cancellationToken).ConfigureAwait(false))
        {
            stories.AddRange(page.Stories.Select(s => s.StoryId));
        }

        var cleared = await WriteAsync(() => Gateway.ClearAsync(shardCount), _ => Empty(clear: true), cancellationToken).ConfigureAwait(false);
        await ForgetStoriesAsync(stories, cancellationToken).ConfigureAwait(false);
        await ReportAsync(cleared, changed: true, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<string>> FindByContentHashAsync(ulong contentHash, CancellationToken cancellationToken = default)
    {
        var shard = shards[Shards.OfContentHash(contentHash, shardCount)];
        return [.. (await RetryAsync(() => shard.FindByContentHashAsync(contentHash), cancellationToken).ConfigureAwait(false)).Select(f => f.Id)];
    }

    public async Task<IReadOnlyList<string>> FindBandCandidatesAsync(IReadOnlyList<ulong> bandKeys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bandKeys);
        var bands = new List<int>[shardCount];
        var keys = new List<ulong>[shardCount];
        for (var band = 0; band < bandKeys.Count; band++)
        {
            var s = Shards.OfBand(band, bandKeys[band], shardCount);
            (bands[s] ??= []).Add(band);
            (keys[s] ??= []).Add(bandKeys[band]);
        }

        var asks = Enumerable.Range(0, shardCount)
            .Where(s => bands[s] is not null)
            .Select(s => RetryAsync(() => shards[s].FindBandCandidatesAsync([.. bands[s]], [.. keys[s]]), cancellationToken));
        var found = (await Task.WhenAll(asks).ConfigureAwait(false)).SelectMany(f => f);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return [.. found.OrderBy(f => f.Position).Where(f => seen.Add(f.Id)).Select(f => f.Id)];
    }

    public async Task<IReadOnlyList<IReadOnlyList<string>>> FindSketchCandidatesAsync(IReadOnlyList<SketchProbe> probes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(probes);

        // Every probe's keys sorted by shard: one call per shard for the whole batch.
        var asks = new (List<int> HashProbes, List<ulong> Hashes, List<int> BandProbes, List<int> Bands, List<ulong> Keys)?[shardCount];
        (List<int> HashProbes, List<ulong> Hashes, List<int> BandProbes, List<int> Bands, List<ulong> Keys) Ask(int shard) =>
            asks[shard] ??= ([], [], [], [], []);
        for (var p = 0; p < probes.Count; p++)
        {
            var hashAsk = Ask(Shards.OfContentHash(probes[p].ContentHash, shardCount));
            hashAsk.HashProbes.Add(p);
            hashAsk.Hashes.Add(probes[p].ContentHash);
            var bandKeys = probes[p].BandKeys;
            for (var band = 0; band < bandKeys.Count; band++)
            {
                var bandAsk = Ask(Shards.OfBand(band, bandKeys[band], shardCount));
                bandAsk.BandProbes.Add(p);
                bandAsk.Bands.Add(band);
                bandAsk.Keys.Add(bandKeys[band]);
            }
        }

        var answers = await Task.WhenAll(Enumerable.Range(0, shardCount)
            .Where(s => asks[s] is not null)
            .Select(s =>
            {
                var ask = asks[s]!.Value;
                return RetryAsync(() => shards[s].FindSketchCandidatesAsync([.. ask.HashProbes], [.. ask.Hashes], [.. ask.BandProbes], [.. ask.Bands], [.. ask.Keys]), cancellationToken);
            })).ConfigureAwait(false);
        var byProbe = new List<Found>?[probes.Count];
        foreach (var found in answers.SelectMany(a => a))
        {
            (byProbe[found.Probe] ??= []).Add(new Found(found.Position, found.Id));
        }

        var result = new IReadOnlyList<string>[probes.Count];
        for (var p = 0; p < probes.Count; p++)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            result[p] = byProbe[p] is { } list ? [.. list.OrderBy(f => f.Position).Where(f => seen.Add(f.Id)).Select(f => f.Id)] : [];
        }

        return result;
    }

    public async Task<IReadOnlyList<TermFrequency>> GetTermFrequenciesAsync(IReadOnlyList<uint> terms, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(terms);
        var distinct = terms.Distinct().ToList();
        var byTerm = (await Task.WhenAll(ByShard(distinct).Select(g => RetryAsync(() => shards[g.Key].GetTermFrequenciesAsync(g.Value), cancellationToken))).ConfigureAwait(false))
            .SelectMany(f => f)
            .ToDictionary(f => f.Term);
        return [.. distinct.Where(byTerm.ContainsKey).Select(t => new TermFrequency(t, byTerm[t].Count, byTerm[t].First))];
    }

    public async Task<IReadOnlyList<Posting>> GetPostingsAsync(IReadOnlyList<uint> terms, int maxPerTerm, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(terms);
        var distinct = terms.Distinct().ToList();
        var byTerm = (await Task.WhenAll(ByShard(distinct).Select(g => RetryAsync(() => shards[g.Key].GetPostingsAsync(g.Value, maxPerTerm), cancellationToken))).ConfigureAwait(false))
            .SelectMany(p => p)
            .GroupBy(p => p.Term)
            .ToDictionary(g => g.Key, g => g.ToList());
        return [.. distinct.Where(byTerm.ContainsKey).SelectMany(t => byTerm[t].Select(p => new Posting(t, p.Id, p.Weight)))];
    }

    public async Task<int> AddPairsAsync(IReadOnlyList<PairScore> pairs, CancellationToken cancellationToken = default) =>
        await ReportChangedAsync(await WriteAsync(() => Gateway.AddPairsAsync(pairs, shardCount), _ => Empty(), cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    public Task<IReadOnlyList<PairScore>> GetPairsAsync(string documentId, CancellationToken cancellationToken = default) =>
        RetryAsync(() => Gateway.GetPairsAsync(documentId), cancellationToken);

    public Task<IReadOnlyList<PairScore>> GetPairsAmongAsync(IReadOnlyList<string> documentIds, CancellationToken cancellationToken = default) =>
        RetryAsync(() => Gateway.GetPairsAmongAsync(documentIds), cancellationToken);

    public Task<long> CountPairsAsync(CancellationToken cancellationToken = default) => RetryAsync(() => Gateway.CountPairsAsync(), cancellationToken);

    public async Task<int> SetGroupsAsync(IReadOnlyList<GroupAssignment> assignments, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(assignments);
        // Groups set outside a relate commit: the stories the documents leave and join read themselves from the store again.
        var stories = (await GetPlacementsAsync([.. assignments.Select(a => a.DocumentId)], cancellationToken).ConfigureAwait(false)).Select(p => p.StoryId)
            .Concat(assignments.Select(a => a.StoryId)).Distinct(StringComparer.Ordinal).ToList();
        var set = await WriteAsync(() => Gateway.SetGroupsAsync(assignments, shardCount), _ => Empty(), cancellationToken).ConfigureAwait(false);
        await ForgetStoriesAsync(stories, cancellationToken).ConfigureAwait(false);
        return await ReportChangedAsync(set, cancellationToken).ConfigureAwait(false);
    }

    public Task<GroupAssignment?> GetGroupAsync(string documentId, CancellationToken cancellationToken = default) =>
        RetryAsync(() => Gateway.GetGroupAsync(documentId), cancellationToken);

    public Task<IReadOnlyList<FamilySummary>> ListFamiliesAsync(int minSize = 1, CancellationToken cancellationToken = default) =>
        RetryAsync(() => Gateway.ListFamiliesAsync(minSize), cancellationToken);

    public Task<IReadOnlyList<string>> GetFamilyMembersAsync(string familyId, CancellationToken cancellationToken = default) =>
        RetryAsync(() => Gateway.GetFamilyMembersAsync(familyId), cancellationToken);

    public Task<StoryPage> ListStoriesAsync(StoryQuery query, CancellationToken cancellationToken = default) =>
        RetryAsync(() => Gateway.ListStoriesAsync(query), cancellationToken);

    public async Task<IReadOnlyList<string>> GetStoryMembersAsync(string storyId, CancellationToken cancellationToken = default) =>
        (await GetStoryAsync(storyId, cancellationToken).ConfigureAwait(false)).Members;

    /// <summary>Many stories' members straight from the silo's store, a chunk per call (a relate region's stories), not one story grain each.</summary>
    public async Task<IReadOnlyList<IReadOnlyList<string>>> GetStoryMembersAsync(IReadOnlyList<string> storyIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(storyIds);
        var found = new List<IReadOnlyList<string>>(storyIds.Count);
        foreach (var chunk in storyIds.Chunk(ReadChunk))
        {
            found.AddRange(await RetryAsync(() => Gateway.GetMembersOfStoriesAsync(chunk), cancellationToken).ConfigureAwait(false));
        }

        return found;
    }

    public async Task<IReadOnlyList<StoredPlacement>> GetPlacementsAsync(IReadOnlyList<string> documentIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documentIds);
        var found = new List<StoredPlacement>(documentIds.Count);
        foreach (var chunk in documentIds.Chunk(ReadChunk * 10))
        {
            found.AddRange(await RetryAsync(() => Gateway.GetPlacementsAsync(chunk), cancellationToken).ConfigureAwait(false));
        }

        return found;
    }

    public async Task<IReadOnlyList<LineageTree>> GetTreesAsync(string storyId, CancellationToken cancellationToken = default) =>
        (await GetStoryAsync(storyId, cancellationToken).ConfigureAwait(false)).Trees;

    public Task<IReadOnlyList<string>> GetPendingAsync(int limit, CancellationToken cancellationToken = default) =>
        RetryAsync(() => Gateway.GetPendingAsync(limit), cancellationToken);

    public Task<IReadOnlyList<string>> GetLabeledBeforeAsync(long documentCount, int limit, CancellationToken cancellationToken = default) =>
        RetryAsync(() => Gateway.GetLabeledBeforeAsync(documentCount, limit), cancellationToken);

    public async Task<long> CommitRelateAsync(RelateCommit commit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commit);

        // The relater names the stories its region had; a commit made otherwise (no such names) has them read first.
        var former = commit.FormerStories.Count > 0 || commit.Region.Count == 0
            ? commit.FormerStories
            : [.. (await GetPlacementsAsync(commit.Region, cancellationToken).ConfigureAwait(false)).Select(p => p.StoryId).Distinct(StringComparer.Ordinal)];
        var committed = await CommitToStoreAndShardsAsync(commit, cancellationToken).ConfigureAwait(false);
        var version = committed.Value;

        // Then the story grains: every story the region now has gets its members and trees, every one it had and lost is gone.
        var now = commit.Placements.GroupBy(p => p.StoryId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(p => p.DocumentId).ToArray(), StringComparer.Ordinal);
        var views = now.Select(story => (story.Key, View: new StoryView(version, false, story.Value, [.. commit.Trees.Where(t => string.Equals(t.Story, story.Key, StringComparison.Ordinal))])))
            .Concat(former.Where(story => !now.ContainsKey(story)).Select(story => (Key: story, View: new StoryView(version, true, [], []))));
        await Task.WhenAll(views.Select(v => RetryAsync(() => Story(v.Key).UpdateAsync(v.View), cancellationToken))).ConfigureAwait(false);
        return await ReportAsync(committed, committed.Value == committed.After, cancellationToken).ConfigureAwait(false);
    }

    private IStoryGrain Story(string storyId) => grains.GetGrain<IStoryGrain>(StoryGrain.Key(name, storyId));

    /// <summary>Stories (members and trees) as the story grains hold them.</summary>
    public Task<StoryView> GetStoryAsync(string storyId, CancellationToken cancellationToken = default) =>
        RetryAsync(() => Story(storyId).GetAsync(), cancellationToken);

    private async Task<Versioned<long>> CommitToStoreAndShardsAsync(RelateCommit commit, CancellationToken cancellationToken)
    {
        return await WriteAsync(
            () => Gateway.CommitRelateAsync(commit, shardCount),
            _ =>
            {
                var updates = Empty();
                foreach (var (documentId, posted) in commit.Postings)
                {
                    if (documentId is null)
                    {
                        continue;
                    }

                    // Every shard gets the document's postings that fall into it, or none, which clears what it had there.
                    var terms = new List<uint>[shardCount];
                    var weights = new List<float>[shardCount];
                    foreach (var term in posted)
                    {
                        var s = Shards.OfTerm(term.Term, shardCount);
                        (terms[s] ??= []).Add(term.Term);
                        (weights[s] ??= []).Add(term.Weight);
                    }

                    for (var s = 0; s < shardCount; s++)
                    {
                        updates[s].Postings.Add(new ShardPostings(documentId, terms[s] is null ? [] : [.. terms[s]], weights[s] is null ? [] : [.. weights[s]]));
                    }
                }

                return updates;
            },
            cancellationToken).ConfigureAwait(false);
    }

    public Task<long> GetVersionAsync(CancellationToken cancellationToken = default) => RetryAsync(() => Gateway.GetVersionAsync(), cancellationToken);

    /// <summary>
    /// Takes the cluster's writer lock for this store (a lease renewed in the background while held), then brings every
    /// shard up to the store's version, so an ingest never starts on an index a crashed writer left behind.
    /// </summary>
    public async Task<IAsyncDisposable> AcquireWriterLockAsync(Action? waiting = null, CancellationToken cancellationToken = default)
    {
        var owner = Guid.NewGuid();
        var writerLock = grains.GetGrain<IWriterLockGrain>(name);
        var told = false;
        while (!await RetryAsync(() => writerLock.TryAcquireAsync(owner, Lease), cancellationToken).ConfigureAwait(false))
        {
            if (!told)
            {
                told = true;
                waiting?.Invoke();
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken).ConfigureAwait(false);
        }

        var held = new Held(this, writerLock, owner);
        await EnsureShardsAsync(cancellationToken).ConfigureAwait(false);
        return held;
    }

    private async Task EnsureShardsAsync(CancellationToken cancellationToken)
    {
        var version = await GetVersionAsync(cancellationToken).ConfigureAwait(false);
        await Task.WhenAll(shards.Select(shard => RetryAsync(() => shard.EnsureAsync(version), cancellationToken))
            .Concat(documentShards.Select(shard => RetryAsync(() => shard.EnsureAsync(version), cancellationToken)))).ConfigureAwait(false);
    }

    /// <summary>What each index shard holds now.</summary>
    public async Task<IReadOnlyList<ShardStatistics>> GetShardStatisticsAsync(CancellationToken cancellationToken = default) =>
        await Task.WhenAll(shards.Select(shard => RetryAsync(() => shard.GetStatisticsAsync(), cancellationToken))).ConfigureAwait(false);

    /// <summary>What each document shard holds now.</summary>
    public async Task<IReadOnlyList<DocumentShardStatistics>> GetDocumentShardStatisticsAsync(CancellationToken cancellationToken = default) =>
        await Task.WhenAll(documentShards.Select(shard => RetryAsync(() => shard.GetStatisticsAsync(), cancellationToken))).ConfigureAwait(false);

    public ValueTask DisposeAsync()
    {
        writes.Dispose();
        return ValueTask.CompletedTask;
    }

    private Dictionary<int, uint[]> ByShard(IEnumerable<uint> terms) =>
        terms.GroupBy(t => Shards.OfTerm(t, shardCount)).ToDictionary(g => g.Key, g => g.ToArray());

    private (List<ShardDocument> Upserts, List<string> Removed, List<ShardPostings> Postings, bool Clear)[] Empty(bool clear = false) =>
        [.. Enumerable.Range(0, shardCount).Select(_ => (new List<ShardDocument>(), new List<string>(), new List<ShardPostings>(), clear))];

    /// <summary>One write: the store first (the record), then every shard, told the versions around the write.</summary>
    /// <remarks>The caller reports the write to the ledger (<see cref="ReportAsync"/>) once it has told the story grains.</remarks>
    private async Task<Versioned<T>> WriteAsync<T>(
        Func<Task<Versioned<T>>> write,
        Func<T, (List<ShardDocument> Upserts, List<string> Removed, List<ShardPostings> Postings, bool Clear)[]> changes,
        CancellationToken cancellationToken)
    {
        await writes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var written = await RetryAsync(write, cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref writesMade);
            var perShard = changes(written.Value);
            await Task.WhenAll(Enumerable.Range(0, shardCount).Select(s =>
            {
                var (upserts, removed, postings, clear) = perShard[s];
                var update = new ShardUpdate(written.Before, written.After, [.. upserts], [.. removed], [.. postings], clear);
                return RetryAsync(() => shards[s].ApplyAsync(update), cancellationToken);
            })).ConfigureAwait(false);
            return written;
        }
        finally
        {
            writes.Release();
        }
    }

    private IWriteLedgerGrain Ledger => grains.GetGrain<IWriteLedgerGrain>(name);

    /// <summary>
    /// Tells the ledger a write went through the cluster with its story grains told. Only a write that changed something
    /// (<paramref name="changed"/>) and raised the version by exactly one surely made that step itself: a wider span holds
    /// another writer's step, and a write that changed nothing may have left the store's version to another writer's
    /// step in between; either must stay unreported.
    /// </summary>
    private async Task<T> ReportAsync<T>(Versioned<T> written, bool changed, CancellationToken cancellationToken)
    {
        if (changed && written.After - written.Before == 1)
        {
            await RetryAsync(() => Ledger.ReportAsync(written.Before, written.After), cancellationToken).ConfigureAwait(false);
        }

        return written.Value;
    }

    /// <summary>As <see cref="ReportAsync"/>, for writes that answer how many rows they changed.</summary>
    private Task<int> ReportChangedAsync(Versioned<int> written, CancellationToken cancellationToken) =>
        ReportAsync(written, written.Value > 0, cancellationToken);

    private Task RetryAsync(Func<Task> call, CancellationToken cancellationToken) =>
        RetryAsync(async () =>
        {
            await call().ConfigureAwait(false);
            return true;
        }, cancellationToken);

    private async Task<T> RetryAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + RetryBudget;
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Interlocked.Increment(ref calls);
            try
            {
                return await call().ConfigureAwait(false);
            }
            catch (Exception error) when (IsTransient(error) && DateTimeOffset.UtcNow < deadline)
            {
                Interlocked.Increment(ref retries);
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(2).Ticks));
            }
        }
    }

    /// <summary>Failures of the cluster rather than of the call: a silo gone, a message lost or not answered in time.</summary>
    private static bool IsTransient(Exception error) => error is SiloUnavailableException or TimeoutException or OrleansMessageRejectionException
        or GatewayTooBusyException or ClientNotAvailableException
        || (error is OrleansException && error is not StoreException);

    private sealed class Held : IAsyncDisposable
    {
        private readonly ClusterStore owner;
        private readonly IWriterLockGrain writerLock;
        private readonly Guid id;
        private readonly CancellationTokenSource stop = new();
        private readonly Task renewal;

        public Held(ClusterStore owner, IWriterLockGrain writerLock, Guid id)
        {
            this.owner = owner;
            this.writerLock = writerLock;
            this.id = id;
            renewal = RenewAsync();
        }

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await renewal.ConfigureAwait(false);
            await owner.RetryAsync(() => writerLock.ReleaseAsync(id), CancellationToken.None).ConfigureAwait(false);
            stop.Dispose();
        }

        /// <summary>Renews the lease a third of the way through it, for as long as the ingest holds it.</summary>
        private async Task RenewAsync()
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(Lease / 3, stop.Token).ConfigureAwait(false);
                    await owner.RetryAsync(() => writerLock.TryAcquireAsync(id, Lease), stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
