using Stemma.Index;
using Stemma.Lineage;
using Stemma.Pipeline;
using Stemma.Relate;
using Stemma.Sketch;
using Stemma.Stories;
using Stemma.Testing.Corpus;

namespace Stemma.Tests.Lineage;

/// <summary>
/// A story reposted by hundreds of sites: its lineage reads the known pairs, not every pair of members, and still gives
/// every member a parent in the family, finds the generated parents, and leaves smaller families as the full path builds them.
/// </summary>
public class LargeFamilyTests(Xunit.Abstractions.ITestOutputHelper output)
{
    // Operations that leave a copy of a copy something to inherit (figures, lines, dropped or kept sentences).
    private static readonly CopyOperation[] Operations = [CopyOperation.Verbatim, CopyOperation.Wrapped, CopyOperation.Excerpt, CopyOperation.Edited, CopyOperation.SentenceDrop];

    private static readonly StoryAnalyzerOptions Full = new() { BoundedLineageFamilySize = int.MaxValue };

    /// <summary>One story with <paramref name="copies"/> copies (30 % of them copies of copies) among unrelated articles, in the generator's shuffled order.</summary>
    private static List<GeneratedDocument> Corpus(int seed, int copies) =>
        [.. new SyntheticCorpus(seed, new CorpusOptions { Stories = 1, MinCopies = copies, MaxCopies = copies, UnrelatedArticles = 20, MinSentences = 14, MaxSentences = 20, Operations = Operations }).Generate()];

    /// <summary>
    /// The lineage of <paramref name="articles"/> from the pairs a near-duplicate pass finds, labelled as the relate stage
    /// labels them; <paramref name="drop"/> leaves pairs out (as if the finder had not kept them).
    /// </summary>
    private static (LineageBuilder.Result Result, string[] Families, Dictionary<(int, int), PairResult> Pairs) Lineage(IReadOnlyList<Article> articles, StoryAnalyzerOptions options, Func<int, int, bool>? drop = null)
    {
        var sketches = CorpusAnalyzer.SketchAll(articles, new Sketcher(SketchOptions.Default));
        var features = articles.Select(StoryAnalyzer.Features).ToArray();
        var statistics = TermStatistics.Build(features);
        foreach (var f in features)
        {
            f.Weighted(statistics);
        }

        var pairs = new Dictionary<(int, int), PairResult>();
        var families = new UnionFind(articles.Count);
        foreach (var near in NearDuplicateFinder.FindPairs(sketches))
        {
            var (a, b) = (Math.Min(near.A, near.B), Math.Max(near.A, near.B));
            var comparison = PairComparer.Compare(articles[a], features[a], articles[b], features[b], statistics, allChanges: false);
            if (comparison.Relation == Relations.Unrelated || pairs.ContainsKey((a, b)))
            {
                continue;
            }

            if (Relations.IsCopyFamily(comparison.Relation))
            {
                families.Union(a, b);
            }

            if (drop?.Invoke(a, b) != true)
            {
                pairs[(a, b)] = PairResult.From(a, b, features[a], features[b], comparison, statistics, near);
            }
        }

        var familyIds = families.GroupIds([.. articles.Select(x => x.Id)]);
        var result = new LineageBuilder(articles, features, statistics, pairs, options, i => sketches[i].Shingles).Build(familyIds, familyIds, default);
        return (result, familyIds, pairs);
    }

    /// <summary>
    /// The most a bounded family of <paramref name="n"/> members and <paramref name="known"/> known pairs may read: each
    /// pair once (by the later of its two members), a few members of each of a few texts per member, and one read per
    /// estimate beyond the order's one per member.
    /// </summary>
    private static long ReadBound(int n, int known, int estimates) =>
        known + ((long)(n - 1) * LineageBuilder.MembersPerText * (1 + LineageBuilder.RelatedTexts)) + (estimates - (n - 1));

    private static int[] Members(string[] families, string family) => [.. Enumerable.Range(0, families.Length).Where(i => families[i] == family)];

