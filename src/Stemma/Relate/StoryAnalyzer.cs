using System.Collections.Concurrent;
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
    public StoryAnalysis Analyze(IReadOnlyList<Article> articles, IReadOnlyList<CandidatePair> nearDuplicates, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(articles);
        ArgumentNullException.ThrowIfNull(nearDuplicates);
        var n = articles.Count;
        var parallel = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = options.MaxDegreeOfParallelism };
        var features = new TextFeatures[n];
        Parallel.For(0, n, parallel, i => features[i] = TextFeatures.Create(TextForMatching(articles[i])));
        var statistics = TermStatistics.Build(features);

        // Candidates: the near-duplicate engine's pairs plus "more like this" from the term index.
        var candidates = new Dictionary<(int, int), CandidatePair?>();
        foreach (var pair in nearDuplicates)
        {
            if (pair.A != pair.B && (uint)pair.A < (uint)n && (uint)pair.B < (uint)n)
            {
                candidates[(Math.Min(pair.A, pair.B), Math.Max(pair.A, pair.B))] = pair;
            }
        }

        foreach (var pair in TermIndex.Build(features, statistics, options).Candidates(options, cancellationToken))
        {
            candidates.TryAdd(pair, null);
        }

        var related = new ConcurrentDictionary<(int, int), PairResult>();
        Parallel.ForEach(candidates, parallel, candidate =>
        {
            var (a, b) = candidate.Key;
            if (candidate.Value is null && !WorthAligning(features[a], features[b], statistics))
            {
                return;
            }

            var comparison = PairComparer.Compare(features[a], features[b], statistics);
            if (comparison.Relation != Relations.Unrelated)
            {
                related[(a, b)] = PairResult.From(a, b, features[a], features[b], comparison, statistics, candidate.Value);
            }
        });

        var ids = articles.Select(a => a.Id).ToArray();
        var families = new UnionFind(n);
        foreach (var pair in related.Values.Where(p => Relations.IsCopyFamily(p.Relation)))
        {
            families.Union(pair.A, pair.B);
        }

        var stories = new UnionFind(n);
        for (var i = 0; i < n; i++)
        {
            stories.Union(i, families.Find(i));
        }

        foreach (var pair in related.Values.Where(p => Relations.IsSameStory(p.Relation)))
        {
            if (WithinWindow(articles[pair.A].Date, articles[pair.B].Date))
            {
                stories.Union(pair.A, pair.B);
            }
        }

        var familyIds = families.GroupIds(ids);
        var storyIds = stories.GroupIds(ids);
        var lineage = new LineageBuilder(articles, features, statistics, related, options).Build(familyIds, storyIds, cancellationToken);

        var placements = new DocumentPlacement[n];
        for (var i = 0; i < n; i++)
        {
            var parent = lineage.Parents[i];
            placements[i] = new DocumentPlacement(ids[i], familyIds[i], storyIds[i], parent < 0 ? null : ids[parent], lineage.Relations[i], lineage.Origins[i]);
        }

        var pairs = related.Values
            .OrderBy(p => p.A)
            .ThenBy(p => p.B)
            .Select(p => p.ToRelatedPair(ids))
            .ToList();
        return new StoryAnalysis(placements, pairs, lineage.Trees);
    }

    /// <summary>
    /// The body with any paragraph that repeats the article's own title blanked out (same length, so offsets still point
    /// into <see cref="Article.Body"/>): copiers paste the title above the text, and siblings sharing it would otherwise
    /// look as if one copied the other.
    /// </summary>
    internal static string TextForMatching(Article article)
    {
        var body = article.Body;
        if (string.IsNullOrWhiteSpace(article.Title))
        {
            return body;
        }

        var title = Text.TextNormalizer.Normalize(article.Title);
        char[]? blanked = null;
        var start = 0;
        while (start < body.Length)
        {
            var end = body.IndexOf('\n', start);
            end = end < 0 ? body.Length : end;
            if (end - start >= title.Length && end - start <= title.Length + 8 && Text.TextNormalizer.Normalize(body[start..end]) == title)
            {
                blanked ??= body.ToCharArray();
                Array.Fill(blanked, ' ', start, end - start);
            }

            start = end + 1;
        }

        return blanked is null ? body : new string(blanked);
    }

    private bool WithinWindow(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null || b is null || (a.Value - b.Value).Duration() <= options.StoryWindow;

    /// <summary>Cheap filter before alignment: the pair must share weighted words or names.</summary>
    private bool WorthAligning(TextFeatures a, TextFeatures b, TermStatistics statistics)
    {
        if (PairComparer.Cosine(a, b, statistics) >= options.MinVerifyScore)
        {
            return true;
        }

        var shared = a.Entities.Count(b.Entities.Contains);
        return shared >= 3 && 2.0 * shared / (a.Entities.Count + b.Entities.Count) >= 0.3;
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
            [.. comparison.Changes.Where(c => c.Matters).Take(50)],
            nearDuplicate,
            Unexplained(featuresA.Words, comparison.Alignment, sideB: false, statistics),
            Unexplained(featuresB.Words, comparison.Alignment, sideB: true, statistics));

    /// <summary>Words of y that x does not explain, by weight; boilerplate shared by many documents weighs little.</summary>
    public double UnexplainedOf(int document) => document == A ? UnexplainedA : UnexplainedB;

    private static double Unexplained(Align.TokenizedText words, Align.Alignment alignment, bool sideB, TermStatistics statistics)
    {
        var matched = new bool[words.Count];
        foreach (var span in alignment.Spans)
        {
            var first = sideB ? span.FirstWordB : span.FirstWordA;
            Array.Fill(matched, true, first, sideB ? span.WordsB : span.WordsA);
            foreach (var difference in span.Differences)
            {
                var range = sideB ? difference.B : difference.A;
                var count = sideB ? difference.WordsB : difference.WordsA;
                var at = Array.BinarySearch(words.Starts, range.Start);
                if (at >= 0 && count > 0)
                {
                    Array.Fill(matched, false, at, Math.Min(count, words.Count - at));
                }
            }
        }

        double unexplained = 0;
        for (var w = 0; w < matched.Length; w++)
        {
            unexplained += matched[w] ? 0 : statistics.Idf(words.HashAt(w));
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
    public IReadOnlyList<Change> ChangesFrom(int from) => from == A ? Changes : [.. Changes.Select(Reverse)];

    private static Change Reverse(Change c) => new(
        c.Kind switch { ChangeKind.Inserted => ChangeKind.Dropped, ChangeKind.Dropped => ChangeKind.Inserted, var k => k },
        c.After,
        c.Before,
        c.InB,
        c.InA);
}
