using Stemma.Relate;
using Stemma.Sketch;
using Stemma.Storage;

namespace Stemma.Pipeline;

/// <summary>
/// What one process keeps between operations on one store, so that adding or checking one article does not read the
/// same rows and recompute the same features every time:
/// <list type="bullet">
/// <item>the document count and the document frequencies read so far, valid for one store version: dropped when the
/// version differs from the one they were read at (another writer changed the store). The ingest that holds the writer
/// lock applies its own added documents' counts to them instead of dropping them (it is the only writer then);</item>
/// <item>features and sketches of stored documents, by id, each checked against the title and body it was made from
/// (they depend on nothing else), so they never go stale.</item>
/// </list>
/// One operation at a time uses it (<see cref="LendAsync"/>); a concurrent one goes without.
/// </summary>
public sealed class StoreStateCache
{
    /// <summary>Above this many known terms the frequencies are dropped and read again as needed (bounds memory).</summary>
    private const int MaxTerms = 1 << 20;

    private readonly int maxDocuments;
    private readonly Dictionary<string, (string? Title, string Body, TextFeatures Features, DocumentSketch? Sketch)> documents = new(StringComparer.Ordinal);
    private readonly Queue<string> documentOrder = new();
    private long version = -1;
    private int busy;
    private long? count;

    /// <param name="maxDocuments">Stored documents whose features are kept (about 100 KB each); the oldest go first.</param>
    public StoreStateCache(int maxDocuments = 2048)
    {
        this.maxDocuments = Math.Max(0, maxDocuments);
    }

    /// <summary>Document frequencies read at <see cref="Version"/>: terms asked (found or not) are not asked again.</summary>
    internal StoredFrequencies Frequencies { get; private set; } = new();

    /// <summary>The store version the count and frequencies hold for; -1 when nothing is known.</summary>
    internal long Version => version;

    /// <summary>Times the count and frequencies were dropped because the store had changed under them (for tests).</summary>
    public int Invalidations { get; private set; }

    /// <summary>Makes the count and frequencies those of the store's current version (drops them when it moved).</summary>
    internal async Task SyncAsync(IStore store, CancellationToken cancellationToken)
    {
        var current = await store.GetVersionAsync(cancellationToken).ConfigureAwait(false);
        if (current != version)
        {
            Reset(current);
        }
    }

    /// <summary>The number of stored documents at <see cref="Version"/>.</summary>
    internal async Task<long> CountAsync(IStore store, CancellationToken cancellationToken) =>
        count ??= await store.CountDocumentsAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// After the writer's own add at version <paramref name="before"/>: when the store moved by exactly that one write
    /// and every document was added new, its terms are counted into what is known (as the store counted them); otherwise
    /// (an update replaced terms, a rejection, another writer) everything known is dropped.
    /// </summary>
    internal async Task AddedAsync(IStore store, long before, IReadOnlyList<StoredDocument> added, IReadOnlyList<AddOutcome> outcomes, CancellationToken cancellationToken)
    {
        var after = await store.GetVersionAsync(cancellationToken).ConfigureAwait(false);
        if (before != version || after != before + 1 || outcomes.Count != added.Count || outcomes.Any(o => o.Status != AddStatus.Added))
        {
            Reset(after);
            return;
        }

        version = after;
        if (count is { } known)
        {
            count = known + added.Count;
        }

        var frequencies = Frequencies;
        foreach (var document in added)
        {
            foreach (var term in document.Terms ?? [])
            {
                if (frequencies.Found.TryGetValue(term, out var frequency))
                {
                    var now = frequency.DocumentFrequency + 1;
                    frequencies.Found[term] = new TermFrequency(term, now, now <= TermFrequency.FirstDocumentUpTo ? frequency.FirstDocument : null);
                }
                else if (frequencies.Asked.Contains(term))
                {
                    frequencies.Found[term] = new TermFrequency(term, 1, document.Article.Id);
                }
            }
        }
    }

    /// <summary>After the writer's own relate commit (which changes no counts) made version <paramref name="after"/>.</summary>
    internal void Committed(long before, long after)
    {
        if (before == version && after == before + 1)
        {
            version = after;
        }
        else
        {
            Reset(after);
        }
    }

    /// <summary>Called after frequencies were read into <see cref="Frequencies"/>: keeps them bounded.</summary>
    internal void Trim()
    {
        if (Frequencies.Asked.Count > MaxTerms)
        {
            Frequencies = new StoredFrequencies();
        }
    }

    /// <summary>
    /// Runs <paramref name="operation"/> with this cache, or with a throw-away one while another operation holds it
    /// (a concurrent operation goes without rather than waiting).
    /// </summary>
    internal async Task<T> LendAsync<T>(Func<StoreStateCache, Task<T>> operation)
    {
        if (Interlocked.CompareExchange(ref busy, 1, 0) != 0)
        {
            return await operation(new StoreStateCache(maxDocuments: 0)).ConfigureAwait(false);
        }

        try
        {
            return await operation(this).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref busy, 0);
        }
    }

    /// <summary>
    /// Features and sketch of a stored document, from the cache when made from the same title and body; a sketch made here
    /// takes the stored MinHash signature instead of computing it again.
    /// </summary>
    internal (TextFeatures Features, DocumentSketch Sketch) FeaturesOf(StoredDocument document, Sketcher sketcher)
    {
        var article = document.Article;
        if (Known(article) is { } known)
        {
            if (known.Sketch is { } sketch)
            {
                return (known.Features, sketch);
            }

            var sketched = (known.Features, sketcher.Sketch(article.Body, document.Signature));
            Keep(article, sketched.Features, sketched.Item2);
            return sketched;
        }

        var (sketchMade, featuresMade) = StoryAnalyzer.SketchAndFeatures(sketcher, article, document.Signature);
        Keep(article, featuresMade, sketchMade);
        return (featuresMade, sketchMade);
    }

    /// <summary>Features of a stored article (no sketch needed), from the cache when made from the same title and body.</summary>
    internal TextFeatures FeaturesOf(Article article)
    {
        if (Known(article) is { } known)
        {
            return known.Features;
        }

        var made = StoryAnalyzer.Features(article);
        Keep(article, made, null);
        return made;
    }

    private (TextFeatures Features, DocumentSketch? Sketch)? Known(Article article) =>
        documents.TryGetValue(article.Id, out var known) && known.Title == article.Title && known.Body == article.Body
            ? (known.Features, known.Sketch)
            : null;

    /// <summary>Remembers features and a sketch made elsewhere (the add step) for <paramref name="article"/>.</summary>
    internal void Keep(Article article, TextFeatures features, DocumentSketch? sketch)
    {
        if (maxDocuments == 0)
        {
            return;
        }

        if (!documents.ContainsKey(article.Id))
        {
            documentOrder.Enqueue(article.Id);
            while (documentOrder.Count > maxDocuments)
            {
                documents.Remove(documentOrder.Dequeue());
            }
        }

        documents[article.Id] = (article.Title, article.Body, features, sketch);
    }

    private void Reset(long current)
    {
        if (version != -1)
        {
            Invalidations++;
        }

        version = current;
        count = null;
        Frequencies = new StoredFrequencies();
    }
}
