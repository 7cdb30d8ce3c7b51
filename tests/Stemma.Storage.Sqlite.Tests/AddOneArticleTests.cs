using Stemma.Pipeline;
using Stemma.Storage;
using Stemma.Testing.Corpus;
using Stemma.Testing.Storage;

namespace Stemma.Storage.Sqlite.Tests;

/// <summary>
/// Adding one article at a time with one long-lived ingestor (a server's): what it keeps between adds (the store's count
/// and document frequencies, features of stored documents) gives the answers of a fresh ingestor, also when another
/// writer changed the store in between; an article that relates to nothing is placed alone without touching the stories
/// around it; a long-lived check answers as a fresh one after the store changed.
/// </summary>
public class AddOneArticleTests
{
    [Fact]
    public async Task One_ingestor_adding_one_article_at_a_time_equals_analyze()
    {
        var articles = new SyntheticCorpus(11, StoredPipelineAssert.EveryOperation with { Stories = 6, UnrelatedArticles = 6 }).Generate().Select(d => d.ToArticle()).ToList();
        using var folder = new TemporaryFolder();
        await using var store = await SqliteStore.OpenAsync(Path.Combine(folder.Path, "stemma.db"));
        var ingestor = new StoreIngestor(store);
        foreach (var article in articles)
        {
            await ingestor.IngestAsync([article]);
        }

        await StoredPipelineAssert.EqualsAnalysisAsync(store, articles);
    }

    [Fact]
    public async Task A_kept_ingestor_writes_what_a_fresh_one_writes_after_another_writer_changed_the_store()
    {
        var articles = new SyntheticCorpus(12, StoredPipelineAssert.EveryOperation with { Stories = 4, UnrelatedArticles = 6 }).Generate().Select(d => d.ToArticle()).ToList();
        using var folder = new TemporaryFolder();
        await using var kept = await SqliteStore.OpenAsync(Path.Combine(folder.Path, "kept.db"));
        await using var fresh = await SqliteStore.OpenAsync(Path.Combine(folder.Path, "fresh.db"));
        var longLived = new StoreIngestor(kept);

        // The long-lived ingestor adds one article (and learns the frequencies of its terms), another writer adds most of
        // the corpus (raising those frequencies), then the long-lived one adds the rest one at a time.
        var first = articles[0];
        var others = articles.Skip(1).Take(articles.Count - 6).ToList();
        var last = articles.Skip(articles.Count - 5).ToList();
        await longLived.IngestAsync([first]);
        await new StoreIngestor(kept).IngestAsync(others);
        foreach (var article in last)
        {
            await longLived.IngestAsync([article]);
        }

        await new StoreIngestor(fresh).IngestAsync([first]);
        await new StoreIngestor(fresh).IngestAsync(others);
        foreach (var article in last)
        {
            await new StoreIngestor(fresh).IngestAsync([article]);
        }

        // Postings carry weights made from the document frequencies the ingest saw: stale ones would show.
        var options = new AnalyzeOptions();
        var sketcher = new DocumentSketcher(options.Sketch, StoreIngestor.LshParametersFor(options));
        var terms = articles.SelectMany(a => sketcher.Sketch(a).Document.Terms!).Distinct().ToList();
        var keptPostings = (await kept.GetPostingsAsync(terms, int.MaxValue)).Select(p => (p.Term, p.DocumentId, p.Weight)).Order().ToList();
        var freshPostings = (await fresh.GetPostingsAsync(terms, int.MaxValue)).Select(p => (p.Term, p.DocumentId, p.Weight)).Order().ToList();
        Assert.NotEmpty(freshPostings);
        Assert.Equal(freshPostings, keptPostings);
        Assert.Equal(await Placements(fresh, articles), await Placements(kept, articles));
    }

    [Fact]
    public async Task An_article_related_to_nothing_is_placed_alone_and_the_stories_around_it_keep_what_they_hold()
    {
        var corpus = new SyntheticCorpus(13, StoredPipelineAssert.EveryOperation with { Stories = 6, UnrelatedArticles = 2 }).Generate().Select(d => d.ToArticle()).ToList();

        // An article on another subject from the same generator: it shares common words with the stored ones (so it has
        // candidates and a region), not their stories.
        var outsider = new SyntheticCorpus(14, StoredPipelineAssert.EveryOperation with { Stories = 0, UnrelatedArticles = 1 }).Generate().Single().ToArticle() with { Id = "outsider" };
        using var folder = new TemporaryFolder();
        await using var store = await SqliteStore.OpenAsync(Path.Combine(folder.Path, "stemma.db"));
        await new StoreIngestor(store).IngestAsync(corpus);
        var placementsBefore = await Placements(store, corpus);
        var pairsBefore = await Pairs(store, corpus);

        var log = new List<string>();
        var report = await new StoreIngestor(store) { Log = log.Add }.IngestAsync([outsider]);

        Assert.Equal(1, report.Related);
        var region = Assert.Single(log, line => line.StartsWith("region of ", StringComparison.Ordinal));
        Assert.Contains("related to none", region, StringComparison.Ordinal);

        // It had stored candidates, all labelled and none related: the region is the article alone.
        var labelled = System.Text.RegularExpressions.Regex.Match(region, @"^region of 1 \(1 pending, (\d+) stored candidates, 0 related");
        Assert.True(labelled.Success, region);
        Assert.True(int.Parse(labelled.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) > 0, region);
        var placed = Assert.Single(await store.GetPlacementsAsync(["outsider"]));
        Assert.Equal(("outsider", "outsider", (string?)null), (placed.FamilyId, placed.StoryId, placed.Parent));
        Assert.Empty(await store.GetPairsAsync("outsider"));

        // Nothing else was placed again (same family, story, parent, relation, and the store size it was labeled at).
        Assert.Equal(placementsBefore, await Placements(store, corpus));
        Assert.Equal(pairsBefore, await Pairs(store, corpus));
        await StoredPipelineAssert.EqualsAnalysisAsync(store, [.. corpus, outsider]);
    }

