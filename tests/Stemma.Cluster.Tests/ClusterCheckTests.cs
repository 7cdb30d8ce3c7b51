using Stemma.Pipeline;
using Stemma.Storage.Sqlite;
using Stemma.Testing.Corpus;

namespace Stemma.Cluster.Tests;

/// <summary>Reading through the cluster gives what reading the silos' store directly gives.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterCheckTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Check_through_the_cluster_equals_check_on_the_store_itself()
    {
        var stored = FiveForms.Articles().Where(a => a.Id != "spun").ToList();
        var spun = FiveForms.Articles().Single(a => a.Id == "spun") with { Id = "probe" };
        await using var store = fixture.NewStore();
        await new StoreIngestor(store).IngestAsync(stored);
        await using var direct = await SqliteStore.OpenAsync(store.Name);

        var options = new AnalyzeOptions();
        var lsh = StoreIngestor.LshParametersFor(options);
        var probe = new DocumentSketcher(options.Sketch, lsh).Sketch(spun);
        var terms = probe.Document.Terms!.ToList();
        Assert.Equal(await direct.FindBandCandidatesAsync(probe.Document.BandKeys), await store.FindBandCandidatesAsync(probe.Document.BandKeys));
        Assert.Equal(
            (await direct.GetTermFrequenciesAsync(terms)).OrderBy(f => f.Term).ToList(),
            (await store.GetTermFrequenciesAsync(terms)).OrderBy(f => f.Term).ToList());
        Assert.Equal(
            (await direct.GetPostingsAsync(terms, 2)).OrderBy(p => p.Term).ThenBy(p => p.DocumentId, StringComparer.Ordinal).ToList(),
            (await store.GetPostingsAsync(terms, 2)).OrderBy(p => p.Term).ThenBy(p => p.DocumentId, StringComparer.Ordinal).ToList());

        var expected = await new StoryReader(direct).CheckAsync(spun, 10);
        var actual = await new StoryReader(store).CheckAsync(spun, 10);
        Assert.Equal(
            expected.Select(m => (m.Stored.Id, m.Comparison.Relation, m.Comparison.Similarity, m.Placement?.StoryId)),
            actual.Select(m => (m.Stored.Id, m.Comparison.Relation, m.Comparison.Similarity, m.Placement?.StoryId)));
        Assert.Equal("syndicated", actual[0].Stored.Id);
    }
}
