using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Stemma.Ingest;

namespace Stemma.Web.Tests.Api;

/// <summary>
/// Requests built to exhaust the server: gzip bombs, a million records, pathological nesting, slow work, unsafe
/// names. Each is refused or bounded (loosely: under 10 s, under 500 MB of working set growth) and the server
/// still answers afterwards. Before the caps, a 305 kB gzipped JSONL sent to /api/check took 21 s and 650 MB.
/// </summary>
public sealed class HostileRequestTests
{
    private const string Sentence = "The tram line to the university will reopen on Monday after three weeks of track repairs, the city said.";

    private static readonly TimeSpan TimeBound = TimeSpan.FromSeconds(10);

    private const long MemoryBound = 500L * 1024 * 1024;

    private static async Task<HttpResponseMessage> Bounded(Func<Task<HttpResponseMessage>> send)
    {
        using var process = Process.GetCurrentProcess();
        var before = process.WorkingSet64;
        var clock = Stopwatch.StartNew();
        var response = await send();
        await response.Content.LoadIntoBufferAsync();
        clock.Stop();
        process.Refresh();
        Assert.True(clock.Elapsed < TimeBound, $"took {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.True(process.PeakWorkingSet64 - before < MemoryBound, $"working set grew by {(process.PeakWorkingSet64 - before) / (1024 * 1024)} MB");
        return response;
    }

    private static async Task AssertStillAnswers(RunningServer server)
    {
        using var stories = await server.Client.GetAsync("/api/stories");
        Assert.Equal(HttpStatusCode.OK, stories.StatusCode);
        using var check = await Samples.PostTextAsync(server.NewClient(server.Token), "/api/check", "Tram line\n\n" + Sentence);
        Assert.Equal(HttpStatusCode.OK, check.StatusCode);
    }

    private static ByteArrayContent Gzipped(string line, int times, long blankBytes = 0, string mediaType = "application/gzip")
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            var bytes = Encoding.UTF8.GetBytes(line);
            for (var i = 0; i < times; i++)
            {
                gzip.Write(bytes);
            }

            var blank = new byte[1024 * 1024];
            Array.Fill(blank, (byte)'\n');
            for (long written = 0; written < blankBytes; written += blank.Length)
            {
                gzip.Write(blank);
            }
        }

        var content = new ByteArrayContent(output.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return content;
    }

    private static string Record(string id) => JsonSerializer.Serialize(new { id, text = Sentence }) + "\n";

    [Fact]
    public async Task A_million_repeated_records_sent_to_check_are_refused_after_a_few()
    {
        await using var server = await RunningServer.StartAsync();
        using var content = Gzipped(Record("same"), 1_000_000);
        Assert.True(content.Headers.ContentLength < 4 * 1024 * 1024, $"{content.Headers.ContentLength} bytes");
        using var response = await Bounded(() => server.Client.PostAsync("/api/check?name=repeated.jsonl.gz", content));
        await ApiTests.AssertProblemAsync(response, HttpStatusCode.BadRequest, "one article");
        await AssertStillAnswers(server);
    }

