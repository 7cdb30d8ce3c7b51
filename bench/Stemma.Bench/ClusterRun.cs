using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans;
using Stemma.Cluster;
using Stemma.Pipeline;
using Stemma.Storage;
using Stemma.Storage.Sqlite;
using Stemma.Testing.Corpus;

namespace Stemma.Bench;

/// <summary>
/// Ingest throughput through a Stemma cluster of 1, 2 and 3 silos (all in this process, localhost clustering, one SQLite
/// file behind them) against a single-process ingest of the same corpus into a fresh SQLite file, in one run; then the
/// figures docs/scale.md uses: grain calls per article, what each shard holds, the managed memory of the shards, and the
/// bytes per article of each table in the store.
/// The corpus is ingested in <c>--ingests</c> runs one after the other, so later runs look their documents up in the
/// index the earlier ones filled (a single ingest into an empty store relates everything as one region and never asks).
/// Usage: cluster [--docs 1000] [--shards 8] [--ingests 10] [--keep FILE (keeps the single-process store there)]
/// </summary>
internal static class ClusterRun
{
    public static int Run(string[] args)
    {
        var documents = 1_000;
        var shards = Shards.DefaultCount;
        var ingests = 10;
        string? keep = null;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--docs": documents = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--shards": shards = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--ingests": ingests = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--keep": keep = args[i + 1]; break;
                default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
            }
        }

        var corpus = new SyntheticCorpus(200, new CorpusOptions { Stories = documents / 6, UnrelatedArticles = 0 }).Generate().ToList();
        corpus.AddRange(new SyntheticCorpus(201, new CorpusOptions { Stories = 0, UnrelatedArticles = Math.Max(0, documents - corpus.Count) }).Generate()
            .Select(d => d with { Id = "x" + d.Id, FamilyId = "x" + d.FamilyId }));
        var articles = corpus.Take(documents).Select(d => d.ToArticle()).ToList();
        Console.WriteLine($"{articles.Count} articles, {articles.Sum(a => a.Body.Length) / 1e6:F1} M characters; {Environment.ProcessorCount} cores; {shards} index shards; {ingests} ingests one after the other");
        RunAsync(articles, shards, ingests, keep).GetAwaiter().GetResult();
        return 0;
    }

    private static async Task IngestAllAsync(IStore store, List<Article> articles, int ingests)
    {
        var size = (articles.Count + ingests - 1) / ingests;
        foreach (var part in articles.Chunk(size))
        {
            await new StoreIngestor(store).IngestAsync(part);
        }
    }

    private static async Task RunAsync(List<Article> articles, int shards, int ingests, string? keep)
    {
        var folder = Path.Combine(Path.GetTempPath(), "stemma-cluster-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var single = Path.Combine(folder, "single.db");
            var watch = Stopwatch.StartNew();
            await using (var store = await SqliteStore.OpenAsync(single))
            {
                await IngestAllAsync(store, articles, ingests);
            }

            var baseline = watch.Elapsed.TotalSeconds;
            Console.WriteLine($"single process: {baseline:F1} s, {articles.Count / baseline:F0} articles/s");
            TableBytes(single, articles.Count);
            if (keep is not null)
            {
                SqliteConnection.ClearAllPools();
                File.Copy(single, keep, overwrite: true);
            }

            for (var silos = 1; silos <= 3; silos++)
            {
                var path = Path.Combine(folder, $"cluster-{silos}.db");
                var hosts = new List<IHost>();
                for (var s = 0; s < silos; s++)
                {
                    var settings = new ClusterSettings
                    {
                        SiloPort = 21111 + s,
                        GatewayPort = 40000 + s,
                        PrimarySilo = s == 0 ? null : new IPEndPoint(IPAddress.Loopback, 21111),
                    };
                    var host = ClusterHosting.BuildSilo(settings, async (name, token) => await SqliteStore.OpenAsync(name, token));
                    await host.StartAsync();
                    hosts.Add(host);
                }

                var clientSettings = new ClusterSettings { Gateways = [.. Enumerable.Range(0, silos).Select(s => new IPEndPoint(IPAddress.Loopback, 40000 + s))] };
                using var client = ClusterHosting.BuildClient(clientSettings);
                await client.StartAsync();
                var store = new ClusterStore(client.Services.GetRequiredService<IClusterClient>(), path, shards);
                await store.InitializeAsync();
                GC.Collect();
                var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
                watch.Restart();
                await IngestAllAsync(store, articles, ingests);
                var seconds = watch.Elapsed.TotalSeconds;
                var calls = store.Calls;
                var statistics = await store.GetShardStatisticsAsync();
                var documentStatistics = await store.GetDocumentShardStatisticsAsync();
                Console.WriteLine(
                    $"{silos} silo(s): {seconds:F1} s, {articles.Count / seconds:F0} articles/s, {seconds / baseline:F2}x the single-process time; " +
                    $"{calls} grain calls = {(double)calls / articles.Count:F1} per article; {store.Writes} writes, each also {shards} gateway-to-document-shard messages = {(double)store.Writes * shards / articles.Count:F2} per article");
                Console.WriteLine(
                    $"  document shards hold {documentStatistics.Sum(s => (long)s.Documents)} documents, {documentStatistics.Sum(s => s.Bytes) / (double)articles.Count:F0} bytes of payload per article " +
                    $"(text in UTF-8, signature, band keys), {documentStatistics.Min(s => s.Documents)}-{documentStatistics.Max(s => s.Documents)} documents per shard; " +
                    $"reads of the store: {documentStatistics.Sum(s => s.Rebuilds)} by document shards, {statistics.Sum(s => s.Rebuilds)} by index shards");
                if (silos == 1)
                {
                    var heapAfter = GC.GetTotalMemory(forceFullCollection: true);
                    var totals = (Documents: statistics.Sum(s => (long)s.Documents), Hashes: statistics.Sum(s => (long)s.ContentHashes), Bands: statistics.Sum(s => (long)s.BandEntries), Terms: statistics.Sum(s => (long)s.Terms), Postings: statistics.Sum(s => (long)s.Postings));
                    Console.WriteLine(
                        $"  shards hold, per article: {(double)totals.Documents / articles.Count:F2} document entries, {(double)totals.Hashes / articles.Count:F2} content hashes, " +
                        $"{(double)totals.Bands / articles.Count:F1} band entries, {(double)totals.Terms / articles.Count:F1} distinct terms (corpus-wide), {(double)totals.Postings / articles.Count:F1} postings");
                    Console.WriteLine($"  managed heap grew by {(heapAfter - heapBefore) / 1e6:F1} MB over the ingest = {(double)(heapAfter - heapBefore) / articles.Count:F0} bytes per article (shards, plus whatever else the silo kept)");
                    await store.ClearAsync();
                    var heapCleared = GC.GetTotalMemory(forceFullCollection: true);
                    Console.WriteLine($"  clearing the index and document shards freed {(heapAfter - heapCleared) / 1e6:F1} MB = {(double)(heapAfter - heapCleared) / articles.Count:F0} bytes per article");
                }

                await store.DisposeAsync();
                await client.StopAsync();
                foreach (var host in Enumerable.Reverse(hosts))
                {
                    await host.StopAsync();
                    host.Dispose();
                }
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Bytes per article of each table and index in a store file (SQLite's dbstat).</summary>
    private static void TableBytes(string path, int articles)
    {
        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name, SUM(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC";
        try
        {
            using var reader = command.ExecuteReader();
            var line = new List<string>();
            while (reader.Read())
            {
                line.Add(string.Create(CultureInfo.InvariantCulture, $"{reader.GetString(0)} {reader.GetInt64(1) / (double)articles:F0}"));
            }

            Console.WriteLine("  store bytes per article: " + string.Join(", ", line));
        }
        catch (SqliteException error)
        {
            Console.WriteLine($"  store bytes per table: dbstat unavailable ({error.Message}); file {new FileInfo(path).Length / (double)articles:F0} bytes per article");
        }
    }
}
