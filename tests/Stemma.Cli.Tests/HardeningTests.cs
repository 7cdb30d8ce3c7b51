using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Stemma.Testing.Corpus;

namespace Stemma.Cli.Tests;

/// <summary>Small faults found by probing the command line as an operator would: each is a clear one-line error now.</summary>
public sealed class HardeningTests
{
    private const string Body = "The river authority opened the new weir on Friday, a year after the floods that closed the towpath for months.";

    // A second paragraph unlike the first: one paragraph twice in a row reads as a repeated caption.
    private const string NextBody = "Anglers and rowing clubs said they expected to be back on the water before the summer regattas.";

    private static void AssertOneLineError(CliRunner.Result result, string expected)
    {
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => line != "Try 'stemma --help'.").ToList();
        var line = Assert.Single(lines);
        Assert.StartsWith("stemma: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Analyze_with_a_threshold_that_is_not_a_number_is_a_usage_error()
    {
        using var directory = new TempDirectory();
        directory.Write("a.txt", "Weir\n\n" + Body);
        var result = await CliRunner.RunAsync("analyze", directory.Path, "--threshold", "abc");
        Assert.Equal(2, result.ExitCode);
        AssertOneLineError(result, "'abc'");

        var outOfRange = await CliRunner.RunAsync("analyze", directory.Path, "--threshold", "1.5");
        Assert.Equal(2, outOfRange.ExitCode);
        Assert.Contains("(0, 1]", outOfRange.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:notaport", "notaport")]
    [InlineData("http://127.0.0.1:70000", "70000")]
    [InlineData("ftp://127.0.0.1:5080", "http://")]
    [InlineData("127.0.0.1:5080", "http://")]
    [InlineData("http://:5080", "host")]
    [InlineData("http://127.0.0.1:5080;http://bad host:1", "bad host")]
    public async Task Serve_with_an_unparsable_address_is_a_usage_error_and_listens_nowhere(string urls, string named)
    {
        using var directory = new TempDirectory();
        var result = await CliRunner.RunAsync("serve", "--db", Path.Combine(directory.Path, "s.db"), "--urls", urls);
        Assert.Equal(2, result.ExitCode);
        AssertOneLineError(result, named);
        Assert.DoesNotContain("serving", result.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5080")]
    [InlineData("http://localhost:0")]
    [InlineData("https://[::1]:8443")]
    [InlineData("http://*:8080;http://+:8081")]
    [InlineData("http://example.org")]
    public void Valid_listen_addresses_pass(string urls) => Assert.Null(Stemma.Web.ServeOptions.ValidateUrls(urls));

    [Fact]
    public async Task Compare_pairs_with_a_missing_field_names_the_line_and_the_field()
    {
        using var directory = new TempDirectory();
        var pairs = directory.Write("pairs.jsonl", $"{{\"id\":\"ok\",\"a\":\"{Body}\",\"b\":\"{Body}\"}}\n{{\"id\":\"half\",\"a\":\"{Body}\"}}\n{{\"id\":\"num\",\"a\":\"x\",\"b\":3}}\n[1]\n");
        var result = await CliRunner.RunAsync("compare", "--pairs", pairs);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("pairs.jsonl:2: missing field \"b\"", result.Error, StringComparison.Ordinal);
        Assert.Contains("pairs.jsonl:3: field \"b\" must be a string, not number", result.Error, StringComparison.Ordinal);
        Assert.Contains("pairs.jsonl:4: a pair must be a JSON object", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("given key", result.Error, StringComparison.Ordinal);
        Assert.Equal("ok", JsonDocument.Parse(Assert.Single(result.OutLines)).RootElement.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Lineage_graphml_declares_the_encoding_it_is_written_in()
    {
        using var directory = new TempDirectory();
        var chain = new SyntheticCorpus(31).GenerateChain("g", CopyOperation.Edited, CopyOperation.Verbatim);
        directory.Write("chain.jsonl", string.Join('\n', chain.Select(d => JsonSerializer.Serialize(new { id = d.Id, title = d.Title, text = d.Body, date = d.Date }))));
        var result = await CliRunner.RunAsync("lineage", "--from", directory.Path, "--format", "graphml");
        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"utf-8\"?>", result.Out.TrimStart(), StringComparison.Ordinal);

        // An XML parser reading the bytes as declared accepts them (it refused utf-16 declared on UTF-8 bytes).
        using var bytes = new MemoryStream(new UTF8Encoding(false).GetBytes(result.Out.TrimStart()));
        var document = XDocument.Load(bytes);
        Assert.Equal("graphml", document.Root?.Name.LocalName);
    }

    [Fact]
    public async Task Id_root_gives_the_same_ids_whichever_path_is_given()
    {
        using var directory = new TempDirectory();
        directory.Write("corpus/good/a.txt", "A\n\n" + Body);
        directory.Write("corpus/b.txt", "B\n\n" + Body.Replace("Friday", "Monday", StringComparison.Ordinal));
        var root = Path.Combine(directory.Path, "corpus");

        static async Task<List<string>> Ids(params string[] args)
        {
            var result = await CliRunner.RunAsync(["extract", "--format", "json", .. args]);
            Assert.Equal(0, result.ExitCode);
            return [.. result.OutLines.Select(line => JsonDocument.Parse(line).RootElement.GetProperty("id").GetString()!)];
        }

        Assert.Equal(["good/a.txt"], await Ids(Path.Combine(root, "good"), "--id-root", root));
        Assert.Equal(["b.txt", "good/a.txt"], await Ids(root, "--id-root", root));
        Assert.Equal(["a.txt"], await Ids(Path.Combine(root, "good")));

        var missing = await CliRunner.RunAsync("extract", root, "--id-root", Path.Combine(directory.Path, "nope"));
        Assert.Equal(2, missing.ExitCode);
        AssertOneLineError(missing, "--id-root");
    }

    [Fact]
    public async Task Limits_are_named_options_and_a_bad_one_is_a_usage_error()
    {
        using var directory = new TempDirectory();
        var page = "<html><body>" + string.Concat(Enumerable.Repeat("<div>", 50)) + $"<p>{Body}</p><p>{NextBody}</p>" + string.Concat(Enumerable.Repeat("</div>", 50)) + "</body></html>";
        var file = directory.Write("nested.html", page);
        Assert.Equal(0, (await CliRunner.RunAsync("extract", file)).ExitCode);

        var lowered = await CliRunner.RunAsync("extract", file, "--limit", "MaxHtmlDepth=20");
        Assert.Equal(1, lowered.ExitCode);
        AssertOneLineError(lowered, "nested.html: page nests elements more than 20 deep (limit MaxHtmlDepth = 20)");

        var bad = await CliRunner.RunAsync("extract", file, "--limit", "MaxCats=2");
        Assert.Equal(2, bad.ExitCode);
        AssertOneLineError(bad, "unknown limit 'MaxCats'");
    }

    [Fact]
    public async Task A_gzipped_jsonl_of_repeated_records_stops_at_the_record_cap_with_a_few_lines_of_errors()
    {
        using var directory = new TempDirectory();
        var line = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { id = "same", text = Body }) + "\n");
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            for (var i = 0; i < 1_000_000; i++)
            {
                gzip.Write(line);
            }
        }

        var file = directory.WriteBytes("repeated.jsonl.gz", output.ToArray());
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = await CliRunner.RunAsync("extract", file, "--format", "json", "--limit", "MaxRecordsPerFile=2000");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.Equal(1, result.ExitCode);
        Assert.Single(result.OutLines);
        var errors = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.InRange(errors.Length, 2, 13);
        Assert.Contains(errors, e => e.Contains("MaxRecordsPerFile = 2,000", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("1989 more duplicate ids skipped (1999 in all)", StringComparison.Ordinal));
    }
}
