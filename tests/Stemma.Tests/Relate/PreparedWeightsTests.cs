using Stemma.Relate;
using Stemma.Testing.Corpus;

namespace Stemma.Tests.Relate;

/// <summary>
/// A corpus analysis makes room for each document's term weights with its features (<see cref="TextFeatures.PrepareWeights"/>)
/// and fills it in place: the same weights as made afresh, nothing allocated when they are filled, and weights once
/// handed out never changed by later statistics.
/// </summary>
public sealed class PreparedWeightsTests
{
    private static TextFeatures[] Features(int seed) =>
        [.. new SyntheticCorpus(seed, new CorpusOptions { Stories = 20, UnrelatedArticles = 10 }).Generate().Select(d => TextFeatures.Create(d.Body))];

    [Fact]
    public void Prepared_weights_are_the_weights_made_afresh_and_fill_without_allocating()
    {
        var (prepared, fresh) = (Features(31), Features(31));
        var statistics = TermStatistics.Build(fresh);
        foreach (var features in prepared)
        {
            features.PrepareWeights();
        }

        for (var d = 0; d < prepared.Length; d++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var filled = prepared[d].Weighted(statistics);
            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
            var made = fresh[d].Weighted(statistics);
            Assert.Equal(made.Idfs, filled.Idfs);
            Assert.Equal(made.Norm, filled.Norm);
            Assert.Equal(made.WordWeight, filled.WordWeight);
            Assert.Same(filled, prepared[d].Weighted(statistics));
        }
    }

    [Fact]
    public void Weights_handed_out_stay_as_they_were_under_later_statistics()
    {
        var features = Features(32);
        var (first, second) = (TermStatistics.Build(features), TermStatistics.Build(features[..(features.Length / 3)]));
        foreach (var document in features)
        {
            document.PrepareWeights();
            var early = document.Weighted(first);
            var (idfs, norm) = (early.Idfs.ToArray(), early.Norm);

            var later = document.Weighted(second);
            Assert.NotSame(early, later);
            Assert.Equal(idfs, early.Idfs);
            Assert.Equal(norm, early.Norm);
            Assert.Same(later, document.Weighted(second));

            // The first statistics again: weights made afresh, equal to the first ones.
            var again = document.Weighted(first);
            Assert.Equal(idfs, again.Idfs);
            Assert.Equal(norm, again.Norm);
        }

        // Different statistics do weigh some term differently, or the test would show nothing.
        Assert.Contains(features, d => !d.Weighted(first).Idfs.SequenceEqual(d.Weighted(second).Idfs));
    }

    [Fact]
    public void Forgotten_weights_are_made_again()
    {
        var features = Features(33);
        var statistics = TermStatistics.Build(features);
        var document = features[0];
        document.PrepareWeights();
        var filled = document.Weighted(statistics);
        document.ForgetWeights();
        var again = document.Weighted(statistics);
        Assert.NotSame(filled, again);
        Assert.Equal(filled.Idfs, again.Idfs);
    }
}
