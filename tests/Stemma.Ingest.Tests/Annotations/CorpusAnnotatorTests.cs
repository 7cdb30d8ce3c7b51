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
