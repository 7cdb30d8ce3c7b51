using System.Text;
using Stemma.Ingest.Tests.Support;

namespace Stemma.Ingest.Tests.Formats;

public sealed class BadInputTests
{
    [Fact]
    public void Every_bad_file_is_an_outcome_naming_it_and_the_good_ones_are_still_read()
    {
        using var folder = new TempFolder();
        folder.Write("a-good.txt", "Good title\nGood body sentence.\n");
        folder.Write("empty.txt", string.Empty);
        folder.Write("blank.html", "   \n\n ");
        folder.Write("binary.txt", [0x50, 0x4B, 0x03, 0x04, 0x14, 0, 0, 0, 8, 0, 0x21, 0x00]);
        folder.Write("broken.json", "{\"id\": 3, \"content\": {\"rendered\": \"<p>x</p>\"");
        folder.Write("truncated.txt.gz", FormatDetectionTests.Gzip(Encoding.UTF8.GetBytes(new string('x', 5000) + "\nbody"))[..30]);
        folder.Write("no-article.html", "<html><body><nav><a href=\"/\">Home</a></nav></body></html>");
        folder.Write("truncated.html", "<html><head><title>Cut</title></head><body><article><p>The first paragraph survived.</p><p>The second was cut of");
        folder.Write("z-good.jsonl", "{\"id\":\"last\",\"text\":\"Last good record.\"}\n");

        var outcomes = ArticleReader.Read([folder.Path, Path.Combine(folder.Path, "missing.txt")]).ToList();
        string ErrorOf(string name) => outcomes.Single(o => o.Source.EndsWith(name, StringComparison.Ordinal)).Error ?? "(no error)";

        Assert.Equal("a-good.txt", outcomes[0].Article?.Id);
        Assert.Contains("empty file", ErrorOf("empty.txt"));
        Assert.Contains("empty", ErrorOf("blank.html"));
        Assert.Contains("binary", ErrorOf("binary.txt"));
        Assert.Contains("invalid JSON", ErrorOf("broken.json"));
        Assert.Contains("gzip", ErrorOf("truncated.txt.gz"));
        Assert.Contains("no article text", ErrorOf("no-article.html"));
        Assert.Contains("no such file", ErrorOf("missing.txt"));
        var truncated = outcomes.Single(o => o.Source.EndsWith("truncated.html", StringComparison.Ordinal));
        Assert.Contains("The first paragraph survived.", truncated.Article?.Body);
        Assert.Equal("last", outcomes.Single(o => o.Source.EndsWith("z-good.jsonl", StringComparison.Ordinal)).Article?.Id);
    }

    [Fact]
    public void A_lone_surrogate_escape_is_one_replaced_character_not_a_lost_file()
    {
        // Half an emoji ("\ud83d" without its low half), as scrapers that cut strings by UTF-16 length write it.
        using var folder = new TempFolder();
        folder.Write("records.jsonl",
            "{\"id\":\"first\",\"text\":\"The first record is whole.\"}\n" +
            "{\"id\":\"cut\",\"title\":\"Cut \\ud83d\",\"text\":\"The harbour reopened \\ud83d today.\\nThe \\u00e9 and \\ud83d\\ude00 stay.\"}\n" +
            "{\"id\":\"last\",\"text\":\"The last record is whole.\"}\n");
        folder.Write("post.json", "{\"id\": 7, \"link\": \"https://example.org/p/7\", \"title\": {\"rendered\": \"Post \\udc00\"}, \"content\": {\"rendered\": \"<p>The ferry sailed \\ud800 at dawn.</p>\"}}");
        folder.Write("page.html", "<html><head><title>Page</title><script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"headline\":\"Page\",\"author\":{\"name\":\"Ana \\ud800\"}}</script></head><body><article><p>The page body is read.</p></article></body></html>");

        var outcomes = ArticleReader.Read([folder.Path]).ToList();

        Assert.All(outcomes, o => Assert.Null(o.Error));
        var articles = outcomes.Select(o => o.Article!).ToDictionary(a => a.Id);
        Assert.Equal(["page.html", "https://example.org/p/7", "first", "cut", "last"], outcomes.Select(o => o.Article!.Id));
        Assert.Equal("The harbour reopened \uFFFD today.\nThe \u00e9 and \U0001F600 stay.", articles["cut"].Body);
        Assert.Equal("Cut \uFFFD", articles["cut"].Title);
        Assert.Equal("The ferry sailed \uFFFD at dawn.", articles["https://example.org/p/7"].Body);
        Assert.Equal("Ana \uFFFD", articles["page.html"].Author);
    }

    [Fact]
    public void Stray_nul_characters_are_dropped_and_the_article_kept()
    {
        // A text file with a few NUL bytes (a bad copy, padding) and a JSONL record with "\u0000" escapes: articles
        // without the NULs, which no store has to refuse (PostgreSQL text cannot hold them).
        const string body = "The council met on Tuesday and approved the harbour plan after a long debate. Work on the new sea wall "
            + "starts in the spring and should take two years, the mayor said, with the cost shared between the town and the region.";
        using var folder = new TempFolder();
        var text = Encoding.UTF8.GetBytes("Harbour plan approved\n" + body + "\n");
        text[40] = 0;
        text[60] = 0;
        folder.Write("a-stray.txt", text);
        folder.Write("b-records.jsonl", "{\"id\":\"escaped\",\"title\":\"Harbour\\u0000 plan\",\"text\":\"The council\\u0000 met.\"}\n");
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52];
        folder.Write("c-image.txt", png);

        var outcomes = ArticleReader.Read([folder.Path]).ToList();

