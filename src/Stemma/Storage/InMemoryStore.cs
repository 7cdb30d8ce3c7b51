using System.Runtime.CompilerServices;

namespace Stemma.Storage;

/// <summary>
/// A thread-safe <see cref="IStore"/> held in memory, for tests and one-shot runs (<c>stemma analyze</c>).
/// One lock guards everything: operations are short, and a single lock makes every batch atomic like a transaction.
/// Arrays are copied in and out so callers cannot change stored state behind the store's back.
/// </summary>
public sealed class InMemoryStore : IStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _documents = new(StringComparer.Ordinal);
    private readonly Dictionary<ulong, HashSet<string>> _idsByContentHash = [];
    // Almost every LSH bucket holds one document: store that id directly and only grow a set when a second
    // document arrives (a set per bucket cost ~150 bytes x 32 bands x documents).
    private readonly Dictionary<(int Band, ulong Key), object> _buckets = [];
    private readonly Dictionary<(string A, string B), PairScore> _pairs = [];
    private readonly Dictionary<string, HashSet<(string A, string B)>> _pairKeysByDocument = new(StringComparer.Ordinal);
    private readonly Dictionary<string, GroupAssignment> _groups = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StoredPlacement> _placements = new(StringComparer.Ordinal);
    private readonly Dictionary<uint, (int Count, string First)> _termFrequencies = [];
    private readonly Dictionary<uint, Dictionary<string, float>> _postings = [];
    private readonly Dictionary<string, PostedTerm[]> _postedTermsByDocument = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Lineage.LineageTree> _treesByFamily = new(StringComparer.Ordinal);
    private readonly HashSet<string> _pending = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _writerLock = new(1, 1);
    private long _version;
    private long _nextSequence;
    private bool _disposed;

    public Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<AddOutcome>> AddDocumentsAsync(IReadOnlyList<StoredDocument> documents, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documents);
        cancellationToken.ThrowIfCancellationRequested();
        var outcomes = new List<AddOutcome>(documents.Count);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            foreach (var document in documents)
            {
                outcomes.Add(AddOne(document));
            }

            _version++;
        }

        return Task.FromResult<IReadOnlyList<AddOutcome>>(outcomes);
    }

    public Task<StoredDocument?> GetDocumentAsync(string id, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return Task.FromResult(id is not null && _documents.TryGetValue(id, out var entry) ? entry.Snapshot() : null);
        }
    }

    public Task<IReadOnlyList<StoredDocument>> GetDocumentsAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var found = new List<StoredDocument>(ids.Count);
            foreach (var id in ids)
            {
                if (id is not null && _documents.TryGetValue(id, out var entry))
                {
                    found.Add(entry.Snapshot());
                }
            }

            return Task.FromResult<IReadOnlyList<StoredDocument>>(found);
        }
    }

    public Task<IReadOnlyList<string>> FindByContentHashAsync(ulong contentHash, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return Task.FromResult(_idsByContentHash.TryGetValue(contentHash, out var ids) ? InInsertionOrder(ids) : (IReadOnlyList<string>)[]);
        }
    }

    public Task<IReadOnlyList<string>> FindBandCandidatesAsync(IReadOnlyList<ulong> bandKeys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bandKeys);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var candidates = new HashSet<string>(StringComparer.Ordinal);
            AddBandCandidates(bandKeys, candidates);
            return Task.FromResult<IReadOnlyList<string>>(InInsertionOrder(candidates));
        }
    }

    public Task<IReadOnlyList<IReadOnlyList<string>>> FindSketchCandidatesAsync(IReadOnlyList<SketchProbe> probes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(probes);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var found = new IReadOnlyList<string>[probes.Count];
            for (var p = 0; p < probes.Count; p++)
            {
                var candidates = new HashSet<string>(StringComparer.Ordinal);
                if (_idsByContentHash.TryGetValue(probes[p].ContentHash, out var same))
                {
                    candidates.UnionWith(same);
                }

                AddBandCandidates(probes[p].BandKeys, candidates);
                found[p] = InInsertionOrder(candidates);
            }

            return Task.FromResult<IReadOnlyList<IReadOnlyList<string>>>(found);
        }
    }

    /// <summary>Adds the documents in the buckets of <paramref name="bandKeys"/> (band number = index); the caller holds the lock.</summary>
    private void AddBandCandidates(IReadOnlyList<ulong> bandKeys, HashSet<string> candidates)
    {
        for (var band = 0; band < bandKeys.Count; band++)
        {
            if (_buckets.TryGetValue((band, bandKeys[band]), out var bucket))
            {
                if (bucket is string single)
                {
                    candidates.Add(single);
                }
                else
                {
                    candidates.UnionWith((HashSet<string>)bucket);
                }
            }
        }
    }

    public Task<long> CountDocumentsAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return Task.FromResult((long)_documents.Count);
        }
    }

    public async IAsyncEnumerable<StoredDocument> ListDocumentsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        List<Entry> entries;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            entries = [.. _documents.Values.OrderBy(entry => entry.Sequence)];
        }

        foreach (var entry in entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return entry.Snapshot();
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    public Task<int> DeleteDocumentsAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var removed = 0;
            foreach (var id in ids)
            {
                if (id is not null && _documents.TryGetValue(id, out var entry))
                {
                    Unindex(entry);
                    RemovePairsOf(id);
                    RemovePostingsOf(id);
                    _groups.Remove(id);
                    _placements.Remove(id);
                    _pending.Remove(id);
                    _documents.Remove(id);
                    removed++;
                }
            }

            _version += removed > 0 ? 1 : 0;
            return Task.FromResult(removed);
        }
    }

    public Task ClearAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _documents.Clear();
            _idsByContentHash.Clear();
            _buckets.Clear();
            _pairs.Clear();
            _pairKeysByDocument.Clear();
            _groups.Clear();
            _placements.Clear();
            _termFrequencies.Clear();
            _postings.Clear();
            _postedTermsByDocument.Clear();
            _treesByFamily.Clear();
            _pending.Clear();
            _version++;
        }

        return Task.CompletedTask;
    }

    public Task<int> AddPairsAsync(IReadOnlyList<PairScore> pairs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var stored = AddPairsLocked(pairs);
            _version++;
            return Task.FromResult(stored);
        }
    }

    private int AddPairsLocked(IReadOnlyList<PairScore> pairs)
    {
        var stored = 0;
        foreach (var pair in pairs)
        {
            if (pair is null || pair.A is null || pair.B is null || pair.A == pair.B
                || !_documents.ContainsKey(pair.A) || !_documents.ContainsKey(pair.B))
            {
                continue;
            }

            var canonical = StoreRules.IsCanonicalOrder(pair.A, pair.B) ? pair : pair with { A = pair.B, B = pair.A };
            var key = (canonical.A, canonical.B);
            _pairs[key] = canonical;
            PairKeysOf(canonical.A).Add(key);
            PairKeysOf(canonical.B).Add(key);
            stored++;
        }

        return stored;
    }

    public Task<IReadOnlyList<PairScore>> GetPairsAsync(string documentId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (documentId is null || !_pairKeysByDocument.TryGetValue(documentId, out var keys))
            {
                return Task.FromResult<IReadOnlyList<PairScore>>([]);
            }

            return Task.FromResult<IReadOnlyList<PairScore>>(Ranked(keys.Select(key => _pairs[key])));
        }
    }

    public Task<IReadOnlyList<PairScore>> GetPairsAmongAsync(IReadOnlyList<string> documentIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documentIds);
        cancellationToken.ThrowIfCancellationRequested();
        var members = new HashSet<string>(documentIds.Where(id => id is not null), StringComparer.Ordinal);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var among = new HashSet<(string A, string B)>();
            foreach (var id in members)
            {
                if (_pairKeysByDocument.TryGetValue(id, out var keys))
                {
                    among.UnionWith(keys.Where(key => members.Contains(key.A) && members.Contains(key.B)));
                }
            }

            return Task.FromResult<IReadOnlyList<PairScore>>(Ranked(among.Select(key => _pairs[key])));
        }
    }

    public Task<long> CountPairsAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return Task.FromResult((long)_pairs.Count);
        }
    }

    public Task<int> SetGroupsAsync(IReadOnlyList<GroupAssignment> assignments, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(assignments);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var stored = 0;
            foreach (var assignment in assignments)
            {
                if (assignment?.DocumentId is null || assignment.FamilyId is null || assignment.StoryId is null
                    || !_documents.ContainsKey(assignment.DocumentId))
                {
                    continue;
                }

                _groups[assignment.DocumentId] = assignment;
                stored++;
            }

            _version++;
            return Task.FromResult(stored);
        }
    }

    public Task<GroupAssignment?> GetGroupAsync(string documentId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return Task.FromResult(documentId is not null && _groups.TryGetValue(documentId, out var group) ? group : null);
        }
    }

    public Task<IReadOnlyList<FamilySummary>> ListFamiliesAsync(int minSize = 1, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            IReadOnlyList<FamilySummary> families =
            [
                .. GroupedMembers(group => group.FamilyId)
                    .Where(family => family.Members.Count >= minSize)
                    .Select(family =>
                    {
                        var first = EarliestOf(family.Members);
                        return new FamilySummary(family.Key, _groups[first.Document.Article.Id].StoryId, family.Members.Count, first.Document.Article.Id, first.Document.Article.Title);
                    })
                    .OrderByDescending(family => family.Size)
                    .ThenBy(family => family.FamilyId, StringComparer.Ordinal),
            ];
            return Task.FromResult(families);
        }
    }

    public Task<IReadOnlyList<string>> GetFamilyMembersAsync(string familyId, CancellationToken cancellationToken = default) =>
        MembersWhere(group => group.FamilyId == familyId, cancellationToken);

    public Task<IReadOnlyList<string>> GetStoryMembersAsync(string storyId, CancellationToken cancellationToken = default) =>
        MembersWhere(group => group.StoryId == storyId, cancellationToken);

    public Task<IReadOnlyList<IReadOnlyList<string>>> GetStoryMembersAsync(IReadOnlyList<string> storyIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(storyIds);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var asked = new HashSet<string>(storyIds.Where(id => id is not null), StringComparer.Ordinal);
            var members = _groups.Values
                .Where(group => asked.Contains(group.StoryId))
                .GroupBy(group => group.StoryId, StringComparer.Ordinal)
                .ToDictionary(story => story.Key, story => InInsertionOrder(story.Select(group => group.DocumentId)), StringComparer.Ordinal);
            return Task.FromResult<IReadOnlyList<IReadOnlyList<string>>>([.. storyIds.Select(id => id is not null && members.TryGetValue(id, out var found) ? found : [])]);
        }
    }

    public Task<StoryPage> ListStoriesAsync(StoryQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        cancellationToken.ThrowIfCancellationRequested();
        var words = StoreRules.SearchWords(query.Search);
        var site = StoreRules.FoldSite(query.Site);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var matching = GroupedMembers(group => group.StoryId)
                .Where(story => story.Members.Count >= query.MinSize)
                .Where(story => words.Count == 0 || story.Members.Any(member =>
                {
                    var title = StoreRules.FoldForSearch(member.Document.Article.Title);
                    return words.All(word => title.Contains(word, StringComparison.Ordinal));
                }))
                .Where(story => site is null || story.Members.Any(member => StoreRules.FoldSite(member.Document.Article.Site) == site))
                .Select(story => Summarize(story.Key, story.Members))
                .ToList();

            IEnumerable<StorySummary> sorted = query.Sort switch
            {
                StorySort.Newest => matching
                    .OrderBy(story => story.EarliestDate is null)
                    .ThenByDescending(story => story.EarliestDate)
                    .ThenBy(story => story.StoryId, StringComparer.Ordinal),
                StorySort.Oldest => matching
                    .OrderBy(story => story.EarliestDate is null)
                    .ThenBy(story => story.EarliestDate)
                    .ThenBy(story => story.StoryId, StringComparer.Ordinal),
                _ => matching
                    .OrderByDescending(story => story.Size)
                    .ThenBy(story => story.StoryId, StringComparer.Ordinal),
            };
            sorted = sorted.Skip(Math.Max(0, query.Offset));
            if (query.Limit > 0)
            {
                sorted = sorted.Take(query.Limit);
            }

            return Task.FromResult(new StoryPage([.. sorted], matching.Count));
        }
    }

    public Task<IReadOnlyList<TermFrequency>> GetTermFrequenciesAsync(IReadOnlyList<uint> terms, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(terms);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var found = new List<TermFrequency>();
            foreach (var term in terms.Distinct())
            {
                if (_termFrequencies.TryGetValue(term, out var known))
                {
                    found.Add(new TermFrequency(term, known.Count, known.Count <= TermFrequency.FirstDocumentUpTo && _documents.ContainsKey(known.First) ? known.First : null));
                }
            }

            return Task.FromResult<IReadOnlyList<TermFrequency>>(found);
        }
    }

    public Task<IReadOnlyList<Posting>> GetPostingsAsync(IReadOnlyList<uint> terms, int maxPerTerm, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(terms);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var found = new List<Posting>();
            foreach (var term in terms.Distinct())
            {
                if (_postings.TryGetValue(term, out var documents))
                {
                    found.AddRange(documents
                        .OrderByDescending(posting => posting.Value)
                        .ThenBy(posting => _documents[posting.Key].Sequence)
                        .Take(Math.Max(0, maxPerTerm))
                        .Select(posting => new Posting(term, posting.Key, posting.Value)));
                }
            }

            return Task.FromResult<IReadOnlyList<Posting>>(found);
        }
    }

    public Task<IReadOnlyList<StoredPlacement>> GetPlacementsAsync(IReadOnlyList<string> documentIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documentIds);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var found = new List<StoredPlacement>(documentIds.Count);
            foreach (var id in documentIds)
            {
                if (id is not null && _placements.TryGetValue(id, out var placement))
                {
                    found.Add(placement);
                }
            }

            return Task.FromResult<IReadOnlyList<StoredPlacement>>(found);
        }
    }

    public Task<IReadOnlyList<Lineage.LineageTree>> GetTreesAsync(string storyId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return Task.FromResult<IReadOnlyList<Lineage.LineageTree>>(
                [.. _treesByFamily.Values.Where(tree => tree.Story == storyId).OrderBy(tree => tree.Family, StringComparer.Ordinal)]);
        }
    }

    public Task<IReadOnlyList<string>> GetPendingAsync(int limit, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return Task.FromResult<IReadOnlyList<string>>([.. InInsertionOrder(_pending).Take(Math.Max(0, limit))]);
        }
    }

    public Task<IReadOnlyList<string>> GetLabeledBeforeAsync(long documentCount, int limit, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return Task.FromResult<IReadOnlyList<string>>(
                [.. InInsertionOrder(_placements.Values.Where(p => p.LabeledAt < documentCount).Select(p => p.DocumentId)).Take(Math.Max(0, limit))]);
        }
    }

    public Task<long> CommitRelateAsync(RelateCommit commit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commit);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var region = new HashSet<string>(commit.Region.Where(_documents.ContainsKey), StringComparer.Ordinal);
            var stories = new HashSet<string>(StringComparer.Ordinal);
            foreach (var id in region)
            {
                if (_groups.TryGetValue(id, out var group))
                {
                    stories.Add(group.StoryId);
                }

                if (_pairKeysByDocument.TryGetValue(id, out var keys))
                {
                    foreach (var key in keys.Where(key => region.Contains(key.A) && region.Contains(key.B)).ToList())
                    {
                        _pairs.Remove(key);
                        _pairKeysByDocument[key.A].Remove(key);
                        _pairKeysByDocument[key.B].Remove(key);
                    }
                }
            }

            foreach (var placement in commit.Placements)
            {
                if (placement?.DocumentId is null || !_documents.ContainsKey(placement.DocumentId))
                {
                    continue;
                }

                _placements[placement.DocumentId] = placement;
                _groups[placement.DocumentId] = new GroupAssignment(placement.DocumentId, placement.FamilyId, placement.StoryId);
                stories.Add(placement.StoryId);
            }

            foreach (var family in _treesByFamily.Values.Where(tree => stories.Contains(tree.Story)).Select(tree => tree.Family).ToList())
            {
                _treesByFamily.Remove(family);
            }

            foreach (var tree in commit.Trees)
            {
                _treesByFamily[tree.Family] = tree;
            }

            foreach (var (documentId, terms) in commit.Postings)
            {
                if (documentId is null || !_documents.ContainsKey(documentId))
                {
                    continue;
                }

                RemovePostingsOf(documentId);
                _postedTermsByDocument[documentId] = [.. terms];
                foreach (var term in terms)
                {
                    if (!_postings.TryGetValue(term.Term, out var documents))
                    {
                        _postings[term.Term] = documents = new Dictionary<string, float>(StringComparer.Ordinal);
                    }

                    documents[documentId] = term.Weight;
                }
            }

            AddPairsLocked(commit.Pairs);
            _pending.ExceptWith(commit.Processed);
            return Task.FromResult(++_version);
        }
    }

    public Task<long> GetVersionAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult(_version);
        }
    }

    public async Task<IAsyncDisposable> AcquireWriterLockAsync(Action? waiting = null, CancellationToken cancellationToken = default)
    {
        if (!await _writerLock.WaitAsync(0, cancellationToken).ConfigureAwait(false))
        {
            waiting?.Invoke();
            await _writerLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        return new Releaser(_writerLock);
    }

    private void RemovePostingsOf(string id)
    {
        if (!_postedTermsByDocument.Remove(id, out var terms))
        {
            return;
        }

        foreach (var term in terms)
        {
            if (_postings.TryGetValue(term.Term, out var documents) && documents.Remove(id) && documents.Count == 0)
            {
                _postings.Remove(term.Term);
            }
        }
    }

    private sealed class Releaser(SemaphoreSlim gate) : IAsyncDisposable
    {
        private int released;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                gate.Release();
            }

            return ValueTask.CompletedTask;
        }
    }

    public ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            _disposed = true;
        }

        return ValueTask.CompletedTask;
    }

    private AddOutcome AddOne(StoredDocument document)
    {
        var error = StoreRules.Validate(document);
        if (error is not null)
        {
            return new AddOutcome(document?.Article?.Id ?? string.Empty, AddStatus.Rejected, error);
        }

        var id = document.Article.Id;
        var copy = Entry.CopyOf(document);
        if (_documents.TryGetValue(id, out var existing))
        {
            if (existing.Document.ContentHash == document.ContentHash)
            {
                return new AddOutcome(id, AddStatus.Unchanged);
            }

            Unindex(existing);
            RemovePairsOf(id);
            RemovePostingsOf(id);
            var updated = new Entry(existing.Sequence, copy with { IngestedAt = existing.Document.IngestedAt });
            _documents[id] = updated;
            Index(updated);
            _pending.Add(id);
            return new AddOutcome(id, AddStatus.Updated);
        }

        var added = new Entry(_nextSequence++, copy with { IngestedAt = DateTimeOffset.UtcNow });
        _documents[id] = added;
        Index(added);
        _pending.Add(id);
        return new AddOutcome(id, AddStatus.Added);
    }

    private void Index(Entry entry)
    {
        var id = entry.Document.Article.Id;
        if (!_idsByContentHash.TryGetValue(entry.Document.ContentHash, out var sameContent))
        {
            _idsByContentHash[entry.Document.ContentHash] = sameContent = new HashSet<string>(StringComparer.Ordinal);
        }

        sameContent.Add(id);
        foreach (var term in entry.Document.Terms ?? [])
        {
            _termFrequencies[term] = _termFrequencies.TryGetValue(term, out var known) ? (known.Count + 1, known.First) : (1, id);
        }

        var bandKeys = entry.Document.BandKeys;
        for (var band = 0; band < bandKeys.Length; band++)
        {
            var key = (band, bandKeys[band]);
            if (!_buckets.TryGetValue(key, out var bucket))
            {
                _buckets[key] = id;
            }
            else if (bucket is string single)
            {
                if (single != id)
                {
                    _buckets[key] = new HashSet<string>(StringComparer.Ordinal) { single, id };
                }
            }
            else
            {
                ((HashSet<string>)bucket).Add(id);
            }
        }
    }

    private void Unindex(Entry entry)
    {
        var id = entry.Document.Article.Id;
        if (_idsByContentHash.TryGetValue(entry.Document.ContentHash, out var sameContent) && sameContent.Remove(id) && sameContent.Count == 0)
        {
            _idsByContentHash.Remove(entry.Document.ContentHash);
        }

        foreach (var term in entry.Document.Terms ?? [])
        {
            if (_termFrequencies.TryGetValue(term, out var known))
            {
                if (known.Count <= 1)
                {
                    _termFrequencies.Remove(term);
                }
                else
                {
                    _termFrequencies[term] = (known.Count - 1, known.First);
                }
            }
        }

        var bandKeys = entry.Document.BandKeys;
        for (var band = 0; band < bandKeys.Length; band++)
        {
            var key = (band, bandKeys[band]);
            if (!_buckets.TryGetValue(key, out var bucket))
            {
                continue;
            }

            if (bucket is string single)
            {
                if (single == id)
                {
                    _buckets.Remove(key);
                }
            }
            else
            {
                var ids = (HashSet<string>)bucket;
                ids.Remove(id);
                if (ids.Count == 1)
                {
                    _buckets[key] = ids.First();
                }
            }
        }
    }

    private void RemovePairsOf(string id)
    {
        if (!_pairKeysByDocument.Remove(id, out var keys))
        {
            return;
        }

        foreach (var key in keys)
        {
            _pairs.Remove(key);
            var other = key.A == id ? key.B : key.A;
            if (_pairKeysByDocument.TryGetValue(other, out var otherKeys))
            {
                otherKeys.Remove(key);
            }
        }
    }

    private HashSet<(string A, string B)> PairKeysOf(string id)
    {
        if (!_pairKeysByDocument.TryGetValue(id, out var keys))
        {
            _pairKeysByDocument[id] = keys = [];
        }

        return keys;
    }

    private List<string> InInsertionOrder(IEnumerable<string> ids) =>
        [.. ids.Select(id => _documents[id]).OrderBy(entry => entry.Sequence).Select(entry => entry.Document.Article.Id)];

    private static List<PairScore> Ranked(IEnumerable<PairScore> pairs) =>
    [
        .. pairs
            .OrderByDescending(StoreRules.RankingSimilarity)
            .ThenByDescending(pair => pair.Jaccard)
            .ThenBy(pair => pair.A, StringComparer.Ordinal)
            .ThenBy(pair => pair.B, StringComparer.Ordinal),
    ];

    private Task<IReadOnlyList<string>> MembersWhere(Func<GroupAssignment, bool> belongs, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return Task.FromResult<IReadOnlyList<string>>(InInsertionOrder(_groups.Values.Where(belongs).Select(group => group.DocumentId)));
        }
    }

    /// <summary>Documents grouped by family or story id, members in insertion order.</summary>
    private IEnumerable<(string Key, List<Entry> Members)> GroupedMembers(Func<GroupAssignment, string> keyOf) =>
        _groups.Values
            .GroupBy(keyOf, StringComparer.Ordinal)
            .Select(group => (group.Key, group.Select(member => _documents[member.DocumentId]).OrderBy(entry => entry.Sequence).ToList()));

    /// <summary>The earliest-dated member; undated members count as latest, ties go to the first inserted.</summary>
    private static Entry EarliestOf(List<Entry> membersInInsertionOrder) =>
        membersInInsertionOrder
            .OrderBy(entry => entry.Document.Article.Date is null)
            .ThenBy(entry => entry.Document.Article.Date?.UtcTicks ?? 0)
            .ThenBy(entry => entry.Sequence)
            .First();

    /// <summary>The story's original (see <see cref="StorySummary.OriginalId"/>): the root of its largest family.</summary>
    private Entry OriginalOf(List<Entry> membersInInsertionOrder)
    {
        string FamilyOf(Entry entry) => _groups[entry.Document.Article.Id].FamilyId;
        var familySizes = membersInInsertionOrder.GroupBy(FamilyOf, StringComparer.Ordinal).ToDictionary(family => family.Key, family => family.Count(), StringComparer.Ordinal);
        var roots = membersInInsertionOrder
            .Where(entry => !_placements.TryGetValue(entry.Document.Article.Id, out var placement) || placement.Parent is null)
            .ToList();
        if (roots.Count == 0)
        {
            return EarliestOf(membersInInsertionOrder);
        }

        var largest = roots.Max(entry => familySizes[FamilyOf(entry)]);
        return EarliestOf([.. roots.Where(entry => familySizes[FamilyOf(entry)] == largest)]);
    }

    private StorySummary Summarize(string storyId, List<Entry> members)
    {
        var first = EarliestOf(members);
        var original = OriginalOf(members);
        var dates = members.Where(member => member.Document.Article.Date is not null).Select(member => member.Document.Article.Date!.Value.ToUniversalTime()).ToList();
        return new StorySummary(
            storyId,
            members.Count,
            members.Select(member => _groups[member.Document.Article.Id].FamilyId).Distinct(StringComparer.Ordinal).Count(),
            first.Document.Article.Id,
            first.Document.Article.Title,
            dates.Count == 0 ? null : dates.Min(),
            dates.Count == 0 ? null : dates.Max(),
            members.Select(member => StoreRules.FoldSite(member.Document.Article.Site)).Where(site => site is not null).Distinct(StringComparer.Ordinal).Count())
        {
            OriginalId = original.Document.Article.Id,
            OriginalTitle = original.Document.Article.Title,
        };
    }

    private sealed record Entry(long Sequence, StoredDocument Document)
    {
        public static StoredDocument CopyOf(StoredDocument document) => document with
        {
            Article = document.Article with { Annotations = [.. document.Article.Annotations] },
            Signature = [.. document.Signature],
            BandKeys = [.. document.BandKeys],
            Terms = document.Terms is null ? null : [.. document.Terms],
        };

        /// <summary>A copy for the caller, so their changes to arrays cannot reach the store.</summary>
        public StoredDocument Snapshot() => CopyOf(Document) with { Position = Sequence };
    }
}
