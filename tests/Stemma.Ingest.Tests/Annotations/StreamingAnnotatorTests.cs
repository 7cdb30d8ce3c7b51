using Stemma.Ingest.Annotations;
using Stemma.Testing.Corpus;

namespace Stemma.Ingest.Tests.Annotations;

/// <summary>
/// The streamed corpus annotation (several reads, compact evidence) gives the same articles as the in-memory pass, on
/// generated corpora whose site footers and injected sentences are known.
/// </summary>
public sealed class StreamingAnnotatorTests
{
    private static readonly string[] ClickBait =
    [
        "Giant sinkhole swallows parked lorry in shocking footage you have to see.",
        "Stunning video shows monster wave hitting lighthouse, viewers gasp.",
        "You won't believe what happened next at this bizarre wedding party.",
        "Terrifying moment a crocodile appears inside suburban swimming pool.",
    ];

    private static readonly string[] Footers =
    [
        "Got a story for us? Email the newsroom or call the tips line any day of the week.",
        "All content is copyright of the publisher and may not be reproduced without permission.",
    ];

    /// <summary>
    /// A corpus with known truth: generated stories with verbatim copies and unrelated articles, per-site footers
    /// (boilerplate), and click-bait sentences injected mid-paragraph into copies dated after their original.
    /// </summary>
    private static (List<Article> Articles, Dictionary<string, string> Injected, HashSet<string> WithFooter) Corpus(int seed, int storyCount)
    {
        var random = new Random(seed);
        var generated = new SyntheticCorpus(seed, new CorpusOptions { Stories = storyCount, UnrelatedArticles = storyCount, Operations = [CopyOperation.Verbatim], CopyOfCopyRate = 0 }).Generate();
        var articles = new List<Article>();
        var injected = new Dictionary<string, string>();
        var withFooter = new HashSet<string>();
        var dates = generated.ToDictionary(document => document.Id, document => document.Date);
        var injectedPerStory = new Dictionary<string, int>();
        foreach (var document in generated)
        {
            var site = $"site{random.Next(5)}.example";
            var paragraphs = document.Body.Split("\n\n").ToList();
            if (document.Operation == CopyOperation.Verbatim && document.ParentId is { } parent && dates[parent] < document.Date
                && paragraphs.Count >= 3 && injectedPerStory.GetValueOrDefault(document.StoryId) < ClickBait.Length && random.Next(2) == 0)
            {
                // Copies of one story get different lines (a line another member carries is not an injection).
                var used = injectedPerStory[document.StoryId] = injectedPerStory.GetValueOrDefault(document.StoryId) + 1;
                var line = ClickBait[(used - 1) % ClickBait.Length];
                paragraphs[1] = paragraphs[1] + " " + line;
                injected[document.Id] = line;
            }

            if (random.Next(10) < 8)
            {
                paragraphs.Add(Footers[0].Replace("newsroom", $"newsroom of {site}", StringComparison.Ordinal));
                withFooter.Add(document.Id);
            }

            if (random.Next(10) < 5)
            {
                paragraphs.Insert(random.Next(paragraphs.Count), Footers[1]);
            }

            articles.Add(document.ToArticle() with { Site = site, Body = string.Join("\n\n", paragraphs) });
        }

        // Shuffled, so that a family's members often come after the article that needs them.
        return ([.. articles.OrderBy(_ => random.Next())], injected, withFooter);
    }

