using System.Text.Json;

namespace Stemma.Ingest.Tests;

public sealed class ArticleJsonTests
{
    private static readonly Article Sample = new()
    {
        Id = "https://copy.example.net/ferry",
        Title = "Ferry returns",
        Body = "First paragraph.\n\nSecond paragraph.",
        Date = new DateTimeOffset(2026, 3, 14, 11, 5, 0, TimeSpan.FromHours(1)),
        Site = "copy.example.net",
        Url = "https://copy.example.net/ferry",
        Attribution = "harbourgazette.example.com",
        Annotations = [new Annotation(AnnotationKind.ReadMore, "READ MORE: Storm", 1), new Annotation(AnnotationKind.Attribution, "This post appeared first on harbourgazette.example.com", 3)],
        Format = "wordpress",
    };

    [Fact]
    public void Json_lines_are_each_article_serialized_on_its_own_line_whatever_the_writer()
    {
        // Enough articles (long bodies, non-ASCII, characters that need escaping) to cross the writer's 64 KB blocks.
        var articles = Enumerable.Range(0, 300).Select(i => Sample with
        {
            Id = $"a-{i}",
            Body = string.Concat(Enumerable.Repeat($"Paragraph {i}: caf\u00e9 \u4e2d \"quoted\" \\ <b>&amp; \U0001F600\n\n", 1 + (i % 17))).TrimEnd(),
        }).ToList();
        var expected = string.Concat(articles.Select(article => ArticleJson.Serialize(article) + "\n"));

        var text = new StringWriter { NewLine = "\n" };
        ArticleJson.WriteJsonLines(text, articles);
        Assert.Equal(expected, text.ToString());

        // Standard output's shape: a UTF-8 stream writer, with text written before the lines and after them.
        var bytes = new MemoryStream();
        using (var stream = new StreamWriter(bytes, new System.Text.UTF8Encoding(false), bufferSize: 16 * 1024) { NewLine = "\n" })
        {
            stream.Write("before\n");
            ArticleJson.WriteJsonLines(stream, articles);
            stream.Write("after\n");
        }

        Assert.Equal("before\n" + expected + "after\n", System.Text.Encoding.UTF8.GetString(bytes.ToArray()));
    }

    [Fact]
    public void Json_lines_written_before_a_failure_are_kept()
    {
        static IEnumerable<Article> FailingAfterTwo()
        {
            yield return Sample with { Id = "one" };
            yield return Sample with { Id = "two" };
            throw new IOException("the input went away");
        }

        var text = new StringWriter { NewLine = "\n" };
        Assert.Throws<IOException>(() => ArticleJson.WriteJsonLines(text, FailingAfterTwo()));
        Assert.Equal(ArticleJson.Serialize(Sample with { Id = "one" }) + "\n" + ArticleJson.Serialize(Sample with { Id = "two" }) + "\n", text.ToString());
    }

    [Fact]
    public void Writes_every_field_in_order_with_nulls_and_kebab_case_kinds()
    {
        var json = ArticleJson.Serialize(Sample);
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;

        Assert.Equal(["id", "title", "date", "site", "url", "author", "language", "attribution", "body", "annotations"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("2026-03-14T11:05:00+01:00", root.GetProperty("date").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("author").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("language").ValueKind);
        var annotations = root.GetProperty("annotations").EnumerateArray().ToList();
        Assert.Equal(["read-more", "attribution"], annotations.Select(a => a.GetProperty("kind").GetString()));
        Assert.Equal([1, 3], annotations.Select(a => a.GetProperty("position").GetInt32()));
    }

    [Fact]
    public void Null_date_is_written_as_null()
    {
        using var document = JsonDocument.Parse(ArticleJson.Serialize(Sample with { Date = null }));
        Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("date").ValueKind);
    }

    [Fact]
    public void Json_lines_hold_one_parseable_object_per_article()
    {
        using var writer = new StringWriter();
        ArticleJson.WriteJsonLines(writer, [Sample, Sample with { Id = "second", Body = "Line with \"quotes\" and ünïcode." }]);
        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(2, lines.Length);
        using var second = JsonDocument.Parse(lines[1]);
        Assert.Equal("Line with \"quotes\" and ünïcode.", second.RootElement.GetProperty("body").GetString());
    }

    [Fact]
    public void Text_form_shows_metadata_body_and_annotations()
    {
        using var writer = new StringWriter();
        ArticleJson.WriteText(writer, Sample);
        var text = writer.ToString();

        Assert.Contains("== https://copy.example.net/ferry", text);
        Assert.Contains("attribution: harbourgazette.example.com", text);
        Assert.Contains("First paragraph.\n\nSecond paragraph.", text);
        Assert.Contains("[1] read-more: READ MORE: Storm", text);
    }
}
