using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Stemma.Index;
using Stemma.Ingest;
using Stemma.Pipeline;
using Stemma.Sketch;
using Stemma.Testing.Corpus;
using Stemma.Text;

namespace Stemma.Bench;

/// <summary>
/// End-to-end run over a generated corpus (default 100k articles, ~300 MB): read the JSONL, sketch, LSH, verify,
/// group families, and report time per stage, throughput, peak memory, family quality against the ground truth,
/// `similar`-style query latency, and a classic k-permutation MinHash as the baseline measured in the same run.
/// Usage: e2e [--docs N] [--dir DIR] [--store yes] [--write files|jsonl] [--seed N]
/// `--write files` writes the corpus as one plain-text file per article (title line, then paragraphs) into
/// DIR/files-N and stops; `--write jsonl` writes only the JSONL file and stops: inputs for whole-process runs.
/// </summary>
internal static class EndToEndRun
{
    public static int Run(string[] args)
    {
        var documents = 100_000;
        var withStore = false;
        string? write = null;
        var seed = 0;
        var directory = Path.Combine(Path.GetTempPath(), "stemma-e2e");
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--docs": documents = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--dir": directory = args[i + 1]; break;
                case "--store": withStore = args[i + 1] == "yes"; break;
                case "--write": write = args[i + 1]; break;
                case "--seed": seed = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                default: Console.Error.WriteLine($"e2e: unknown option {args[i]}"); return 2;
            }
        }

        Directory.CreateDirectory(directory);
        // Another seed makes another corpus of the same shape, its ids prefixed so that corpora can go into one store.
        var name = seed == 0 ? $"{documents}" : $"{documents}-seed{seed}";
        var corpusFile = Path.Combine(directory, $"corpus-{name}.jsonl");
        var truthFile = Path.Combine(directory, $"truth-{name}.tsv");
        if (!File.Exists(corpusFile) || !File.Exists(truthFile))
        {
            Generate(documents, seed, corpusFile, truthFile);
        }

        if (write == "files")
        {
            WriteFiles(documents, seed, Path.Combine(directory, $"files-{name}"));
            return 0;
        }

        if (write is not null)
        {
            return 0;
        }

        var bytes = new FileInfo(corpusFile).Length;
        Console.WriteLine($"corpus: {corpusFile} ({bytes / 1e6:F0} MB), {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd}");

        var total = Stopwatch.StartNew();
        var watch = Stopwatch.StartNew();
        var articles = ArticleReader.Read([corpusFile]).Where(o => o.Article is not null).Select(o => o.Article!).ToList();
        var readSeconds = watch.Elapsed.TotalSeconds;
        var textBytes = articles.Sum(a => (long)a.Body.Length * sizeof(char)) / 2;

        watch.Restart();
        var sketcher = new Sketcher();
        var sketches = CorpusAnalyzer.SketchAll(articles, sketcher);
        var sketchSeconds = watch.Elapsed.TotalSeconds;

        watch.Restart();
        var pairs = NearDuplicateFinder.FindPairs(sketches);
        var pairSeconds = watch.Elapsed.TotalSeconds;

        watch.Restart();
        var families = Stories.CopyFamilies.Assign(articles.Select(a => a.Id).ToList(), pairs);
        var familySeconds = watch.Elapsed.TotalSeconds;
        var totalSeconds = total.Elapsed.TotalSeconds;
        var peak = Process.GetCurrentProcess().PeakWorkingSet64;

        // The relate stage on top (labels, extra candidates, stories, lineage): what `analyze` runs in full.
        watch.Restart();
        var stories = new Relate.StoryAnalyzer().Analyze(articles, pairs, sketches);
        var relateSeconds = watch.Elapsed.TotalSeconds;
        var fullPeak = Process.GetCurrentProcess().PeakWorkingSet64;

        var truth = File.ReadLines(truthFile).Select(l => l.Split('\t')).ToDictionary(p => p[0], p => p[1]);
        var predicted = articles.Select((a, i) => (a.Id, families[i])).ToDictionary(p => p.Id, p => p.Item2);
        var ari = ClusteringMetrics.AdjustedRandIndex(truth, predicted);

        Console.WriteLine($"read      {readSeconds,7:F2} s  ({articles.Count} articles, {bytes / 1e6 / readSeconds:F0} MB/s)");
        Console.WriteLine($"sketch    {sketchSeconds,7:F2} s  ({textBytes / 1e6 / sketchSeconds:F0} MB/s on {Environment.ProcessorCount} cores = {textBytes / 1e6 / sketchSeconds / Environment.ProcessorCount:F0} MB/s per core)");
        Console.WriteLine($"lsh+verify{pairSeconds,7:F2} s  ({pairs.Count} verified pairs)");
        Console.WriteLine($"families  {familySeconds,7:F2} s  ({families.Distinct().Count()} families)");
        Console.WriteLine($"total     {totalSeconds,7:F2} s  peak working set {peak / 1e6:F0} MB");
        Console.WriteLine($"family ARI vs ground truth: {ari:F4}");
        var relatedFamilies = stories.Documents.ToDictionary(d => d.Id, d => d.Family);
        Console.WriteLine($"relate    {relateSeconds,7:F2} s  ({stories.Pairs.Count} labeled pairs, {stories.Trees.Count} lineage trees); " +
            $"full analyze {totalSeconds + relateSeconds:F2} s = {(totalSeconds + relateSeconds) / totalSeconds:F2}x the near-duplicate-only run; peak {fullPeak / 1e6:F0} MB; " +
            $"family ARI after relate {ClusteringMetrics.AdjustedRandIndex(truth, relatedFamilies):F4}");

        Console.WriteLine($"relate stages: {stories.Timings}");
        MeasureQueries(articles, sketches, sketcher);
        MeasureBaseline(articles, sketches.Length);
        if (withStore)
        {
            MeasureStore(articles, Path.Combine(directory, $"store-{documents}.db")).GetAwaiter().GetResult();
        }

        return 0;
    }

    /// <summary>`stemma ingest` into a fresh SQLite file, then `stemma similar ID` queries against it.</summary>
    private static async Task MeasureStore(List<Article> articles, string database)
    {
        foreach (var file in new[] { database, database + "-wal", database + "-shm" })
        {
            File.Delete(file);
        }

        var watch = Stopwatch.StartNew();
        await using (var store = await Storage.Sqlite.SqliteStore.OpenAsync(database))
        {
            var report = await new StoreIngestor(store).IngestAsync(articles);
            Console.WriteLine($"sqlite ingest {watch.Elapsed.TotalSeconds:F2} s  ({report.Added} added, {report.PairsStored} pairs, {new FileInfo(database).Length / 1e6:F0} MB file)");
        }

        // A fresh process opens the database and answers queries: reopen, then time each `similar`.
        await using var reopened = await Storage.Sqlite.SqliteStore.OpenAsync(database);
        var finder = new SimilarFinder(reopened);
        var random = new Random(7);
        var latencies = new List<double>();
        for (var q = 0; q < 1100; q++)
        {
            var id = articles[random.Next(articles.Count)].Id;
            watch.Restart();
            await finder.FindByIdAsync(id);
            if (q >= 100)
            {
                latencies.Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        latencies.Sort();
        Console.WriteLine($"similar ID on the {articles.Count}-document SQLite store: p50 {latencies[latencies.Count / 2]:F2} ms, p99 {latencies[(int)(latencies.Count * 0.99)]:F2} ms (1000 queries after 100 warm-up)");
    }

    /// <summary>`similar`-style queries: sketch a document, probe the LSH index, verify candidates exactly.</summary>
    private static void MeasureQueries(List<Article> articles, DocumentSketch[] sketches, Sketcher sketcher)
    {
        var parameters = LshParameters.Optimal(NearDuplicateOptions.Default.LshThreshold, sketcher.Options.SignatureSize);
        var index = new LshIndex(parameters);
        foreach (var sketch in sketches)
        {
            index.Add(LshIndex.BandKeys(sketch.Signature, parameters));
        }

        var random = new Random(1);
        var latencies = new List<double>();
        var found = new List<int>();
        for (var q = 0; q < 2000; q++)
        {
            var target = random.Next(articles.Count);
            var watch = Stopwatch.StartNew();
            var sketch = sketcher.Sketch(articles[target].Body);
            found.Clear();
            index.Query(LshIndex.BandKeys(sketch.Signature, parameters), found);
            var matches = 0;
            foreach (var candidate in found)
            {
                var (jaccard, containment, shared) = sketch.Shingles.Compare(sketches[candidate].Shingles);
                matches += NearDuplicateOptions.Default.Accepts(jaccard, containment, shared) ? 1 : 0;
            }

            latencies.Add(watch.Elapsed.TotalMilliseconds);
        }

        latencies.Sort();
        Console.WriteLine($"query on {articles.Count}-document index: p50 {latencies[latencies.Count / 2]:F3} ms, p99 {latencies[(int)(latencies.Count * 0.99)]:F3} ms");
    }

    /// <summary>The baseline: classic MinHash with 128 independent hash functions per shingle (k-permutation, scalar).</summary>
    private static void MeasureBaseline(List<Article> articles, int count)
    {
        var sample = articles.Take(Math.Min(count, 5000)).ToList();
        var sampleBytes = sample.Sum(a => (long)a.Body.Length);
        var sketcher = new Sketcher();
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        foreach (var article in sample)
        {
            sketcher.Sketch(article.Body);
        }

        var ours = watch.Elapsed.TotalSeconds;
        process.Refresh();
        var oursCpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
        cpuBefore = process.TotalProcessorTime;
        var seeds = Enumerable.Range(1, 128).Select(i => Shingler.Mix((ulong)i * 0x9E3779B97F4A7C15)).ToArray();
        var signature = new ulong[128];
        watch.Restart();
        foreach (var article in sample)
        {
            var normalized = TextNormalizer.Normalize(article.Body);
            var words = TokenHasher.HashWords(normalized);
            var shingles = new ulong[Math.Max(1, words.Length)];
            var n = Shingler.Combine(words, SketchOptions.Default.ShingleSize, 0, shingles);
            Array.Fill(signature, ulong.MaxValue);
            for (var s = 0; s < n; s++)
            {
                for (var h = 0; h < 128; h++)
                {
                    var value = Shingler.Mix(shingles[s] ^ seeds[h]);
                    if (value < signature[h])
                    {
                        signature[h] = value;
                    }
                }
            }
        }

        var baseline = watch.Elapsed.TotalSeconds;
        process.Refresh();
        var baselineCpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
        Console.WriteLine($"single thread, {sample.Count} articles: ours {sampleBytes / 1e6 / ours:F0} MB/s ({sampleBytes / 1e6 / oursCpu:F0} MB per CPU-second), " +
            $"k-permutation baseline {sampleBytes / 1e6 / baseline:F0} MB/s ({sampleBytes / 1e6 / baselineCpu:F0} MB per CPU-second), ratio {baseline / ours:F1}x");
    }

    /// <summary>The same generated corpus as the JSONL file, one `.txt` file per article (ids made file-name safe).</summary>
    private static void WriteFiles(int documents, int seed, string directory)
    {
        Directory.CreateDirectory(directory);
        var written = 0L;
        foreach (var document in GenerateDocuments(documents, seed))
        {
            var name = string.Concat(document.Id.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_')) + ".txt";
            var text = document.ToTextFile();
            File.WriteAllText(Path.Combine(directory, name), text);
            written += System.Text.Encoding.UTF8.GetByteCount(text);
        }

        Console.WriteLine($"wrote {documents} files, {written / 1e6:F1} MB, to {directory}");
    }

    private static IEnumerable<GeneratedDocument> GenerateDocuments(int documents, int seed)
    {
        var stories = documents / 6;
        var corpus = new SyntheticCorpus(100 + (2 * seed), new CorpusOptions { Stories = stories, UnrelatedArticles = 0 }).Generate().ToList();
        var unrelated = new SyntheticCorpus(101 + (2 * seed), new CorpusOptions { Stories = 0, UnrelatedArticles = Math.Max(0, documents - corpus.Count) }).Generate();
        corpus.AddRange(unrelated.Select(d => d with { Id = "x" + d.Id, FamilyId = "x" + d.FamilyId }));
        var prefix = seed == 0 ? string.Empty : $"r{seed}-";
        return corpus.Take(documents).Select(d => d with { Id = prefix + d.Id, FamilyId = prefix + d.FamilyId });
    }

    private static void Generate(int documents, int seed, string corpusFile, string truthFile)
    {
        Console.WriteLine($"generating {documents} articles...");
        var corpus = GenerateDocuments(documents, seed);
        using var writer = new StreamWriter(corpusFile);
        using var truth = new StreamWriter(truthFile);
        foreach (var document in corpus)
        {
            writer.WriteLine(JsonSerializer.Serialize(new { id = document.Id, title = document.Title, text = document.Body, date = document.Date }));
            truth.WriteLine($"{document.Id}\t{document.FamilyId}");
        }
    }
}
