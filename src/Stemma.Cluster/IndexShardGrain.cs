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
/// Consistency with the store: the protocol of <see cref="VersionedShardGrain"/> (applying is idempotent: a document's
/// entries are replaced whole).
/// Persistence, when the silo has grain storage named <see cref="ClusterHosting.StateStorage"/>: every applied change is
/// written as a log entry under its version, and every <see cref="ShardStateOptions.SnapshotEvery"/> changes a snapshot
/// replaces those log entries. The stored state is split into <see cref="ShardStateOptions.SnapshotPages"/> pages by key
/// (document id, term); a snapshot writes one delta (the state of the keys changed since the previous snapshot), rewrites
/// the oldest page, and switches a manifest to them; deltas older than every page are deleted. So a snapshot costs what
/// changed plus one page, not the shard; a rebuild or a clear writes every page. A new activation (its silo died) loads
/// the pages, the deltas each page is older than, and the log entries after the manifest, so it stands where the lost one
/// stood without reading the store; only a gap (a change never logged) sends it back to a rebuild.
/// </remarks>
[ShardPlacement]
internal sealed class IndexShardGrain(BackingStores stores, Microsoft.Extensions.Options.IOptions<ShardStateOptions> options) : VersionedShardGrain, IIndexShardGrain
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

    private const string ManifestState = "stemma-shard-manifest";
    private IGrainStorage? storage;
    private GrainState<ShardManifest> manifest = new();

    // The rows the manifest names, by state name, as read or written (their versions make the next write or delete valid).
    private readonly Dictionary<string, GrainState<ShardSnapshot>> pageRows = new(StringComparer.Ordinal);
    private readonly Dictionary<string, GrainState<ShardDelta>> deltaRows = new(StringComparer.Ordinal);

    // What changed since the stored state: the next delta holds these keys. A clear makes the next snapshot whole.
    private readonly HashSet<string> dirtyIds = new(StringComparer.Ordinal);
    private readonly HashSet<uint> dirtyTerms = [];
    private bool dirtyAll;
    private int pages;
    private int snapshots;

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

    public Task ApplyAsync(ShardUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        return ApplyAtVersionAsync(update.Before, update.After, async () =>
        {
            await ChangeAsync(update);
            await PersistAsync(update);
        });
    }

    /// <summary>Applies one change in memory (a new one, or one replayed from the log).</summary>
    private async Task ChangeAsync(ShardUpdate update)
    {
        if (update.Clear)
        {
            ClearAll();
            dirtyAll = true;
        }

        foreach (var id in update.Removed)
        {
            Remove(id);
            deleted.Add(id);
            dirtyIds.Add(id);
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
                dirtyIds.Add(document.Article.Id);
            }
        }

        foreach (var posted in update.Postings)
        {
            SetPostings(posted.Id, posted.Terms, posted.Weights);
        }

        Version = update.After;
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
            Version,
            documents.Count,
            byContentHash.Count,
            documents.Values.Sum(e => e.Bands.Length),
            frequencies.Count,
            postings.Values.Sum(p => p.Count),
            Rebuilds,
            restoredVersion,
            replayed,
            snapshots);
    }

    /// <summary>Reads this shard's slice again from the store: every document's keys, then the frequencies and postings of its terms.</summary>
    protected override async Task<long> ReadSliceAsync()
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

        return at;
    }

    protected override async Task RebuiltAsync()
    {
        if (storage is not null)
        {
            await WriteSnapshotAsync(whole: true);
        }
    }

    private static string LogState(long after) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"stemma-shard-log-{after}");

    private static string PageState(int page, int slot) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"stemma-shard-page-{page}-{slot}");

    private static string DeltaState(long sequence) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"stemma-shard-delta-{sequence}");

    /// <summary>The pages and deltas the manifest names, then the log entries after it, one version after another until the first one missing.</summary>
    private async Task RestoreAsync()
    {
        await storage!.ReadStateAsync(ManifestState, this.GetGrainId(), manifest);
        if (!manifest.RecordExists || manifest.State is null)
        {
            manifest.State = null!;
            return;
        }

        if (!await LoadStoredAsync(manifest.State))
        {
            // A row the manifest names is missing: the first use rebuilds from the store and writes every page anew.
            ClearAll();
            Version = -1;
            manifest.State = null!;
            return;
        }

        dirtyIds.Clear();
        dirtyTerms.Clear();
        restoredVersion = Version;
        while (true)
        {
            var name = LogState(Version + 1);
            var entry = new GrainState<ShardUpdate>();
            await storage.ReadStateAsync(name, this.GetGrainId(), entry);
            if (!entry.RecordExists || entry.State is null || entry.State.Before != Version)
            {
                return;
            }

            logged.Add((name, entry));
            await ChangeAsync(entry.State);
            replayed++;
        }
    }

    /// <summary>Every page, then each delta's keys in the pages older than it; false when a row is missing.</summary>
    private async Task<bool> LoadStoredAsync(ShardManifest stored)
    {
        ClearAll();
        pages = stored.PageVersions.Length;
        var pageReads = Enumerable.Range(0, pages).Select(page => (Func<Task<(string, GrainState<ShardSnapshot>)>>)(async () =>
        {
            var name = PageState(page, stored.PageSlots[page]);
            var row = new GrainState<ShardSnapshot>();
            await storage!.ReadStateAsync(name, this.GetGrainId(), row);
            return (name, row);
        })).ToList();
        var deltaReads = stored.DeltaSequences.Select(sequence => (Func<Task<(string, GrainState<ShardDelta>)>>)(async () =>
        {
            var name = DeltaState(sequence);
            var row = new GrainState<ShardDelta>();
            await storage!.ReadStateAsync(name, this.GetGrainId(), row);
            return (name, row);
        })).ToList();
        foreach (var (name, row) in await InTurnsAsync(pageReads))
        {
            if (!row.RecordExists || row.State is null)
            {
                return false;
            }

            pageRows[name] = row;
            Put(row.State, [], [], _ => true);
        }

        var deltas = await InTurnsAsync(deltaReads);
        for (var d = 0; d < deltas.Length; d++)
        {
            var (name, row) = deltas[d];
            var at = stored.DeltaVersions[d];
            if (!row.RecordExists || row.State is null || row.State.Version != at)
            {
                return false;
            }

            deltaRows[name] = row;
            Put(row.State.State, row.State.Ids, row.State.Terms, page => stored.PageVersions[page] < at);
        }

        Version = stored.Version;
        return true;
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
            await WriteSnapshotAsync(whole: false);
            return;
        }

        var name = LogState(update.After);
        var entry = new GrainState<ShardUpdate>(update);
        await storage.WriteOverAsync(name, this.GetGrainId(), entry);
        logged.Add((name, entry));
    }

    /// <summary>
    /// A snapshot: a delta of the changed keys and the oldest page (or, <paramref name="whole"/>, every page), then the
    /// manifest naming them, then deletes what it no longer names and the log entries it covers. Until the manifest is
    /// written the stored state is the previous one: pages go into the slot not in use, deltas under a new sequence.
    /// </summary>
    private async Task WriteSnapshotAsync(bool whole)
    {
        var states = storage!;
        var old = manifest.State;
        whole |= old is null || dirtyAll || old.PageVersions.Length == 0;
        var writes = new List<(int Page, int Slot, ShardSnapshot State)>();
        long[] pageVersions;
        int[] slots;
        var sequences = new List<long>();
        var versions = new List<long>();
        var next = old?.NextDelta ?? 0;
        ShardDelta? delta = null;
        if (whole)
        {
            pages = Math.Max(1, options.Value.SnapshotPages);
            pageVersions = [.. Enumerable.Repeat(Version, pages)];
            slots = new int[pages];
            var ids = Shards.Split(documents.Keys.Concat(deleted).Distinct(StringComparer.Ordinal), id => Shards.PageOfDocument(id, pages), pages);
            var terms = Shards.Split(frequencies.Keys, term => Shards.PageOfTerm(term, pages), pages);

            for (var page = 0; page < pages; page++)
            {
                slots[page] = old is not null && old.PageSlots.Length == pages ? 1 - old.PageSlots[page] : 0;
                writes.Add((page, slots[page], State(ids[page] ?? [], terms[page] ?? [])));
            }
        }
        else
        {
            pageVersions = [.. old!.PageVersions];
            slots = [.. old.PageSlots];
            var oldest = Array.IndexOf(pageVersions, pageVersions.Min());
            slots[oldest] = 1 - slots[oldest];
            pageVersions[oldest] = Version;
            writes.Add((oldest, slots[oldest], State(
                documents.Keys.Concat(deleted).Distinct(StringComparer.Ordinal).Where(id => Shards.PageOfDocument(id, pages) == oldest),
                frequencies.Keys.Where(term => Shards.PageOfTerm(term, pages) == oldest))));

            // Deltas stay while some page is older than them; the new one only when a page still needs it.
            var floor = pageVersions.Min();
            for (var d = 0; d < old.DeltaSequences.Length; d++)
            {
                if (old.DeltaVersions[d] > floor)
                {
                    sequences.Add(old.DeltaSequences[d]);
                    versions.Add(old.DeltaVersions[d]);
                }
            }

            if ((dirtyIds.Count > 0 || dirtyTerms.Count > 0) && Version > floor)
            {
                delta = new ShardDelta(Version, [.. dirtyIds], [.. dirtyTerms], State(dirtyIds, dirtyTerms));
                sequences.Add(next);
                versions.Add(Version);
                next++;
            }
        }

        var grain = this.GetGrainId();
        var pageStates = writes.Select(w => (Name: PageState(w.Page, w.Slot), Row: new GrainState<ShardSnapshot>(w.State))).ToList();
        var stores = pageStates.Select(p => (Func<Task<bool>>)(() => Done(states.WriteOverAsync(p.Name, grain, Held(pageRows, p.Name, p.Row))))).ToList();
        if (delta is not null)
        {
            var name = DeltaState(sequences[^1]);
            stores.Add(() => Done(states.WriteOverAsync(name, grain, Held(deltaRows, name, new GrainState<ShardDelta>(delta)))));
        }

        await InTurnsAsync(stores);
        manifest.State = new ShardManifest(Version, pageVersions, slots, [.. sequences], [.. versions], next);
        await states.WriteOverAsync(ManifestState, grain, manifest);

        // The manifest now names the new rows: what it no longer names goes, and so do the log entries it covers.
        var pageNames = Enumerable.Range(0, pages).Select(page => PageState(page, slots[page])).ToHashSet(StringComparer.Ordinal);
        var deltaNames = sequences.Select(DeltaState).ToHashSet(StringComparer.Ordinal);
        var deletes = new List<Func<Task<bool>>>();
        foreach (var (name, row) in pageRows.Where(r => !pageNames.Contains(r.Key)).ToList())
        {
            deletes.Add(() => Done(states.ClearStateAsync(name, grain, row)));
            pageRows.Remove(name);
        }

        foreach (var (name, row) in deltaRows.Where(r => !deltaNames.Contains(r.Key)).ToList())
        {
            deletes.Add(() => Done(states.ClearStateAsync(name, grain, row)));
            deltaRows.Remove(name);
        }

        deletes.AddRange(logged.Select(entry => (Func<Task<bool>>)(() => Done(states.ClearStateAsync(entry.Name, grain, entry.State)))));
        await InTurnsAsync(deletes);
        logged.Clear();
        dirtyIds.Clear();
        dirtyTerms.Clear();
        dirtyAll = false;
        snapshots++;
    }

    /// <summary>Storage calls a few at a time: a whole write or a restore touches every page, and a silo restores several shards over one connection pool.</summary>
    private static async Task<T[]> InTurnsAsync<T>(IReadOnlyList<Func<Task<T>>> calls)
    {
        const int Width = 8;
        var done = new T[calls.Count];
        for (var first = 0; first < calls.Count; first += Width)
        {
            var results = await Task.WhenAll(calls.Skip(first).Take(Width).Select(call => call()));
            results.CopyTo(done, first);
        }

        return done;
    }

    /// <summary>A storage call as one of <see cref="InTurnsAsync"/>'s.</summary>
    private static async Task<bool> Done(Task clear)
    {
        await clear;
        return true;
    }

    /// <summary>The row held under <paramref name="name"/> (its stored version) now carrying the new state; a new row otherwise.</summary>
    private static GrainState<T> Held<T>(Dictionary<string, GrainState<T>> rows, string name, GrainState<T> fresh)
    {
        if (rows.TryGetValue(name, out var held))
        {
            held.State = fresh.State;
            return held;
        }

        rows[name] = fresh;
        return fresh;
    }

    /// <summary>The state of the given documents (held entries, postings, deleted marks) and terms (frequencies).</summary>
    private ShardSnapshot State(IEnumerable<string> ids, IEnumerable<uint> terms)
    {
        var held = new List<ShardDocument>();
        var posted = new List<ShardPostings>();
        var gone = new List<string>();
        foreach (var id in ids)
        {
            if (documents.TryGetValue(id, out var entry))
            {
                held.Add(new ShardDocument(id, entry.Position, entry.ContentHash, entry.Bands, entry.BandKeys, entry.Terms));
                if (entry.Posted.Length > 0)
                {
                    posted.Add(new ShardPostings(id, entry.Posted, [.. entry.Posted.Select(t => postings[t][id])]));
                }
            }

            if (deleted.Contains(id))
            {
                gone.Add(id);
            }
        }

        var counted = terms.Where(frequencies.ContainsKey).ToArray();
        return new ShardSnapshot(
            Version,
            [.. held],
            [.. posted],
            counted,
            [.. counted.Select(t => frequencies[t].Count)],
            [.. counted.Select(t => frequencies[t].First)],
            [.. gone]);
    }

    /// <summary>
    /// Sets the keys of stored state in the pages <paramref name="applies"/> picks: the named documents and terms lose what
    /// they had, then take what <paramref name="state"/> holds (a page read into an empty shard names none).
    /// </summary>
    private void Put(ShardSnapshot state, string[] ids, uint[] terms, Func<int, bool> applies)
    {
        foreach (var id in ids.Where(id => applies(Shards.PageOfDocument(id, pages))))
        {
            Remove(id, counted: false);
            deleted.Remove(id);
        }

        foreach (var term in terms.Where(term => applies(Shards.PageOfTerm(term, pages))))
        {
            frequencies.Remove(term);
        }

        foreach (var document in state.Documents.Where(d => applies(Shards.PageOfDocument(d.Id, pages))))
        {
            IndexKeys(document);
        }

        for (var i = 0; i < state.FrequencyTerms.Length; i++)
        {
            if (applies(Shards.PageOfTerm(state.FrequencyTerms[i], pages)))
            {
                frequencies[state.FrequencyTerms[i]] = (state.FrequencyCounts[i], state.FrequencyFirsts[i]);
            }
        }

        foreach (var posted in state.Postings.Where(p => applies(Shards.PageOfDocument(p.Id, pages))))
        {
            SetPostings(posted.Id, posted.Terms, posted.Weights);
        }

        deleted.UnionWith(state.Deleted.Where(id => applies(Shards.PageOfDocument(id, pages))));
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
        dirtyTerms.UnionWith(document.Terms);
        foreach (var term in document.Terms)
        {
            frequencies[term] = frequencies.TryGetValue(term, out var known) ? (known.Count + 1, known.First) : (1, document.Id);
        }
    }

    private void IndexKeys(ShardDocument document)
    {
        var id = document.Id;
        dirtyIds.Add(id);
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

    /// <summary>
    /// Removes a document's keys, postings and (<paramref name="counted"/>) its share of the term frequencies from this
    /// shard (a document it does not hold: nothing). Stored state sets frequencies itself, hence uncounted removals.
    /// </summary>
    private void Remove(string id, bool counted = true)
    {
        if (!documents.Remove(id, out var entry))
        {
            return;
        }

        dirtyIds.Add(id);
        SetPostings(id, [], [], entry);
        if (entry.ContentHash is { } hash && byContentHash.TryGetValue(hash, out var same) && same.Remove(id) && same.Count == 0)
        {
            byContentHash.Remove(hash);
        }

        foreach (var term in counted ? entry.Terms : [])
        {
            dirtyTerms.Add(term);
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

        dirtyIds.Add(id);

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
