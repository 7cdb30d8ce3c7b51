using Stemma.Index;
using Stemma.Lineage;
using Stemma.Stories;

namespace Stemma.Relate;

/// <summary>
/// From "these look alike" to stories: finds candidate pairs beyond the near-duplicate engine's (a weighted term index
/// for spun copies, rewrites and independent reports), aligns and labels every candidate, groups copy families and
/// stories, and builds each family's lineage tree.
/// </summary>
public sealed class StoryAnalyzer
{
    private readonly StoryAnalyzerOptions options;

    public StoryAnalyzer(StoryAnalyzerOptions? options = null)
    {
        this.options = options ?? new StoryAnalyzerOptions();
    }

    /// <param name="articles">Everything analysed.</param>
    /// <param name="nearDuplicates">Verified near-duplicate pairs (indexes into <paramref name="articles"/>).</param>
    /// <param name="cancellationToken">Stops the work between documents.</param>
    public StoryAnalysis Analyze(IReadOnlyList<Article> articles, IReadOnlyList<CandidatePair> nearDuplicates, CancellationToken cancellationToken = default) =>
        Analyze(articles, nearDuplicates, null, cancellationToken);

    /// <param name="articles">Everything analysed.</param>
    /// <param name="nearDuplicates">Verified near-duplicate pairs (indexes into <paramref name="articles"/>).</param>
    /// <param name="sketches">The articles' sketches when the caller has them (same order): their shingle sets tell which
    /// pairs cannot share a passage, so the analysis need not build its own.</param>
    /// <param name="cancellationToken">Stops the work between documents.</param>
    public StoryAnalysis Analyze(IReadOnlyList<Article> articles, IReadOnlyList<CandidatePair> nearDuplicates, IReadOnlyList<Sketch.DocumentSketch>? sketches, CancellationToken cancellationToken = default) =>
        Analyze(articles, nearDuplicates, sketches, null, null, cancellationToken);

    /// <param name="articles">Everything analysed.</param>
    /// <param name="nearDuplicates">Verified near-duplicate pairs (indexes into <paramref name="articles"/>).</param>
    /// <param name="sketches">The articles' sketches when the caller has them (same order).</param>
    /// <param name="features">The articles' features (<see cref="Features"/>) when the caller has them (same order).</param>
    /// <param name="statistics">Term statistics of a larger collection the articles belong to (a store relating one
    /// region of its documents); null counts the articles themselves.</param>
    /// <param name="cancellationToken">Stops the work between documents.</param>
    public StoryAnalysis Analyze(
        IReadOnlyList<Article> articles,
        IReadOnlyList<CandidatePair> nearDuplicates,
        IReadOnlyList<Sketch.DocumentSketch>? sketches,
        IReadOnlyList<TextFeatures>? features,
        TermStatistics? statistics,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(articles);
        ArgumentNullException.ThrowIfNull(nearDuplicates);
        var n = articles.Count;
        if (sketches is not null && sketches.Count != n)
        {
            throw new ArgumentException("One sketch per article is needed.", nameof(sketches));
        }

        var parallel = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = options.MaxDegreeOfParallelism };
        var clock = new StageClock();
        if (features is not null && features.Count != n)
        {
            throw new ArgumentException("One feature set per article is needed.", nameof(features));
        }

        var given = features;
        var allFeatures = new TextFeatures[n];
        Parallel.For(0, n, parallel, i => allFeatures[i] = given?[i] ?? Features(articles[i]));
        var featureTime = clock.Lap();
        using (options.PauseCollections ? Pipeline.CollectionPause.For(WeightBytes(allFeatures)) : null)
        {
            statistics ??= TermStatistics.Build(allFeatures);
            Parallel.For(0, n, parallel, i => allFeatures[i].Weighted(statistics));
        }

        var statisticsTime = clock.Lap();

