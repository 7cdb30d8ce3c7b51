using System.Text.Json;
using Stemma.Pipeline;
using Stemma.Storage.Sqlite;
using Stemma.Testing.Corpus;

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
}
