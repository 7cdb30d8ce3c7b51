using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Stemma.Present;
using Stemma.Web.Api;
using Xunit.Abstractions;

namespace Stemma.Web.Tests.Load;

/// <summary>
/// Eight independent clients (own connections) on loopback mix ingest, check and reads for a bounded time; nothing may
/// fail and every document a client was told is stored must be there afterwards.
/// </summary>
[Collection(Performance.TimingCollection.Name)]
public sealed class LoadTests(ITestOutputHelper output)
{
    private const int Clients = 8;

    [Fact]
    public async Task Eight_clients_ingesting_checking_and_reading_lose_nothing()
    {
        var seconds = int.TryParse(Environment.GetEnvironmentVariable("STEMMA_LOAD_SECONDS"), out var s) ? s : 20;
        await using var server = await RunningServer.StartAsync();
        await Samples.IngestAllAsync(server.Client);
        var seawall = await File.ReadAllTextAsync(Path.Combine(Samples.Folder, "seawall", "original.txt"));
        var trains = await File.ReadAllTextAsync(Path.Combine(Samples.Folder, "night-trains", "original.txt"));

        var stored = new ConcurrentBag<string>();
        var failures = new ConcurrentQueue<string>();
        var counts = new ConcurrentDictionary<string, int>();
        var latencies = new ConcurrentBag<double>();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        var workers = Enumerable.Range(0, Clients).Select(client => Task.Run(async () =>
        {
            using var http = server.NewClient();
            var random = new Random(client);
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var operation = (n + client) % 6;
                var name = operation switch { 0 => "ingest", 1 => "ingest-batch", 2 => "check", 3 => "stories", 4 => "story-page", _ => "document" };
                var watch = Stopwatch.StartNew();
                try
                {
                    await RunAsync(http, operation, client, n, random, seawall, trains, stored);
                    counts.AddOrUpdate(name, 1, (_, c) => c + 1);
                    latencies.Add(watch.Elapsed.TotalMilliseconds);
                }
                catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or TaskCanceledException or Xunit.Sdk.XunitException)
                {
                    failures.Enqueue($"{name}: {ex.Message}");
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);

        var sorted = latencies.Order().ToArray();
        output.WriteLine($"{sorted.Length} requests in {seconds} s from {Clients} clients; {failures.Count} failed; " +
                         string.Join(", ", counts.OrderBy(c => c.Key).Select(c => $"{c.Key} {c.Value}")) +
                         $"; p50 {Percentile(sorted, 0.5):0.0} ms, p99 {Percentile(sorted, 0.99):0.0} ms");
        Assert.Empty(failures);
        Assert.True(counts.GetValueOrDefault("ingest") > 0 && counts.GetValueOrDefault("check") > 0 && counts.GetValueOrDefault("story-page") > 0);

        using var verify = server.NewClient();
        var missing = new List<string>();
        foreach (var id in stored.Distinct())
        {
            using var response = await verify.GetAsync("/api/documents/" + id);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                missing.Add(id);
            }
        }

        output.WriteLine($"{stored.Distinct().Count()} documents ingested under load, {missing.Count} missing");
        Assert.Empty(missing);
        Assert.True(stored.Distinct().Count() >= Clients);

        // Copies ingested under load joined the seawall story rather than standing alone.
        var story = (await verify.GetFromJsonAsync<StoryResult>("/api/stories/seawall/aggregator-repost.txt"))!;
        Assert.Contains(story.Members, m => m.Id.StartsWith("load/", StringComparison.Ordinal));
    }

    private static async Task RunAsync(HttpClient http, int operation, int client, int n, Random random, string seawall, string trains, ConcurrentBag<string> stored)
    {
        switch (operation)
        {
            case 0:
            {
                var id = $"load/c{client}/n{n}.txt";
                var text = seawall.Replace("$4.2 million", $"${client}.{n} million", StringComparison.Ordinal);
                using var response = await Samples.PostTextAsync(http, "/api/documents", text, id);
                var body = await Success(response).Content.ReadFromJsonAsync<IngestResponse>();
                Assert.Equal(id, Assert.Single(body!.Documents).Id);
                stored.Add(id);
                break;
            }

            case 1:
            {
                var ids = Enumerable.Range(0, 3).Select(i => $"load/c{client}/b{n}-{i}").ToList();
                var lines = ids.Select((id, i) => Jsonl.Line(id, $"Night trains update {client} {n} {i}", trains.Replace("45 percent", $"{40 + i} percent", StringComparison.Ordinal), $"site{client}.example"));
                var body = await Jsonl.PostAsync(http, lines, $"load-{client}-{n}.jsonl");
                Assert.Equal(ids, body.Documents.Select(d => d.Id));
                foreach (var id in ids)
                {
                    stored.Add(id);
                }

                break;
            }

            case 2:
            {
                using var response = await Samples.PostTextAsync(http, "/api/check", seawall.Replace("Tuesday", "Wednesday", StringComparison.Ordinal));
                var body = await Success(response).Content.ReadFromJsonAsync<CheckResponse>();
                Assert.NotEmpty(body!.Matches);
                break;
            }

            case 3:
            {
                var list = await http.GetFromJsonAsync<StoryListResponse>(random.Next(2) == 0 ? "/api/stories?sort=newest" : "/api/stories?q=seawall");
                Assert.NotEmpty(list!.Stories);
                break;
            }

            case 4:
            {
                using var response = await http.GetAsync("/story?id=seawall%2Faggregator-repost.txt");
                Success(response);
                break;
            }

            default:
            {
                var candidates = stored.ToArray();
                var id = candidates.Length == 0 ? "seawall/original.txt" : candidates[random.Next(candidates.Length)];
                using var response = await http.GetAsync("/api/documents/" + id);
                Success(response);
                break;
            }
        }
    }

    private static HttpResponseMessage Success(HttpResponseMessage response) =>
        response.IsSuccessStatusCode ? response : throw new InvalidOperationException($"{(int)response.StatusCode} {response.RequestMessage?.RequestUri}");

    internal static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