    [Theory]
    [InlineData(61, true)]
    [InlineData(62, false)]
    public void A_family_of_hundreds_reads_its_known_pairs_and_finds_the_generated_parents(int seed, bool dated)
    {
        const int copies = 320;
        var corpus = Corpus(seed, copies);
        var articles = corpus.Select(d => d.ToArticle() with { Date = dated ? d.Date : null }).ToList();
        var (bounded, families, pairs) = Lineage(articles, new StoryAnalyzerOptions());
        var index = corpus.Select((d, i) => (d.Id, i)).ToDictionary(x => x.Id, x => x.i);
        var family = Members(families, families[index[corpus.Single(d => d.Operation == CopyOperation.Original).Id]]);
        Assert.True(family.Length > new StoryAnalyzerOptions().BoundedLineageFamilySize, $"the generated family has {family.Length} members");

        // Bounded work: the order's one estimate per member from the root, and at most EstimatedCandidates for a member
        // without an earlier known pair. The full path estimates each member against its unpaired earlier members.
        var n = family.Length;
        Assert.InRange(bounded.Estimates, n - 1, (n - 1) * (1 + LineageBuilder.EstimatedCandidates));
        var (full, _, _) = Lineage(articles, Full);
        Assert.True(full.Estimates > n * n / 8, $"the full path made {full.Estimates} estimates for {n} members");
        Assert.Equal(0, bounded.AlignedPairs);

        // Parents are read among each member's known pairs and a bounded number of members of the texts those pairs
        // stand for; the full path reads every earlier member of every member.
        var known = pairs.Keys.Count(k => families[k.Item1] == families[family[0]] && families[k.Item2] == families[family[0]]);
        Assert.InRange(bounded.CandidatesRead, n - 1, ReadBound(n, known, bounded.Estimates));
        Assert.True(full.CandidatesRead >= (long)n * (n - 1) / 2, $"the full path read {full.CandidatesRead} candidates");

        // Every member but the root has a parent in its family, and walking up from any member reaches the root.
        var roots = family.Where(m => bounded.Parents[m] < 0).ToList();
        Assert.Single(roots);
        foreach (var m in family)
        {
            var steps = 0;
            for (var up = m; bounded.Parents[up] >= 0; up = bounded.Parents[up])
            {
                Assert.Equal(families[m], families[bounded.Parents[up]]);
                Assert.True(++steps <= n, "a cycle");
            }
        }

        Assert.Equal(n - 1, bounded.Edges.Count(e => e is not null && family.Contains(index[e.Child])));

        // The generated parents, or a member with the same text (nothing tells identical texts apart without dates).
        // Measured 2026-12-03: seed 61 dated, bounded 188 of 320, the full path 183; seed 62 undated, both 154. Both lose
        // the generator's wrapped copies of the original to wrapped siblings (their inserted lines are in the text here,
        // and the siblings share the title and footer lines) and many excerpts: docs/relate.md.
        int Right(LineageBuilder.Result r) => corpus.Count(d => d.ParentId is { } p && r.Parents[index[d.Id]] is var q && q >= 0 && (q == index[p] || articles[q].Body == articles[index[p]].Body));
        var (rightBounded, rightFull) = (Right(bounded), Right(full));
        output.WriteLine($"{n} members: parents found bounded {rightBounded}, full {rightFull} of {copies}; estimates {bounded.Estimates} / {full.Estimates}; candidates read {bounded.CandidatesRead} / {full.CandidatesRead}; known pairs {known}");
        Assert.True(rightBounded >= rightFull, $"bounded {rightBounded}, full {rightFull} of {copies}");
        Assert.True(rightBounded >= copies * (dated ? 0.55 : 0.45), $"bounded found {rightBounded} of {copies} parents, full {rightFull}");
    }

    [Fact]
    public void A_story_reposted_verbatim_hundreds_of_times_reads_a_bounded_number_of_its_repeats()
    {
        // The original, 200 verbatim reposts and 200 copies that each add a line of their own, in date order. The earlier
        // stages pair every repost and every copy with the original (the first occurrence of its text).
        var original = new SyntheticCorpus(64).GenerateChain("w", CopyOperation.Verbatim)[0].ToArticle();
        // A line of words no other member has.
        static string Word(int i, int k) => "qu" + string.Concat($"{i:D3}{k}".Select(c => (char)('a' + c - '0'))) + "el";
        static string Line(int i) => string.Join(' ', Enumerable.Range(0, 6).Select(k => Word(i, k))) + ".";
        var day = original.Date!.Value;
        var articles = new List<Article> { original };
        for (var i = 1; i <= 400; i++)
        {
            articles.Add(original with
            {
                Id = $"w-{i}",
                Site = $"site{i}.example",
                Date = day.AddMinutes(i),
                Body = i % 2 == 0 ? original.Body : original.Body + "\n\n" + Line(i),
            });
        }

        var (result, families, pairs) = Lineage(articles, new StoryAnalyzerOptions());
        var n = articles.Count;
        Assert.All(families, f => Assert.Equal(families[0], f));
        Assert.Null(result.Edges[0]);
        for (var i = 1; i < n; i++)
        {
            // Every repost and every copy descends from the original or from one of its reposts (the same text).
            var parent = result.Parents[i];
            Assert.True(parent >= 0 && parent < i && articles[parent].Body == original.Body, $"{articles[i].Id} under {(parent < 0 ? "none" : articles[parent].Id)}");
            Assert.Equal(0, i % 2 == 0 ? parent : 0);
        }

        // The original's text is paired with 200 other texts and has 200 repeats: each member reads at most a few of them.
        var bound = ReadBound(n, pairs.Count, result.Estimates);
        output.WriteLine($"{n} members, {pairs.Count} known pairs: candidates read {result.CandidatesRead} (bound {bound}), estimates {result.Estimates}");
        Assert.InRange(result.CandidatesRead, n - 1, bound);
        Assert.InRange(result.Estimates, n - 1, (n - 1) * (1 + LineageBuilder.EstimatedCandidates));
    }

