using System.IO.Compression;
using Stemma.Ingest.Annotations;
using Stemma.Ingest.Tests.Support;

namespace Stemma.Ingest.Tests.Samples;

/// <summary>What each reader yields for the committed story family in samples/formats.</summary>
public sealed class SampleFormatsTests
{
    private const string KeySentence = "Instead, residents raised £84,000 in eleven weeks";
    private const string LastSentence = "free trips around the harbour for anyone who contributed.";

    private static readonly string Folder = Path.Combine(Reading.RepoRoot(), "samples", "formats");

    private static List<ReadOutcome> ReadSamples() => [.. ArticleReader.Read([Folder])];

    private static Article ById(List<ReadOutcome> outcomes, string id) =>
        outcomes.Single(outcome => outcome.Article?.Id == id).Article!;

    [Fact]
    public void Every_sample_reads_without_errors_one_article_per_story_copy()
    {
        var outcomes = ReadSamples();

        Assert.All(outcomes, outcome => Assert.False(outcome.IsError, outcome.ToString()));
        Assert.Equal(
            ["feed", "html", "html", "warc", "wordpress"],
            outcomes.Select(outcome => outcome.Article!.Format!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Original_page_body_is_the_story_without_navigation_or_footer()
    {
        var original = ById(ReadSamples(), "original.html");

        Assert.Contains(KeySentence, original.Body);
        Assert.EndsWith(LastSentence, original.Body);
        Assert.DoesNotContain("Most read", original.Body);
        Assert.DoesNotContain("independent weekly", original.Body);
        // The site comes from the page's canonical URL, which the HTML extractor reports (null while it is a placeholder).
        Assert.True(original.Site is null or "harbourgazette.example.com", original.Site);
    }

    [Fact]
    public void WordPress_repost_credits_the_original_site()
    {
        var repost = ById(ReadSamples(), "https://coastnewsdaily.example.net/2026/03/14/kittiwake-ferry-returns-to-saltmere/");

        Assert.Equal("Kittiwake ferry returns to Saltmere after community raises £84,000", repost.Title);
        Assert.Equal("harbourgazette.example.com", repost.Attribution);
        Assert.Equal(new DateTimeOffset(2026, 3, 14, 13, 2, 11, TimeSpan.Zero), repost.Date);
        Assert.Equal("coastnewsdaily.example.net", repost.Site);
        Assert.Contains("late wife\u2019s savings jar", repost.Body);
        Assert.DoesNotContain("&#", repost.Body);
        Assert.EndsWith(LastSentence, repost.Body);
        Assert.Equal(AnnotationKind.Attribution, Assert.Single(repost.Annotations).Kind);
    }

    [Fact]
    public void Feed_copy_has_read_more_and_photo_credit_as_annotations()
    {
        var syndicated = ById(ReadSamples(), "wcw-partner-88213");

        Assert.Equal([(AnnotationKind.ReadMore, 3), (AnnotationKind.Caption, 7)], syndicated.Annotations.Select(a => (a.Kind, a.Position)));
        Assert.Equal("Tamsin Pascoe", syndicated.Author);
        Assert.Equal("en", syndicated.Language);
        Assert.Equal("harbourgazette.example.com", syndicated.Attribution);
        Assert.Equal(new DateTimeOffset(2026, 3, 14, 15, 20, 0, TimeSpan.Zero), syndicated.Date);
        Assert.DoesNotContain("READ MORE", syndicated.Body);
    }

    [Fact]
    public void Warc_yields_only_the_200_response_with_its_annotations()
    {
        var outcomes = ReadSamples().Where(outcome => outcome.Source.EndsWith("repost.warc.gz", StringComparison.Ordinal)).ToList();

        var copy = Assert.Single(outcomes).Article!;
        Assert.Equal(SampleWarc.CopyUri, copy.Id);
        Assert.Equal("localbuzz.example.info", copy.Site);
        Assert.Equal([AnnotationKind.Caption, AnnotationKind.SourceLink], copy.Annotations.Select(a => a.Kind));
        Assert.Equal("harbourgazette.example.com", copy.Attribution);
        Assert.EndsWith(LastSentence, copy.Body);
    }

    [Fact]
    public void Copies_share_the_body_and_the_unrelated_story_does_not()
    {
        var articles = ReadSamples().Select(outcome => outcome.Article!).ToList();
        var original = articles.Single(article => article.Id == "original.html");
        var unrelated = articles.Single(article => article.Id == "other-story.html");

        foreach (var copy in articles.Where(article => article != unrelated && article != original))
        {
            // Every copy's body is the story's eleven paragraphs, all found in the original (which may add a byline).
            Assert.Equal(11, Paragraphs(copy).Length);
            Assert.Subset(Paragraphs(original).ToHashSet(), Paragraphs(copy).ToHashSet());
        }

        Assert.Empty(Paragraphs(original).Intersect(Paragraphs(unrelated)));
    }

    [Fact]
    public void Corpus_pass_leaves_the_sample_family_alone()
    {
        var articles = ReadSamples().Select(outcome => outcome.Article!).ToList();
        Assert.Equal(articles, CorpusAnnotator.Apply(articles));
    }

    [Fact]
    public void SampleWarc_file_matches_its_generator()
    {
        var path = Path.Combine(Folder, "repost.warc.gz");
        if (Environment.GetEnvironmentVariable("STEMMA_WRITE_SAMPLES") == "1")
        {
            File.WriteAllBytes(path, SampleWarc.Build());
        }

        Assert.Equal(Gunzip(SampleWarc.Build()), Gunzip(File.ReadAllBytes(path)));
    }

    private static string[] Paragraphs(Article article) => article.Body.Split("\n\n");

    private static byte[] Gunzip(byte[] bytes)
    {
        using var input = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }
}
