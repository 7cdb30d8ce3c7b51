using System.Diagnostics;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Stemma.Present;
using Stemma.Testing.Corpus;
using Stemma.Web.Api;
using Xunit.Abstractions;

namespace Stemma.Web.Tests.Performance;

/// <summary>
/// Page render time for a 50-member story and check latency for a 5 kB article, timed from a loopback client (an upper
/// bound on server time). Bounds are loose enough for a shared CI machine; the figures are printed for the record.
/// </summary>
[Collection(TimingCollection.Name)]
public sealed class PerformanceTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_fifty_member_story_page_renders_fast()
    {
        await using var server = await RunningServer.StartAsync();
        var original = await File.ReadAllTextAsync(Path.Combine(Samples.Folder, "seawall", "original.txt"));
        var newline = original.IndexOf('\n', StringComparison.Ordinal);
        var (title, body) = (original[..newline].Trim(), original[(newline + 1)..].Trim());
        var start = new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);
        var lines = Enumerable.Range(0, 50).Select(i => Jsonl.Line(
            $"big/{i:000}",
            title,
            i == 0 ? body : body.Replace("$4.2 million", $"${4 + (i % 7)}.{i % 10} million", StringComparison.Ordinal) + (i % 3 == 0 ? $"\n\nThis report was shared by partner site number {i}." : string.Empty),
            $"site{i:00}.example",
            start.AddHours(i)));
        var ingested = await Jsonl.PostAsync(server.Client, lines);
        var storyId = ingested.Documents[0].Story!;
        Assert.All(ingested.Documents, d => Assert.Equal(storyId, d.Story));

        var url = "/story?id=" + Uri.EscapeDataString(storyId);
        var immediate = await TimeAsync(server.Client, url);

        // A second story of 50, opened after the background analysis that follows its ingest has had time to run.
        var trains = await File.ReadAllTextAsync(Path.Combine(Samples.Folder, "night-trains", "original.txt"));
        var second = await Jsonl.PostAsync(server.Client, Enumerable.Range(0, 50).Select(i => Jsonl.Line($"trains/{i:000}", "Night trains", trains.Replace("45 percent", $"{i} percent", StringComparison.Ordinal), $"site{i:00}.example", start.AddHours(i))), "trains.jsonl");
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            await server.Services.GetRequiredService<Services.StemmaCatalog>().WaitForPrewarmAsync(timeout.Token);
        }

        var prewarmed = await TimeAsync(server.Client, "/story?id=" + Uri.EscapeDataString(second.Documents[0].Story!));

        var warm = new List<double>();
        for (var i = 0; i < 20; i++)
        {
            warm.Add(await TimeAsync(server.Client, url));
        }

        var api = await server.Client.GetFromJsonAsync<StoryResult>("/api/stories/" + storyId);
        Assert.Equal(50, api!.Members.Count);
        var sorted = warm.Order().ToArray();
        output.WriteLine($"50-member story page: opened right after ingest in a fresh process (JIT, analysis, render) {immediate:0.0} ms; " +
                         $"opened after the background analysis {prewarmed:0.0} ms; repeat views p50 {LoadTestsPercentile(sorted, 0.5):0.0} ms, max {sorted[^1]:0.0} ms");
        Assert.True(immediate < 5000, $"first render took {immediate:0} ms");
        Assert.True(prewarmed < 100, $"prewarmed story page took {prewarmed:0} ms");
        Assert.True(LoadTestsPercentile(sorted, 0.5) < 100, $"cached render p50 {LoadTestsPercentile(sorted, 0.5):0} ms");
    }

    [Fact]
    public async Task Check_of_a_five_kilobyte_article_answers_fast()
    {
        var documents = int.TryParse(Environment.GetEnvironmentVariable("STEMMA_PERF_DOCS"), out var d) ? d : 2000;
        await using var server = await RunningServer.StartAsync();
        var corpus = new SyntheticCorpus(7, new CorpusOptions { Stories = documents / 6, UnrelatedArticles = documents / 4 }).Generate();
        foreach (var batch in corpus.Chunk(1000))
        {
            await Jsonl.PostAsync(server.Client, batch.Select(g => Jsonl.Line(g.Id, g.Title, g.Body, g.Site, g.Date)), $"corpus-{batch[0].Id}.jsonl");
        }

        using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3)))
        {
            // Timed on a quiet server: the story analyses that follow an ingest run in the background.
            await server.Services.GetRequiredService<Services.StemmaCatalog>().WaitForPrewarmAsync(timeout.Token);
        }

        var source = corpus.First(g => g.ParentId is null && g.Body.Length > 2500);
        var filler = corpus.Where(g => g.StoryId != source.StoryId).SelectMany(g => g.Body.Split(". ")).GetEnumerator();
        var text = source.Body;
        while (text.Length < 5000 && filler.MoveNext())
        {
            text += " " + filler.Current + ".";
        }

        var article = source.Title + "\n\n" + text[..Math.Min(text.Length, 5200)];
        var latencies = new List<double>();
        for (var i = 0; i < 220; i++)
        {
            var watch = Stopwatch.StartNew();
            using var response = await Samples.PostTextAsync(server.Client, "/api/check", article);
            var result = await response.Content.ReadFromJsonAsync<CheckResponse>();
            watch.Stop();
            Assert.Contains(result!.Matches, m => m.Id == source.Id);
            if (i >= 20)
            {
                latencies.Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        var sorted = latencies.Order().ToArray();
        output.WriteLine($"check of a {article.Length / 1024.0:0.0} kB article against {corpus.Count} documents: p50 {LoadTestsPercentile(sorted, 0.5):0.0} ms, p99 {LoadTestsPercentile(sorted, 0.99):0.0} ms over {sorted.Length} requests");
        Assert.True(LoadTestsPercentile(sorted, 0.99) < 250, $"check p99 {LoadTestsPercentile(sorted, 0.99):0} ms");
    }

    private static async Task<double> TimeAsync(HttpClient client, string url)
    {
        var watch = Stopwatch.StartNew();
        using var response = await client.GetAsync(url);
        _ = await response.Content.ReadAsByteArrayAsync();
        watch.Stop();
        response.EnsureSuccessStatusCode();
        return watch.Elapsed.TotalMilliseconds;
    }

    private static double LoadTestsPercentile(double[] sorted, double p) => Load.LoadTests.Percentile(sorted, p);
}

/// <summary>Timed tests run alone, not beside the browser and load tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingCollection
{
    public const string Name = "timing";
}
