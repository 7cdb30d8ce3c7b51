using System.Net;
using System.Text;
using System.Text.Json;
using Stemma.Relate;
using Stemma.Testing.Corpus;

namespace Stemma.Cli.Tests;

/// <summary>
/// `check` and `serve` as clients of a Stemma cluster: two `stemma silo` commands (run in this process, on loopback
/// ports) over one SQLite file, fed by `ingest --cluster`. Each answer through the cluster is checked against the same
/// command reading the silos' database directly.
/// </summary>
public sealed class ClusterCommandTests
{
    internal static readonly string[] SpunSources = ["syndicated", "original", "repost"];

    [Fact]
    public async Task Check_through_a_cluster_finds_what_a_spun_copy_copies_as_check_on_the_database_does()
    {
        using var directory = new TempDirectory();
        var (input, spun) = WriteFiveFormsWithoutSpun(directory);
        var database = Path.Combine(directory.Path, "stemma.db");
        await using var silos = await Silos.StartAsync(database);

        var ingest = await CliRunner.RunAsync("ingest", input, "--cluster", silos.Gateways);
        Assert.True(ingest.ExitCode == 0, ingest.Error);
        Assert.StartsWith("7 added, 0 updated, 0 unchanged, 0 rejected", ingest.Out, StringComparison.Ordinal);

        var check = await CliRunner.RunAsync("check", spun, "--cluster", silos.Gateways, "--format", "json");
        Assert.True(check.ExitCode == 0, check.Error);
        using var matches = JsonDocument.Parse(check.Out);
        var best = matches.RootElement[0];
        Assert.Contains(best.GetProperty("id").GetString(), SpunSources);
        Assert.Contains(best.GetProperty("relation").GetString(), new[] { Relations.Spun, Relations.Edited });
        Assert.DoesNotContain(matches.RootElement.EnumerateArray(), m => m.GetProperty("id").GetString() is "football" or "museum");

        // The match carries the stored story: the one `story` gives for the original, read from the database itself.
        var story = await CliRunner.RunAsync("story", "original", "--db", database, "--format", "json");
        Assert.True(story.ExitCode == 0, story.Error);
        using var stored = JsonDocument.Parse(story.Out);
        Assert.Equal(stored.RootElement.GetProperty("id").GetString(), best.GetProperty("story").GetString());

        // Through the cluster or on the database: the same matches, labels and changes.
        var direct = await CliRunner.RunAsync("check", spun, "--db", database, "--format", "json");
        Assert.True(direct.ExitCode == 0, direct.Error);
        Assert.Equal(direct.Out, check.Out);

        var table = await CliRunner.RunAsync("check", spun, "--cluster", silos.Gateways);
        Assert.Equal(0, table.ExitCode);
        Assert.Contains($"{matches.RootElement.GetArrayLength()} stored documents relate to spun.txt", table.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_through_a_cluster_answers_stories_and_check_and_stores_an_upload_in_the_cluster()
    {
        using var directory = new TempDirectory();
        var (input, _) = WriteFiveFormsWithoutSpun(directory);
        var database = Path.Combine(directory.Path, "stemma.db");
        await using var silos = await Silos.StartAsync(database);
        Assert.Equal(0, (await CliRunner.RunAsync("ingest", input, "--cluster", silos.Gateways)).ExitCode);

        await using var served = Served.Start("--cluster", silos.Gateways);
        // The stories list equals the database's own: same stories, same sizes.
        var expected = await StoriesAsync(database);
        using (var listed = JsonDocument.Parse(await served.GetAsync("/api/stories")))
        {
            var sizes = listed.RootElement.GetProperty("stories").EnumerateArray()
                .Where(s => s.GetProperty("size").GetInt32() >= 2)
                .ToDictionary(s => s.GetProperty("id").GetString()!, s => s.GetProperty("size").GetInt32());
            Assert.Equal(expected, sizes);
            Assert.Contains(5, sizes.Values);
        }

        string? bestStory;
        using (var content = new StringContent(FiveForms.SpunBody, Encoding.UTF8, "text/plain"))
        using (var response = await served.Client.PostAsync("/api/check", content))
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, text);
            using var check = JsonDocument.Parse(text);
            var best = check.RootElement.GetProperty("matches")[0];
            Assert.Contains(best.GetProperty("id").GetString(), SpunSources);
            Assert.Contains(best.GetProperty("relation").GetString(), new[] { Relations.Spun, Relations.Edited });
            bestStory = best.GetProperty("story").GetString();
            Assert.Contains(bestStory!, expected.Keys);
        }

        // An upload goes through the cluster too: it lands in the silos' database, in the spun copy's story.
        using (var content = new StringContent(FiveForms.SpunBody, Encoding.UTF8, "text/plain"))
        using (var response = await served.Client.PostAsync("/api/documents?name=spun.txt", content))
        {
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        }

        var after = await StoriesAsync(database);
        Assert.Equal(expected[bestStory!] + 1, after[bestStory!]);
        Assert.Equal(0, await served.StopAsync());

        Assert.StartsWith($"serving cluster {silos.Gateways} on {served.Url}", served.Output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_and_serve_with_no_silo_answering_stop_with_one_line()
    {
        using var directory = new TempDirectory();
        var file = directory.Write("a.txt", FiveForms.SpunBody);
        var nobody = $"127.0.0.1:{Serving.FreePort()}";
        foreach (var command in new[] { new[] { "check", file, "--cluster", nobody }, ["serve", "--cluster", nobody, "--urls", $"http://127.0.0.1:{Serving.FreePort()}", "--no-warm-up"] })
        {
            var result = await CliRunner.RunAsync(command);
            Assert.Equal(1, result.ExitCode);
            var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith($"stemma: cluster {nobody}: no silo answered", line, StringComparison.Ordinal);
        }
    }

    /// <summary>The five forms and the unrelated articles as one JSONL file, the spun copy apart as a text file to check.</summary>
    internal static (string Input, string Spun) WriteFiveFormsWithoutSpun(TempDirectory directory)
    {
        var lines = FiveForms.Articles().Where(a => a.Id != "spun").Select(a => JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["id"] = a.Id,
            ["text"] = a.Body,
            ["date"] = a.Date!.Value.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        }));
        directory.Write("in/stored.jsonl", string.Join("\n", lines) + "\n");
        return (Path.Combine(directory.Path, "in"), directory.Write("spun.txt", FiveForms.SpunBody));
    }

