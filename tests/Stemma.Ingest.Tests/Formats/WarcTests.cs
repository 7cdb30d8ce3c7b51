using System.Text;
using Stemma.Ingest.Tests.Support;

namespace Stemma.Ingest.Tests.Formats;

public sealed class WarcTests
{
    private static readonly string PageA = Reading.Html("Mill reopens", "The old mill reopened on Friday as a bakery.", "Its owners restored the wheel.");
    private static readonly string PageB = Reading.Html("Library hours", "The library will open on Sundays from April.", "Volunteers will staff the desk.");

    private static List<ReadOutcome> Read(byte[] warc, string name = "crawl.warc.gz") => [.. ArticleReader.ReadBytes(warc, name)];

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Only_200_html_responses_become_articles_with_the_target_uri_as_id(bool gzip)
    {
        var warc = new WarcBuilder()
            .WarcInfo()
            .Record("request", "https://news.example.com/mill", "application/http; msgtype=request", "GET /mill HTTP/1.1\r\nHost: news.example.com\r\n\r\n"u8.ToArray())
            .Response("https://news.example.com/mill", 200, PageA)
            .Response("https://news.example.com/gone", 404, Reading.Html("Not found", "This page is gone."))
            .Response("https://news.example.com/logo.png", 200, "image/png", [0x89, 0x50, 0x4E, 0x47, 0, 0, 0])
            .Response("https://www.news.example.com/library", 200, PageB)
            .Build(gzip);

        var outcomes = Read(warc, gzip ? "crawl.warc.gz" : "crawl.warc");

        Assert.All(outcomes, outcome => Assert.False(outcome.IsError, outcome.ToString()));
        Assert.Equal(["https://news.example.com/mill", "https://www.news.example.com/library"], outcomes.Select(o => o.Article!.Id));
        Assert.Equal("news.example.com", outcomes[1].Article!.Site);
        Assert.Equal("warc", outcomes[0].Article!.Format);
        Assert.Contains("restored the wheel", outcomes[0].Article!.Body);
    }

    [Fact]
    public void Http_charset_decides_the_encoding_of_the_payload()
    {
        var html = Reading.Html("Caf\u00e9", "Le caf\u00e9 du port rouvre ses portes.").Replace("<meta charset=\"utf-8\">", string.Empty);
        var body = TextDecodingTests.Windows1252.GetBytes(html);
        var warc = new WarcBuilder().Response("https://cafe.example.fr/", 200, "text/html; charset=windows-1252", body).Build(gzipPerRecord: true);

        var article = Reading.Single(Read(warc));
        Assert.Equal("Le caf\u00e9 du port rouvre ses portes.", article.Body);
        Assert.Equal("Caf\u00e9", article.Title);
    }

    [Fact]
    public void Chunked_and_gzip_encoded_payloads_are_undone()
    {
        var html = Encoding.UTF8.GetBytes(PageA);
        using var compressed = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(html);
        }

        var zipped = compressed.ToArray();
        var chunked = Encoding.ASCII.GetBytes($"{zipped.Length:x}\r\n").Concat(zipped).Concat("\r\n0\r\n\r\n"u8.ToArray()).ToArray();
        var http = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n\r\n");
        var warc = new WarcBuilder().Record("response", "https://news.example.com/mill", "application/http; msgtype=response", [.. http, .. chunked]).Build(gzipPerRecord: false);

        Assert.Contains("restored the wheel", Reading.Single(Read(warc, "x.warc")).Body);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Corrupt_record_is_reported_and_the_reader_resyncs(bool gzip)
    {
        var warc = new WarcBuilder()
            .Response("https://news.example.com/mill", 200, PageA)
            .Raw("WARC/1.1\r\nWARC-Type: response\r\nthis is not a header line\r\n\r\ngarbage garbage\r\n\r\n"u8.ToArray())
            .Response("https://news.example.com/library", 200, PageB)
            .Build(gzip);

        var outcomes = Read(warc, gzip ? "c.warc.gz" : "c.warc");

        Assert.Equal(3, outcomes.Count);
        Assert.Equal("https://news.example.com/mill", outcomes[0].Article?.Id);
        Assert.True(outcomes[1].IsError);
        Assert.Contains("corrupt record", outcomes[1].Error);
        Assert.Equal(2, outcomes[1].Line);
        Assert.Equal("https://news.example.com/library", outcomes[2].Article?.Id);
    }

