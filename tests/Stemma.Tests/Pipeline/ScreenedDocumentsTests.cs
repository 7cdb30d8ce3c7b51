using Stemma.Pipeline;
using Stemma.Relate;
using Stemma.Sketch;
using Stemma.Storage;
using Stemma.Testing.Corpus;
using Stemma.Testing.Storage;

namespace Stemma.Tests.Pipeline;

/// <summary>
/// What a relate pass keeps of the documents it has read, to screen them as candidates of later regions without their
/// text, is bounded in bytes, so a pass over a large batch does not hold the whole batch; the screens later regions use
/// stay longest.
/// </summary>
public class ScreenedDocumentsTests
{
    [Fact]
    public void Screens_stay_within_their_byte_budget_whatever_the_count_allows()
    {
        var documents = Documents(40);
        var one = documents.Max(d => Screen(d).Bytes(d.Document.Article.Id));
        var screens = new ScreenedDocuments(capacity: 100_000, maxBytes: 5 * one);

        foreach (var (document, features, sketch) in documents)
        {
            screens.Keep(document, features, sketch);
            Assert.InRange(screens.Bytes, 1, 5 * one);
        }

        Assert.InRange(screens.Count, 5, documents.Count - 1);

        // The newest are kept, the oldest gone.
        Assert.NotNull(screens.Get(documents[^1].Document.Article.Id));
        Assert.Null(screens.Get(documents[0].Document.Article.Id));
    }

    [Fact]
    public void A_screens_size_counts_its_terms_names_and_shingles()
    {
        foreach (var (document, features, sketch) in Documents(10))
        {
            var bytes = Screen((document, features, sketch)).Bytes(document.Article.Id);
            var arrays = (6L * features.TermCount) + (4L * sketch.Shingles.Count) + (4L * features.FactSequence.Count);
            Assert.InRange(bytes, arrays, arrays + (4L * (features.Entities.Count + features.Numbers.Count + features.Dates.Count + features.Quotes.Count)) + 2000);
            Assert.True(sketch.Shingles.Count > 20, "generated articles have text");
        }
    }

    [Fact]
    public void A_screen_used_since_it_was_kept_outlives_older_unused_ones()
    {
        var documents = Documents(4);
        var screens = new ScreenedDocuments(capacity: 3);
        foreach (var (document, features, sketch) in documents.Take(3))
        {
            screens.Keep(document, features, sketch);
        }

        Assert.NotNull(screens.Get(documents[0].Document.Article.Id));
        var (last, lastFeatures, lastSketch) = documents[3];
        screens.Keep(last, lastFeatures, lastSketch);

        Assert.Equal(3, screens.Count);
        Assert.NotNull(screens.Get(documents[0].Document.Article.Id));
        Assert.Null(screens.Get(documents[1].Document.Article.Id));
        Assert.NotNull(screens.Get(documents[2].Document.Article.Id));
        Assert.NotNull(screens.Get(last.Article.Id));
    }

    [Fact]
    public void A_limit_gives_up_screens_at_once_and_keeps_later_ones_within_it_but_never_lifts_the_size_made_with()
    {
        var documents = Documents(30);
        var one = documents.Max(d => Screen(d).Bytes(d.Document.Article.Id));
        var screens = new ScreenedDocuments(capacity: 100_000, maxBytes: 20 * one);
        foreach (var (document, features, sketch) in documents.Take(20))
        {
            screens.Keep(document, features, sketch);
        }

        Assert.Equal(20, screens.Count);

        // A large region comes: the screens give way to it before anything more is kept.
        screens.Limit(4 * one);
        Assert.InRange(screens.Bytes, 1, 4 * one);
        Assert.Equal(4 * one, screens.Allowed);
        foreach (var (document, features, sketch) in documents.Skip(20))
        {
            screens.Keep(document, features, sketch);
            Assert.InRange(screens.Bytes, 1, 4 * one);
        }

        Assert.NotNull(screens.Get(documents[^1].Document.Article.Id));
        Assert.Null(screens.Get(documents[0].Document.Article.Id));

        // A budget larger than the size the screens were made with, or below nothing, is clamped.
        screens.Limit(1000 * one);
        Assert.Equal(20 * one, screens.Allowed);
        screens.Limit(-one);
        Assert.Equal(0, screens.Allowed);
        Assert.Equal(1, screens.Count);
    }

    [Fact]
    public void A_document_read_in_full_is_estimated_at_its_text_and_words_beyond_its_screen()
    {
        foreach (var (document, features, sketch) in Documents(10))
        {
            var full = ScreenedDocuments.FullBytes(document, features, sketch);
            var screen = Screen((document, features, sketch)).Bytes(document.Article.Id);
            Assert.InRange(full, screen + (2L * document.Article.Body.Length) + (8L * features.Words.Count), screen + (4L * document.Article.Body.Length) + (32L * features.Words.Count) + 4096);
        }
    }

    private static Screened Screen((StoredDocument Document, TextFeatures Features, DocumentSketch Sketch) d) =>
        new(d.Document.Position, d.Features.WithoutText(), d.Sketch with { Signature = [] });

    private static List<(StoredDocument Document, TextFeatures Features, DocumentSketch Sketch)> Documents(int count)
    {
        var sketcher = new Sketcher(new AnalyzeOptions().Sketch);
        return [.. new SyntheticCorpus(7, StoredPipelineAssert.EveryOperation).Generate().Take(count).Select((generated, k) =>
        {
            var article = generated.ToArticle();
            var sketch = sketcher.Sketch(article.Body);
            var document = new StoredDocument { Article = article, ContentHash = sketch.ContentHash, Signature = sketch.Signature, BandKeys = [], Position = k };
            return (document, StoryAnalyzer.Features(article), sketch);
        })];
    }
}
