using Stemma.Testing.Corpus;

namespace Stemma.Tests.Corpus;

public class SyntheticCorpusTests
{
    [Fact]
    public void Same_seed_gives_the_same_corpus_and_ground_truth_is_consistent()
    {
        var first = new SyntheticCorpus(7).Generate();
        var second = new SyntheticCorpus(7).Generate();
        Assert.Equal(first.Select(d => d.Body), second.Select(d => d.Body));
        var ids = first.Select(d => d.Id).ToHashSet();
        Assert.Equal(first.Count, ids.Count);
        foreach (var doc in first.Where(d => d.ParentId is not null))
        {
            Assert.Contains(doc.ParentId!, ids);
            Assert.Equal(first.Single(d => d.Id == doc.ParentId).FamilyId, doc.FamilyId);
        }
    }

    [Fact]
    public void Operations_do_what_they_say()
    {
        var corpus = new SyntheticCorpus(11, new CorpusOptions { Stories = 40, CopyOfCopyRate = 0 }).Generate();
        var byId = corpus.ToDictionary(d => d.Id);
        foreach (var doc in corpus.Where(d => d.ParentId is not null))
        {
            var parent = byId[doc.ParentId!];
            switch (doc.Operation)
            {
                case CopyOperation.Verbatim:
                    Assert.Equal(parent.Body, doc.Body);
                    break;
                case CopyOperation.Wrapped:
                    Assert.All(doc.InsertedLines, line => Assert.Contains(line, doc.Body, StringComparison.Ordinal));
                    Assert.True(doc.Body.Length > parent.Body.Length);
                    break;
                case CopyOperation.Excerpt:
                    Assert.InRange(doc.Body.Length, parent.Body.Length * 0.3, parent.Body.Length * 0.85);
                    break;
                case CopyOperation.Edited:
                    Assert.NotEqual(parent.Body, doc.Body);
                    Assert.All(doc.ChangedFigures, change => Assert.Contains(change.To, doc.Body, StringComparison.Ordinal));
                    break;
                case CopyOperation.SentenceDrop:
                    Assert.True(doc.Body.Length < parent.Body.Length);
                    break;
            }
        }
    }

    [Fact]
    public void Adjusted_rand_index_is_one_for_identical_labelings_and_near_zero_for_random_ones()
    {
        var truth = Enumerable.Range(0, 400).ToDictionary(i => i, i => (i / 4).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(1.0, ClusteringMetrics.AdjustedRandIndex(truth, truth), 9);
        var random = new Random(3);
        var shuffled = truth.ToDictionary(p => p.Key, _ => random.Next(100).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.InRange(ClusteringMetrics.AdjustedRandIndex(truth, shuffled), -0.05, 0.05);
        var singletons = truth.ToDictionary(p => p.Key, p => p.Key.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var (precision, recall) = ClusteringMetrics.PairwisePrecisionRecall(truth, singletons);
        Assert.Equal(1.0, precision);
        Assert.Equal(0.0, recall);
    }
}
