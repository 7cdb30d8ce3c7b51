using Stemma.Index;
using Stemma.Relate;
using Stemma.Sketch;
using Stemma.Storage;

namespace Stemma.Pipeline;

/// <summary>
/// Sketches articles where a store can do it better than the ingesting process: a store that spreads over machines
/// (the Stemma cluster) implements this, and <see cref="StoreIngestor"/> then hands it each batch instead of sketching
/// in process. The documents must be what <see cref="DocumentSketcher.Sketch"/> makes, one per article, in order.
/// </summary>
public interface IRemoteSketching
{
    /// <param name="articles">One batch of the ingest.</param>
    /// <param name="sketch">The sketch settings of the ingest.</param>
    /// <param name="lsh">The banding its band keys use.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    Task<IReadOnlyList<StoredDocument>> SketchAsync(IReadOnlyList<Article> articles, SketchOptions sketch, LshParameters lsh, CancellationToken cancellationToken = default);
}

/// <summary>
/// The one way an article becomes a stored document: normalized content hash, MinHash signature, LSH band keys and
/// the terms counted into document frequencies. Used by the ingest in process and by the cluster's sketch workers.
/// Thread-safe.
/// </summary>
public sealed class DocumentSketcher
{
    private readonly Sketcher sketcher;
    private readonly LshParameters lsh;

    public DocumentSketcher(SketchOptions sketch, LshParameters lsh)
    {
        sketcher = new Sketcher(sketch);
        this.lsh = lsh ?? throw new ArgumentNullException(nameof(lsh));
    }

    /// <summary>The document, with the features and sketch made on the way (the relate step can take them).</summary>
    public (StoredDocument Document, TextFeatures Features, DocumentSketch Sketch) Sketch(Article article)
    {
        ArgumentNullException.ThrowIfNull(article);
        var (sketch, features) = StoryAnalyzer.SketchAndFeatures(sketcher, article);
        var document = new StoredDocument
        {
            Article = article,
            ContentHash = sketch.ContentHash,
            Signature = sketch.Signature,
            BandKeys = LshIndex.BandKeys(sketch.Signature, lsh),
            Terms = features.TermHashes,
        };
        return (document, features, sketch);
    }

    /// <summary>The documents of a batch, sketched in parallel over this machine's cores.</summary>
    public StoredDocument[] SketchAll(IReadOnlyList<Article> articles)
    {
        ArgumentNullException.ThrowIfNull(articles);
        var documents = new StoredDocument[articles.Count];
        Parallel.For(0, articles.Count, i => documents[i] = Sketch(articles[i]).Document);
        return documents;
    }
}
