using Stemma.Ingest.Tests.Support;

namespace Stemma.Ingest.Tests.Formats;

public sealed class PlainTextAndJsonlTests
{
    [Fact]
    public void Text_first_line_is_title_rest_is_body_paragraphs()
    {
        var article = Reading.Single(Reading.ReadText("story.txt", "Harbour dredging starts\n\nDredgers arrived on Monday.\nThey will work for six weeks.\n\nFishermen welcomed the news.\n"));
        Assert.Equal("Harbour dredging starts", article.Title);
        Assert.Equal("Dredgers arrived on Monday.\nThey will work for six weeks.\n\nFishermen welcomed the news.", article.Body);
        Assert.Empty(article.Annotations);
    }

    [Fact]
    public void Inserted_lines_inside_a_text_block_are_split_out()
    {
        var article = Reading.Single(Reading.ReadText("copy.txt", "Harbour dredging starts\nDredgers arrived on Monday.\nREAD MORE: Storm closes the ferry\nThey will work for six weeks.\nSource link\n"));
        Assert.Equal("Dredgers arrived on Monday.\n\nThey will work for six weeks.", article.Body);
        Assert.Equal([AnnotationKind.ReadMore, AnnotationKind.SourceLink], article.Annotations.Select(a => a.Kind));
        Assert.Equal([1, 3], article.Annotations.Select(a => a.Position));
    }

    [Fact]
    public void Jsonl_records_carry_id_title_url_and_date()
    {
        var jsonl = "{\"id\":\"a-1\",\"title\":\"One &amp; two\",\"url\":\"https://www.Site.example/a\",\"date\":\"2026-01-02\",\"text\":\"Body one.\\nRelated: Something else\"}\n\n{\"id\":7,\"text\":\"Body two.\"}\n";
        var outcomes = Reading.ReadText("dump.jsonl", jsonl);
        Assert.Equal(2, outcomes.Count);
        var first = outcomes[0].Article!;
        Assert.Equal("a-1", first.Id);
        Assert.Equal("One & two", first.Title);
        Assert.Equal("site.example", first.Site);
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 0, 0, 0, TimeSpan.Zero), first.Date);
        Assert.Equal("Body one.", first.Body);
        Assert.Equal(AnnotationKind.Related, Assert.Single(first.Annotations).Kind);
        Assert.Equal("7", outcomes[1].Article!.Id);
    }

    [Fact]
    public void Malformed_jsonl_lines_are_reported_by_line_and_the_rest_read()
    {
        var jsonl = "{\"id\":\"ok1\",\"text\":\"Fine.\"}\n{\"id\":\"bad\",\"text\":\n[1,2]\n{\"id\":\"empty\"}\n{\"id\":\"ok2\",\"text\":\"Also fine.\"}\n";
        var outcomes = Reading.ReadText("mixed.jsonl", jsonl);
        Assert.Equal(5, outcomes.Count);
        Assert.Equal("ok1", outcomes[0].Article?.Id);
        Assert.Equal((2, true), (outcomes[1].Line!.Value, outcomes[1].Error!.Contains("invalid JSON")));
        Assert.Equal(3, outcomes[2].Line);
        Assert.Contains("no text", outcomes[3].Error);
        Assert.Equal("ok2", outcomes[4].Article?.Id);
    }

    [Fact]
    public void Overlong_jsonl_line_is_skipped_and_reported_by_line()
    {
        var jsonl = "{\"id\":\"a\",\"text\":\"" + new string('x', 5000) + "\"}\n{\"id\":\"b\",\"text\":\"Short.\"}\n";
        var outcomes = ArticleReader.ReadBytes(System.Text.Encoding.UTF8.GetBytes(jsonl), "long.jsonl", new ReaderOptions { MaxDocumentBytes = 1000 }).ToList();
        Assert.Contains("longer than the", outcomes[0].Error);
        Assert.Equal(1, outcomes[0].Line);
        Assert.Equal("b", outcomes[1].Article?.Id);
    }

    [Fact]
    public void Invalid_utf8_in_a_jsonl_record_is_reported_for_that_line()
    {
        byte[] bytes = [.. "{\"id\":\"a\",\"text\":\"caf"u8, 0xE9, .. "\"}\n{\"id\":\"b\",\"text\":\"fine\"}\n"u8];
        var outcomes = ArticleReader.ReadBytes(bytes, "x.jsonl").ToList();
        Assert.Contains("UTF-8", outcomes[0].Error);
        Assert.Equal(1, outcomes[0].Line);
        Assert.Equal("b", outcomes[1].Article?.Id);
    }
}

public sealed class CorpusReadingTests
{
    [Fact]
    public void Jsonl_text_holding_markup_is_split_on_its_paragraphs()
    {
        var article = Reading.Single(Reading.ReadText("m.jsonl", "{\"id\":\"m\",\"text\":\"<p>First &amp; only.</p><p>READ MORE: Other</p><p>Second.</p>\"}\n"));
        Assert.Equal("First & only.\n\nSecond.", article.Body);
        Assert.Equal(AnnotationKind.ReadMore, Assert.Single(article.Annotations).Kind);
    }

    [Fact]
    public void ReadCorpus_applies_the_boilerplate_pass_and_separates_errors()
    {
        using var folder = new TempFolder();
        var stories = Annotations.GeneratedCorpus.Stories(seed: 5, count: 4);
        for (var index = 0; index < stories.Count; index++)
        {
            var lines = string.Join("\n", stories[index].Append("Valley Wire is funded by readers like you in the Bracken valley.").Select(p => $"<p>{p}</p>"));
            folder.Write($"s{index}.jsonl", System.Text.Json.JsonSerializer.Serialize(new { id = $"s{index}", url = $"https://valleywire.example/{index}", text = lines }) + "\n");
        }

        folder.Write("broken.json", "{");

        var (articles, errors) = ArticleReader.ReadCorpus([folder.Path]);

        Assert.Equal(4, articles.Count);
        Assert.All(articles, article => Assert.Equal(AnnotationKind.Boilerplate, Assert.Single(article.Annotations).Kind));
        Assert.Contains("broken.json", Assert.Single(errors).Source);
    }

    [Fact]
    public void Symlink_loops_are_read_once()
    {
        using var folder = new TempFolder();
        folder.Write(Path.Combine("a", "story.txt"), "T\nBody.\n");
        Directory.CreateSymbolicLink(Path.Combine(folder.Path, "a", "loop"), folder.Path);

        var outcomes = ArticleReader.Read([folder.Path]).ToList();

        Assert.Equal(["a/story.txt"], outcomes.Select(o => o.Article?.Id));
    }
}
