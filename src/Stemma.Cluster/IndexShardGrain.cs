using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Stemma.Storage;

namespace Stemma.Cluster;

/// <summary>
/// One shard of the candidate index, in memory. Semantics follow <see cref="InMemoryStore"/> key for key: a document
/// frequency keeps the document that first brought the term while any holder remains; postings come strongest first,
/// ties in insertion order; an updated document loses its postings until it is related again.
/// </summary>
/// <remarks>
/// Consistency with the store: every write through <see cref="ClusterStore"/> sends each shard the store's version before
/// and after it. A shard at the version before applies the change (idempotently: a document's entries are replaced
/// whole); a shard already at or past the version after ignores it; any other shard (a fresh activation, a missed
/// write, a concurrent writer) rebuilds its slice from the store, which already holds the write.
/// Persistence, when the silo has grain storage named <see cref="ClusterHosting.StateStorage"/>: every applied change is
/// written as a log entry under its version, and every <see cref="ShardStateOptions.SnapshotEvery"/> changes (and after a
/// rebuild) the whole shard is written as a snapshot and the log entries it covers are deleted. A new activation (its silo
/// died) loads the snapshot and replays the log entries after it, so it stands where the lost one stood without reading
/// the store; only a gap (a change never logged) sends it back to a rebuild.
/// </remarks>
internal sealed class IndexShardGrain(BackingStores stores, Microsoft.Extensions.Options.IOptions<ShardStateOptions> options) : Grain, IIndexShardGrain
{
    private const int LookupChunk = 10_000;

    private readonly Dictionary<string, Entry> documents = new(StringComparer.Ordinal);
    private readonly Dictionary<ulong, HashSet<string>> byContentHash = [];

    // Almost every bucket holds one document: the id itself, a set only from the second one on.
    private readonly Dictionary<(int Band, ulong Key), object> buckets = [];
    private readonly Dictionary<uint, (int Count, string? First)> frequencies = [];
    private readonly Dictionary<uint, Dictionary<string, float>> postings = [];
    private readonly HashSet<string> deleted = new(StringComparer.Ordinal);
    private string store = string.Empty;
    private int shard;
    private int count;
    private long version = -1;
    private int rebuilds;

    private const string SnapshotState = "stemma-shard-snapshot";
    private IGrainStorage? storage;
    private GrainState<ShardSnapshot> snapshot = new();