        var stray = outcomes[0].Article ?? throw new InvalidOperationException(outcomes[0].Error);
        Assert.Equal("Harbour plan approved", stray.Title);
        Assert.Equal(body.Remove(60 - 22, 1).Remove(40 - 22, 1), stray.Body);
        var escaped = outcomes[1].Article ?? throw new InvalidOperationException(outcomes[1].Error);
        Assert.Equal(("Harbour plan", "The council met."), (escaped.Title, escaped.Body));
        Assert.Contains("binary", outcomes[2].Error);
    }

    [Fact]
    public void Files_under_a_directory_get_relative_ids_with_forward_slashes()
    {
        using var folder = new TempFolder();
        folder.Write(Path.Combine("sub", "deep", "story.txt"), "T\nBody.\n");
        var outcome = Assert.Single(ArticleReader.Read([folder.Path]));
        Assert.Equal("sub/deep/story.txt", outcome.Article?.Id);
    }

    [Fact]
    public void Unreadable_file_is_reported_as_permission_denied()
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName == "root")
        {
            return; // root reads everything; nothing to test there
        }

        using var folder = new TempFolder();
        var file = folder.Write("secret.txt", "T\nBody.\n");
        File.SetUnixFileMode(file, UnixFileMode.None);

        var outcome = Assert.Single(ArticleReader.Read([file]));
        Assert.Contains("permission denied", outcome.Error);
    }

    [Fact]
    public void Storage_that_refuses_access_is_reported_as_permission_denied()
    {
        var outcome = Assert.Single(ArticleReader.ReadOpened(() => throw new UnauthorizedAccessException("denied"), "locked.html"));
        Assert.Equal("locked.html: permission denied", outcome.ToString());
    }

    [Fact]
    public void Storage_failing_mid_read_is_reported_with_earlier_articles_kept()
    {
        var jsonl = System.Text.Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 3000).Select(i => $"{{\"id\":\"r{i}\",\"text\":\"Record number {i} has a body.\"}}\n")));
        var outcomes = ArticleReader.ReadOpened(() => new FailingStream(jsonl, failAfter: 70_000), "flaky.jsonl").ToList();

        Assert.True(outcomes.Count(o => o.Article is not null) > 100);
        Assert.Contains("disk went away", outcomes[^1].Error);
    }

    [Fact]
    public void Default_cap_reports_a_50_MB_page_by_name()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "fifty.html");
        using (var writer = new StreamWriter(path))
        {
            writer.Write("<html><body><article>");
            var paragraph = "<p>" + new string('w', 1000) + "</p>";
            for (var i = 0; i < 50_000; i++)
            {
                writer.Write(paragraph);
            }

            writer.Write("</article></body></html>");
        }

        var outcome = Assert.Single(ArticleReader.Read([path]));
        Assert.StartsWith(path + ": larger than the 32 MB cap", outcome.ToString());
    }

    [Fact]
    public void Huge_file_is_capped_and_reported_without_reading_it_all()
    {
        using var folder = new TempFolder();
        var page = Reading.Html("Huge", string.Concat(Enumerable.Repeat("A sentence that repeats. ", 4000)));
        folder.Write("huge.html", page);
        folder.Write("small.txt", "T\nSmall body.\n");

        var outcomes = ArticleReader.Read([folder.Path], new ReaderOptions { MaxDocumentBytes = 50_000 }).ToList();

        Assert.Contains("cap", outcomes.Single(o => o.Source.EndsWith("huge.html", StringComparison.Ordinal)).Error);
        Assert.Equal("small.txt", outcomes.Single(o => o.Source.EndsWith("small.txt", StringComparison.Ordinal)).Article?.Id);
    }

    [Fact]
    public void Gzip_bomb_is_capped_after_decompression()
    {
        var bomb = FormatDetectionTests.Gzip(Encoding.UTF8.GetBytes("Title\n" + new string('a', 2_000_000)));
        var outcome = Assert.Single(ArticleReader.ReadBytes(bomb, "bomb.txt.gz", new ReaderOptions { MaxDocumentBytes = 100_000 }));
        Assert.Contains("cap", outcome.Error);
    }

    [Fact]
    public void Reading_is_lazy_with_a_bounded_read_ahead()
    {
        // Files are read a window ahead of the caller (16 per core, mapped in parallel), never the whole folder first:
        // a file deleted after the first article came out, far beyond that window, is found missing when its turn comes.
        using var folder = new TempFolder();
        var count = (16 * Environment.ProcessorCount) + 40;
        for (var i = 0; i < count; i++)
        {
            folder.Write($"{i:D4}.txt", $"Title {i}\nBody {i}.\n");
        }

        using var outcomes = ArticleReader.Read([folder.Path]).GetEnumerator();
        Assert.True(outcomes.MoveNext());
        File.Delete(Path.Combine(folder.Path, $"{count - 1:D4}.txt"));
        var rest = new List<string?>();
        while (outcomes.MoveNext())
        {
            rest.Add(outcomes.Current.Error);
        }

        Assert.Equal(count - 1, rest.Count);
        Assert.Contains("no such file", rest[^1]);
        Assert.All(rest.SkipLast(1), error => Assert.Null(error));
    }

    private sealed class FailingStream(byte[] content, int failAfter) : MemoryStream(content, writable: false)
    {
        public override int Read(byte[] buffer, int offset, int count)
        {
            if (Position >= failAfter)
            {
                throw new IOException("disk went away");
            }

            return base.Read(buffer, offset, Math.Min(count, failAfter - (int)Position));
        }

        public override int Read(Span<byte> buffer)
        {
            var array = new byte[buffer.Length];
            var read = Read(array, 0, array.Length);
            array.AsSpan(0, read).CopyTo(buffer);
            return read;
        }
    }
}
