using Stemma.Index;
using Stemma.Relate;
using Stemma.Sketch;
using Stemma.Stories;

namespace Stemma.Pipeline;

/// <summary>Settings of a whole-corpus analysis.</summary>
public sealed record AnalyzeOptions
{
    public SketchOptions Sketch { get; init; } = SketchOptions.Default;

    public NearDuplicateOptions NearDuplicates { get; init; } = NearDuplicateOptions.Default;

    /// <summary>Relate stage settings; null stops after copy families (near duplicates only).</summary>
    public StoryAnalyzerOptions? Relate { get; init; } = new();

    /// <summary>
    /// Whether the sketch stage and the relate stage's term statistics run without garbage collections
    /// (<see cref="CollectionPause"/>): nearly all they allocate is kept, so collecting only copies it. Process-wide: for a
    /// process that runs this one analysis (the CLI does).
    /// </summary>
    public bool PauseCollections { get; init; }
}

/// <summary>Where one document ended up.</summary>
/// <param name="Family">Copy family id (the smallest member id).</param>
/// <param name="Story">Story id: families joined by rewrites and same-event reports.</param>
/// <param name="Parent">The document this one most likely copied from, or null for an original.</param>
/// <param name="Relation">How it relates to <paramref name="Parent"/>.</param>
/// <param name="Origin">The outside source it credits, if any.</param>
public sealed record DocumentResult(string Id, string Family, string Story, string? Parent = null, string? Relation = null, string? Origin = null);

/// <summary>The result of analysing a corpus in memory.</summary>
public sealed record CorpusAnalysis(
    IReadOnlyList<Article> Articles,
    IReadOnlyList<DocumentSketch> Sketches,
    IReadOnlyList<CandidatePair> NearDuplicates,
    IReadOnlyList<DocumentResult> Documents,
    StoryAnalysis? Stories = null);

/// <summary>
/// The in-memory pipeline over a set of articles: normalize and sketch (in parallel), find near duplicates with
/// LSH, then relate: label pairs (adding spun, rewrite and same-event candidates), group families and stories,
/// and trace each family's lineage.
/// </summary>
public static class CorpusAnalyzer
{
    public static CorpusAnalysis Analyze(IReadOnlyList<Article> articles, AnalyzeOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(articles);
        options ??= new AnalyzeOptions();
        DocumentSketch[] sketches;
        TextFeatures[]? features = null;
        using (StageTimings.Start(options.Relate is null ? "sketch" : "sketch and features"))
        // About 2.8 bytes a character of body (899 MB for the 325 million characters of 100k news articles, the room for the
        // terms' weights included), nearly all kept.
        using (options.PauseCollections ? CollectionPause.ForBodies(articles, 3) : null)
        {
            if (options.Relate is null)
            {
                sketches = SketchAll(articles, new Sketcher(options.Sketch), cancellationToken);
            }
            else
            {
                // The relate stage's features from the same pass: a plain ASCII body is tokenized once for both.
                (sketches, features) = SketchAndFeaturesAll(articles, new Sketcher(options.Sketch), cancellationToken);
            }
        }

        IReadOnlyList<CandidatePair> pairs;
        using (StageTimings.Start("near duplicates"))
        {
            pairs = NearDuplicateFinder.FindPairs(sketches, options.NearDuplicates, cancellationToken);
        }

        if (options.Relate is { } relateOptions)
        {
            StoryAnalysis stories;
            using (StageTimings.Start("relate"))
            {
                stories = new StoryAnalyzer(relateOptions with { PauseCollections = relateOptions.PauseCollections || options.PauseCollections }).Analyze(articles, pairs, sketches, features, null, cancellationToken);
            }

            StageTimings.Sink?.Invoke($"relate stages: {stories.Timings}");

            var placed = stories.Documents.Select(d => new DocumentResult(d.Id, d.Family, d.Story, d.Parent, d.Relation, d.Origin)).ToList();
            return new CorpusAnalysis(articles, sketches, pairs, placed, stories);
        }

        var ids = articles.Select(a => a.Id).ToList();
        var families = CopyFamilies.Assign(ids, pairs);
        var documents = new DocumentResult[articles.Count];
        for (var i = 0; i < documents.Length; i++)
        {
            documents[i] = new DocumentResult(ids[i], families[i], families[i], Origin: articles[i].Attribution);
        }

        return new CorpusAnalysis(articles, sketches, pairs, documents);
    }

    /// <summary>Sketches every body on all cores; the result is in input order.</summary>
    public static DocumentSketch[] SketchAll(IReadOnlyList<Article> articles, Sketcher sketcher, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(articles);
        ArgumentNullException.ThrowIfNull(sketcher);
        var sketches = new DocumentSketch[articles.Count];
        Parallel.For(0, articles.Count, new ParallelOptions { CancellationToken = cancellationToken }, i => sketches[i] = sketcher.Sketch(articles[i].Body));
        return sketches;
    }

    /// <summary>Sketches and relate features of every article (<see cref="StoryAnalyzer.SketchAndFeatures"/>) on all cores, in input order.</summary>
    private static (DocumentSketch[] Sketches, TextFeatures[] Features) SketchAndFeaturesAll(IReadOnlyList<Article> articles, Sketcher sketcher, CancellationToken cancellationToken)
    {
        var sketches = new DocumentSketch[articles.Count];
        var features = new TextFeatures[articles.Count];
        Parallel.For(0, articles.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            (sketches[i], features[i]) = StoryAnalyzer.SketchAndFeatures(sketcher, articles[i]);
            features[i].PrepareWeights();
        });
        return (sketches, features);
    }
}
