using System.Diagnostics;
using System.Globalization;
using Stemma.Ingest;
using Stemma.Pipeline;
using Stemma.Storage.Sqlite;

namespace Stemma.Bench;

/// <summary>
/// What a newsroom sees when it adds articles one at a time to a large store, and what a fact-checker waits for `check`:
/// the corpus's first articles are ingested once into a base store (kept for later runs), then each of the next
/// <c>--adds</c> articles is ingested on its own (whole stored pipeline: add, relate, commit) into a copy of it, and each
/// of the last <c>--checks</c> articles (never stored) is checked against it. All in one warm process; prints p50, p95,
/// p99 and max of each. With <c>--add-copies</c> each add is instead a new copy of a stored article (its body less the
/// last paragraph, under a new id), so every add joins a stored story; <c>--verbose</c> prints where each add's time went.
/// The ingestor and the reader live as long as the run, as in a server (they keep what they know between operations).
/// Usage: store-latency --corpus FILE.jsonl --base FILE.db [--adds 200] [--checks 200] [--add-copies] [--verbose]
/// </summary>
internal static class StoreLatencyRun
{
    public static int Run(string[] args)
    {
        string? corpus = null, basePath = null;
        int adds = 200, checks = 200;
        bool copies = false, verbose = false;
        for (var i = 0; i < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--add-copies": copies = true; i--; continue;
                case "--verbose": verbose = true; i--; continue;
                case var _ when i + 1 >= args.Length: Console.Error.WriteLine($"{args[i]} needs a value"); return 2;
                case "--corpus": corpus = args[i + 1]; break;
                case "--base": basePath = args[i + 1]; break;
                case "--adds": adds = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--checks": checks = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
            }
        }

        if (corpus is null || basePath is null)
        {
            Console.Error.WriteLine("store-latency needs --corpus FILE.jsonl --base FILE.db");
            return 2;
        }

        IEnumerable<Article> Read() => ArticleReader.Read([corpus]).Where(o => o.Article is not null).Select(o => o.Article!);

        // Only the articles timed stay in memory, as in a server (which holds no corpus): a heap of 100k articles would
        // put its full collections into the figures.
        var total = 0;
        var tail = new Queue<Article>(adds + checks + 1);
        foreach (var article in Read())
        {
            total++;
            tail.Enqueue(article);
            if (tail.Count > adds + checks)
            {
                tail.Dequeue();
            }
        }

        if (total <= adds + checks)
        {
            Console.Error.WriteLine($"{corpus}: {total} articles, fewer than --adds + --checks");
            return 2;
        }

        var stored = total - adds - checks;
        var held = tail.ToList();
        List<Article> toAdd;
        if (copies)
        {
            var picks = Enumerable.Range(0, adds).Select(k => (int)((long)k * stored / adds)).ToHashSet();
            toAdd = [.. Read().Take(stored).Where((_, i) => picks.Contains(i)).Select(CopyOf)];
        }
        else
        {
            toAdd = held.GetRange(0, adds);
        }

        var toCheck = held.GetRange(adds, checks);
        return Task.Run(async () =>
        {
            if (!File.Exists(basePath))
            {
                var clock = Stopwatch.StartNew();
                await using (var build = await SqliteStore.OpenAsync(basePath).ConfigureAwait(false))
                {
                    await new StoreIngestor(build).IngestAsync(Read().Take(stored)).ConfigureAwait(false);
                }

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"base store of {stored} articles built in {clock.Elapsed.TotalSeconds:F1} s"));
            }

            var copy = Path.Combine(Path.GetTempPath(), $"stemma-latency-{Guid.NewGuid():N}.db");
            File.Copy(basePath, copy);
            try
            {
                await using var store = await SqliteStore.OpenAsync(copy).ConfigureAwait(false);
                var count = await store.CountDocumentsAsync().ConfigureAwait(false);
                Console.WriteLine($"store of {count} documents; {adds} adds, {checks} checks; {Environment.ProcessorCount} cores");

                // One add and one check first, untimed: the process is warm, as a server's would be.
                var ingestor = new StoreIngestor(store) { Log = verbose ? line => Console.Error.WriteLine(line) : null };
                if (toAdd.Count > 0)
                {
                    await ingestor.IngestAsync([toAdd[0]]).ConfigureAwait(false);
                }

                var reader = new StoryReader(store, cache: new StoreStateCache());
                if (toCheck.Count > 0)
                {
                    await reader.CheckAsync(toCheck[^1], 10).ConfigureAwait(false);
                }
                GC.Collect();

                var addTimes = new List<double>(adds);
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                for (var i = 1; i < adds; i++)
                {
                    var clock = Stopwatch.StartNew();
                    await ingestor.IngestAsync([toAdd[i]]).ConfigureAwait(false);
                    addTimes.Add(clock.Elapsed.TotalMilliseconds);
                }

                var addCpu = CpuSince(ref cpu) / Math.Max(1, addTimes.Count);
                var checkTimes = new List<double>(checks);
                foreach (var article in toCheck)
                {
                    var clock = Stopwatch.StartNew();
                    await reader.CheckAsync(article, 10).ConfigureAwait(false);
                    checkTimes.Add(clock.Elapsed.TotalMilliseconds);
                }

                var checkCpu = CpuSince(ref cpu) / Math.Max(1, checkTimes.Count);

                // CPU per operation (all threads) alongside wall time: on a machine shared with other work, wall time
                // includes waiting for a core.
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"add one article: {Percentiles(addTimes)}; CPU {addCpu:F1} ms per add"));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"check one article: {Percentiles(checkTimes)}; CPU {checkCpu:F1} ms per check"));
            }
            finally
            {
                foreach (var leftover in new[] { copy, copy + "-wal", copy + "-shm", copy + ".lock" })
                {
                    File.Delete(leftover);
                }
            }

            return 0;
        }).GetAwaiter().GetResult();
    }

    /// <summary>A new version of a stored article: another id, its last paragraph dropped (verbatim when it has one).</summary>
    private static Article CopyOf(Article original)
    {
        var paragraphs = original.Body.Split("\n\n");
        var body = paragraphs.Length > 2 ? string.Join("\n\n", paragraphs[..^1]) : original.Body;
        return original with { Id = original.Id + "-again", Body = body, Annotations = [] };
    }

    private static double CpuSince(ref TimeSpan start)
    {
        var now = Process.GetCurrentProcess().TotalProcessorTime;
        var spent = (now - start).TotalMilliseconds;
        start = now;
        return spent;
    }

    private static string Percentiles(List<double> milliseconds)
    {
        if (milliseconds.Count == 0)
        {
            return "none timed";
        }

        milliseconds.Sort();
        double At(double q) => milliseconds[Math.Min(milliseconds.Count - 1, (int)Math.Ceiling(q * milliseconds.Count) - 1)];
        return string.Create(CultureInfo.InvariantCulture, $"p50 {At(0.50):F1} ms, p95 {At(0.95):F1} ms, p99 {At(0.99):F1} ms, max {milliseconds[^1]:F1} ms");
    }
}
