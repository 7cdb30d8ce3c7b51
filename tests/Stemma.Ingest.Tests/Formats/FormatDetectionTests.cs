using System.IO.Compression;
using System.Text;
using Stemma.Ingest.Formats;
using Stemma.Ingest.Tests.Support;

namespace Stemma.Ingest.Tests.Formats;

public sealed class FormatDetectionTests
{
    [Theory]
    [InlineData("<!DOCTYPE html><html><body><p>x</p></body></html>", "a.txt", InputFormat.Html)]
    [InlineData("  <html lang=\"en\"><p>x</p></html>", "a.json", InputFormat.Html)]
    [InlineData("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel></channel></rss>", "a.html", InputFormat.Feed)]
    [InlineData("<feed xmlns=\"http://www.w3.org/2005/Atom\"></feed>", "a", InputFormat.Feed)]
    [InlineData("WARC/1.1\r\nWARC-Type: warcinfo\r\n", "a.txt", InputFormat.Warc)]
    [InlineData("{\"id\":\"1\",\"text\":\"a\"}\n{\"id\":\"2\",\"text\":\"b\"}\n", "a.json", InputFormat.Jsonl)]
    [InlineData("{\n  \"id\": 1,\n  \"content\": {\"rendered\": \"x\"}\n}", "a.jsonl.bak", InputFormat.WordPress)]
    [InlineData("[{\"id\":1}]", "a.txt", InputFormat.WordPress)]
    [InlineData("Headline\nBody text.", "a.html", InputFormat.Text)]
    [InlineData("[Updated] Council votes\nBody text.", "a.txt", InputFormat.Text)]
    [InlineData("[\n  {\"id\": 1}\n]", "a.json", InputFormat.WordPress)]
    [InlineData("   \n  ", "a.txt", InputFormat.Unknown)]
    public void Detects_by_content_not_extension(string head, string name, InputFormat expected) =>
        Assert.Equal(expected, FormatDetector.Detect(Encoding.UTF8.GetBytes(head), name));

    [Fact]
    public void Leading_white_space_of_any_kind_is_looked_past_before_the_format_is_decided()
    {
        // Latin-1 white space (next line 0x85, no-break space 0xA0, form feed; a vertical tab counts towards binary) before markup, JSON, WARC or
        // text: the decision is the one the first character after it calls for, whichever way the head is read.
        var random = new Random(2027);
        byte[] space = [(byte)' ', (byte)'\t', (byte)'\n', (byte)'\r', 0x0C, 0x85, 0xA0];
        (string Start, InputFormat Format)[] starts =
        [
            ("<html><body><p>x</p></body></html>", InputFormat.Html), ("<rss version=\"2.0\"><channel></channel></rss>", InputFormat.Feed),
            ("{\"id\":\"1\",\"text\":\"a\"}", InputFormat.Jsonl), ("[{\"id\":1}]", InputFormat.WordPress),
            ("WARC/1.1\r\nWARC-Type: warcinfo\r\n", InputFormat.Warc), ("Wind warnings for the coast\nBody.", InputFormat.Text),
            ("[Updated] Council votes\nBody.", InputFormat.Text), ("Headline\nBody text.", InputFormat.Text),
            ("\u00c9t\u00e9 au port\nCorps du texte.", InputFormat.Text), ("42 boats return\nBody.", InputFormat.Text),
        ];
        for (var trial = 0; trial < 500; trial++)
        {
            var (start, expected) = starts[random.Next(starts.Length)];
            var head = Enumerable.Range(0, random.Next(0, 12)).Select(_ => space[random.Next(space.Length)]).Concat(Encoding.Latin1.GetBytes(start)).ToArray();
            Assert.Equal(expected, FormatDetector.Detect(head, "a.txt"));
        }
    }

    [Fact]
    public void Binary_content_is_binary_whatever_the_name()
    {
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52];
        Assert.Equal(InputFormat.Binary, FormatDetector.Detect(png, "story.txt"));
    }

    [Fact]
    public void Html_page_with_a_wrong_extension_is_read_as_html()
    {
        var article = Reading.Single(Reading.ReadText("page.txt", Reading.Html("Tide tables", "High tide comes at noon.")));
        Assert.Equal("html", article.Format);
        Assert.Equal("Tide tables", article.Title);
        Assert.Equal("High tide comes at noon.", article.Body);
    }

    [Fact]
    public void Gzip_of_any_format_is_read_through()
    {
        var bytes = Gzip(Encoding.UTF8.GetBytes(Reading.Html("Zipped", "A zipped page body.")));
        var article = Reading.Single(ArticleReader.ReadBytes(bytes, "page.html.gz"));
        Assert.Equal("A zipped page body.", article.Body);
        Assert.Equal("page.html.gz", article.Id);
    }

    [Fact]
    public void Gzip_with_an_unhelpful_name_is_detected_inside()
    {
        var jsonl = "{\"id\":\"r1\",\"text\":\"First record.\"}\n{\"id\":\"r2\",\"text\":\"Second record.\"}\n";
        var outcomes = ArticleReader.ReadBytes(Gzip(Encoding.UTF8.GetBytes(jsonl)), "dump.bin").ToList();
        Assert.Equal(["r1", "r2"], outcomes.Select(o => o.Article?.Id));
    }

    [Theory]
    [InlineData("README.md")]
    [InlineData("data.csv")]
    [InlineData("build.log.gz")]
    public void Plain_text_under_a_non_article_name_is_reported_not_read(string name)
    {
        var content = System.Text.Encoding.UTF8.GetBytes("# Notes\nThese are notes, not news.\n");
        var bytes = name.EndsWith(".gz", StringComparison.Ordinal) ? Gzip(content) : content;
        var outcome = Assert.Single(ArticleReader.ReadBytes(bytes, name));
        Assert.Contains("not read as an article", outcome.Error);
    }

    [Fact]
    public void Html_under_a_non_article_name_is_still_read()
    {
        var article = Reading.Single(Reading.ReadText("saved-page.download", Reading.Html("Saved", "A page saved by a browser.")));
        Assert.Equal("A page saved by a browser.", article.Body);
    }

    internal static byte[] Gzip(byte[] content)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(content);
        }

        return output.ToArray();
    }
}
