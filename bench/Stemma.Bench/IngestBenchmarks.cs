using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Stemma.Ingest;
using Stemma.Ingest.Annotations;

namespace Stemma.Bench;

/// <summary>
/// Reader throughput on a generated mixed corpus: HTML pages with navigation and footers, WordPress posts,
/// RSS feeds, JSONL, WARC (gzip per record) and plain text, with inserted lines in many copies.
/// dotnet run -c Release --project bench/Stemma.Bench -- --filter '*IngestBenchmarks*'
/// Articles/s = Articles / mean time; MB/s = Bytes / mean time (both printed by the global setup).
/// </summary>
[MemoryDiagnoser]
public class IngestBenchmarks
{
    private string folder = string.Empty;
    private List<Article> articles = [];
    private List<string> pages = [];

    [Params(600)]
    public int Stories { get; set; }

    public long Bytes { get; private set; }

    public int Articles { get; private set; }

    [GlobalSetup]
    public void Setup()
    {
        folder = Path.Combine(Path.GetTempPath(), "stemma-ingest-bench-" + Guid.NewGuid().ToString("N"));
        (Articles, Bytes) = MixedCorpus.Write(folder, Stories, seed: 42);
        articles = [.. ArticleReader.Read([folder]).Where(outcome => outcome.Article is not null).Select(outcome => outcome.Article!)];
        pages = [.. Directory.EnumerateFiles(folder, "page-*.html").Order(StringComparer.Ordinal)];
        var pageBytes = pages.Sum(page => new FileInfo(page).Length);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"// ingest corpus: {Articles} articles, {Bytes / 1048576.0:0.00} MB, read back {articles.Count}; {pages.Count} HTML pages, {pageBytes / 1048576.0:0.00} MB"));
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(folder, recursive: true);

    [Benchmark]
    public int ReadMixedCorpus() => ArticleReader.Read([folder]).Count(outcome => outcome.Article is not null);

    [Benchmark]
    public int ReadHtmlPages() => ArticleReader.Read(pages).Count(outcome => outcome.Article is not null);

    [Benchmark]
    public int CorpusBoilerplatePass() => CorpusAnnotator.Apply(articles).Count;
}

/// <summary>Writes a deterministic mixed-format corpus; returns the number of articles and the bytes on disk.</summary>
internal static class MixedCorpus
{
    private static readonly string[] Subjects = ["The council", "Residents", "The harbour board", "Local traders", "The school", "Volunteers", "The hospital", "Fishermen"];
    private static readonly string[] Verbs = ["approved", "opposed", "paid for", "delayed", "announced", "questioned", "welcomed", "rejected"];
    private static readonly string[] Things = ["a new sea wall", "the bus timetable", "longer library hours", "the market hall repairs", "a cycle path", "the ferry fares", "a night shelter", "the festival budget"];
    private static readonly string[] Insertions = ["READ MORE: Storm closes the coast road", "Related: Budget row deepens", "Photo: Jane Doe / AP", "Share this:", "Source link", "Leave a Reply"];

