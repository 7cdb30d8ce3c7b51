using Stemma.Index;
using Stemma.Sketch;
using Stemma.Stories;
using Stemma.Testing.Corpus;

namespace Stemma.Tests.Index;

public class NearDuplicateFinderTests
{
    private static (double Ari, double Precision, double Recall) Score(IReadOnlyList<GeneratedDocument> corpus, SketchOptions sketchOptions)
    {
        var sketcher = new Sketcher(sketchOptions);
        var sketches = corpus.Select(d => sketcher.Sketch(d.Body)).ToList();
        var pairs = NearDuplicateFinder.FindPairs(sketches);
        var families = CopyFamilies.Assign(corpus.Select(d => d.Id).ToList(), pairs);
        var truth = corpus.ToDictionary(d => d.Id, d => d.FamilyId);
        var predicted = corpus.Select((d, i) => (d.Id, Family: families[i])).ToDictionary(p => p.Id, p => p.Family);
        var (precision, recall) = ClusteringMetrics.PairwisePrecisionRecall(truth, predicted);
        return (ClusteringMetrics.AdjustedRandIndex(truth, predicted), precision, recall);
    }

    [Fact]
    public void Families_from_verbatim_wrapped_excerpt_edited_and_dropped_copies_are_recovered()
    {
        var corpus = new SyntheticCorpus(2026, new CorpusOptions { Stories = 60, UnrelatedArticles = 120 }).Generate();
        var (ari, precision, recall) = Score(corpus, SketchOptions.Default);
        Assert.True(ari >= 0.95, $"ARI {ari:F3} (precision {precision:F3}, recall {recall:F3})");
        Assert.True(precision >= 0.98, $"precision {precision:F3}");
    }

    [Fact]
    public void An_excerpt_joins_its_original_through_containment()
    {
        var corpus = new SyntheticCorpus(9, new CorpusOptions { Stories = 30, UnrelatedArticles = 0, Operations = [CopyOperation.Excerpt], CopyOfCopyRate = 0 }).Generate();
        var sketcher = new Sketcher();
        var sketches = corpus.Select(d => sketcher.Sketch(d.Body)).ToList();
        var pairs = NearDuplicateFinder.FindPairs(sketches);
        var index = corpus.Select((d, i) => (d.Id, i)).ToDictionary(p => p.Id, p => p.i);
        var excerpts = corpus.Where(d => d.Operation == CopyOperation.Excerpt).ToList();
        var joined = excerpts.Count(e => pairs.Any(p => (p.A, p.B) == (Math.Min(index[e.Id], index[e.ParentId!]), Math.Max(index[e.Id], index[e.ParentId!]))));
        Assert.True(joined >= excerpts.Count * 0.97, $"{joined} of {excerpts.Count} excerpts found with their original");
        Assert.Contains(pairs, p => p.Jaccard < 0.7 && p.Containment > 0.9);
    }

    [Fact]
    public void Exact_duplicates_pair_without_lsh_and_empty_documents_pair_with_nothing()
    {
        var sketcher = new Sketcher();
        var sketches = new[]
        {
            sketcher.Sketch("The river rose two metres overnight and flooded the old market square."),
            sketcher.Sketch(""),
            sketcher.Sketch("THE RIVER rose two metres overnight and flooded the old market square."),
            sketcher.Sketch("   "),
        };
        var pairs = NearDuplicateFinder.FindPairs(sketches);
        var pair = Assert.Single(pairs);
        Assert.Equal((0, 2, 1.0, 1.0), (pair.A, pair.B, pair.Jaccard, pair.Containment));
    }

