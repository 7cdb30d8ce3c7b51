using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using Stemma.Ingest.Html;
using Stemma.Ingest.Tests.Support;

namespace Stemma.Ingest.Tests.Formats;

/// <summary>
/// Inputs built to exhaust time or memory: each is refused (with an error naming the limit) or read within its cap,
/// in bounded time and memory. Bounds are loose (10 s, 500 MB) because the test machine is shared; before the caps,
/// 50,000 nested divs took about a minute and a gzipped JSONL ran for minutes.
/// </summary>
public sealed class HostileInputTests
{
    private const string Sentence = "The harbour board said the new crane would be working by the spring, weeks ahead of the plan.";

    // A second paragraph unlike the first: one paragraph twice in a row reads as a repeated caption.
    private const string NextSentence = "Dock workers voted last month to accept the new shift pattern that the crane makes possible.";

    private static readonly TimeSpan TimeBound = TimeSpan.FromSeconds(10);

    private const long MemoryBound = 500L * 1024 * 1024;

    private static string Nested(string open, string close, int depth, string inner) =>
        new StringBuilder(depth * (open.Length + close.Length) + inner.Length)
            .Insert(0, open, depth).Append(inner).Insert((depth * open.Length) + inner.Length, close, depth).ToString();

    /// <summary>Runs the reading and checks time and peak working set growth loosely.</summary>
    private static List<ReadOutcome> Bounded(Func<IEnumerable<ReadOutcome>> read)
    {
        using var process = Process.GetCurrentProcess();
        var before = process.WorkingSet64;
        var clock = Stopwatch.StartNew();
        var outcomes = read().ToList();
        clock.Stop();
        process.Refresh();
        Assert.True(clock.Elapsed < TimeBound, $"took {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.True(process.PeakWorkingSet64 - before < MemoryBound, $"working set grew by {(process.PeakWorkingSet64 - before) / (1024 * 1024)} MB");
        return outcomes;
    }

    [Fact]
    public void Two_hundred_thousand_nested_divs_are_refused_before_parsing_naming_the_depth_limit()
    {
        var page = "<html><head><title>Deep</title></head><body>" + Nested("<div>", "</div>", 200_000, $"<p>{Sentence}</p>") + "</body></html>";
        var outcome = Assert.Single(Bounded(() => ArticleReader.ReadBytes(Encoding.UTF8.GetBytes(page), "deep.html")));
        Assert.Equal("deep.html", outcome.Source);
        Assert.Contains("MaxHtmlDepth", outcome.Error);
        Assert.Contains("256", outcome.Error);
    }

    [Fact]
    public void A_page_with_more_elements_than_the_cap_is_refused_naming_the_element_limit()
    {
        var page = "<html><body>" + string.Concat(Enumerable.Repeat("<span>x</span>", 120_000)) + $"<p>{Sentence}</p></body></html>";
        var outcome = Assert.Single(Bounded(() => ArticleReader.ReadBytes(Encoding.UTF8.GetBytes(page), "wide.html")));
        Assert.Contains("MaxHtmlElements", outcome.Error);
    }

    [Fact]
    public void Nesting_within_the_cap_is_read_and_the_caps_can_be_raised_or_lowered()
    {
        var page = "<html><body>" + Nested("<div>", "</div>", 200, $"<p>{Sentence}</p><p>{NextSentence}</p>") + "</body></html>";
        var article = Reading.Single(Bounded(() => ArticleReader.ReadBytes(Encoding.UTF8.GetBytes(page), "ok.html")));
        Assert.Contains("harbour board", article.Body);

        var lowered = new ReaderOptions { Limits = IngestLimits.Default with { MaxHtmlDepth = 100 } };
        Assert.Contains("MaxHtmlDepth = 100", Assert.Single(ArticleReader.ReadBytes(Encoding.UTF8.GetBytes(page), "ok.html", lowered)).Error);
    }

    [Fact]
    public void Implied_end_tags_do_not_count_as_nesting()
    {
        // Unclosed paragraphs, list items, cells and options close themselves in the parser: the page is flat.
        var body = new StringBuilder("<html><body><article>");
        for (var i = 0; i < 600; i++)
        {
            body.Append("<p>").Append(Sentence).Append("<ul><li>one<li>two</ul><table><tr><td>a<td>b<tr><td>c</table><select><option>x<option>y</select>");
            body.Append("<b><p>misnested bold</b> text");
        }

        body.Append("</article></body></html>");
        var article = Reading.Single(Bounded(() => ArticleReader.ReadBytes(Encoding.UTF8.GetBytes(body.ToString()), "flat.html")));
        Assert.Contains("harbour board", article.Body);
    }

    [Fact]
    public void Markup_inside_scripts_comments_and_attributes_is_not_counted()
    {
        var noise = string.Concat(Enumerable.Repeat("<div>", 1_000));
        var page = $"<html><head><script>var s = '{noise}';</script><style>/* {noise} */</style></head><body><!-- {noise} -->" +
            $"<article data-x=\"{noise}\"><p>{Sentence}</p><p>{NextSentence}</p></article><textarea>{noise}</textarea></body></html>";
        var article = Reading.Single(ArticleReader.ReadBytes(Encoding.UTF8.GetBytes(page), "noise.html"));
        Assert.Contains("harbour board", article.Body);
    }

    [Fact]
    public void The_nesting_check_is_linear()
    {
        // Twice the input must not take much more than twice the time (a quadratic pass takes four times).
        static TimeSpan Time(int elements)
        {
            var limits = IngestLimits.Default with { MaxHtmlElements = int.MaxValue };
            var page = Nested("<div><section>", "</section></div>", 120, string.Concat(Enumerable.Repeat("<div><p><span class=\"a\">x</span><b><i>y</b></i></p><ul><li>z<li>w</ul></div>", elements / 7)));
            var clock = Stopwatch.StartNew();
            HtmlNestingCheck.Check(page, limits, "page");
            return clock.Elapsed;
        }

        Time(10_000);
        var small = Enumerable.Range(0, 3).Min(_ => Time(50_000));
        var large = Enumerable.Range(0, 3).Min(_ => Time(200_000));
        Assert.True(large < small * 12, $"50k: {small.TotalMilliseconds:0} ms, 200k: {large.TotalMilliseconds:0} ms");
    }

    [Fact]
    public void Nested_wordpress_content_is_refused_for_that_post_and_the_next_post_is_read()
    {
        var deep = Nested("<div>", "</div>", 200_000, $"<p>{Sentence}</p>");
        var json = $"[{{\"id\":1,\"link\":\"https://example.org/deep\",\"title\":{{\"rendered\":\"Deep\"}},\"content\":{{\"rendered\":\"{deep}\"}}}}," +
            $"{{\"id\":2,\"link\":\"https://example.org/fine\",\"title\":{{\"rendered\":\"Fine\"}},\"content\":{{\"rendered\":\"<p>{Sentence}</p>\"}}}}]";
        var outcomes = Bounded(() => ArticleReader.ReadBytes(Encoding.UTF8.GetBytes(json), "posts.json"));
        Assert.Equal(2, outcomes.Count);
        Assert.Contains("MaxHtmlDepth", outcomes[0].Error);
        Assert.Equal(1, outcomes[0].Line);
        Assert.Equal("https://example.org/fine", outcomes[1].Article?.Id);
    }

    [Fact]
    public void Nested_feed_content_is_refused_for_that_item_and_the_next_item_is_read()
    {
        var deep = System.Net.WebUtility.HtmlEncode(Nested("<div>", "</div>", 200_000, $"<p>{Sentence}</p>"));
        var feed = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title><link>https://example.org/</link>" +
            $"<item><title>Deep</title><link>https://example.org/deep</link><description>{deep}</description></item>" +
            $"<item><title>Fine</title><link>https://example.org/fine</link><description>&lt;p&gt;{Sentence}&lt;/p&gt;</description></item>" +
            "</channel></rss>";
        var outcomes = Bounded(() => ArticleReader.ReadBytes(Encoding.UTF8.GetBytes(feed), "feed.xml"));
        Assert.Equal(2, outcomes.Count);
        Assert.Contains("MaxHtmlDepth", outcomes[0].Error);
        Assert.Equal("https://example.org/fine", outcomes[1].Article?.Id);
    }

    [Fact]
    public void Deeply_nested_feed_xml_is_read_in_bounded_time()
    {
        var deep = Nested("<x>", "</x>", 200_000, Sentence);
        var feed = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title>" +
            $"<item><title>Deep</title><link>https://example.org/deep</link><description>{deep}</description></item>" +
            $"<item><title>Fine</title><link>https://example.org/fine</link><description>&lt;p&gt;{Sentence}&lt;/p&gt;</description></item>" +
            "</channel></rss>";
        var outcomes = Bounded(() => ArticleReader.ReadBytes(Encoding.UTF8.GetBytes(feed), "feed.xml"));
        Assert.Equal("https://example.org/fine", outcomes[^1].Article?.Id);
    }

    [Fact]
    public void A_million_repeated_jsonl_records_stop_at_the_record_cap_with_one_error()
    {
        var gz = GzipRepeated("{\"id\":\"same\",\"text\":\"" + Sentence + "\"}\n", 1_000_000);
        var options = new ReaderOptions { Limits = IngestLimits.Default with { MaxRecordsPerFile = 5_000 } };
        var outcomes = Bounded(() => ArticleReader.ReadBytes(gz, "repeated.jsonl.gz", options));
        Assert.Equal(5_001, outcomes.Count);
        Assert.All(outcomes.Take(5_000), outcome => Assert.NotNull(outcome.Article));
        var last = outcomes[^1];
        Assert.Contains("MaxRecordsPerFile = 5,000", last.Error);
        Assert.Equal(100_000, IngestLimits.Default.MaxRecordsPerFile);
    }

    [Fact]
    public void A_gzip_bomb_stops_at_the_decompression_cap_naming_it()
    {
        // One record, then 128 MB of blank lines: no record or line cap applies, only the bytes.
        var bomb = GzipRepeated("{\"id\":\"a\",\"text\":\"" + Sentence + "\"}\n", 1, padding: 128L * 1024 * 1024);
        Assert.True(bomb.Length < 1024 * 1024, $"bomb is {bomb.Length} bytes");
        var options = new ReaderOptions { Limits = IngestLimits.Default with { MaxDecompressedBytesPerFile = 2L * 1024 * 1024 } };
        var outcomes = Bounded(() => ArticleReader.ReadBytes(bomb, "bomb.jsonl.gz", options));
        Assert.Equal("a", outcomes[0].Article?.Id);
        Assert.Contains("MaxDecompressedBytesPerFile", outcomes[^1].Error);
        Assert.Equal("bomb.jsonl.gz", outcomes[^1].Source);
    }

    [Fact]
    public void A_shared_budget_caps_what_several_files_decompress_to_together()
    {
        var file = FormatDetectionTests.Gzip(Encoding.UTF8.GetBytes("Title\n\n" + string.Concat(Enumerable.Repeat(Sentence + "\n\n", 20_000))));
        var options = new ReaderOptions { SharedDecompressionBudget = new DecompressionBudget(3L * 1024 * 1024, nameof(IngestLimits.MaxRequestDecompressedBytes)) };
        Assert.NotNull(Assert.Single(ArticleReader.ReadBytes(file, "one.txt.gz", options)).Article);
        Assert.Contains("MaxRequestDecompressedBytes", Assert.Single(ArticleReader.ReadBytes(file, "two.txt.gz", options)).Error);
    }

    [Fact]
    public void A_utf8_byte_order_mark_before_random_bytes_is_binary_not_an_article()
    {
        var bytes = new byte[4096];
        new Random(12).NextBytes(bytes);
        var content = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(bytes).ToArray();
        var outcome = Assert.Single(ArticleReader.ReadBytes(content, "noise.txt"));
        Assert.Null(outcome.Article);
        Assert.Contains("binary", outcome.Error);

        // A byte order mark before real text still reads.
        Assert.NotNull(Reading.Single(ArticleReader.ReadBytes([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("Title\n\n" + Sentence)], "bom.txt")));
    }

    [Fact]
    public void A_wordpress_object_followed_by_garbage_is_refused()
    {
        var post = $"{{\"id\":7,\"link\":\"https://example.org/p\",\"title\":{{\"rendered\":\"T\"}},\"content\":{{\"rendered\":\"<p>{Sentence}</p>\"}}}}";
        var outcome = Assert.Single(ArticleReader.ReadBytes(Encoding.UTF8.GetBytes(post + "}}}garbage"), "post.json"));
        Assert.Null(outcome.Article);
        Assert.Contains("after the end of the JSON value", outcome.Error);
        Assert.DoesNotContain("truncated", outcome.Error);

        var array = Assert.Single(ArticleReader.ReadBytes(Encoding.UTF8.GetBytes("[" + post + "] trailing"), "posts.json"), o => o.IsError);
        Assert.Contains("after the end of the JSON value", array.Error);

        // Trailing whitespace is fine.
        Assert.NotNull(Reading.Single(ArticleReader.ReadBytes(Encoding.UTF8.GetBytes(post + "\n\n  "), "post.json")));
    }

    [Fact]
    public void Ids_below_an_id_root_do_not_depend_on_the_path_argument()
    {
        using var folder = new TempFolder();
        folder.Write("good/a.txt", "A\n\n" + Sentence);
        folder.Write("b.txt", "B\n\n" + Sentence);
        var options = new ReaderOptions { IdRoot = folder.Path };
        var whole = ArticleReader.Read([folder.Path], options).Select(o => o.Article?.Id).ToList();
        var part = ArticleReader.Read([Path.Combine(folder.Path, "good")], options).Select(o => o.Article?.Id).ToList();
        var file = ArticleReader.Read([Path.Combine(folder.Path, "good", "a.txt")], options).Select(o => o.Article?.Id).ToList();
        Assert.Equal(["b.txt", "good/a.txt"], whole);
        Assert.Equal(["good/a.txt"], part);
        Assert.Equal(["good/a.txt"], file);

        // Without a root, ids are relative to the argument: the same file gets another id.
        Assert.Equal(["a.txt"], ArticleReader.Read([Path.Combine(folder.Path, "good")]).Select(o => o.Article?.Id).ToList());

        using var elsewhere = new TempFolder();
        var outside = Assert.Single(ArticleReader.Read([elsewhere.Write("c.txt", "C\n\n" + Sentence)], options));
        Assert.Contains("outside the id root", outside.Error);
    }

    [Fact]
    public void Limits_are_set_by_name_with_size_suffixes_and_bad_values_are_named()
    {
        var limits = IngestLimits.Default.With("MaxRecordsPerFile=1000000").With("maxdecompressedbytesperfile=4G").With("RequestTimeout=2.5");
        Assert.Equal(1_000_000, limits.MaxRecordsPerFile);
        Assert.Equal(4L * 1024 * 1024 * 1024, limits.MaxDecompressedBytesPerFile);
        Assert.Equal(TimeSpan.FromSeconds(2.5), limits.RequestTimeout);
        Assert.Contains("unknown limit 'MaxCats'", Assert.Throws<FormatException>(() => limits.With("MaxCats=3")).Message);
        Assert.Contains("MaxHtmlDepth", Assert.Throws<FormatException>(() => limits.With("MaxHtmlDepth=-1")).Message);
        Assert.Throws<FormatException>(() => limits.With("MaxHtmlDepth"));
    }

    private static byte[] GzipRepeated(string line, int times, long padding = 0)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            var bytes = Encoding.UTF8.GetBytes(line);
            var block = new byte[bytes.Length * 1000];
            for (var i = 0; i < 1000; i++)
            {
                bytes.CopyTo(block, i * bytes.Length);
            }

            for (var written = 0; written < times; written += 1000)
            {
                gzip.Write(block, 0, Math.Min(1000, times - written) * bytes.Length);
            }

            var blank = new byte[1024 * 1024];
            Array.Fill(blank, (byte)'\n');
            for (long padded = 0; padded < padding; padded += blank.Length)
            {
                gzip.Write(blank);
            }
        }

        return output.ToArray();
    }
}
