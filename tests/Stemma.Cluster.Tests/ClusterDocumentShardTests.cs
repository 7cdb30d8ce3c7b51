using System.Text.Json;
using Orleans.Runtime;
using Stemma.Pipeline;
using Stemma.Storage;
using Stemma.Storage.Sqlite;
using Stemma.Testing.Corpus;
using Stemma.Testing.Storage;

namespace Stemma.Cluster.Tests;

/// <summary>Documents live in document shards by id; reading them through the cluster gives what the store gives.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterDocumentShardTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Documents_read_through_the_document_shards_equal_the_stores_own_after_an_ingest_through_three_silos()
    {
        var articles = new SyntheticCorpus(5, StoredPipelineAssert.EveryOperation).Generate().Select(d => d.ToArticle()).ToList();
        await using var store = fixture.NewStore(shards: 6);
        await new StoreIngestor(store, pipeline: new StorePipelineOptions { AddBatchSize = 9, RelateBatchSize = 20 }).IngestAsync(articles);
        await using var direct = await SqliteStore.OpenAsync(store.Name);

        // Every id in a shuffled order, some twice, and ids the store never had: the store's answer, document for document.
        var random = new Random(5);
        var ids = articles.Select(a => a.Id).OrderBy(_ => random.Next())
            .Concat(articles.Take(7).Select(a => a.Id)).Concat(["unknown-1", "unknown-2"]).OrderBy(_ => random.Next()).ToList();
        var expected = await direct.GetDocumentsAsync(ids);
        Assert.Equal(articles.Count + 7, expected.Count);
        Assert.Equal(Json(expected), Json(await store.GetDocumentsAsync(ids)));
        Assert.Equal(Json([await direct.GetDocumentAsync(articles[3].Id)]), Json([await store.GetDocumentAsync(articles[3].Id)]));
        Assert.Null(await store.GetDocumentAsync("unknown-1"));

        // The documents really are spread by id, each in the shard its id hashes to, on more than one silo; and every
        // write reached every shard at its version (one read of the store each, on the first use, none since).
        var statistics = await store.GetDocumentShardStatisticsAsync();
        var version = await direct.GetVersionAsync();
        Assert.Equal(
            Enumerable.Range(0, 6).Select(s => articles.Count(a => Shards.OfDocument(a.Id, 6) == s)),
            statistics.Select(s => s.Documents));
        Assert.All(statistics, s =>
        {
            Assert.True(s.Documents > 0 && s.Bytes > 0);
            Assert.Equal(version, s.Version);
            Assert.Equal(1, s.Rebuilds);
        });
        // Shards go round the silos by number (ShardPlacementStrategy): each on the silo its key names, two on each of three.
        var management = fixture.Cluster.Client.GetGrain<IManagementGrain>(0);
        var silos = (await management.GetHosts(onlyActive: true)).Keys.Order().ToArray();
        var grains = await management.GetDetailedGrainStatistics();
        foreach (var type in new[] { nameof(DocumentShardGrain), nameof(IndexShardGrain) })
        {
            var placed = grains.Where(s => s.GrainType.Contains(type, StringComparison.Ordinal) && s.GrainId.ToString().Contains(store.Name, StringComparison.Ordinal)).ToList();
            Assert.Equal(6, placed.Count);
            Assert.All(placed, s => Assert.Equal(silos[Shards.SiloOf(s.GrainId.Key.ToString()!, silos.Length)], s.SiloAddress));
            Assert.Equal([2, 2, 2], placed.GroupBy(s => s.SiloAddress).Select(g => g.Count()));
        }
    }

    [Fact]
    public async Task A_document_shard_that_missed_writes_reads_its_slice_again_and_a_stale_update_is_ignored()
    {
        var articles = new SyntheticCorpus(8, StoredPipelineAssert.EveryOperation).Generate().Select(d => d.ToArticle()).ToList();
        var late = articles.Skip(articles.Count - 3).ToList();
        articles = articles.Take(articles.Count - 3).ToList();
        await using var store = fixture.NewStore(shards: 4);
        await new StoreIngestor(store).IngestAsync(articles);
        var before = await store.GetDocumentShardStatisticsAsync();

        // Writes the shards never hear of: straight into the silos' file, a document deleted, one changed, one added.
        var options = new AnalyzeOptions();
        var sketcher = new DocumentSketcher(options.Sketch, StoreIngestor.LshParametersFor(options));
        var changed = articles[5] with { Body = articles[5].Body + " A paragraph added later, with words of its own." };
        await using (var outside = await SqliteStore.OpenAsync(store.Name))
        {
            Assert.Equal(1, await outside.DeleteDocumentsAsync([articles[2].Id]));
            var outcomes = await outside.AddDocumentsAsync([sketcher.Sketch(changed).Document, sketcher.Sketch(late[0]).Document]);
            Assert.Equal(new[] { AddStatus.Updated, AddStatus.Added }, outcomes.Select(o => o.Status));
        }

        // The next write through the cluster finds every shard behind its version: each reads its slice again.
        var added = await store.AddDocumentsAsync([sketcher.Sketch(late[1]).Document]);
        Assert.Equal(AddStatus.Added, added.Single().Status);
        var after = await store.GetDocumentShardStatisticsAsync();
        Assert.Equal(before.Select(s => s.Rebuilds + 1), after.Select(s => s.Rebuilds));

        await using var direct = await SqliteStore.OpenAsync(store.Name);
        var ids = articles.Concat(late).Select(a => a.Id).ToList();
        var expected = await direct.GetDocumentsAsync(ids);
        Assert.Equal(articles.Count + 1, expected.Count);
        Assert.Equal(Json(expected), Json(await store.GetDocumentsAsync(ids)));
        Assert.Null(await store.GetDocumentAsync(articles[2].Id));
        Assert.Equal(changed.Body, (await store.GetDocumentAsync(articles[5].Id))!.Article.Body);
        Assert.Equal(articles.Count + 1, after.Sum(s => s.Documents));

        // An update from before the version a shard stands at changes nothing and costs no read of the store.
        var version = await direct.GetVersionAsync();
        var stray = sketcher.Sketch(late[2]).Document with { Position = 99 };
        var shard = fixture.Cluster.Client.GetGrain<IDocumentShardGrain>(Shards.Key(store.Name, Shards.OfDocument(stray.Article.Id, 4), 4));
        await shard.ApplyAsync(new DocumentShardUpdate(version - 1, version, [stray], [], false));
        Assert.Empty(await shard.GetDocumentsAsync([stray.Article.Id]));
        var statistics = await shard.GetStatisticsAsync();
        Assert.Equal(version, statistics.Version);
        Assert.Equal(after[Shards.OfDocument(stray.Article.Id, 4)].Rebuilds, statistics.Rebuilds);
    }

    private static List<string> Json(IEnumerable<StoredDocument?> documents) => [.. documents.Select(d => JsonSerializer.Serialize(d))];
}
