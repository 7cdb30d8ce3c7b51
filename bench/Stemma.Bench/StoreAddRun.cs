using System.Diagnostics;
using System.Globalization;
using Stemma.Ingest;
using Stemma.Pipeline;
using Stemma.Storage;
using Stemma.Storage.Sqlite;

namespace Stemma.Bench;

/// <summary>
/// The add step of the stored pipeline alone: the first <c>--docs</c> articles of a corpus are read and sketched up
/// front (not timed), then added to a new SQLite file in batches of <c>--batch</c> (one transaction each, as `ingest`
/// adds them), <c>--rounds</c> times, each into its own new file. Prints each round's wall and process CPU time for the
/// adds alone and the median; nothing else runs in the process while they are timed.
/// Usage: store-add --corpus FILE.jsonl [--docs 30000] [--batch 5000] [--rounds 3] [--dir DIR]
/// </summary>
internal static class StoreAddRun
{
    public static int Run(string[] args)
    {
        string? corpus = null;
        var directory = Path.GetTempPath();
        int documents = 30_000, batchSize = 5_000, rounds = 3;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--corpus": corpus = args[i + 1]; break;
                case "--docs": documents = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--batch": batchSize = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--rounds": rounds = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--dir": directory = args[i + 1]; break;
                default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
            }
        }

        if (corpus is null)
        {
            Console.Error.WriteLine("store-add needs --corpus FILE.jsonl");
            return 2;
        }

        var options = new AnalyzeOptions();
        var sketcher = new DocumentSketcher(options.Sketch, StoreIngestor.LshParametersFor(options));
        var articles = ArticleReader.Read([corpus]).Where(o => o.Article is not null).Select(o => o.Article!).Take(documents).ToArray();
        var sketched = sketcher.SketchAll(articles);
        Console.WriteLine($"{sketched.Length} documents sketched; adding in batches of {batchSize}, {rounds} rounds");

        var walls = new List<double>();
        var cpus = new List<double>();
        for (var round = 1; round <= rounds; round++)
        {
            var path = Path.Combine(directory, $"store-add-{Environment.ProcessId}-{round}.db");
            Delete(path);
            var store = new SqliteStore(path);
            try
            {
                store.InitializeAsync().GetAwaiter().GetResult();
                GC.Collect();
                var process = Process.GetCurrentProcess();
                var cpuBefore = process.TotalProcessorTime;
                var clock = Stopwatch.StartNew();
                foreach (var batch in sketched.Chunk(batchSize))
                {
                    store.AddDocumentsAsync(batch).GetAwaiter().GetResult();
                }

                clock.Stop();
                process.Refresh();
                var cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
                walls.Add(clock.Elapsed.TotalSeconds);
                cpus.Add(cpu);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round}: {clock.Elapsed.TotalSeconds:F2} s wall, {cpu:F2} s CPU, {sketched.Length / cpu:F0} documents per CPU-second"));
            }
            finally
            {
                store.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }

            Delete(path);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"median: {Median(walls):F2} s wall, {Median(cpus):F2} s CPU"));
        return 0;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private static void Delete(string path)
    {
        foreach (var suffix in new[] { string.Empty, "-wal", "-shm", ".lock" })
        {
            File.Delete(path + suffix);
        }
    }
}
