using Stemma.Index;
using Stemma.Sketch;
using Stemma.Storage;
using Stemma.Stories;

namespace Stemma.Pipeline;

/// <summary>What one ingest run did.</summary>
public sealed record IngestReport(int Added, int Unchanged, int Updated, IReadOnlyList<AddOutcome> Rejected, int PairsStored, int FamiliesTouched);

/// <summary>
/// Persists articles with their sketches, finds the stored documents each new one copies or is copied by, and keeps
/// family assignments up to date. Re-ingesting the same articles adds nothing.
/// Into an empty store the whole run is matched in memory (all pairs at once); into a populated one each new
/// document is matched through the store's LSH buckets, so earlier runs need not be loaded.
/// </summary>
public sealed class StoreIngestor
{
    private const int BatchSize = 5000;
    private readonly IStore store;
    private readonly AnalyzeOptions options;
    private readonly Sketcher sketcher;
    private readonly LshParameters lsh;

    public StoreIngestor(IStore store, AnalyzeOptions? options = null)
    {
        this.store = store ?? throw new ArgumentNullException(nameof(store));
        this.options = options ?? new AnalyzeOptions();
        sketcher = new Sketcher(this.options.Sketch);
        lsh = LshParametersFor(this.options);
    }

    /// <summary>The banding used for stored band keys: fixed by the sketch size and the LSH threshold.</summary>
    public static LshParameters LshParametersFor(AnalyzeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return LshParameters.Optimal(options.NearDuplicates.LshThreshold, options.Sketch.SignatureSize);
    }

    public async Task<IngestReport> IngestAsync(IEnumerable<Article> articles, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(articles);
        await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
        var storeWasEmpty = await store.CountDocumentsAsync(cancellationToken).ConfigureAwait(false) == 0;

        var changed = new List<(Article Article, DocumentSketch Sketch, ulong[] BandKeys)>();
        var rejected = new List<AddOutcome>();
        int added = 0, unchanged = 0, updated = 0, done = 0;
        foreach (var batch in articles.Chunk(BatchSize))
        {
            var sketches = CorpusAnalyzer.SketchAll(batch, sketcher, cancellationToken);
            var documents = new StoredDocument[batch.Length];
            for (var i = 0; i < batch.Length; i++)
            {
                documents[i] = new StoredDocument
                {
                    Article = batch[i],
                    ContentHash = sketches[i].ContentHash,
                    Signature = sketches[i].Signature,
                    BandKeys = LshIndex.BandKeys(sketches[i].Signature, lsh),
                };
            }

            var outcomes = await store.AddDocumentsAsync(documents, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < outcomes.Count; i++)
            {
                switch (outcomes[i].Status)
                {
                    case AddStatus.Added:
                        added++;
                        changed.Add((batch[i], sketches[i], documents[i].BandKeys));
                        break;
                    case AddStatus.Updated:
                        updated++;
                        changed.Add((batch[i], sketches[i], documents[i].BandKeys));
                        break;
                    case AddStatus.Unchanged:
                        unchanged++;
                        break;
                    default:
                        rejected.Add(outcomes[i]);
                        break;
                }
            }

            done += batch.Length;
            progress?.Report(done);
        }

        var pairs = storeWasEmpty
            ? MatchInMemory(changed, cancellationToken)
            : await MatchThroughStoreAsync(changed, cancellationToken).ConfigureAwait(false);
        var stored = pairs.Count == 0 ? 0 : await store.AddPairsAsync(pairs, cancellationToken).ConfigureAwait(false);
        var families = await RegroupAsync(changed.Select(c => c.Article.Id).ToList(), pairs, cancellationToken).ConfigureAwait(false);
        return new IngestReport(added, unchanged, updated, rejected, stored, families);
    }

    private List<PairScore> MatchInMemory(List<(Article Article, DocumentSketch Sketch, ulong[] BandKeys)> changed, CancellationToken cancellationToken)
    {
        var found = NearDuplicateFinder.FindPairs(changed.Select(c => c.Sketch).ToList(), options.NearDuplicates, cancellationToken);
        return [.. found.Select(p => new PairScore(changed[p.A].Article.Id, changed[p.B].Article.Id, p.Jaccard, p.Containment))];
    }