    public static (int Articles, long Bytes) Write(string folder, int stories, int seed)
    {
        Directory.CreateDirectory(folder);
        var random = new Random(seed);
        var count = 0;
        var feedItems = new StringBuilder();
        var jsonl = new StringBuilder();
        var warcRecords = new List<(string Uri, string Html)>();
        for (var story = 0; story < stories; story++)
        {
            var title = $"{Subjects[random.Next(Subjects.Length)]} {Verbs[random.Next(Verbs.Length)]} {Things[random.Next(Things.Length)]} ({story})";
            var paragraphs = Enumerable.Range(0, random.Next(8, 16)).Select(_ => Paragraph(random)).ToList();
            if (random.Next(2) == 0)
            {
                paragraphs.Insert(random.Next(paragraphs.Count), Insertions[random.Next(Insertions.Length)]);
            }

            var uri = $"https://site{story % 7}.example.com/news/{story}";
            switch (story % 6)
            {
                case 0:
                    File.WriteAllText(Path.Combine(folder, $"page-{story}.html"), Page(title, paragraphs));
                    break;
                case 1:
                    File.WriteAllText(Path.Combine(folder, $"post-{story}.json"), JsonSerializer.Serialize(new
                    {
                        id = story,
                        date_gmt = "2026-03-14T10:00:00",
                        link = uri,
                        title = new { rendered = System.Net.WebUtility.HtmlEncode(title) },
                        content = new { rendered = string.Concat(paragraphs.Select(p => $"<p>{System.Net.WebUtility.HtmlEncode(p)}</p>\n")) },
                    }));
                    break;
                case 2:
                    feedItems.Append(CultureInfo.InvariantCulture, $"<item><title>{System.Security.SecurityElement.Escape(title)}</title><link>{uri}</link><pubDate>Sat, 14 Mar 2026 10:00:00 GMT</pubDate><content:encoded>{System.Security.SecurityElement.Escape(string.Concat(paragraphs.Select(p => $"<p>{p}</p>")))}</content:encoded></item>\n");
                    break;
                case 3:
                    jsonl.AppendLine(JsonSerializer.Serialize(new { id = $"j{story}", title, url = uri, text = string.Join("\n\n", paragraphs) }));
                    break;
                case 4:
                    warcRecords.Add((uri, Page(title, paragraphs)));
                    break;
                default:
                    File.WriteAllText(Path.Combine(folder, $"story-{story}.txt"), title + "\n\n" + string.Join("\n\n", paragraphs) + "\n");
                    break;
            }

            count++;
        }

        File.WriteAllText(Path.Combine(folder, "feed.xml"), "<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"><channel><title>Bench</title><link>https://wire.example.org/</link>\n" + feedItems + "</channel></rss>");
        File.WriteAllText(Path.Combine(folder, "dump.jsonl"), jsonl.ToString());
        File.WriteAllBytes(Path.Combine(folder, "crawl.warc.gz"), Warc(warcRecords));
        var bytes = Directory.EnumerateFiles(folder).Sum(file => new FileInfo(file).Length);
        return (count, bytes);
    }

    private static string Paragraph(Random random) => string.Join(" ", Enumerable.Range(0, random.Next(2, 5)).Select(_ =>
        $"{Subjects[random.Next(Subjects.Length)]} {Verbs[random.Next(Verbs.Length)]} {Things[random.Next(Things.Length)]} after a meeting that lasted {random.Next(2, 9)} hours on {(DayOfWeek)random.Next(7)}."));

    private static string Page(string title, List<string> paragraphs)
    {
        var page = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title><style>body{{font-family:serif}}</style><script>var tracking = {{}};</script></head><body>")
            .Append("<header><nav><ul><li><a href=\"/\">Home</a></li><li><a href=\"/news\">News</a></li><li><a href=\"/sport\">Sport</a></li><li><a href=\"/weather\">Weather</a></li></ul></nav></header><main><article>")
            .Append(CultureInfo.InvariantCulture, $"<h1>{title}</h1>");
        foreach (var paragraph in paragraphs)
        {
            page.Append(CultureInfo.InvariantCulture, $"<p>{paragraph}</p>");
        }

        return page.Append("</article><aside><h2>Most read</h2><ul><li><a href=\"/a\">Coast road closed</a></li><li><a href=\"/b\">Budget row</a></li></ul></aside></main><footer><p>Copyright 2026 Example News</p></footer></body></html>").ToString();
    }

    private static byte[] Warc(List<(string Uri, string Html)> records)
    {
        using var output = new MemoryStream();
        foreach (var (uri, html) in records)
        {
            var body = Encoding.UTF8.GetBytes(html);
            var http = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {body.Length}\r\n\r\n");
            var header = Encoding.ASCII.GetBytes($"WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: {uri}\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: {http.Length + body.Length}\r\n\r\n");
            using var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true);
            gzip.Write(header);
            gzip.Write(http);
            gzip.Write(body);
            gzip.Write("\r\n\r\n"u8);
        }

        return output.ToArray();
    }
}
