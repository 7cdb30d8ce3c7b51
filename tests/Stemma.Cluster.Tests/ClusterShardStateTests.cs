using Orleans.TestingHost;
using Stemma.Pipeline;
using Stemma.Storage;
using Stemma.Testing.Corpus;
using Stemma.Testing.PostgreSql;
using Stemma.Testing.Storage;

namespace Stemma.Cluster.Tests;

[CollectionDefinition(Name)]
public sealed class PostgreSqlCollection : ICollectionFixture<PostgreSqlServer>
{
    public const string Name = "postgres";
}

/// <summary>
/// Index shards keep snapshots and change logs in PostgreSQL through Orleans' ADO.NET grain storage: a shard whose silo
/// is stopped hard comes back on another silo from its snapshot and log, without reading the store again.
/// </summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class ClusterShardStateTests(PostgreSqlServer server, Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task A_shard_whose_silo_was_killed_comes_back_elsewhere_from_its_snapshot_and_log_without_a_rebuild()
    {
        var articles = new SyntheticCorpus(3, StoredPipelineAssert.EveryOperation).Generate().Select(d => d.ToArticle()).ToList();
        var (first, later) = (articles.Take(articles.Count * 2 / 3).ToList(), articles.Skip(articles.Count * 2 / 3).ToList());
        var connection = await server.CreateDatabaseAsync();
        await GrainStateSchema.EnsureAsync(connection);
        var folder = Path.Combine(Path.GetTempPath(), "stemma-cluster-state-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);

        // A snapshot every 5 changes: after the ingest each shard holds a snapshot and some log entries after it.
        var cluster = await ClusterFixture.StartAsync(3, new Dictionary<string, string>
        {
            [SqliteSilo.GrainStateKey] = connection,
            [SqliteSilo.SnapshotEveryKey] = "5",
        });
        try
        {
            var pipeline = new StorePipelineOptions { AddBatchSize = 9, RelateBatchSize = 20 };
            await using var store = new ClusterStore(cluster.Client, Path.Combine(folder, "cluster.db"), shardCount: 8) { RetryBudget = TimeSpan.FromMinutes(3) };
            await new StoreIngestor(store, pipeline: pipeline).IngestAsync(first);
            var before = await AnswersAsync(store, first);
            var version = await store.GetVersionAsync();
            Assert.True((long)(await PostgreSqlServer.ScalarAsync(connection, "SELECT count(*) FROM stemma_grain_state WHERE state_name = 'stemma-shard-manifest'"))! >= 8);
            Assert.True((long)(await PostgreSqlServer.ScalarAsync(connection, "SELECT count(*) FROM stemma_grain_state WHERE state_name LIKE 'stemma-shard-log-%'"))! > 0);

            // For docs/scale.md: what the stored state costs per article.
            var snapshotBytes = (long)(await PostgreSqlServer.ScalarAsync(connection, "SELECT sum(length(payload)) FROM stemma_grain_state WHERE state_name = 'stemma-shard-manifest' OR state_name LIKE 'stemma-shard-page-%' OR state_name LIKE 'stemma-shard-delta-%'"))!;
            var logBytes = (long)(await PostgreSqlServer.ScalarAsync(connection, "SELECT coalesce(sum(length(payload)), 0) FROM stemma_grain_state WHERE state_name LIKE 'stemma-shard-log-%'"))!;
            output.WriteLine($"{first.Count} articles, version {version}: snapshots {snapshotBytes} bytes = {(double)snapshotBytes / first.Count:F0} per article; log entries {logBytes} bytes");

            var victim = await ClusterFixture.BusiestSecondaryAsync(cluster);
            var lost = (await ClusterFixture.ShardHostsAsync(cluster, store)).Where(h => h.Value.Equals(victim.SiloAddress)).Select(h => h.Key).ToHashSet(StringComparer.Ordinal);
            Assert.NotEmpty(lost);
            await cluster.KillSiloAsync(victim);

            // Every answer is the same, and the shards that were lost stand at the store's version from snapshot plus log.
            Assert.Equal(before, await AnswersAsync(store, first));
            var hosts = await ClusterFixture.ShardHostsAsync(cluster, store);
            Assert.DoesNotContain(victim.SiloAddress, hosts.Values);
            var statistics = await store.GetShardStatisticsAsync();
            for (var s = 0; s < statistics.Count; s++)
            {
                if (lost.Contains(Shards.Key(store.Name, s, 8)))
                {
                    Assert.Equal(0, statistics[s].Rebuilds);
                    Assert.InRange(statistics[s].RestoredVersion, 0, version - 1);
                    Assert.Equal(version - statistics[s].RestoredVersion, statistics[s].ReplayedUpdates);
                    Assert.Equal(version, statistics[s].Version);
                }
            }

            // The restored shards take further writes as if nothing had happened.
            await new StoreIngestor(store, pipeline: pipeline).IngestAsync(later);
            await StoredPipelineAssert.EqualsAnalysisAsync(store, articles);
            var after = await store.GetShardStatisticsAsync();
            Assert.All(Enumerable.Range(0, 8).Where(s => lost.Contains(Shards.Key(store.Name, s, 8))), s => Assert.Equal(0, after[s].Rebuilds));
        }
        finally
        {
            await CleanUpAsync(cluster, connection, folder);
        }
    }

    [Fact]
    public async Task A_snapshot_writes_the_keys_that_changed_and_one_page_not_the_whole_shard_and_a_new_activation_reads_it_back()
    {
        var articles = new SyntheticCorpus(4, StoredPipelineAssert.EveryOperation with { Stories = 30, UnrelatedArticles = 30 }).Generate().Select(d => d.ToArticle()).ToList();
        var later = new SyntheticCorpus(8).Generate().Where(d => d.Operation == CopyOperation.Original).Take(2).Select(d => d.ToArticle() with { Id = "later-" + d.Id }).ToList();
        var connection = await server.CreateDatabaseAsync();
        await GrainStateSchema.EnsureAsync(connection);
        var folder = Path.Combine(Path.GetTempPath(), "stemma-cluster-pages-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        const int Pages = 32;
        var cluster = await ClusterFixture.StartAsync(1, new Dictionary<string, string>
        {
            [SqliteSilo.GrainStateKey] = connection,
            [SqliteSilo.SnapshotEveryKey] = "2",
            [SqliteSilo.SnapshotPagesKey] = Pages.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        try
        {
            await using var store = new ClusterStore(cluster.Client, Path.Combine(folder, "pages.db"), shardCount: 4);
            await new StoreIngestor(store, pipeline: new StorePipelineOptions { AddBatchSize = 10, RelateBatchSize = 20 }).IngestAsync(articles);
            var before = await RowsAsync(connection);
            var statisticsBefore = await store.GetShardStatisticsAsync();

            // Small changes: one new document added at a time, as many as make one snapshot in every shard.
            var options = new AnalyzeOptions();
            foreach (var document in new DocumentSketcher(options.Sketch, StoreIngestor.LshParametersFor(options)).SketchAll(later))
            {
                await store.AddDocumentsAsync([document]);
            }

            var after = await RowsAsync(connection);
            var statistics = await store.GetShardStatisticsAsync();
            for (var s = 0; s < statistics.Count; s++)
            {
                var key = Shards.Key(store.Name, s, 4);
                var taken = statistics[s].Snapshots - statisticsBefore[s].Snapshots;
                Assert.Equal(1, taken);
                Assert.Equal(statisticsBefore[s].Rebuilds, statistics[s].Rebuilds);

                // One manifest write per snapshot; the shard as stored is its pages, every one of them present.
                Assert.Equal(taken, after[(key, "stemma-shard-manifest")].Version - before[(key, "stemma-shard-manifest")].Version);
                var stored = after.Where(r => r.Key.Grain == key && r.Key.State.StartsWith("stemma-shard-page-", StringComparison.Ordinal)).ToList();
                Assert.Equal(Pages, stored.Count);
                var whole = stored.Sum(r => r.Value.Bytes);

                // What the snapshots wrote: rows new or rewritten since, other than log entries and the manifest.
                var written = after.Where(r => r.Key.Grain == key && !r.Key.State.StartsWith("stemma-shard-log-", StringComparison.Ordinal)
                    && r.Key.State != "stemma-shard-manifest" && (!before.TryGetValue(r.Key, out var was) || was.Version != r.Value.Version)).ToList();
                var pagesWritten = written.Count(r => r.Key.State.StartsWith("stemma-shard-page-", StringComparison.Ordinal));
                var deltasWritten = written.Count(r => r.Key.State.StartsWith("stemma-shard-delta-", StringComparison.Ordinal));
                output.WriteLine($"{articles.Count} articles, shard {s}: {taken} snapshots wrote {pagesWritten} pages and {deltasWritten} deltas, {written.Sum(r => r.Value.Bytes)} bytes; the whole shard is {whole} bytes in {Pages} pages");
                Assert.Equal(taken, pagesWritten);
                Assert.InRange(deltasWritten, 0, taken);
                Assert.True(written.Sum(r => r.Value.Bytes) * 4 < whole * taken, $"shard {s}: {written.Sum(r => r.Value.Bytes)} bytes in {taken} snapshots of a {whole}-byte shard");
            }

            // The new documents are related as any ingest relates what is pending.
            await new StoreIngestor(store).IngestAsync(later);

            // A new activation of every shard reads pages, deltas and log back and answers as before, with no rebuild.
            var answers = await AnswersAsync(store, [.. articles, .. later]);
            await cluster.Client.GetGrain<Orleans.Runtime.IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
            Assert.Equal(answers, await AnswersAsync(store, [.. articles, .. later]));
            var restored = await store.GetShardStatisticsAsync();
            var version = await store.GetVersionAsync();
            Assert.All(restored, r =>
            {
                Assert.Equal(0, r.Rebuilds);
                Assert.InRange(r.RestoredVersion, 0, version);
                Assert.Equal(version, r.Version);
            });
            await StoredPipelineAssert.EqualsAnalysisAsync(store, [.. articles, .. later]);
        }
        finally
        {
            await CleanUpAsync(cluster, connection, folder);
        }
    }

    /// <summary>Stops the silos and drops what the test made: its database and its folder (left if something still holds it).</summary>
    private async Task CleanUpAsync(Orleans.TestingHost.TestCluster cluster, string connection, string folder)
    {
        await cluster.StopAllSilosAsync();
        await cluster.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await server.DropDatabaseAsync(connection);
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>The shards' rows in grain storage: version (raised by every write) and payload bytes, by grain key and state name.</summary>
    private static async Task<Dictionary<(string Grain, string State), (int Version, long Bytes)>> RowsAsync(string connection)
    {
        var text = (string?)await PostgreSqlServer.ScalarAsync(connection,
            "SELECT string_agg(grain_key || chr(9) || state_name || chr(9) || version || chr(9) || coalesce(length(payload), 0), chr(10)) FROM stemma_grain_state WHERE state_name LIKE 'stemma-shard-%'");
        return (text ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split('\t'))
            .ToDictionary(f => (f[0], f[1]), f => (int.Parse(f[2], System.Globalization.CultureInfo.InvariantCulture), long.Parse(f[3], System.Globalization.CultureInfo.InvariantCulture)));
    }

    /// <summary>What the sharded index answers for every stored document: band and content-hash candidates, frequencies and postings of its terms.</summary>
    private static async Task<List<string>> AnswersAsync(ClusterStore store, IReadOnlyList<Article> articles)
    {
        var answers = new List<string>();
        foreach (var document in await store.GetDocumentsAsync([.. articles.Select(a => a.Id)]))
        {
            var terms = document.Terms ?? [];
            answers.Add(string.Join(",", await store.FindBandCandidatesAsync(document.BandKeys)));
            answers.Add(string.Join(",", await store.FindByContentHashAsync(document.ContentHash)));
            answers.Add(string.Join(",", (await store.GetTermFrequenciesAsync(terms)).OrderBy(f => f.Term)));
            answers.Add(string.Join(",", (await store.GetPostingsAsync(terms, 3)).OrderBy(p => p.Term).ThenBy(p => p.DocumentId, StringComparer.Ordinal)));
        }

        return answers;
    }
}
