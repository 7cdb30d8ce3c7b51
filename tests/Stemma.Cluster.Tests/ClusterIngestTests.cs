using Orleans.Runtime;
using Stemma.Pipeline;
using Stemma.Storage;
using Stemma.Storage.Sqlite;
using Stemma.Testing.Corpus;
using Stemma.Testing.Storage;

namespace Stemma.Cluster.Tests;

/// <summary>
/// An ingest through a cluster of three silos (the candidate index sharded over grains on all of them) stores the same
/// families, stories, relations and parents as one in-memory analysis of the same articles.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterIngestTests(ClusterFixture fixture)
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Ingest_through_three_silos_in_random_batches_equals_analyze(int seed)
    {
        var random = new Random(seed);
        var articles = new SyntheticCorpus(seed, StoredPipelineAssert.EveryOperation).Generate().Select(d => d.ToArticle()).OrderBy(_ => random.Next()).ToList();
        await using var store = fixture.NewStore();
        var start = 0;
        foreach (var size in BatchSizes(articles.Count, random))
        {
            await new StoreIngestor(store, pipeline: new StorePipelineOptions { AddBatchSize = 7, RelateBatchSize = 25 })
                .IngestAsync(articles.GetRange(start, size));
            start += size;
        }

        await StoredPipelineAssert.EqualsAnalysisAsync(store, articles);
        var expected = CorpusAnalyzer.Analyze(articles);
        var placements = await store.GetPlacementsAsync([.. articles.Select(a => a.Id)]);
        Assert.Equal(1.0, ClusteringMetrics.AdjustedRandIndex(
            expected.Documents.ToDictionary(d => d.Id, d => d.Family),
            placements.ToDictionary(p => p.DocumentId, p => p.FamilyId)), 9);
        Assert.Equal(1.0, ClusteringMetrics.AdjustedRandIndex(
            expected.Documents.ToDictionary(d => d.Id, d => d.Story),
            placements.ToDictionary(p => p.DocumentId, p => p.StoryId)), 9);

        // The index really is spread: every shard holds a share of the documents' keys, on more than one silo.
        var statistics = await store.GetShardStatisticsAsync();
        Assert.All(statistics, s => Assert.True(s.Documents > 0 && s.BandEntries > 0 && s.Terms > 0 && s.Postings > 0));
        var stored = await store.GetDocumentsAsync([.. articles.Select(a => a.Id)]);
        Assert.Equal(stored.Sum(d => d.BandKeys.Length), statistics.Sum(s => s.BandEntries));
        Assert.Equal(stored.Count, statistics.Sum(s => s.ContentHashes) + stored.Count - stored.Select(d => d.ContentHash).Distinct().Count());
        var management = fixture.Cluster.Client.GetGrain<IManagementGrain>(0);
        var hosts = (await management.GetDetailedGrainStatistics())
            .Where(s => s.GrainType.Contains(nameof(IndexShardGrain), StringComparison.Ordinal))
            .Select(s => s.SiloAddress).Distinct().Count();
        Assert.True(hosts >= 2, $"index shards live on {hosts} silo(s)");

        // Every article was sketched by the cluster's stateless workers, on more than one silo, none by the client.
        Assert.Equal(articles.Count, store.Sketched);
        Assert.True(store.SketchedBySilo.Count >= 2, $"sketch workers ran on {store.SketchedBySilo.Count} silo(s)");
    }

    [Fact]
    public async Task Sketch_workers_make_the_documents_the_ingest_makes_in_process()
    {
        var articles = FiveForms.Articles();
        await using var store = fixture.NewStore();
        var options = new AnalyzeOptions();
        var lsh = StoreIngestor.LshParametersFor(options);
        var remote = await store.SketchAsync(articles, options.Sketch, lsh);
        var local = new DocumentSketcher(options.Sketch, lsh).SketchAll(articles);
        Assert.Equal(articles.Select(a => a.Id), remote.Select(d => d.Article.Id));
        for (var i = 0; i < articles.Count; i++)
        {
            Assert.Equal(local[i].ContentHash, remote[i].ContentHash);
            Assert.Equal(local[i].Signature, remote[i].Signature);
            Assert.Equal(local[i].BandKeys, remote[i].BandKeys);
            Assert.Equal(local[i].Terms, remote[i].Terms);
            Assert.Equal(local[i].Article.Body, remote[i].Article.Body);
        }
    }

    [Fact]
    public async Task The_sharded_index_answers_as_the_store_itself_does()
    {
        var articles = new SyntheticCorpus(5, StoredPipelineAssert.EveryOperation).Generate().Select(d => d.ToArticle()).ToList();
        await using var store = fixture.NewStore(shards: 5);
        await new StoreIngestor(store).IngestAsync(articles);
        var path = Path.Combine(fixture.Folder, "copy-" + Guid.NewGuid().ToString("N") + ".db");
        await using var direct = await SqliteStore.OpenAsync(path);
        await new StoreIngestor(direct).IngestAsync(articles);

        var documents = await store.GetDocumentsAsync([.. articles.Select(a => a.Id)]);
        var terms = documents.SelectMany(d => d.Terms ?? []).Distinct().ToList();
        Assert.Equal(
            (await direct.GetTermFrequenciesAsync(terms)).OrderBy(f => f.Term).ToList(),
            (await store.GetTermFrequenciesAsync(terms)).OrderBy(f => f.Term).ToList());
        Assert.Equal(
            (await direct.GetPostingsAsync(terms, 3)).OrderBy(p => p.Term).ThenBy(p => p.DocumentId, StringComparer.Ordinal).ToList(),
            (await store.GetPostingsAsync(terms, 3)).OrderBy(p => p.Term).ThenBy(p => p.DocumentId, StringComparer.Ordinal).ToList());
        foreach (var document in documents)
        {
            Assert.Equal(await direct.FindBandCandidatesAsync(document.BandKeys), await store.FindBandCandidatesAsync(document.BandKeys));
            Assert.Equal(await direct.FindByContentHashAsync(document.ContentHash), await store.FindByContentHashAsync(document.ContentHash));
        }
    }

    private static IEnumerable<int> BatchSizes(int total, Random random)
    {
        while (total > 0)
        {
            var size = Math.Min(total, random.Next(5, 40));
            yield return size;
            total -= size;
        }
    }
}