        // Candidates: the near-duplicate engine's pairs plus "more like this" from the term index, as sorted distinct keys.
        var nearKeys = new List<long>(nearDuplicates.Count);
        var nearByKey = new Dictionary<long, CandidatePair>(nearDuplicates.Count, TermIndex.PairKeyComparer);
        foreach (var pair in nearDuplicates)
        {
            if (pair.A != pair.B && (uint)pair.A < (uint)n && (uint)pair.B < (uint)n)
            {
                var key = TermIndex.PairKey(pair.A, pair.B);
                if (nearByKey.TryAdd(key, pair))
                {
                    nearKeys.Add(key);
                }
            }
        }

        // A group of near duplicates says one thing: only its longest member is indexed and queried, so copies neither
        // crowd each other's candidate lists nor repeat the same queries. The group's other members reach the
        // story through it (and get their parents in the lineage).
        var nearGroups = new UnionFind(n);
        foreach (var key in nearKeys)
        {
            var (a, b) = TermIndex.FromKey(key);
            nearGroups.Union(a, b);
        }

        var representativeOf = new Dictionary<int, int>();
        for (var i = 0; i < n; i++)
        {
            var group = nearGroups.Find(i);
            if (!representativeOf.TryGetValue(group, out var current) || allFeatures[i].Words.Count > allFeatures[current].Words.Count)
            {
                representativeOf[group] = i;
            }
        }

        var indexed = new bool[n];
        foreach (var representative in representativeOf.Values)
        {
            indexed[representative] = true;
        }

        var indexKeys = TermIndex.Build(allFeatures, statistics, options, indexed).Candidates(options, cancellationToken);
        var keys = new long[nearKeys.Count + indexKeys.Length];
        nearKeys.CopyTo(keys);
        indexKeys.CopyTo(keys, nearKeys.Count);
        Array.Sort(keys);
        var distinct = 0;
        for (var k = 0; k < keys.Length; k++)
        {
            if (k == 0 || keys[k] != keys[k - 1])
            {
                keys[distinct++] = keys[k];
            }
        }

        var candidateTime = clock.Lap();
        var results = new PairResult?[distinct];
        var compared = 0;
        var aligned = 0;
        Parallel.For(0, distinct, parallel, k =>
        {
            var (a, b) = TermIndex.FromKey(keys[k]);
            CandidatePair? nearDuplicate = nearByKey.TryGetValue(keys[k], out var found) ? found : null;
            double? cosine = null;
            var mayShareText = true;
            if (nearDuplicate is null)
            {
                // A term-index pair must share weighted words or names to be worth a look; without shared text it
                // can only be a rewrite or an independent report, which need a topical cosine.
                cosine = PairComparer.Cosine(allFeatures[a], allFeatures[b], statistics);
                if (!WorthComparing(allFeatures[a], allFeatures[b], cosine.Value))
                {
                    return;
                }

                mayShareText = PairComparer.MayShareText(sketches?[a].Shingles ?? allFeatures[a].Trigrams, sketches?[b].Shingles ?? allFeatures[b].Trigrams);
                if (!mayShareText && cosine < options.Relations.MinStoryCosine)
                {
                    return;
                }
            }

            Interlocked.Increment(ref compared);
            if (mayShareText)
            {
                Interlocked.Increment(ref aligned);
            }

            var comparison = PairComparer.Compare(articles[a], allFeatures[a], articles[b], allFeatures[b], statistics, allChanges: false, mayShareText, cosine, options.Relations);
            if (comparison.Relation != Relations.Unrelated)
            {
                results[k] = PairResult.From(a, b, allFeatures[a], allFeatures[b], comparison, statistics, nearDuplicate);
            }
        });

        var related = new Dictionary<(int, int), PairResult>();
        foreach (var result in results)
        {
            if (result is not null)
            {
                related[(result.A, result.B)] = result;
            }
        }

        var labelTime = clock.Lap();
        var ids = articles.Select(a => a.Id).ToArray();
        var families = new UnionFind(n);
        foreach (var pair in related.Values.Where(p => Relations.IsCopyFamily(p.Relation)))
        {
            families.Union(pair.A, pair.B);
        }

