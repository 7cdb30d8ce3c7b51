using Stemma.Relate;
using Stemma.Sketch;
using Stemma.Testing.Corpus;

namespace Stemma.Tests.Relate;

/// <summary>
/// <see cref="StoryAnalyzer.SketchAndFeatures"/> tokenizes a plain ASCII body once for the sketch and the features; it must
/// give what the sketcher and <see cref="StoryAnalyzer.Features"/> give each on their own, for every kind of body.
/// </summary>
public sealed class SketchAndFeaturesTests
{
    [Fact]
    public void One_pass_gives_the_sketch_and_the_features_of_two()
    {
        var generated = new SyntheticCorpus(21, new CorpusOptions { Stories = 30, UnrelatedArticles = 20 }).Generate().ToList();
        var articles = generated.Select(d => new Article { Id = d.Id, Title = d.Title, Body = d.Body }).ToList();

        // Titles repeated above the text (left out of the features), bodies with non-ASCII text, tiny and empty bodies.
        articles.AddRange(generated.Take(20).Select(d => new Article { Id = d.Id + "-titled", Title = d.Title, Body = d.Title + "\n\n" + d.Body + "\n" + d.Title }));
        articles.AddRange(generated.Take(10).Select(d => new Article { Id = d.Id + "-accented", Title = d.Title, Body = d.Body.Replace("the ", "th\u00E9 ", StringComparison.Ordinal) }));
        articles.Add(new Article { Id = "empty", Body = string.Empty });
        articles.Add(new Article { Id = "one", Body = "Word" });
        articles.Add(new Article { Id = "two", Title = "Two words", Body = "Two words" });
        articles.Add(new Article { Id = "joiners", Body = "Don't pay $2.5 billion, or 1,000 U.S. dollars on 12 March." });

        var sketcher = new Sketcher();
        var signature = new uint[SketchOptions.Default.SignatureSize];
        Array.Fill(signature, 7u);
        foreach (var article in articles)
        {
            var (sketch, features) = StoryAnalyzer.SketchAndFeatures(sketcher, article);
            AssertSameSketch(sketcher.Sketch(article.Body), sketch);
            AssertSameFeatures(StoryAnalyzer.Features(article), features);

            var (stored, _) = StoryAnalyzer.SketchAndFeatures(sketcher, article, signature);
            AssertSameSketch(sketcher.Sketch(article.Body, signature), stored);
            Assert.Same(signature, stored.Signature);
        }
    }

    private static void AssertSameSketch(DocumentSketch expected, DocumentSketch actual)
    {
        Assert.Equal(expected.ContentHash, actual.ContentHash);
        Assert.Equal(expected.WordCount, actual.WordCount);
        Assert.Equal(expected.Signature, actual.Signature);
        Assert.Equal(expected.Shingles.Fingerprints.ToArray(), actual.Shingles.Fingerprints.ToArray());
    }

    private static void AssertSameFeatures(TextFeatures expected, TextFeatures actual)
    {
        Assert.Equal(Enumerable.Range(0, expected.Words.Count).Select(expected.Words.StartOf), Enumerable.Range(0, actual.Words.Count).Select(actual.Words.StartOf));
        Assert.Equal(expected.Words.Hashes, actual.Words.Hashes);
        Assert.Equal(expected.TermHashes, actual.TermHashes);
        Assert.Equal(expected.TermFrequencies, actual.TermFrequencies);
        Assert.Equal(expected.TermIsFact, actual.TermIsFact);
        Assert.Equal(expected.FunctionWordCount, actual.FunctionWordCount);
        Assert.Equal(expected.EntityHashes, actual.EntityHashes);
        Assert.Equal(expected.NumberHashes, actual.NumberHashes);
        Assert.Equal(expected.DateHashes, actual.DateHashes);
        Assert.Equal(expected.QuoteHashes, actual.QuoteHashes);
        Assert.Equal(expected.FactHashes, actual.FactHashes);
    }
}
