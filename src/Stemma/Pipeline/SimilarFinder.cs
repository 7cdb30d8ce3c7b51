using Stemma.Index;
using Stemma.Sketch;
using Stemma.Storage;

namespace Stemma.Pipeline;

/// <summary>A stored document similar to the one asked about.</summary>
public sealed record SimilarDocument(string Id, string? Title, double Jaccard, double Containment);

/// <summary>Answers "which stored documents does this one copy, or are copies of it?" through the store's LSH buckets.</summary>
public sealed class SimilarFinder
{
    private readonly IStore store;
    private readonly AnalyzeOptions options;
    private readonly Sketcher sketcher;
    private readonly LshParameters lsh;

    public SimilarFinder(IStore store, AnalyzeOptions? options = null)
    {
        this.store = store ?? throw new ArgumentNullException(nameof(store));
        this.options = options ?? new AnalyzeOptions();
        sketcher = new Sketcher(this.options.Sketch);
        lsh = StoreIngestor.LshParametersFor(this.options);
    }

    /// <summary>Matches for an article that may or may not be stored (a stored one does not match itself).</summary>
    public async Task<IReadOnlyList<SimilarDocument>> FindAsync(Article article, int top = 10, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(article);
        var sketch = sketcher.Sketch(article.Body);
        var cache = new Dictionary<string, DocumentSketch>(StringComparer.Ordinal);
        var matches = await VerifiedMatchesAsync(
            store, sketcher, options.NearDuplicates, article.Id, sketch, LshIndex.BandKeys(sketch.Signature, lsh), cache, cancellationToken).ConfigureAwait(false);
        var best = matches.OrderByDescending(m => m.Jaccard).ThenByDescending(m => m.Containment).ThenBy(m => m.A, StringComparer.Ordinal).Take(top).ToList();
        var documents = await store.GetDocumentsAsync(best.Select(m => m.A).ToList(), cancellationToken).ConfigureAwait(false);
        var titles = documents.ToDictionary(d => d.Article.Id, d => d.Article.Title, StringComparer.Ordinal);
        return [.. best.Select(m => new SimilarDocument(m.A, titles.GetValueOrDefault(m.A), m.Jaccard, m.Containment))];
    }

    /// <summary>Matches for a stored document, by id; null when the id is not stored.</summary>
    public async Task<IReadOnlyList<SimilarDocument>?> FindByIdAsync(string id, int top = 10, CancellationToken cancellationToken = default)
    {
        var document = await store.GetDocumentAsync(id, cancellationToken).ConfigureAwait(false);
        return document is null ? null : await FindAsync(document.Article, top, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The stored documents that <paramref name="sketch"/> copies or is copied by: exact duplicates by content hash and
    /// LSH candidates, verified with exact Jaccard and containment. <see cref="PairScore.A"/> names the stored document.
    /// </summary>
    private static async Task<List<PairScore>> VerifiedMatchesAsync(
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

            var (jaccard, containment, shared) = sketch.Overlap(other);
            if (nearDuplicates.Accepts(jaccard, containment, shared))
            {
                results.Add(new PairScore(id, selfId ?? string.Empty, jaccard, containment));
            }
        }

        return results;
    }
}