    // Log entries written (or replayed) since the snapshot: deleted once a newer snapshot holds them.
    private readonly List<(string Name, GrainState<ShardUpdate> State)> logged = [];
    private long restoredVersion = -1;
    private int replayed;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (store, shard, count) = Shards.ParseKey(this.GetPrimaryKeyString());
        storage = ServiceProvider.GetKeyedService<IGrainStorage>(ClusterHosting.StateStorage);
        if (storage is not null)
        {
            await RestoreAsync();
        }
    }

    public async Task ApplyAsync(ShardUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        if (version >= update.After && version >= 0)
        {
            return;
        }

        if (version != update.Before || update.After - update.Before > 1)
        {
            await RebuildAsync();
            return;
        }

        await ChangeAsync(update);
        await PersistAsync(update);
    }

    /// <summary>Applies one change in memory (a new one, or one replayed from the log).</summary>
    private async Task ChangeAsync(ShardUpdate update)
    {
        if (update.Clear)
        {
            ClearAll();
        }

        foreach (var id in update.Removed)
        {
            Remove(id);
            deleted.Add(id);
        }

        foreach (var document in update.Upserts)
        {
            Remove(document.Id);
            deleted.Remove(document.Id);
            Index(document);
        }

        // Postings of a document this shard holds no key of (its terms were not counted here): the store says where it stands.
        var strangers = update.Postings.Where(p => p.Terms.Length > 0 && !documents.ContainsKey(p.Id)).Select(p => p.Id).Distinct(StringComparer.Ordinal).ToList();
        if (strangers.Count > 0)
        {
            var backing = await stores.GetAsync(store);
            foreach (var document in await backing.GetDocumentsAsync(strangers))
            {
                documents[document.Article.Id] = new Entry(document.Position, null, [], [], []);
            }
        }

        foreach (var posted in update.Postings)
        {
            SetPostings(posted.Id, posted.Terms, posted.Weights);
        }

        version = update.After;
    }

    public async Task EnsureAsync(long storeVersion)
    {
        if (version != storeVersion)
        {
            await RebuildAsync();
        }
    }

    public async Task<Found[]> FindByContentHashAsync(ulong contentHash)
    {
        await LoadedAsync();
        return byContentHash.TryGetValue(contentHash, out var ids) ? Ordered(ids) : [];
    }

    public async Task<Found[]> FindBandCandidatesAsync(int[] bands, ulong[] keys)
    {
        ArgumentNullException.ThrowIfNull(bands);
        ArgumentNullException.ThrowIfNull(keys);
        await LoadedAsync();
        var found = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < bands.Length; i++)
        {
            if (buckets.TryGetValue((bands[i], keys[i]), out var bucket))
            {
                if (bucket is string single)
                {
                    found.Add(single);
                }
                else
                {
                    found.UnionWith((HashSet<string>)bucket);
                }
            }
        }

        return Ordered(found);
    }

    public async Task<ProbeFound[]> FindSketchCandidatesAsync(int[] hashProbes, ulong[] hashes, int[] bandProbes, int[] bands, ulong[] keys)
    {
        ArgumentNullException.ThrowIfNull(hashProbes);
        ArgumentNullException.ThrowIfNull(hashes);
        ArgumentNullException.ThrowIfNull(bandProbes);
        ArgumentNullException.ThrowIfNull(bands);
        ArgumentNullException.ThrowIfNull(keys);
        await LoadedAsync();
        var found = new HashSet<(int Probe, string Id)>();
        for (var i = 0; i < hashes.Length; i++)
        {
            if (byContentHash.TryGetValue(hashes[i], out var ids))
            {
                foreach (var id in ids)
                {
                    found.Add((hashProbes[i], id));
                }
            }
        }

        for (var i = 0; i < bands.Length; i++)
        {
            if (buckets.TryGetValue((bands[i], keys[i]), out var bucket))
            {
                if (bucket is string single)
                {
                    found.Add((bandProbes[i], single));
                }
                else
                {
                    foreach (var id in (HashSet<string>)bucket)
                    {
                        found.Add((bandProbes[i], id));
                    }
                }
            }
        }

        return [.. found.Select(f => new ProbeFound(f.Probe, documents[f.Id].Position, f.Id))];
    }

    public async Task<ShardFrequency[]> GetTermFrequenciesAsync(uint[] terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        await LoadedAsync();
        var found = new List<ShardFrequency>(terms.Length);
        foreach (var term in terms)
        {
            if (frequencies.TryGetValue(term, out var known))
            {
                // As the stores answer: the first holder only of terms that rare (above, whatever a store read is the same everywhere).
                var first = known.Count > TermFrequency.FirstDocumentUpTo || known.First is null || deleted.Contains(known.First) ? null : known.First;
                found.Add(new ShardFrequency(term, known.Count, first));
            }
        }

        return [.. found];
    }

    public async Task<ShardPosting[]> GetPostingsAsync(uint[] terms, int maxPerTerm)
    {
        ArgumentNullException.ThrowIfNull(terms);
        await LoadedAsync();
        var found = new List<ShardPosting>();
        foreach (var term in terms)
        {
            if (postings.TryGetValue(term, out var holders))
            {
                found.AddRange(holders
                    .OrderByDescending(h => h.Value)
                    .ThenBy(h => documents[h.Key].Position)
                    .Take(Math.Max(0, maxPerTerm))
                    .Select(h => new ShardPosting(term, h.Key, h.Value)));
            }
        }

        return [.. found];
    }

    public async Task<ShardStatistics> GetStatisticsAsync()
    {
        await LoadedAsync();
        return new ShardStatistics(
            version,
            documents.Count,
            byContentHash.Count,
            documents.Values.Sum(e => e.Bands.Length),
            frequencies.Count,
            postings.Values.Sum(p => p.Count),
            rebuilds,
            restoredVersion,
            replayed);
    }

    private async Task LoadedAsync()
    {
        if (version < 0)
        {
            await RebuildAsync();
        }
    }

    /// <summary>Reads this shard's slice again from the store: every document's keys, then the frequencies and postings of its terms.</summary>
    private async Task RebuildAsync()
    {
        var backing = await stores.GetAsync(store);
        var at = await backing.GetVersionAsync();
        ClearAll();
        var terms = new HashSet<uint>();
        await foreach (var document in backing.ListDocumentsAsync())
        {
            // Stores need not give the counted terms back; they are the body's terms, as the ingest counted them.
            var counted = document.Terms is null ? document with { Terms = [.. Relate.StoryAnalyzer.Features(document.Article).Terms.Select(t => t.Term)] } : document;
            var slice = Slice(counted, document.Position, shard, count);
            if (slice is not null)
            {
                IndexKeys(slice);
                terms.UnionWith(slice.Terms);
            }
        }

        foreach (var chunk in terms.Chunk(LookupChunk))
        {
            foreach (var frequency in await backing.GetTermFrequenciesAsync(chunk))
            {
                frequencies[frequency.Term] = (frequency.DocumentFrequency, frequency.FirstDocument);
            }

            foreach (var group in (await backing.GetPostingsAsync(chunk, int.MaxValue)).GroupBy(p => p.DocumentId, StringComparer.Ordinal))
            {
                SetPostings(group.Key, [.. group.Select(p => p.Term)], [.. group.Select(p => p.Weight)]);
            }
        }

        version = at;
        rebuilds++;
        if (storage is not null)
        {
            await WriteSnapshotAsync();
        }
    }

    private static string LogState(long after) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"stemma-shard-log-{after}");

    /// <summary>The snapshot, then the log entries after it, one version after another until the first one missing.</summary>
    private async Task RestoreAsync()
    {
        await storage!.ReadStateAsync(SnapshotState, this.GetGrainId(), snapshot);
        if (!snapshot.RecordExists || snapshot.State is null)
        {
            return;
        }

        Load(snapshot.State);
        restoredVersion = version;
        while (true)
        {
            var name = LogState(version + 1);
            var entry = new GrainState<ShardUpdate>();
            await storage.ReadStateAsync(name, this.GetGrainId(), entry);
            if (!entry.RecordExists || entry.State is null || entry.State.Before != version)
            {
                return;
            }

            logged.Add((name, entry));
            await ChangeAsync(entry.State);
            replayed++;
        }
    }

    /// <summary>After a change is applied: a log entry, or every <see cref="ShardStateOptions.SnapshotEvery"/> changes a snapshot.</summary>
    private async Task PersistAsync(ShardUpdate update)
    {
        if (storage is null)
        {
            return;
        }

        if (logged.Count + 1 >= options.Value.SnapshotEvery)
        {
            await WriteSnapshotAsync();
            return;
        }

        var name = LogState(update.After);
        var entry = new GrainState<ShardUpdate>(update);
        await storage.WriteOverAsync(name, this.GetGrainId(), entry);
        logged.Add((name, entry));
    }

    private async Task WriteSnapshotAsync()
    {
        snapshot.State = Snapshot();
        await storage!.WriteOverAsync(SnapshotState, this.GetGrainId(), snapshot);
        await Task.WhenAll(logged.Select(entry => storage!.ClearStateAsync(entry.Name, this.GetGrainId(), entry.State)));
        logged.Clear();
    }

    private ShardSnapshot Snapshot()
    {
        var held = documents.ToList();
        var terms = frequencies.Keys.ToArray();
        return new ShardSnapshot(
            version,
            [.. held.Select(d => new ShardDocument(d.Key, d.Value.Position, d.Value.ContentHash, d.Value.Bands, d.Value.BandKeys, d.Value.Terms))],
            [.. held.Where(d => d.Value.Posted.Length > 0).Select(d => new ShardPostings(d.Key, d.Value.Posted, [.. d.Value.Posted.Select(t => postings[t][d.Key])]))],
            terms,
            [.. terms.Select(t => frequencies[t].Count)],
            [.. terms.Select(t => frequencies[t].First)],
            [.. deleted]);
    }

    private void Load(ShardSnapshot state)
    {
        ClearAll();
        foreach (var document in state.Documents)
        {
            IndexKeys(document);
        }

        for (var i = 0; i < state.FrequencyTerms.Length; i++)
        {
            frequencies[state.FrequencyTerms[i]] = (state.FrequencyCounts[i], state.FrequencyFirsts[i]);
        }

        foreach (var posted in state.Postings)
        {
            SetPostings(posted.Id, posted.Terms, posted.Weights);
        }

        deleted.UnionWith(state.Deleted);
        version = state.Version;
    }

    /// <summary>The part of a stored document that belongs to shard <paramref name="shard"/> of <paramref name="count"/>; null when none does.</summary>
    public static ShardDocument? Slice(StoredDocument document, long position, int shard, int count)
    {
        ArgumentNullException.ThrowIfNull(document);
        ulong? hash = Shards.OfContentHash(document.ContentHash, count) == shard ? document.ContentHash : null;
        var bands = new List<int>();
        var keys = new List<ulong>();
        for (var band = 0; band < document.BandKeys.Length; band++)
        {
            if (Shards.OfBand(band, document.BandKeys[band], count) == shard)
            {
                bands.Add(band);
                keys.Add(document.BandKeys[band]);
            }
        }

        var terms = (document.Terms ?? []).Where(t => Shards.OfTerm(t, count) == shard).ToArray();
        return hash is null && bands.Count == 0 && terms.Length == 0
            ? null
            : new ShardDocument(document.Article.Id, position, hash, [.. bands], [.. keys], terms);
    }

    private void Index(ShardDocument document)
    {
        IndexKeys(document);
        foreach (var term in document.Terms)
        {
            frequencies[term] = frequencies.TryGetValue(term, out var known) ? (known.Count + 1, known.First) : (1, document.Id);
        }
    }

    private void IndexKeys(ShardDocument document)
    {
        var id = document.Id;
        documents[id] = new Entry(document.Position, document.ContentHash, document.Bands, document.BandKeys, document.Terms);
        if (document.ContentHash is { } hash)
        {
            if (!byContentHash.TryGetValue(hash, out var same))
            {
                byContentHash[hash] = same = new HashSet<string>(StringComparer.Ordinal);
            }

            same.Add(id);
        }

        for (var i = 0; i < document.Bands.Length; i++)
        {
            var key = (document.Bands[i], document.BandKeys[i]);
            if (!buckets.TryGetValue(key, out var bucket))
            {
                buckets[key] = id;
            }
            else if (bucket is string single)
            {
                if (!string.Equals(single, id, StringComparison.Ordinal))
                {
                    buckets[key] = new HashSet<string>(StringComparer.Ordinal) { single, id };
                }
            }
            else
            {
                ((HashSet<string>)bucket).Add(id);
            }
        }
    }

    /// <summary>Removes a document's keys, frequencies and postings from this shard (a document it does not hold: nothing).</summary>
    private void Remove(string id)
    {
        if (!documents.Remove(id, out var entry))
        {
            return;
        }

        SetPostings(id, [], [], entry);
        if (entry.ContentHash is { } hash && byContentHash.TryGetValue(hash, out var same) && same.Remove(id) && same.Count == 0)
        {
            byContentHash.Remove(hash);
        }

        foreach (var term in entry.Terms)
        {
            if (frequencies.TryGetValue(term, out var known))
            {
                if (known.Count <= 1)
                {
                    frequencies.Remove(term);
                }
                else
                {
                    frequencies[term] = (known.Count - 1, known.First);
                }
            }
        }

        for (var i = 0; i < entry.Bands.Length; i++)
        {
            var key = (entry.Bands[i], entry.BandKeys[i]);
            if (!buckets.TryGetValue(key, out var bucket))
            {
                continue;
            }

            if (bucket is string single)
            {
                if (string.Equals(single, id, StringComparison.Ordinal))
                {
                    buckets.Remove(key);
                }
            }
            else
            {
                var ids = (HashSet<string>)bucket;
                ids.Remove(id);
                if (ids.Count == 1)
                {
                    buckets[key] = ids.First();
                }
            }
        }
    }

    /// <summary>Replaces the postings a document has in this shard; a document the shard does not hold is skipped.</summary>
    private void SetPostings(string id, uint[] terms, float[] weights, Entry? entry = null)
    {
        if (entry is null && !documents.TryGetValue(id, out entry))
        {
            return;
        }

        foreach (var term in entry.Posted)
        {
            if (postings.TryGetValue(term, out var holders) && holders.Remove(id) && holders.Count == 0)
            {
                postings.Remove(term);
            }
        }

        entry.Posted = terms;
        for (var k = 0; k < terms.Length; k++)
        {
            if (!postings.TryGetValue(terms[k], out var holders))
            {
                postings[terms[k]] = holders = new Dictionary<string, float>(StringComparer.Ordinal);
            }

            holders[id] = weights[k];
        }
    }

    private void ClearAll()
    {
        documents.Clear();
        byContentHash.Clear();
        buckets.Clear();
        frequencies.Clear();
        postings.Clear();
        deleted.Clear();
    }

    private Found[] Ordered(IEnumerable<string> ids) =>
        [.. ids.Select(id => new Found(documents[id].Position, id)).OrderBy(f => f.Position)];

    private sealed class Entry(long position, ulong? contentHash, int[] bands, ulong[] bandKeys, uint[] terms)
    {
        public long Position { get; } = position;

        public ulong? ContentHash { get; } = contentHash;

        public int[] Bands { get; } = bands;

        public ulong[] BandKeys { get; } = bandKeys;

        public uint[] Terms { get; } = terms;

        public uint[] Posted { get; set; } = [];
    }
}
