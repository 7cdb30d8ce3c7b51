using System.Text.Json;
using Stemma.Pipeline;
using Stemma.Storage.Sqlite;
using Stemma.Testing.Corpus;
using Stemma.Testing.Storage;

namespace Stemma.Cluster.Tests;

/// <summary>Story grains follow the relate commits: a story merged into another learns it is gone, the survivor lists everyone.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterStoryTests(ClusterFixture fixture)
{
    [Fact]
    public async Task After_an_article_joins_two_stories_the_absorbed_story_grain_says_gone_and_the_survivor_lists_all_members()
    {
        // Two unrelated originals (two stories), then one article carrying both whole: each is an excerpt of it, one story.
        var originals = new SyntheticCorpus(7).Generate().Where(d => d.Operation == CopyOperation.Original).Take(2).Select(d => d.ToArticle()).ToList();
        Assert.NotEqual(originals[0].Body, originals[1].Body);
        var joined = new Article { Id = "joined", Title = "Both stories", Body = originals[0].Body + "\n\n" + originals[1].Body };
        await using var store = fixture.NewStore();
        await new StoreIngestor(store).IngestAsync(originals);
        var before = await store.GetPlacementsAsync([.. originals.Select(a => a.Id)]);
        Assert.NotEqual(before[0].StoryId, before[1].StoryId);
        foreach (var placement in before)
        {
            Assert.Equal([placement.DocumentId], (await store.GetStoryAsync(placement.StoryId)).Members);
        }

        await new StoreIngestor(store).IngestAsync([joined]);
        await using var direct = await SqliteStore.OpenAsync(store.Name);
        var after = await direct.GetPlacementsAsync(["joined", .. originals.Select(a => a.Id)]);
        var survivor = after[0].StoryId;
        Assert.All(after, p => Assert.Equal(survivor, p.StoryId));
        var absorbed = before.Select(p => p.StoryId).Where(s => s != survivor).ToList();
        Assert.NotEmpty(absorbed);

        foreach (var story in absorbed)
        {
            var gone = await store.GetStoryAsync(story);
            Assert.True(gone.Gone);
            Assert.Empty(gone.Members);
            Assert.Empty(await direct.GetStoryMembersAsync(story));
        }

        var kept = await store.GetStoryAsync(survivor);
        Assert.False(kept.Gone);
        Assert.Equal(3, kept.Members.Length);
        Assert.Equal(await direct.GetStoryMembersAsync(survivor), kept.Members);
        Assert.Equal(JsonSerializer.Serialize(await direct.GetTreesAsync(survivor)), JsonSerializer.Serialize(kept.Trees));
        Assert.Equal(kept.Members, await store.GetStoryMembersAsync(survivor));

        // A grain no commit told anything reads the store: a story that never was is gone.
        var never = await store.GetStoryAsync("no-such-story");
        Assert.True(never.Gone);
        Assert.Empty(never.Members);
        Assert.Empty(never.Trees);
    }

    [Fact]
    public async Task After_an_ingest_into_the_same_database_without_the_cluster_story_grains_serve_what_the_store_holds()
    {
        var articles = new SyntheticCorpus(5, StoredPipelineAssert.EveryOperation).Generate().Select(d => d.ToArticle()).ToList();
        var (through, around) = (articles.Take(articles.Count / 2).ToList(), articles.Skip(articles.Count / 2).ToList());
        await using var store = fixture.NewStore();
        await new StoreIngestor(store).IngestAsync(through);

        // Every story the cluster made, read through its grain: each grain holds a view.
        var before = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var story in (await store.GetPlacementsAsync([.. through.Select(a => a.Id)])).Select(p => p.StoryId).Distinct(StringComparer.Ordinal))
        {
            before[story] = (await store.GetStoryAsync(story)).Members;
        }

        // The other half goes into the same database without the cluster: the grains hear nothing of it.
        await using (var outside = await SqliteStore.OpenAsync(store.Name))
        {
            await new StoreIngestor(outside).IngestAsync(around);
        }

        // The ledger names the outside ingest's last step as not the cluster's.
        var ledger = fixture.Cluster.Client.GetGrain<IWriteLedgerGrain>(store.Name);
        var outsideVersion = await store.GetVersionAsync();
        Assert.Equal(outsideVersion, await ledger.GetUnreportedAsync());

        await StoredPipelineAssert.EqualsAnalysisAsync(store, articles);
        await using var direct = await SqliteStore.OpenAsync(store.Name);
        var placements = await direct.GetPlacementsAsync([.. articles.Select(a => a.Id)]);
        var stories = placements.Select(p => p.StoryId).Concat(before.Keys).Distinct(StringComparer.Ordinal).ToList();

        // The outside ingest changed stories the grains held (else this test could not fail).
        var changed = 0;
        foreach (var (story, members) in before)
        {
            changed += members.SequenceEqual(await direct.GetStoryMembersAsync(story)) ? 0 : 1;
        }

        Assert.True(changed > 0, "the outside ingest changed no story the grains held");

        var expected = CorpusAnalyzer.Analyze(articles).Documents.GroupBy(d => d.Story, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(d => d.Id).Order(StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
        foreach (var story in stories)
        {
            var view = await store.GetStoryAsync(story);
            var members = await direct.GetStoryMembersAsync(story);
            Assert.Equal(members, view.Members);
            Assert.Equal(members.Count == 0, view.Gone);
            Assert.Equal(JsonSerializer.Serialize(await direct.GetTreesAsync(story)), JsonSerializer.Serialize(view.Trees));
            Assert.Equal(expected.GetValueOrDefault(story) ?? [], [.. view.Members.Order(StringComparer.Ordinal)]);
            Assert.Equal(members, await store.GetStoryMembersAsync(story));
        }

        // A commit through the cluster afterwards is served from the grains again, and still equals the store.
        var extra = new Article { Id = "extra", Title = "Copy", Body = articles[0].Body };
        await new StoreIngestor(store).IngestAsync([extra]);
        var joined = (await direct.GetPlacementsAsync(["extra"]))[0].StoryId;
        Assert.Equal(await direct.GetStoryMembersAsync(joined), (await store.GetStoryAsync(joined)).Members);

        // The cluster's own steps were reported: views made since the outside ingest stay valid and are not read again.
        Assert.True(await store.GetVersionAsync() > outsideVersion);
        Assert.Equal(outsideVersion, await ledger.GetUnreportedAsync());
    }

    [Fact]
    public async Task The_ledger_names_the_newest_step_no_cluster_write_reported_whatever_the_order_of_reports_and_steps()
    {
        await using var store = fixture.NewStore();
        await store.InitializeAsync();
        await using var direct = await SqliteStore.OpenAsync(store.Name);
        var ledger = fixture.Cluster.Client.GetGrain<IWriteLedgerGrain>(store.Name);
        async Task<long> StepAsync()
        {
            var before = await direct.GetVersionAsync();
            await direct.AddPairsAsync([]);
            Assert.Equal(before + 1, await direct.GetVersionAsync());
            return before + 1;
        }

        // A new ledger suspects everything before it.
        var start = await direct.GetVersionAsync();
        Assert.Equal(start, await ledger.GetUnreportedAsync());

        // A step nobody reports is someone else's.
        var foreign = await StepAsync();
        Assert.Equal(foreign, await ledger.GetUnreportedAsync());

        // A step reported before the ledger sees the store reach it is the cluster's.
        await ledger.ReportAsync(foreign, foreign + 1);
        Assert.Equal(foreign + 1, await StepAsync());
        Assert.Equal(foreign, await ledger.GetUnreportedAsync());

        // A step seen before its report is suspect until the report comes (a commit whose grains are being told).
        var late = await StepAsync();
        Assert.Equal(late, await ledger.GetUnreportedAsync());
        await ledger.ReportAsync(late - 1, late);
        Assert.Equal(foreign, await ledger.GetUnreportedAsync());
    }
}