    [Fact]
    public void Wrong_content_length_is_reported_and_the_next_record_still_read()
    {
        var pageBytes = Encoding.UTF8.GetBytes(PageA);
        var http = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"u8.ToArray();
        var warc = new WarcBuilder()
            .Record("response", "https://news.example.com/too-long", "application/http; msgtype=response", [.. http, .. pageBytes], declaredLength: http.Length + pageBytes.Length + 500)
            .Response("https://news.example.com/library", 200, PageB)
            .Response("https://news.example.com/mill", 200, PageA)
            .Build(gzipPerRecord: false);

        var outcomes = Read(warc, "len.warc");

        Assert.True(outcomes[0].IsError, outcomes[0].ToString());
        Assert.Contains("Content-Length", outcomes[0].Error);
        Assert.Equal(["https://news.example.com/library", "https://news.example.com/mill"], outcomes.Skip(1).Select(o => o.Article?.Id));
    }

    [Fact]
    public void Truncated_warc_gz_keeps_earlier_records_and_reports_the_rest()
    {
        var warc = new WarcBuilder()
            .Response("https://news.example.com/mill", 200, PageA)
            .Response("https://news.example.com/library", 200, PageB)
            .Build(gzipPerRecord: true);
        var truncated = warc[..(warc.Length - 40)];

        var outcomes = Read(truncated);

        Assert.Equal("https://news.example.com/mill", outcomes[0].Article?.Id);
        Assert.True(outcomes[^1].IsError);
        Assert.Matches("gzip|truncated", outcomes[^1].Error);
    }

    [Fact]
    public void Oversized_record_is_skipped_with_a_report()
    {
        var big = Reading.Html("Big", string.Concat(Enumerable.Repeat("Many words in a very long paragraph. ", 2000)));
        var warc = new WarcBuilder()
            .Response("https://news.example.com/big", 200, big)
            .Response("https://news.example.com/mill", 200, PageA)
            .Build(gzipPerRecord: true);

        var outcomes = ArticleReader.ReadBytes(warc, "big.warc.gz", new ReaderOptions { MaxRecordBytes = 10_000 }).ToList();

        Assert.Equal(2, outcomes.Count);
        Assert.Contains("cap", outcomes[0].Error);
        Assert.Equal("https://news.example.com/mill", outcomes[1].Article?.Id);
    }

    [Fact]
    public void A_second_200_response_for_the_same_uri_is_reported_not_duplicated()
    {
        var warc = new WarcBuilder()
            .Response("https://news.example.com/mill", 200, PageA)
            .Response("https://news.example.com/mill", 200, PageA)
            .Build(gzipPerRecord: true);

        var outcomes = Read(warc);

        Assert.Equal("https://news.example.com/mill", outcomes[0].Article?.Id);
        Assert.Contains("first read from record 1", outcomes[1].Error);
        Assert.Equal(2, outcomes.Count);
    }

    [Fact]
    public void A_recrawl_with_another_text_is_a_second_version_of_the_page()
    {
        var edited = Reading.Html("Mill reopens", "The old mill reopened on Saturday as a bakery and cafe.", "Its owners restored the wheel.");
        var warc = new WarcBuilder()
            .Response("https://news.example.com/mill", 200, PageA)
            .Response("https://news.example.com/mill", 200, edited)
            .Build(gzipPerRecord: true);

        var outcomes = Read(warc);

        Assert.Equal(2, outcomes.Count);
        Assert.Equal("https://news.example.com/mill", outcomes[0].Article?.Id);
        var second = outcomes[1].Article!;
        Assert.Matches("^https://news\\.example\\.com/mill#v-[0-9a-f]{8}$", second.Id);
        Assert.Equal("https://news.example.com/mill", second.Url);
        Assert.Equal("https://news.example.com/mill", DocumentVersions.SharedId(second.Id));
        Assert.Contains("Saturday", second.Body);
    }
}
