using Stemma.Pipeline;
using Stemma.Relate;
using Stemma.Storage;
using Stemma.Testing.Corpus;
using Stemma.Testing.Storage;

namespace Stemma.Tests.Pipeline;

/// <summary>
/// When the relate order holds every stored document, its in-memory match of content hashes and band keys answers what the
/// store's sketch look-up answers, in the same order.
/// </summary>
public class RelateOrderSharingKeysTests
{
    [Theory]
    [InlineData(5)]
    [InlineData(6)]
    public async Task Sharing_keys_finds_what_the_stores_look_up_finds(int seed)
    {
        var analyze = new AnalyzeOptions();
        var lsh = StoreIngestor.LshParametersFor(analyze);
        var sketcher = new DocumentSketcher(analyze.Sketch, lsh);
        var articles = new SyntheticCorpus(seed, StoredPipelineAssert.EveryOperation with { Stories = 30, UnrelatedArticles = 20 })
            .Generate().Select(d => d.ToArticle()).ToList();

        // Bodies too short to shingle, twice the same: equal content hashes and band keys of an empty signature.
        articles.Add(new Article { Id = "short-1", Body = "Storm." });
        articles.Add(new Article { Id = "short-2", Body = "storm" });
        articles.Add(new Article { Id = "short-3", Body = "Calm." });

        var order = new RelateOrder(lsh);
        await using var store = new InMemoryStore();
        var documents = new List<StoredDocument>();
        foreach (var article in articles)
        {
            var (document, features, sketch) = sketcher.Sketch(article);
            documents.Add(document);
            order.Add(article.Id, features, sketch);
        }

        await store.AddDocumentsAsync(documents);
        Assert.True(order.Covers(documents.Count));

        var random = new Random(seed);
        var probes = documents.Where(_ => random.Next(3) == 0).ToList();
        var pending = documents.Where(_ => random.Next(2) == 0).Select(d => d.Article.Id).ToHashSet(StringComparer.Ordinal);
        var stored = await store.FindSketchCandidatesAsync([.. probes.Select(d => new SketchProbe(d.ContentHash, d.BandKeys))]);

        var shared = order.SharingKeys([.. probes.Select(d => d.Article.Id)], id => !pending.Contains(id));

        Assert.Equal(probes.Count, shared.Length);
        var nonEmpty = 0;
        for (var p = 0; p < probes.Count; p++)
        {
            var expected = stored[p].Where(id => !pending.Contains(id)).ToList();
            Assert.Equal(expected, shared[p]);
            nonEmpty += expected.Any(id => id != probes[p].Article.Id) ? 1 : 0;
        }

        // The corpus's copies share bands: the comparison is not of empty lists only.
        Assert.True(nonEmpty > 5, $"{nonEmpty} probes found another document");
    }

    [Fact]
    public void An_order_with_an_update_or_missing_documents_does_not_cover_the_store()
    {
        var analyze = new AnalyzeOptions();
        var lsh = StoreIngestor.LshParametersFor(analyze);
        var sketcher = new DocumentSketcher(analyze.Sketch, lsh);
        var order = new RelateOrder(lsh);
        var (_, features, sketch) = sketcher.Sketch(new Article { Id = "a", Body = "A storm closed the harbour on Monday." });
        order.Add("a", features, sketch);

        Assert.True(order.Covers(1));
        Assert.False(order.Covers(2)); // the store holds a document this run did not add

        order.Add("b", features, sketch, added: false);
        Assert.False(order.Covers(2)); // b was stored before, at a place the order does not know
    }
}
