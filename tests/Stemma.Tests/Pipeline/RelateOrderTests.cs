using Stemma.Pipeline;
using Stemma.Relate;
using Stemma.Sketch;
using Stemma.Testing.Corpus;
using Stemma.Testing.Storage;

namespace Stemma.Tests.Pipeline;

/// <summary>
/// The relate order puts the versions of a story next to each other when the input scatters them, so that regions (runs of
/// the order) split few stories; it only reorders.
/// </summary>
public class RelateOrderTests
{
    // Every operation, copies of copies, rewrites and same-event reports, as the stored pipeline is checked on; more stories.
    private static readonly CorpusOptions EveryOperation = StoredPipelineAssert.EveryOperation with { Stories = 60, UnrelatedArticles = 60 };

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Scattered_stories_are_split_over_fewer_regions_than_in_input_order(int seed)
    {
        var random = new Random(seed);
        var documents = new SyntheticCorpus(seed, EveryOperation).Generate().OrderBy(_ => random.Next()).ToList();
        var order = OrderOf(documents);
        var ids = documents.Select(d => d.Id).ToList();

        var arranged = order.Arrange(ids, out var groups, out var largest);

        Assert.Equal(ids.Order(StringComparer.Ordinal), arranged.Order(StringComparer.Ordinal));
        Assert.InRange(largest, 1, 20); // no group much larger than a story: names many documents hold join nothing
        Assert.InRange(groups, EveryOperation.Stories, ids.Count);
        var storyOf = documents.ToDictionary(d => d.Id, d => d.StoryId);
        const int RegionSize = 20;
        var inInputOrder = RegionsPerStory(ids, storyOf, RegionSize);
        var inRelateOrder = RegionsPerStory(arranged, storyOf, RegionSize);

        // Shuffled, a story of 5-8 versions meets most of the regions; arranged, a story is one run unless a region
        // boundary cuts it or one of its versions shares too little with the others (a same-event report).
        Assert.True(inRelateOrder.Average() <= 1.3, $"arranged: {inRelateOrder.Average():F2} regions per story");
        Assert.True(inInputOrder.Average() >= 2 * inRelateOrder.Average(), $"input order {inInputOrder.Average():F2}, arranged {inRelateOrder.Average():F2}");
    }

    [Fact]
    public void Documents_it_holds_nothing_of_keep_their_place_alone()
    {
        var documents = new SyntheticCorpus(4, EveryOperation with { Stories = 5, UnrelatedArticles = 0 }).Generate().ToList();
        var order = OrderOf(documents.Skip(1));
        var ids = documents.Select(d => d.Id).Prepend("unknown-b").Append("unknown-a").ToList();

        var arranged = order.Arrange(ids, out _, out _);

        Assert.Equal("unknown-b", arranged[0]);
        Assert.Equal("unknown-a", arranged[^1]);
        Assert.Equal(ids.Count, arranged.Distinct().Count());
    }

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public void A_documents_fact_sample_is_the_smallest_distinct_hashes_of_its_names_and_figures(int seed)
    {
        // Generated articles, with many names and figures and with none; the sample checked against the public lists.
        var documents = new SyntheticCorpus(seed, EveryOperation).Generate().Take(200).Select(d => d.ToArticle()).ToList();
        documents.Add(new Article { Id = "plain", Body = "nothing here is named or counted, only words in a row." });
        var names = string.Join(", ", Enumerable.Range(0, 40).Select(i => $"Mayor Karlsson{(char)('a' + (i % 26))}{i} of Brenvik{i}"));
        var figures = string.Join(", ", Enumerable.Range(0, 40).Select(i => $"{(i * 37) + 101} tonnes"));
        documents.Add(new Article { Id = "many", Body = $"The council met with {names}. It counted {figures} in all." });
        var sampledSome = false;
        foreach (var article in documents)
        {
            var features = StoryAnalyzer.Features(article);
            var expected = features.Entities.Concat(features.Numbers).Distinct().Order().Take(RelateOrder.FactSample).ToArray();

            Assert.Equal(expected, RelateOrder.SampleFacts(features));
            sampledSome |= expected.Length == RelateOrder.FactSample && features.Entities.Count + features.Numbers.Count > RelateOrder.FactSample;
        }

        Assert.True(sampledSome, "some article has more names and figures than the sample holds");
    }

    private static RelateOrder OrderOf(IEnumerable<GeneratedDocument> documents)
    {
        var analyze = new AnalyzeOptions();
        var order = new RelateOrder(StoreIngestor.LshParametersFor(analyze));
        var sketcher = new Sketcher(analyze.Sketch);
        foreach (var document in documents)
        {
            var article = document.ToArticle();
            order.Add(article.Id, StoryAnalyzer.Features(article), sketcher.Sketch(article.Body));
        }

        return order;
    }

    /// <summary>For each story, how many runs of <paramref name="size"/> consecutive ids hold a member of it.</summary>
    private static List<int> RegionsPerStory(IReadOnlyList<string> ids, Dictionary<string, string> storyOf, int size) =>
        [.. ids.Select((id, k) => (Story: storyOf[id], Region: k / size))
            .GroupBy(x => x.Story)
            .Select(g => g.Select(x => x.Region).Distinct().Count())];
}