    [Fact]
    public async Task A_copy_of_a_stored_article_is_related_with_its_story()
    {
        var corpus = new SyntheticCorpus(15, StoredPipelineAssert.EveryOperation with { Stories = 5, UnrelatedArticles = 2 }).Generate().Select(d => d.ToArticle()).ToList();
        var original = corpus.First(a => a.Id.EndsWith("-0", StringComparison.Ordinal));
        var copy = original with { Id = "copy", Site = "elsewhere.example" };
        using var folder = new TemporaryFolder();
        await using var store = await SqliteStore.OpenAsync(Path.Combine(folder.Path, "stemma.db"));
        var ingestor = new StoreIngestor(store);
        await ingestor.IngestAsync(corpus);
        var log = new List<string>();
        await new StoreIngestor(store) { Log = log.Add }.IngestAsync([copy]);

        Assert.DoesNotContain(log, line => line.Contains("related to none", StringComparison.Ordinal));
        var placements = (await store.GetPlacementsAsync([original.Id, "copy"])).ToDictionary(p => p.DocumentId);
        Assert.Equal(placements[original.Id].FamilyId, placements["copy"].FamilyId);
        Assert.NotEmpty(await store.GetPairsAsync("copy"));
        await StoredPipelineAssert.EqualsAnalysisAsync(store, [.. corpus, copy]);
    }

    [Fact]
    public async Task A_kept_check_answers_as_a_fresh_one_after_the_store_changed()
    {
        var articles = new SyntheticCorpus(16, StoredPipelineAssert.EveryOperation with { Stories = 6, UnrelatedArticles = 4 }).Generate().Select(d => d.ToArticle()).ToList();
        var checkedArticle = articles[^1] with { Id = "checked" };
        using var folder = new TemporaryFolder();
        await using var store = await SqliteStore.OpenAsync(Path.Combine(folder.Path, "stemma.db"));
        var cache = new StoreStateCache();
        var kept = new StoryReader(store, cache: cache);
        await new StoreIngestor(store).IngestAsync(articles.Take(articles.Count / 3));
        await kept.CheckAsync(checkedArticle, 10);

        // More stored documents: other candidates, other document frequencies and count.
        await new StoreIngestor(store).IngestAsync(articles.Skip(articles.Count / 3));
        var afterChange = await kept.CheckAsync(checkedArticle, 10);
        var expected = await new StoryReader(store).CheckAsync(checkedArticle, 10);

        Assert.NotEmpty(expected);
        Assert.Equal(Summary(expected), Summary(afterChange));
        Assert.Equal(1, cache.Invalidations);

        // Nothing changed since: the cache is used as it is and answers the same.
        Assert.Equal(Summary(expected), Summary(await kept.CheckAsync(checkedArticle, 10)));
        Assert.Equal(1, cache.Invalidations);
    }

    private static List<(string, string, double)> Summary(IReadOnlyList<CheckedMatch> matches) =>
        [.. matches.Select(m => (m.Stored.Id, m.Comparison.Relation, m.Comparison.Similarity))];

    private static async Task<List<StoredPlacement>> Placements(IStore store, IEnumerable<Article> articles) =>
        [.. (await store.GetPlacementsAsync([.. articles.Select(a => a.Id)])).OrderBy(p => p.DocumentId, StringComparer.Ordinal)];

    private static async Task<List<(string, string, string?, double?)>> Pairs(IStore store, IEnumerable<Article> articles)
    {
        var pairs = new HashSet<(string, string, string?, double?)>();
        foreach (var article in articles)
        {
            foreach (var pair in await store.GetPairsAsync(article.Id))
            {
                pairs.Add((pair.A, pair.B, pair.Relation, pair.Similarity));
            }
        }

        return [.. pairs.Order()];
    }
}