    /// <summary>Story id and size of every story of two or more, as `stories --db` lists them.</summary>
    private static async Task<Dictionary<string, int>> StoriesAsync(string database)
    {
        var stories = await CliRunner.RunAsync("stories", "--db", database, "--format", "json");
        Assert.True(stories.ExitCode == 0, stories.Error);
        using var listed = JsonDocument.Parse(stories.Out);
        return listed.RootElement.EnumerateArray().ToDictionary(s => s.GetProperty("story").GetString()!, s => s.GetProperty("size").GetInt32());
    }

    /// <summary>
    /// Two `stemma silo` commands over one database, stopped (Ctrl+C) on dispose: a primary and one that joins it, or,
    /// with membership in PostgreSQL, two that find each other there.
    /// </summary>
    internal sealed class Silos : IAsyncDisposable
    {
        private readonly CancellationTokenSource stop = new();
        private readonly List<(Task<int> Run, StringWriter Out, StringWriter Error)> running = [];

        public string Gateways { get; private set; } = string.Empty;

        /// <param name="database">The store the silos serve (--db).</param>
        /// <param name="membership">A postgres:// URI to keep membership in (--cluster), or null for development clustering on loopback.</param>
        public static async Task<Silos> StartAsync(string database, string? membership = null)
        {
            var silos = new Silos();
            try
            {
                var primary = Serving.FreePort();
                var gateways = new List<string>();
                foreach (var join in new string?[] { null, $"127.0.0.1:{primary}" })
                {
                    var siloPort = join is null ? primary : Serving.FreePort();
                    var gateway = Serving.FreePort();
                    string[] joining = membership is not null ? ["--cluster", membership, "--address", "127.0.0.1"] : join is null ? [] : ["--cluster", join];
                    string[] args = ["silo", "--db", database, "--port", $"{siloPort}", "--gateway-port", $"{gateway}", .. joining];
                    await silos.StartOneAsync(args);
                    gateways.Add($"127.0.0.1:{gateway}");
                }

                silos.Gateways = membership ?? string.Join(",", gateways);
                return silos;
            }
            catch
            {
                await silos.DisposeAsync();
                throw;
            }
        }

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            foreach (var (run, output, error) in running)
            {
                Assert.True(await run == 0, $"silo: {error}");
                Assert.Contains("silo stopped", output.ToString(), StringComparison.Ordinal);
                output.Dispose();
                error.Dispose();
            }

            stop.Dispose();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        }

        private async Task StartOneAsync(string[] args)
        {
            var output = new StringWriter();
            var error = new StringWriter();
            var synchronizedOut = TextWriter.Synchronized(output);
            var run = StemmaApp.RunAsync(args, synchronizedOut, TextWriter.Synchronized(error), stop.Token);
            running.Add((run, output, error));
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
            while (true)
            {
                lock (synchronizedOut)
                {
                    if (output.ToString().Contains("silo on port", StringComparison.Ordinal))
                    {
                        return;
                    }
                }

                if (run.IsCompleted || DateTime.UtcNow > deadline)
                {
                    throw new InvalidOperationException($"silo {string.Join(' ', args)} did not start: {error}");
                }

                await Task.Delay(100);
            }
        }
    }
}
