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
            Assert.True((long)(await PostgreSqlServer.ScalarAsync(connection, "SELECT count(*) FROM stemma_grain_state WHERE state_name = 'stemma-shard-snapshot'"))! >= 8);
            Assert.True((long)(await PostgreSqlServer.ScalarAsync(connection, "SELECT count(*) FROM stemma_grain_state WHERE state_name LIKE 'stemma-shard-log-%'"))! > 0);

            // For docs/scale.md: what the stored state costs per article.
            var snapshotBytes = (long)(await PostgreSqlServer.ScalarAsync(connection, "SELECT sum(length(payload)) FROM stemma_grain_state WHERE state_name = 'stemma-shard-snapshot'"))!;
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