        // Stories: families joined by rewrite and same-event pairs (and by shared passages when the rest of the two
        // texts tells one event too), within the date window, by average linkage (no chains through single links).
        var links = related.Values.Where(p =>
            (Relations.IsSameStory(p.Relation) || (p.Relation == Relations.SharesPassages && PairComparer.TellsOneEvent(p.Evidence, options.Relations)))
            && WithinWindow(articles[p.A].Date, articles[p.B].Date));
        var (stories, cohesion) = StoryLinkage.Group(n, families, links, allFeatures, statistics, options.MinStoryCohesion);
        var familyIds = families.GroupIds(ids);
        var storyIds = stories.GroupIds(ids);
        var storySummaries = Enumerable.Range(0, n).GroupBy(i => stories.Find(i))
            .Select(g => new StorySummary(storyIds[g.Key], g.Count(), g.Select(i => familyIds[i]).Distinct(StringComparer.Ordinal).Count(), cohesion.GetValueOrDefault(g.Key, 1)))
            .OrderBy(s => s.Id, StringComparer.Ordinal)
            .ToList();
        var groupTime = clock.Lap();
        var lineage = new LineageBuilder(articles, allFeatures, statistics, related, options, i => sketches?[i].Shingles ?? allFeatures[i].Trigrams).Build(familyIds, storyIds, cancellationToken);

        var placements = new DocumentPlacement[n];
        for (var i = 0; i < n; i++)
        {
            var parent = lineage.Parents[i];
            var edge = lineage.Edges[i];
            placements[i] = new DocumentPlacement(ids[i], familyIds[i], storyIds[i], parent < 0 ? null : ids[parent], lineage.Relations[i], lineage.Origins[i])
            {
                ParentConfidence = edge?.Confidence,
                ParentDirection = edge?.Direction,
                ParentConfidenceBasis = edge?.ConfidenceBasis,
                ParentEvidence = edge?.Evidence ?? [],
            };
        }