    [Fact]
    public void A_member_with_no_earlier_known_pair_gets_an_estimated_parent_that_says_so()
    {
        var corpus = Corpus(63, 300);
        var articles = corpus.Select(d => d.ToArticle()).ToList();
        // The latest copy loses its pairs with every earlier member: nothing aligned explains it.
        var last = articles.Select((a, i) => (a, i)).Where(x => corpus[x.i].ParentId is not null).MaxBy(x => x.a.Date!.Value).i;
        bool Drop(int a, int b) => (a == last || b == last) && articles[a == last ? b : a].Date < articles[last].Date;
        var (result, families, _) = Lineage(articles, new StoryAnalyzerOptions(), Drop);

        var parent = result.Parents[last];
        Assert.True(parent >= 0);
        Assert.Equal(families[last], families[parent]);
        Assert.True(articles[parent].Date <= articles[last].Date);
        var edge = result.Edges[last]!;
        Assert.Contains(edge.Evidence, e => e.Kind == EdgeEvidence.Unaligned);
        Assert.EndsWith("/" + LineageConfidence.Estimated, edge.ConfidenceBasis, StringComparison.Ordinal);
        Assert.True(edge.Confidence <= 0.5, $"confidence {edge.Confidence}");
        Assert.Equal(0, edge.Similarity);

        // Members with an aligned parent say nothing of the kind.
        Assert.All(result.Edges.Where((e, i) => e is not null && i != last), e => Assert.DoesNotContain(e!.Evidence, x => x.Kind == EdgeEvidence.Unaligned));
    }

    [Theory]
    [InlineData(71, 12, true)]
    [InlineData(72, 30, false)]
    [InlineData(73, 55, true)]
    [InlineData(74, 90, false)]
    public void Families_at_or_below_the_bound_are_built_as_the_full_path_builds_them(int seed, int copies, bool dated)
    {
        var corpus = Corpus(seed, copies);
        var articles = corpus.Select(d => d.ToArticle() with { Date = dated ? d.Date : null }).ToList();
        var (full, families, _) = Lineage(articles, Full);
        var largest = families.GroupBy(f => f, StringComparer.Ordinal).Max(g => g.Count());
        // The default bound, and the bound set to the largest family itself: at the bound is not above it.
        foreach (var options in new[] { new StoryAnalyzerOptions(), new StoryAnalyzerOptions { BoundedLineageFamilySize = largest } })
        {
            var (result, _, _) = Lineage(articles, options);
            Assert.Equal(full.Parents, result.Parents);
            Assert.Equal(full.Relations, result.Relations);
            Assert.Equal(full.Estimates, result.Estimates);
            Assert.Equal(full.AlignedPairs, result.AlignedPairs);
            Assert.Equal(full.CandidatesRead, result.CandidatesRead);
            Assert.Equal(Describe(full), Describe(result));
        }

        // Above it the same family is built from its known pairs alone: a dated family's parents then cost other estimates.
        if (dated)
        {
            var (bounded, _, _) = Lineage(articles, new StoryAnalyzerOptions { BoundedLineageFamilySize = largest - 1 });
            Assert.NotEqual(full.Estimates, bounded.Estimates);
        }
    }

    private static string[] Describe(LineageBuilder.Result result) =>
        [.. result.Edges.Select(e => e is null ? "-" : $"{e.Parent}>{e.Child} {e.Relation} {e.Similarity:R} {e.Confidence:R} {e.Direction} {e.ConfidenceBasis} {string.Join("; ", e.Evidence.Select(x => x.Kind + ":" + x.Detail))}")];
}