    private async Task<List<PairScore>> MatchThroughStoreAsync(List<(Article Article, DocumentSketch Sketch, ulong[] BandKeys)> changed, CancellationToken cancellationToken)
    {
        var pairs = new List<PairScore>();
        var seen = new HashSet<(string, string)>();
        var cache = new Dictionary<string, DocumentSketch>(StringComparer.Ordinal);
        foreach (var (article, sketch, _) in changed)
        {
            cache[article.Id] = sketch;
        }

        foreach (var (article, sketch, bandKeys) in changed)
        {
            var matches = await VerifiedMatchesAsync(store, sketcher, options.NearDuplicates, article.Id, sketch, bandKeys, cache, cancellationToken).ConfigureAwait(false);
            foreach (var match in matches)
            {
                var key = string.CompareOrdinal(article.Id, match.A) < 0 ? (article.Id, match.A) : (match.A, article.Id);
                if (seen.Add(key))
                {
                    pairs.Add(new PairScore(key.Item1, key.Item2, match.Jaccard, match.Containment));
                }
            }
        }

        return pairs;
    }

    /// <summary>
    /// The stored documents that <paramref name="sketch"/> copies or is copied by: exact duplicates by content hash and
    /// LSH candidates, verified with exact Jaccard and containment. <see cref="PairScore.A"/> names the stored document.
    /// </summary>
    internal static async Task<List<PairScore>> VerifiedMatchesAsync(
        IStore store,
        Sketcher sketcher,
        NearDuplicateOptions nearDuplicates,
        string? selfId,
        DocumentSketch sketch,
        IReadOnlyList<ulong> bandKeys,
        Dictionary<string, DocumentSketch> cache,
        CancellationToken cancellationToken)
    {
        var results = new List<PairScore>();
        if (sketch.IsEmpty)
        {
            return results;
        }

        var exact = await store.FindByContentHashAsync(sketch.ContentHash, cancellationToken).ConfigureAwait(false);
        var candidates = await store.FindBandCandidatesAsync(bandKeys, cancellationToken).ConfigureAwait(false);
        var ids = exact.Concat(candidates).Where(id => id != selfId).Distinct(StringComparer.Ordinal).ToList();
        var missing = ids.Where(id => !cache.ContainsKey(id)).ToList();
        if (missing.Count > 0)
        {
            foreach (var document in await store.GetDocumentsAsync(missing, cancellationToken).ConfigureAwait(false))
            {
                cache[document.Article.Id] = sketcher.Sketch(document.Article.Body);
            }
        }

        foreach (var id in ids)
        {
            if (!cache.TryGetValue(id, out var other))
            {
                continue;
            }

            var (jaccard, containment, shared) = sketch.ContentHash == other.ContentHash ? (1.0, 1.0, int.MaxValue) : sketch.Shingles.Compare(other.Shingles);
            if (nearDuplicates.Accepts(jaccard, containment, shared))
            {
                results.Add(new PairScore(id, selfId ?? string.Empty, jaccard, containment));
            }
        }

        return results;
    }

    /// <summary>
    /// Recomputes the families the new pairs touch: the changed documents, plus every member of a stored family one of
    /// them joined. Members of one stored family stay together; family ids are the smallest member id.
    /// </summary>
    private async Task<int> RegroupAsync(List<string> changedIds, List<PairScore> pairs, CancellationToken cancellationToken)
    {
        var nodes = new Dictionary<string, int>(StringComparer.Ordinal);
        var names = new List<string>();
        int Node(string id)
        {
            if (!nodes.TryGetValue(id, out var node))
            {
                node = names.Count;
                nodes.Add(id, node);
                names.Add(id);
            }

            return node;
        }

        foreach (var id in changedIds)
        {
            Node(id);
        }

        var edges = new List<(int, int)>();
        foreach (var pair in pairs)
        {
            edges.Add((Node(pair.A), Node(pair.B)));
        }

        // Pull in the stored families of every document touched, so they merge whole.
        var expanded = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in names.ToList())
        {
            var group = await store.GetGroupAsync(id, cancellationToken).ConfigureAwait(false);
            if (group is null || !expanded.Add(group.FamilyId))
            {
                continue;
            }

            var members = await store.GetFamilyMembersAsync(group.FamilyId, cancellationToken).ConfigureAwait(false);
            for (var m = 1; m < members.Count; m++)
            {
                edges.Add((Node(members[0]), Node(members[m])));
            }

            if (members.Count > 0)
            {
                edges.Add((Node(members[0]), Node(id)));
            }
        }

        var sets = new UnionFind(names.Count);
        foreach (var (a, b) in edges)
        {
            sets.Union(a, b);
        }

        var familyIds = sets.GroupIds(names);
        var assignments = names.Select((id, i) => new GroupAssignment(id, familyIds[i], familyIds[i])).ToList();
        await store.SetGroupsAsync(assignments, cancellationToken).ConfigureAwait(false);
        return familyIds.Distinct(StringComparer.Ordinal).Count();
    }
}
