using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Stemma.Bench;

/// <summary>
/// Load from a second process against a running `stemma serve`: N clients, each with its own connections, mix ingest,
/// check and reads for a fixed time; then every document the server said it stored is fetched back.
/// Usage: web-load [--url http://127.0.0.1:5080] [--seconds 60] [--clients 8] [--token T].
/// Exit code 0 only with zero failed requests and nothing missing.
/// </summary>
public static class WebLoadRun
{
    private const string Template =
        "Harbour council approves new ferry landing\n\n" +
        "The harbour council voted on Tuesday to build a new ferry landing at the north quay, approving a plan worth {0} after a long debate. " +
        "The old landing was damaged in the winter storms and has been closed since February, forcing passengers to use a temporary pontoon.\n\n" +
        "The harbour master said the work would start in May and take about five months. \"We cannot go through another winter like the last one,\" she said. " +
        "Local traders welcomed the decision, saying the closure had cost them a third of their summer visitors last year.\n\n" +
        "Two councillors voted against the plan, arguing that a coastal study due next spring should be finished first. " +
        "The money will come from a regional grant and the council's reserve, and harbour fees will not rise this year, the treasurer confirmed.";

    public static int Run(string[] args)
    {
        var url = new Uri(Option(args, "--url") ?? "http://127.0.0.1:5080");
        var seconds = int.Parse(Option(args, "--seconds") ?? "60", CultureInfo.InvariantCulture);
        var clients = int.Parse(Option(args, "--clients") ?? "8", CultureInfo.InvariantCulture);
        var token = Option(args, "--token");
        return RunAsync(url, seconds, clients, token).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(Uri url, int seconds, int clients, string? token)
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var stored = new ConcurrentBag<string>();
        var failures = new ConcurrentQueue<string>();
        var latencies = new ConcurrentDictionary<string, ConcurrentBag<double>>();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        var workers = Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            using var http = NewClient(url, token);
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var kind = ((n + client) % 5) switch { 0 => "ingest", 1 => "check", 2 => "stories", 3 => "story-page", _ => "document" };
                var watch = Stopwatch.StartNew();
                try
                {
                    await OneAsync(http, kind, $"load-{run}/c{client}/n{n}.txt", string.Format(CultureInfo.InvariantCulture, Template, $"${client}.{n} million"), stored);
                    latencies.GetOrAdd(kind, _ => []).Add(watch.Elapsed.TotalMilliseconds);
                }
                catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or TaskCanceledException or JsonException)
                {
                    failures.Enqueue($"{kind}: {ex.Message}");
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);

        using var verify = NewClient(url, token);
        var missing = 0;
        foreach (var id in stored.Distinct())
        {
            using var response = await verify.GetAsync("/api/documents/" + id);
            missing += response.StatusCode == HttpStatusCode.OK ? 0 : 1;
        }

        var total = latencies.Values.Sum(l => l.Count);
        Console.WriteLine($"{total} requests in {seconds} s from {clients} clients ({total / (double)seconds:0.0}/s); {failures.Count} failed; {stored.Count} documents ingested, {missing} missing afterwards");
        foreach (var (kind, values) in latencies.OrderBy(l => l.Key))
        {
            var sorted = values.Order().ToArray();
            Console.WriteLine($"  {kind,-11} {sorted.Length,6} requests  p50 {Percentile(sorted, 0.50),7:0.0} ms  p99 {Percentile(sorted, 0.99),7:0.0} ms");
        }

        foreach (var failure in failures.Take(10))
        {
            Console.Error.WriteLine("  failed: " + failure);
        }

        return failures.IsEmpty && missing == 0 ? 0 : 1;
    }

    private static async Task OneAsync(HttpClient http, string kind, string id, string article, ConcurrentBag<string> stored)
    {
        switch (kind)
        {
            case "ingest":
            {
                using var content = new StringContent(article, Encoding.UTF8, "text/plain");
                using var response = Ensure(await http.PostAsync("/api/documents?name=" + Uri.EscapeDataString(id), content));
                using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                foreach (var document in body.RootElement.GetProperty("documents").EnumerateArray())
                {
                    if (document.GetProperty("status").GetString() == "stored")
                    {
                        stored.Add(document.GetProperty("id").GetString()!);
                    }
                }

                break;
            }

            case "check":
            {
                using var content = new StringContent(article.Replace("Tuesday", "Wednesday", StringComparison.Ordinal), Encoding.UTF8, "text/plain");
                using var response = Ensure(await http.PostAsync("/api/check", content));
                break;
            }

            case "stories":
            {
                using var response = Ensure(await http.GetAsync("/api/stories?q=harbour"));
                break;
            }

            case "story-page":
            {
                var first = stored.FirstOrDefault();
                using var response = Ensure(await http.GetAsync(first is null ? "/stories" : "/story?id=" + Uri.EscapeDataString(first)));
                break;
            }

            default:
            {
                var any = stored.FirstOrDefault();
                using var response = Ensure(await http.GetAsync(any is null ? "/api/stories" : "/api/documents/" + any));
                break;
            }
        }
    }

    private static HttpClient NewClient(Uri url, string? token)
    {
        var http = new HttpClient(new SocketsHttpHandler()) { BaseAddress = url, Timeout = TimeSpan.FromSeconds(60) };
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        return http;
    }

    private static HttpResponseMessage Ensure(HttpResponseMessage response) =>
        response.IsSuccessStatusCode ? response : throw new InvalidOperationException($"{(int)response.StatusCode} {response.RequestMessage?.RequestUri}");

    private static string? Option(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
