using Stemma.Ingest.Annotations;

namespace Stemma.Ingest.Tests.Annotations;

public sealed class CorpusAnnotatorTests
{
    private const string Footer = "The Harbour Gazette is an independent newspaper owned by its readers since 1911.";

    private static Article Make(string id, string site, params string[] paragraphs) =>
        new() { Id = id, Site = site, Body = string.Join("\n\n", paragraphs) };

    [Fact]
    public void A_line_recurring_across_unrelated_articles_of_one_site_becomes_boilerplate()
    {
        var stories = GeneratedCorpus.Stories(seed: 11, count: 4);
        var articles = stories.Select((story, index) =>
            Make($"s{index}", "harbourgazette.example.com", [.. story.Take(2), Footer, .. story.Skip(2)])).ToList();

        var result = CorpusAnnotator.Apply(articles);

        for (var index = 0; index < result.Count; index++)
        {
            Assert.DoesNotContain(Footer, result[index].Body);
            var annotation = Assert.Single(result[index].Annotations);
            Assert.Equal((AnnotationKind.Boilerplate, Footer, 2), (annotation.Kind, annotation.Text, annotation.Position));
            Assert.Equal(string.Join("\n\n", stories[index]), result[index].Body);
        }
    }

    [Fact]
    public void Copies_of_the_same_story_keep_their_shared_lines()
    {
        var story = GeneratedCorpus.Stories(seed: 12, count: 1)[0];
        var copies = Enumerable.Range(0, 5).Select(index => Make($"copy{index}", "aggregator.example", [.. story])).ToList();

        var result = CorpusAnnotator.Apply(copies);

        Assert.All(result, article => Assert.Empty(article.Annotations));
        Assert.Equal(copies, result);
    }

    [Fact]
    public void Recurrence_across_different_sites_is_not_boilerplate()
    {
        var stories = GeneratedCorpus.Stories(seed: 13, count: 4);
        var articles = stories.Select((story, index) => Make($"s{index}", $"site{index}.example", [.. story, Footer])).ToList();

        Assert.All(CorpusAnnotator.Apply(articles), article => Assert.Contains(Footer, article.Body));
    }

    [Fact]
    public void Existing_annotation_positions_are_respected_when_moving_lines()
    {
        var stories = GeneratedCorpus.Stories(seed: 14, count: 3);
        var articles = stories.Select((story, index) => Make($"s{index}", "x.example", [story[0], Footer, .. story.Skip(1)]) with
        {
            Annotations = [new Annotation(AnnotationKind.ReadMore, "READ MORE: x", 1)],
        }).ToList();

        var result = CorpusAnnotator.Apply(articles);

        Assert.All(result, article => Assert.Equal(
            [(AnnotationKind.ReadMore, 1), (AnnotationKind.Boilerplate, 2)],
            article.Annotations.Select(a => (a.Kind, a.Position))));
    }
}

public sealed class CorpusAnnotatorRecallTests
{
    private static readonly string[] SiteFooters =
    [
        "Got a story? Email the newsroom at tips@site.example or call 01632 960 000.",
        "All content is copyright of the publisher and may not be reproduced without permission.",
    ];

    [Fact]
    public void Mixed_corpus_with_copies_keeps_body_recall_and_finds_each_sites_footers()
    {
        var random = new Random(99);
        var stories = GeneratedCorpus.Stories(seed: 99, count: 240);
        var articles = new List<Article>();
        var truthBody = new Dictionary<string, List<string>>();
        for (var index = 0; index < stories.Count; index++)
        {
            var site = $"site{index % 4}.example";
            // Every fifth story also appears twice more on the same site (reposts, one with an extra line).
            var copies = index % 5 == 0 ? 3 : 1;
            for (var copy = 0; copy < copies; copy++)
            {
                var paragraphs = new List<string>(stories[index]);
                if (copy == 2)
                {
                    paragraphs.Add($"Update: the hearing on case {index} has been moved to Thursday.");
                }

                var withFooters = new List<string>(paragraphs);
                if (random.Next(10) < 8)
                {
                    withFooters.Add(SiteFooters[0].Replace("site", site.Split('.')[0], StringComparison.Ordinal));
                }

                if (random.Next(10) < 6)
                {
                    withFooters.Insert(random.Next(withFooters.Count), SiteFooters[1]);
                }

                var id = $"{site}/{index}/{copy}";
                truthBody[id] = paragraphs;
                articles.Add(new Article { Id = id, Site = site, Body = string.Join("\n\n", withFooters) });
            }
        }

        var result = CorpusAnnotator.Apply(articles);

        var kept = 0;
        var total = 0;
        foreach (var article in result)
        {
            var body = article.Body.Split("\n\n").ToHashSet();
            foreach (var paragraph in truthBody[article.Id])
            {
                total++;
                kept += body.Contains(paragraph) ? 1 : 0;
            }

            Assert.DoesNotContain(SiteFooters[1], article.Body);
            Assert.DoesNotContain("Got a story?", article.Body);
        }

        Assert.True(kept / (double)total >= 0.99, $"body recall {kept}/{total}");
        Assert.Contains(result, article => article.Annotations.Any(a => a.Kind == AnnotationKind.Boilerplate));
    }
}