    [Fact]
    public async Task A_batch_over_the_record_cap_is_refused_whole_naming_the_limit()
    {
        await using var server = await RunningServer.StartAsync(limits: IngestLimits.Default with { MaxRequestRecords = 500 });
        using var content = Gzipped(string.Concat(Enumerable.Range(0, 1000).Select(i => Record($"r{i}"))), 1000);
        using var response = await Bounded(() => server.Client.PostAsync("/api/documents?name=batch.jsonl.gz", content));
        await ApiTests.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "MaxRequestRecords");
        using var stored = await server.Client.GetAsync("/api/documents/r0");
        Assert.Equal(HttpStatusCode.NotFound, stored.StatusCode);
        await AssertStillAnswers(server);
    }

    [Fact]
    public async Task A_gzip_bomb_request_stops_at_the_request_decompression_budget()
    {
        await using var server = await RunningServer.StartAsync(limits: IngestLimits.Default with { MaxRequestDecompressedBytes = 8L * 1024 * 1024 });
        foreach (var path in new[] { "/api/check", "/api/documents" })
        {
            // A text file that decompresses to 200 MB: the body is small, the budget stops the reading.
            using var content = Gzipped("Bomb\n\n", 1, blankBytes: 200L * 1024 * 1024);
            Assert.True(content.Headers.ContentLength < 2 * 1024 * 1024);
            using var response = await Bounded(() => server.Client.PostAsync($"{path}?name=bomb.txt.gz", content));
            await ApiTests.AssertProblemAsync(response, HttpStatusCode.BadRequest, "MaxRequestDecompressedBytes");
        }

        await AssertStillAnswers(server);
    }

    [Fact]
    public async Task Two_hundred_thousand_nested_elements_are_refused_quickly_on_every_route_in()
    {
        await using var server = await RunningServer.StartAsync();
        var depth = 200_000;
        var deep = new StringBuilder().Insert(0, "<div>", depth).Append("<p>").Append(Sentence).Append("</p>").Insert((depth * 5) + Sentence.Length + 7, "</div>", depth).ToString();
        var page = "<html><body>" + deep + "</body></html>";
        var post = JsonSerializer.Serialize(new { id = 1, link = "https://example.org/deep", title = new { rendered = "Deep" }, content = new { rendered = deep } });
        var feed = $"<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title><item><title>Deep</title><link>https://example.org/d</link><description>{WebUtility.HtmlEncode(deep)}</description></item></channel></rss>";
        foreach (var (body, name) in new[] { (page, "deep.html"), (post, "deep.json"), (feed, "deep.xml") })
        {
            using var content = new StringContent(body, Encoding.UTF8, "text/plain");
            using var response = await Bounded(() => server.Client.PostAsync($"/api/check?name={name}", content));
            await ApiTests.AssertProblemAsync(response, HttpStatusCode.BadRequest, "MaxHtmlDepth");
        }

        await AssertStillAnswers(server);
    }

    [Fact]
    public async Task With_a_token_check_is_refused_before_the_body_is_read()
    {
        await using var server = await RunningServer.StartAsync(token: "tram-token");
        using var content = Gzipped(Record("same"), 1_000_000);
        using var response = await Bounded(() => server.Client.PostAsync("/api/check?name=repeated.jsonl.gz", content));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await AssertStillAnswers(server);
    }

    [Fact]
    public async Task A_request_running_past_the_time_limit_is_cancelled_with_503()
    {
        await using var server = await RunningServer.StartAsync(limits: IngestLimits.Default with { RequestTimeout = TimeSpan.FromMilliseconds(1) });
        using var content = new StringContent(string.Concat(Enumerable.Range(0, 3000).Select(i => JsonSerializer.Serialize(new { id = $"t{i}", text = $"{Sentence} Update number {i}." }) + "\n")), Encoding.UTF8, "application/x-ndjson");
        using var response = await Bounded(() => server.Client.PostAsync("/api/documents?name=batch.jsonl", content));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }

    [Fact]
    public async Task Upload_names_that_climb_out_or_are_absolute_are_refused_and_overwrite_nothing()
    {
        await using var server = await RunningServer.StartAsync();
        using var stored = await Samples.PostTextAsync(server.Client, "/api/documents", "Passwd\n\n" + Sentence, "etc/passwd");
        Assert.Equal(HttpStatusCode.OK, stored.StatusCode);
        foreach (var name in new[] { "../../etc/passwd", "/etc/passwd", "..\\etc\\passwd", "C:\\etc\\passwd" })
        {
            using var response = await Samples.PostTextAsync(server.Client, "/api/documents", "Other\n\nA different article that must not replace the first one stored under that id.", name);
            await ApiTests.AssertProblemAsync(response, HttpStatusCode.BadRequest, "relative name");
        }

        var document = await server.Client.GetFromJsonAsync<JsonElement>("/api/documents/etc/passwd");
        Assert.Equal("Passwd", document.GetProperty("title").GetString());
    }

    [Fact]
    public void The_server_refuses_an_unparsable_listen_address_instead_of_listening_everywhere()
    {
        var error = Assert.Throws<ArgumentException>(() => StemmaServer.Build(new ServeOptions { Urls = "http://127.0.0.1:notaport" }));
        Assert.Contains("notaport", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_defaults_are_safe()
    {
        var limits = new ServeOptions().Limits;
        Assert.Equal(20L * 1024 * 1024, limits.MaxRequestBytes);
        Assert.Equal(64L * 1024 * 1024, limits.MaxRequestDecompressedBytes);
        Assert.Equal(10_000, limits.MaxRequestRecords);
        Assert.Equal(TimeSpan.FromSeconds(60), limits.RequestTimeout);
        Assert.Equal(256, limits.MaxHtmlDepth);
    }
}