        // Results are in key order: by first document, then second.
        var pairs = results.Where(p => p is not null).Select(p => p!.ToRelatedPair(ids)).ToList();
        var lineageTime = clock.Lap();
        return new StoryAnalysis(placements, pairs, lineage.Trees, new RelateTimings(featureTime, statisticsTime, candidateTime, labelTime, groupTime, lineageTime, distinct, compared, aligned, lineage.AlignedPairs))
        {
            Stories = storySummaries,
        };
    }

    /// <summary>
    /// About what the statistics step allocates: a weight (4 bytes) per term of every document, as much again for the
    /// frequency tables counting them, the small objects holding each document's weights, and 4 MB for the tables' first
    /// sizes, the parallel loops and whatever temporaries the compiled code makes (more without optimization).
    /// </summary>
    internal const long FixedWeightBytes = 4L << 20;

    internal static long WeightBytes(IReadOnlyList<TextFeatures> features)
    {
        long terms = 0;
        foreach (var feature in features)
        {
            terms += feature.TermCount;
        }

        return (8 * terms) + (128L * features.Count) + FixedWeightBytes;
    }

    /// <summary>The features the relate stage reads from an article (its body, less lines repeating its title).</summary>
    public static TextFeatures Features(Article article) => TextFeatures.Create(Align.TokenizedText.Create(article.Body, RepeatedTitleLines(article)));

    /// <summary>
    /// An article's sketch (<paramref name="signature"/>: the one stored, see <see cref="Sketch.Sketcher.Sketch(string, uint[])"/>)
    /// and its <see cref="Features"/>. A plain ASCII body is tokenized and hashed once for both: the sketcher and the
    /// aligner find the same words with the same hashes there. Other bodies are normalized for the sketch and read as
    /// written for the features, each in its own pass.
    /// </summary>
    public static (Sketch.DocumentSketch Sketch, TextFeatures Features) SketchAndFeatures(Sketch.Sketcher sketcher, Article article, uint[]? signature = null)
    {
        ArgumentNullException.ThrowIfNull(sketcher);
        ArgumentNullException.ThrowIfNull(article);
        var body = article.Body;
        if (!Text.TokenHasher.IsPlainAscii(body))
        {
            return (signature is null ? sketcher.Sketch(body) : sketcher.Sketch(body, signature), Features(article));
        }

        var capacity = Text.WordTokenizer.MaxWords(body);
        var hashes = Text.ThreadBuffer.Get(ref t_wordHashes, capacity);
        var starts = Text.ThreadBuffer.Get(ref t_wordStarts, capacity);
        var count = Text.TokenHasher.HashAsciiWords(body, hashes.AsSpan(0, capacity), starts.AsSpan(0, capacity));
        var sketch = sketcher.FromAsciiWords(hashes.AsSpan(0, count), signature);
        var words = Align.TokenizedText.FromAsciiWords(body, hashes.AsSpan(0, count), starts.AsSpan(0, count), RepeatedTitleLines(article));
        return (sketch, TextFeatures.Create(words));
    }

    [ThreadStatic]
    private static ulong[]? t_wordHashes;

    [ThreadStatic]
    private static int[]? t_wordStarts;

    /// <summary>
    /// The lines of the body that repeat the article's own title: copiers paste the title above the text, and siblings
    /// sharing it would otherwise look as if one copied the other, so those words are left out of matching.
    /// </summary>
    internal static Align.TextRange[] RepeatedTitleLines(Article article)
    {
        var body = article.Body;
        if (string.IsNullOrWhiteSpace(article.Title))
        {
            return [];
        }

        var title = Text.TextNormalizer.Normalize(article.Title);
        List<Align.TextRange>? lines = null;
        Span<char> folded = stackalloc char[256];
        var start = 0;
        while (start < body.Length)
        {
            var end = body.IndexOf('\n', start);
            end = end < 0 ? body.Length : end;
            if (end - start >= title.Length && end - start <= title.Length + 8 && IsTitle(body.AsSpan(start, end - start), title, folded))
            {
                (lines ??= []).Add(new Align.TextRange(start, end));
            }

            start = end + 1;
        }

        return lines is null ? [] : [.. lines];
    }

    // Plain ASCII lines fold without allocating; others take the full normalization.
    private static bool IsTitle(ReadOnlySpan<char> line, string title, Span<char> scratch) =>
        line.Length <= scratch.Length && Text.TokenHasher.IsPlainAscii(line)
            ? scratch[..Text.TextNormalizer.Fold(line, scratch)].SequenceEqual(title)
            : Text.TextNormalizer.Normalize(line.ToString()) == title;

    private bool WithinWindow(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null || b is null || (a.Value - b.Value).Duration() <= options.StoryWindow;

    /// <summary>Cheap filter before labeling: the pair must share weighted words or names.</summary>
    internal bool WorthComparing(TextFeatures a, TextFeatures b, double cosine)
    {
        if (cosine >= options.MinVerifyScore)
        {
            return true;
        }

        var shared = Index.SortedSets.IntersectionCount(a.EntityHashes, b.EntityHashes);
        return shared >= 3 && 2.0 * shared / (a.EntityHashes.Length + b.EntityHashes.Length) >= 0.3;
    }
}

