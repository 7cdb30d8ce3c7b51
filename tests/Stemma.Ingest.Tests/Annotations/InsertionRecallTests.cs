using System.Text;
using System.Text.Json;
using Stemma.Ingest.Tests.Support;

namespace Stemma.Ingest.Tests.Annotations;

/// <summary>
/// Stories with lines inserted at known positions, read through the real readers (text, WordPress JSON, RSS):
/// inserted lines must come out as annotations of the right kind and position, body sentences must stay body.
/// </summary>
public sealed class InsertionRecallTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private sealed record Case(string Title, List<string> Paragraphs, Dictionary<int, AnnotationKind> Inserted);

    private static List<Case> BuildCases(int seed, int count)
    {
        var random = new Random(seed);
        var cases = new List<Case>();
        foreach (var story in GeneratedCorpus.Stories(seed, count))
        {
            var title = GeneratedCorpus.Headline(random) + " " + random.Next(100, 999);
            var paragraphs = new List<string>(story);
            var inserted = new Dictionary<int, AnnotationKind>();
            var insertions = random.Next(1, 5);
            for (var i = 0; i < insertions; i++)
            {
                var (kind, text) = random.Next(8) == 0 ? (AnnotationKind.RepeatedTitle, title) : GeneratedCorpus.Insertion(random);
                var at = random.Next(paragraphs.Count + 1);
                paragraphs.Insert(at, text);
                inserted = inserted.ToDictionary(entry => entry.Key >= at ? entry.Key + 1 : entry.Key, entry => entry.Value);
                inserted[at] = kind;
            }

            cases.Add(new Case(title, paragraphs, inserted));
        }

        return cases;
    }

    private static string AsText(Case c) => c.Title + "\n\n" + string.Join("\n\n", c.Paragraphs) + "\n";

    private static string AsWordPress(Case c) => JsonSerializer.Serialize(new
    {
        id = 1,
        link = "https://copy.example.net/story",
        title = new { rendered = System.Net.WebUtility.HtmlEncode(c.Title) },
        content = new { rendered = string.Concat(c.Paragraphs.Select(p => "<p>" + System.Net.WebUtility.HtmlEncode(p) + "</p>\n")) },
    });

    private static string AsRss(Case c) =>
        "<?xml version=\"1.0\"?><rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"><channel><title>W</title><item><title>"
        + System.Security.SecurityElement.Escape(c.Title) + "</title><link>https://wire.example/x</link><content:encoded>"
        + System.Security.SecurityElement.Escape(string.Concat(c.Paragraphs.Select(p => "<p>" + System.Net.WebUtility.HtmlEncode(p) + "</p>"))) + "</content:encoded></item></channel></rss>";

    [Theory]
    [InlineData("txt")]
    [InlineData("json")]
    [InlineData("xml")]
    public void Inserted_lines_become_annotations_and_body_sentences_are_kept(string extension)
    {
        var cases = BuildCases(seed: 2026, count: 300);
        var bodyParagraphs = 0;
        var bodyKept = 0;
        var inserted = 0;
        var insertedFound = 0;
        var failures = new List<string>();
        foreach (var c in cases)
        {
            var content = extension switch { "txt" => AsText(c), "json" => AsWordPress(c), _ => AsRss(c) };
            var article = Reading.Single(ArticleReader.ReadBytes(Encoding.UTF8.GetBytes(content), "case." + extension));
            var annotations = article.Annotations.ToDictionary(a => a.Position);
            for (var position = 0; position < c.Paragraphs.Count; position++)
            {
                if (c.Inserted.TryGetValue(position, out var kind))
                {
                    inserted++;
                    if (annotations.TryGetValue(position, out var found) && found.Kind == kind)
                    {
                        insertedFound++;
                    }
                    else
                    {
                        failures.Add($"missed {kind} at {position}: {c.Paragraphs[position]}");
                    }
                }
                else
                {
                    bodyParagraphs++;
                    if (!annotations.ContainsKey(position) && article.Body.Contains(c.Paragraphs[position], StringComparison.Ordinal))
                    {
                        bodyKept++;
                    }
                    else
                    {
                        failures.Add($"lost body at {position}: {c.Paragraphs[position]}");
                    }
                }
            }
        }

        var bodyRecall = bodyKept / (double)bodyParagraphs;
        var insertionRecall = insertedFound / (double)inserted;
        output.WriteLine($"{extension}: body paragraphs kept {bodyKept}/{bodyParagraphs} ({bodyRecall:P2}), inserted lines found {insertedFound}/{inserted} ({insertionRecall:P2})");
        Assert.True(bodyRecall >= 0.99, $"body recall {bodyRecall:P2}; " + string.Join(" | ", failures.Take(10)));
        Assert.True(insertionRecall >= 0.98, $"insertion recall {insertionRecall:P2}; " + string.Join(" | ", failures.Take(10)));
        Assert.True(inserted > 500 && bodyParagraphs > 1500, $"corpus too small: {inserted} inserted, {bodyParagraphs} body");
    }
}
