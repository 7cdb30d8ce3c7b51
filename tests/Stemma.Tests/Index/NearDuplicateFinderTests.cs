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
}
