using Stemma.Relate;
using Stemma.Testing.Corpus;
using Stemma.Tests.Pipeline;

namespace Stemma.Tests.Relate;

/// <summary>
/// The statistics step of a one-shot analysis runs in a collection pause sized by <see cref="StoryAnalyzer.WeightBytes"/>:
/// a budget below what the step allocates would end the pause part way, so the estimate must cover the step.
/// </summary>
[Collection(CollectionPauseCollection.Name)]
public sealed class StatisticsPauseTests
{
    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 60)]
    [InlineData(3, 200)]
    [InlineData(4, 3000)]
    public void The_budget_covers_what_counting_and_weighing_every_term_allocates(int seed, int stories)
    {
        var articles = new SyntheticCorpus(seed, new CorpusOptions { Stories = stories, UnrelatedArticles = stories })
            .Generate()
            .Select(d => new Article { Id = d.Id, Title = d.Title, Body = d.Body })
            .ToList();
        var features = articles.Select(StoryAnalyzer.Features).ToArray();

        // Run alone (the collection is not parallel), so what the process allocates is the step's, but for what a thread
        // left running elsewhere allocates meanwhile: the least of three runs (each weighs every document afresh).
        var allocated = long.MaxValue;
        for (var run = 0; run < 3; run++)
        {
            var before = GC.GetTotalAllocatedBytes(precise: true);
            var statistics = TermStatistics.Build(features);
            Parallel.For(0, features.Length, i => features[i].Weighted(statistics));
            allocated = Math.Min(allocated, GC.GetTotalAllocatedBytes(precise: true) - before);
        }

        var budget = StoryAnalyzer.WeightBytes(features);
        Assert.True(allocated <= budget, $"{features.Length} documents: the step allocated {allocated} bytes, the budget is {budget}");

        // Not a budget of anything: about twice the step at most, or the pause would hold far more memory than it needs.
        Assert.True(budget <= (3 * allocated) + StoryAnalyzer.FixedWeightBytes, $"{features.Length} documents: budget {budget} for {allocated} bytes allocated");
    }
}