    private static void AssertSameArticles(IReadOnlyList<Article> expected, IReadOnlyList<Article> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i] with { Annotations = [] }, actual[i] with { Annotations = [] });
            Assert.Equal(expected[i].Annotations, actual[i].Annotations);
        }
    }

    [Theory]
    [InlineData(1, 40)]
    [InlineData(2, 120)]
    public void Streamed_annotation_equals_the_in_memory_pass_and_finds_the_known_footers_and_injections(int seed, int stories)
    {
        var (articles, injected, withFooter) = Corpus(seed, stories);
        var reads = 0;

        var streamed = StreamingAnnotator.Prepare(articles, () => { reads++; return articles; });
        var result = streamed.Articles().ToList();

        var expected = CorpusAnnotator.Apply(articles);
        AssertSameArticles(expected, result);
        Assert.Equal(articles.Count, streamed.Count);

        // Read again for the boilerplate counts, the family keys and sketches of bodies without boilerplate, and the output;
        // the sentence checks work from the sketches kept in the first read.
        Assert.Equal(3, reads);

        // The known truth, so the equality above is not two empty passes agreeing.
        // The known truth: the injections are found (the pass may miss one whose copy has too few sentences), nothing else is.
        var byId = result.ToDictionary(article => article.Id);
        var found = injected.Count(entry => byId[entry.Key].Annotations.Any(a => a.Kind == AnnotationKind.Injected && a.Text == entry.Value)
            && !byId[entry.Key].Body.Contains(entry.Value, StringComparison.Ordinal));
        Assert.True(found >= 0.8 * injected.Count, $"{found} of {injected.Count} injected sentences found");
        Assert.All(result.Where(article => !injected.ContainsKey(article.Id)), article => Assert.DoesNotContain(article.Annotations, a => a.Kind == AnnotationKind.Injected));

        foreach (var article in result)
        {
            Assert.DoesNotContain(Footers[1], article.Body, StringComparison.Ordinal);
            Assert.DoesNotContain("Got a story for us?", article.Body, StringComparison.Ordinal);
            Assert.Equal(withFooter.Contains(article.Id), article.Annotations.Any(a => a.Kind == AnnotationKind.Boilerplate && a.Text.StartsWith("Got a story", StringComparison.Ordinal)));
        }
    }

    [Theory]
    [InlineData(2.0, 0)]
    [InlineData(1.0, 0)]
    [InlineData(0.5, 3)]
    public void The_first_read_is_held_when_its_text_fits_the_budget_and_read_again_when_not(double budgetShare, int expectedReads)
    {
        var (articles, injected, _) = Corpus(seed: 6, storyCount: 60);
        var text = articles.Sum(article => (long)article.Body.Length + (article.Title?.Length ?? 0));
        var reads = 0;

        var result = StreamingAnnotator.Prepare(articles, () => { reads++; return articles; }, holdCharacters: (long)(text * budgetShare)).Articles().ToList();

        AssertSameArticles(CorpusAnnotator.Apply(articles), result);
        Assert.Equal(expectedReads, reads);
        Assert.NotEmpty(injected);
        Assert.Contains(result, article => article.Annotations.Any(a => a.Kind == AnnotationKind.Injected));
        Assert.Contains(result, article => article.Annotations.Any(a => a.Kind == AnnotationKind.Boilerplate));
    }

    [Fact]
    public void Without_sites_the_input_is_read_again_only_for_the_output()
    {
        var articles = GeneratedCorpus.Stories(seed: 5, count: 40).Select((paragraphs, index) => new Article { Id = $"a{index}", Body = string.Join("\n\n", paragraphs) }).ToList();
        var reads = 0;

        var result = StreamingAnnotator.Prepare(articles, () => { reads++; return articles; }).Articles().ToList();

        AssertSameArticles(CorpusAnnotator.Apply(articles), result);

        // No boilerplate counts, no new family keys, and the sentence checks work from the sketches of the first read.
        Assert.Equal(1, reads);
    }

    [Fact]
    public void The_output_is_read_lazily_one_article_at_a_time()
    {
        var (articles, _, _) = Corpus(seed: 3, storyCount: 20);
        var yielded = 0;
        IEnumerable<Article> Counting()
        {
            foreach (var article in articles)
            {
                yielded++;
                yield return article;
            }
        }

        var annotator = StreamingAnnotator.Prepare(articles, Counting);
        yielded = 0;
        using var output = annotator.Articles().GetEnumerator();
        Assert.True(output.MoveNext());
        Assert.Equal(1, yielded);
    }

    [Fact]
    public void An_input_that_changes_between_reads_is_refused()
    {
        var (articles, _, _) = Corpus(seed: 4, storyCount: 10);
        var changed = articles.Skip(1).ToList();

        var error = Assert.Throws<InvalidOperationException>(() => StreamingAnnotator.Prepare(articles, () => changed));

        Assert.Contains("changed", error.Message, StringComparison.Ordinal);
    }
}