/// <summary>A labeled pair, kept compact: what lineage and output need, not the whole alignment.</summary>
/// <param name="UnexplainedA">IDF-weighted words of A not matched in B: what A has of its own (lineage cost).</param>
/// <param name="UnexplainedB">IDF-weighted words of B not matched in A.</param>
internal sealed record PairResult(int A, int B, string Relation, double Similarity, int MatchedWords, PairEvidence Evidence, IReadOnlyList<Change> Changes, CandidatePair? NearDuplicate, double UnexplainedA, double UnexplainedB)
{
    public static PairResult From(int a, int b, TextFeatures featuresA, TextFeatures featuresB, Comparison comparison, TermStatistics statistics, CandidatePair? nearDuplicate) =>
        new(
            a,
            b,
            comparison.Relation,
            comparison.Similarity,
            comparison.Alignment.MatchedWords,
            comparison.Evidence,
            SlicedChanges.Keep(comparison.Changes, featuresA.Words.Text, featuresB.Words.Text, Change.KindMatters, 50),
            nearDuplicate,
            Unexplained(featuresA, comparison.Alignment, sideB: false, statistics),
            Unexplained(featuresB, comparison.Alignment, sideB: true, statistics));

    /// <summary>IDF of the distinct terms only A has and only B has; worked out by the lineage when it needs them.</summary>
    internal (double OnlyInA, double OnlyInB)? TermsNotShared { get; set; }

    /// <summary>Words of y that x does not explain, by weight; boilerplate shared by many documents weighs little.</summary>
    public double UnexplainedOf(int document) => document == A ? UnexplainedA : UnexplainedB;

    private static double Unexplained(TextFeatures features, Align.Alignment alignment, bool sideB, TermStatistics statistics)
    {
        if (alignment.Spans.Count == 0)
        {
            return features.Weighted(statistics).WordWeight;
        }

        var words = features.Words;
        var matched = words.Count <= 4096 ? stackalloc bool[words.Count] : new bool[words.Count];
        matched.Clear();
        MarkMatched(features, alignment, sideB, matched);
        return WeightOfUnmatched(features, matched, statistics);
    }

    /// <summary>Marks the words of one side that an alignment matches exactly (inside passages, outside their differences).</summary>
    internal static void MarkMatched(TextFeatures features, Align.Alignment alignment, bool sideB, Span<bool> matched)
    {
        // By index: a foreach through the lists' interfaces boxes an enumerator per list, per pair.
        var words = features.Words;
        var spans = alignment.Spans;
        for (var s = 0; s < spans.Count; s++)
        {
            var span = spans[s];
            var first = sideB ? span.FirstWordB : span.FirstWordA;
            matched.Slice(first, sideB ? span.WordsB : span.WordsA).Fill(true);
            var differences = span.Differences;
            for (var d = 0; d < differences.Count; d++)
            {
                var difference = differences[d];
                var range = sideB ? difference.B : difference.A;
                var count = sideB ? difference.WordsB : difference.WordsA;
                var at = words.WordStartingAt(range.Start);
                if (at >= 0 && count > 0)
                {
                    matched.Slice(at, Math.Min(count, words.Count - at)).Fill(false);
                }
            }
        }
    }

    /// <summary>The unmarked words by weight: the document's cached term IDFs, function words by <see cref="TextFeatures.FunctionWordWeight"/>.</summary>
    internal static double WeightOfUnmatched(TextFeatures features, ReadOnlySpan<bool> matched, TermStatistics statistics)
    {
        var idfs = features.Weighted(statistics).Idfs;
        double unexplained = 0;
        for (var w = 0; w < matched.Length; w++)
        {
            if (!matched[w])
            {
                var k = features.TermIndexOf(features.Words.HashAt(w));
                unexplained += k >= 0 ? idfs[k] : TextFeatures.FunctionWordWeight;
            }
        }

        return unexplained;
    }

    public RelatedPair ToRelatedPair(string[] ids) => new(
        ids[A],
        ids[B],
        Relation,
        Similarity,
        NearDuplicate?.Jaccard,
        NearDuplicate?.Containment,
        Math.Max(Evidence.CoverageA, Evidence.CoverageB),
        Evidence.TermCosine,
        Evidence.EntityOverlap,
        Evidence.SubstitutionRate,
        Changes);

    /// <summary>The same pair seen from the other side: changes reversed.</summary>
    public IReadOnlyList<Change> ChangesFrom(int from) => from == A ? Changes : SlicedChanges.Reversed(Changes);
}
