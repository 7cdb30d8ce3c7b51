using Orleans.Runtime;
using Orleans.TestingHost;
using Stemma.Pipeline;
using Stemma.Storage;
using Stemma.Storage.Sqlite;
using Stemma.Testing.Corpus;
using Stemma.Testing.Storage;

namespace Stemma.Cluster.Tests;

/// <summary>A silo stopped hard in the middle of an ingest costs no article and changes no result.</summary>
public sealed class ClusterFaultTests
{
    [Fact]
    public async Task A_silo_killed_mid_ingest_loses_nothing_and_the_result_equals_an_uninterrupted_run()
    {
        var articles = new SyntheticCorpus(11, StoredPipelineAssert.EveryOperation).Generate().Select(d => d.ToArticle()).ToList();
        var folder = Path.Combine(Path.GetTempPath(), "stemma-cluster-fault-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var cluster = await ClusterFixture.StartAsync(3);
        try
        {
            var path = Path.Combine(folder, "cluster.db");
            var pipeline = new StorePipelineOptions { AddBatchSize = 10, RelateBatchSize = 30 };
            await using var store = new ClusterStore(cluster.Client, path, shardCount: 16) { RetryBudget = TimeSpan.FromMinutes(3) };
            SiloHandle? victim = null;
            var ingestor = new StoreIngestor(store, pipeline: pipeline)
            {
                Committed = step =>
                {
                    if (step == "added:4" && victim is null)
                    {
                        victim = ClusterFixture.BusiestSecondaryAsync(cluster, documentShardToo: true).GetAwaiter().GetResult();
                        cluster.KillSiloAsync(victim).GetAwaiter().GetResult();
                    }
                },
            };

            IngestReport report;
            try
            {
                report = await ingestor.IngestAsync(articles);
            }
            catch (Exception error) when (error is OrleansException or TimeoutException)
            {
                // The cluster gave up on a call: the ingest is run again, as an operator would.
                report = await new StoreIngestor(store, pipeline: pipeline).IngestAsync(articles);
            }

            Assert.NotNull(victim);
            Assert.Equal(0, report.Pending);
            Assert.Equal(2, cluster.GetActiveSilos().Count());
            Assert.Equal(articles.Count, await store.CountDocumentsAsync());
            // The index shards the killed silo held were activated again on the others and rebuilt from the store: every
            // shard answers, none lives on the dead silo, and together they hold every document's band keys.
            var statistics = await store.GetShardStatisticsAsync();
            var stored = await store.GetDocumentsAsync([.. articles.Select(a => a.Id)]);
            Assert.Equal(stored.Sum(d => d.BandKeys.Length), statistics.Sum(s => s.BandEntries));
            var hosts = (await cluster.Client.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics())
                .Where(s => s.GrainType.Contains(nameof(IndexShardGrain), StringComparison.Ordinal))
                .Select(s => s.SiloAddress)
                .ToList();
            Assert.Equal(16, hosts.Count);
            Assert.DoesNotContain(victim!.SiloAddress, hosts);

            // So were the document shards (held in memory only: read again from the store): every one on a live silo, at
            // the store's version, all articles among them, each answering what the store answers.
            var documentHosts = (await cluster.Client.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics())
                .Where(s => s.GrainType.Contains(nameof(DocumentShardGrain), StringComparison.Ordinal))
                .Select(s => s.SiloAddress)
                .ToList();
            Assert.Equal(16, documentHosts.Count);
            Assert.DoesNotContain(victim.SiloAddress, documentHosts);
            var documentStatistics = await store.GetDocumentShardStatisticsAsync();
            Assert.Equal(articles.Count, documentStatistics.Sum(s => s.Documents));
            Assert.All(documentStatistics, s => Assert.Equal(documentStatistics[0].Version, s.Version));
            await using (var direct = await SqliteStore.OpenAsync(path))
            {
                Assert.Equal(await direct.GetVersionAsync(), documentStatistics[0].Version);
                Assert.Equal(
                    (await direct.GetDocumentsAsync([.. articles.Select(a => a.Id)])).Select(d => System.Text.Json.JsonSerializer.Serialize(d)),
                    stored.Select(d => System.Text.Json.JsonSerializer.Serialize(d)));
            }

            await StoredPipelineAssert.EqualsAnalysisAsync(store, articles);

            // And the same as an uninterrupted single-process run of the same articles, pair for pair.
            await using var uninterrupted = await SqliteStore.OpenAsync(Path.Combine(folder, "single.db"));
            await new StoreIngestor(uninterrupted, pipeline: pipeline).IngestAsync(articles);
            var ids = articles.Select(a => a.Id).ToList();
            Assert.Equal(
                (await uninterrupted.GetPlacementsAsync(ids)).Select(p => (p.DocumentId, p.FamilyId, p.StoryId, p.Parent, p.Relation)).ToList(),
                (await store.GetPlacementsAsync(ids)).Select(p => (p.DocumentId, p.FamilyId, p.StoryId, p.Parent, p.Relation)).ToList());
            Assert.Equal(
                (await uninterrupted.GetPairsAmongAsync(ids)).Select(p => (p.A, p.B, p.Relation)).ToList(),
                (await store.GetPairsAmongAsync(ids)).Select(p => (p.A, p.B, p.Relation)).ToList());
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