    [Fact]
    public void Unrelated_articles_form_no_pairs()
    {
        var corpus = new SyntheticCorpus(4, new CorpusOptions { Stories = 0, UnrelatedArticles = 300 }).Generate();
        var sketcher = new Sketcher();
        var pairs = NearDuplicateFinder.FindPairs(corpus.Select(d => sketcher.Sketch(d.Body)).ToList());
        Assert.Empty(pairs);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 3)]
    public void A_bound_on_partners_keeps_every_group_whole_and_only_drops_pairs(int seed, int maxPartners)
    {
        var (ids, all, bounded) = WholeAndBounded(seed, new NearDuplicateOptions { MaxPartners = maxPartners });

        // Each document keeps its most similar earlier partners: none left out is more similar than one kept beyond the groups' needs.
        foreach (var probe in Enumerable.Range(0, ids.Count))
        {
            var kept = bounded.Where(p => p.B == probe).ToList();
            var dropped = all.Where(p => p.B == probe).Except(kept).ToList();
            if (dropped.Count > 0)
            {
                Assert.True(kept.Count >= maxPartners, $"document {probe} dropped pairs while keeping only {kept.Count}");
                var bestDropped = dropped.Max(p => p.Jaccard);
                Assert.True(kept.OrderByDescending(p => p.Jaccard).Take(maxPartners).All(p => p.Jaccard >= bestDropped), $"document {probe} dropped a pair of Jaccard {bestDropped:F3}");
            }
        }
    }

    [Theory]
    [InlineData(4, 1)]
    [InlineData(5, 2)]
    public void Ranking_candidates_by_signature_keeps_every_group_whole_and_only_drops_pairs(int seed, int maxPartners)
    {
        // Every document with more than two candidates ranks them by signature agreement instead of verifying each.
        WholeAndBounded(seed, new NearDuplicateOptions { MaxPartners = maxPartners, RankByEstimateAbove = 2 });
    }

    /// <summary>
    /// Stories of up to 30 versions, copies of copies among them (far more partners per document than the bound), paired
    /// with every pair kept and with <paramref name="options"/>: the same families, and only pairs dropped, most of them.
    /// </summary>
    private static (List<string> Ids, IReadOnlyList<CandidatePair> All, IReadOnlyList<CandidatePair> Bounded) WholeAndBounded(int seed, NearDuplicateOptions options)
    {
        var corpus = new SyntheticCorpus(seed, new CorpusOptions { Stories = 12, MinCopies = 8, MaxCopies = 30, UnrelatedArticles = 30, CopyOfCopyRate = 0.5 }).Generate();
        var sketcher = new Sketcher();
        var sketches = corpus.Select(d => sketcher.Sketch(d.Body)).ToList();
        var ids = corpus.Select(d => d.Id).ToList();
        var all = NearDuplicateFinder.FindPairs(sketches, options with { MaxPartners = 0 });
        var bounded = NearDuplicateFinder.FindPairs(sketches, options);

        Assert.Equal(CopyFamilies.Assign(ids, all), CopyFamilies.Assign(ids, bounded));
        Assert.Subset(all.ToHashSet(), bounded.ToHashSet());
        Assert.True(bounded.Count < all.Count / 2, $"{bounded.Count} pairs kept of {all.Count}");
        return (ids, all, bounded);
    }

    [Fact]
    public void A_roundup_of_two_reposted_stories_joins_both_when_its_candidates_are_ranked()
    {
        // A roundup holds two whole stories, each reposted many times: its best-ranked candidates are copies of one of
        // them, and only the rule for candidates in another group joins the other story's copies to it.
        var corpus = new SyntheticCorpus(12, new CorpusOptions { Stories = 2, MinCopies = 1, MaxCopies = 1, UnrelatedArticles = 0, MinSentences = 20, MaxSentences = 20 }).Generate();
        var (x, y) = (corpus.First(d => d.ParentId is null).Body, corpus.Last(d => d.ParentId is null).Body);
        var texts = Enumerable.Range(0, 12).Select(i => $"{x}\nUpdate {i} on the first story.")
            .Concat(Enumerable.Range(0, 12).Select(i => $"{y}\nUpdate {i} on the second story."))
            .Append($"{x}\n{y}")
            .ToList();
        var sketcher = new Sketcher();
        var sketches = texts.Select(t => sketcher.Sketch(t)).ToList();
        var ids = texts.Select((_, i) => $"d{i}").ToList();
        var all = NearDuplicateFinder.FindPairs(sketches, new NearDuplicateOptions { MaxPartners = 0 });
        var ranked = NearDuplicateFinder.FindPairs(sketches, new NearDuplicateOptions { MaxPartners = 1, RankByEstimateAbove = 2 });

        Assert.Single(CopyFamilies.Assign(ids, all).Distinct());
        Assert.Single(CopyFamilies.Assign(ids, ranked).Distinct());
        Assert.Contains(ranked, p => p.B == texts.Count - 1 && p.A < 12);
        Assert.Contains(ranked, p => p.B == texts.Count - 1 && p.A >= 12);
    }

    [Fact]
    public void A_story_reposted_hundreds_of_times_makes_pairs_in_proportion_to_its_copies_not_their_square()
    {
        const int copies = 600;
        var options = NearDuplicateOptions.Default;
        var sketcher = new Sketcher();
        var sketches = Enumerable.Range(0, copies)
            .Select(i => sketcher.Sketch($"The tram line to the university will reopen on Monday after three weeks of track repairs, the city said, and buses will stop running on route {i % 7}. Update number {i}."))
            .ToList();
        var pairs = NearDuplicateFinder.FindPairs(sketches, options);
        var all = NearDuplicateFinder.FindPairs(sketches, options with { MaxPartners = 0 });

        Assert.Single(CopyFamilies.Assign([.. Enumerable.Range(0, copies).Select(i => $"t{i}")], pairs).Distinct());
        Assert.True(all.Count > copies * (copies - 1) / 4, $"{all.Count} pairs without a bound");
        Assert.True(pairs.Count <= copies * options.MaxPartners, $"{pairs.Count} pairs with a bound of {options.MaxPartners}");
    }
}
