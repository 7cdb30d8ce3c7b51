using System.Net.Http.Json;
using Stemma.Present;
using Stemma.Relate;
using Stemma.Testing.Corpus;
using Stemma.Web.Api;
using Stemma.Web.Tests.Support;

namespace Stemma.Web.Tests.Api;

/// <summary>
/// The server shows what the stored pipeline decided, the same as `analyze`: a story in six versions keeps all six, with
/// the rewrite and the independent report set apart from the copies; a check finds spun copies and rewrites.
/// </summary>
public sealed class OnePipelineTests
{
    private static readonly string[] SixVersions = ["original", "repost", "syndicated", "spun", "rewrite", "independent"];

    [Fact]
    public async Task A_story_in_six_versions_is_one_stored_story_with_the_relations_analyze_gives()
    {
        await using var server = await RunningServer.StartAsync();
        var articles = FiveForms.Articles();

        // Arrival order unrelated to who copied whom, in three requests.
        var order = new[] { "spun", "football", "rewrite", "original", "museum", "independent", "syndicated", "repost" };
        foreach (var batch in order.Select(id => articles.Single(a => a.Id == id)).Chunk(3))
        {
            await Jsonl.PostAsync(server.Client, batch.Select(a => Jsonl.Line(a.Id, a.Id, a.Body, a.Site, a.Date)));
        }

        var story = (await server.Client.GetFromJsonAsync<StoryResult>("/api/stories/original"))!;
        Assert.Equal(SixVersions.Order(), story.Members.Select(m => m.Id).Order());

        var expected = new StoryAnalyzer().Analyze([.. order.Select(id => articles.Single(a => a.Id == id))], []).Documents.ToDictionary(d => d.Id);
        foreach (var member in story.Members)
        {
            // The API names a credited outside source as an original's parent; analyze keeps it as the origin.
            var parent = member.Parent == member.Origin && expected[member.Id].Parent is null ? null : member.Parent;
            Assert.Equal((member.Id, expected[member.Id].Family, expected[member.Id].Parent), (member.Id, member.Family, parent));
        }

        var copyFamily = story.Members.Single(m => m.Id == "original").Family;
        Assert.All(new[] { "repost", "syndicated", "spun" }, id => Assert.Equal(copyFamily, story.Members.Single(m => m.Id == id).Family));
        Assert.All(new[] { "rewrite", "independent" }, id => Assert.NotEqual(copyFamily, story.Members.Single(m => m.Id == id).Family));

        // The story page says the same: every version listed, the related coverage apart from the copies.
        var page = await server.Client.GetStringAsync("/story?id=original");
        Assert.Contains("Related coverage", page, StringComparison.Ordinal);
        Assert.All(SixVersions, id => Assert.Contains(id, page, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Check_finds_the_story_of_a_spun_copy_and_of_a_rewrite()
    {
        await using var server = await RunningServer.StartAsync();
        var stored = FiveForms.Articles().Where(a => a.Id is not ("spun" or "rewrite")).ToList();
        await Jsonl.PostAsync(server.Client, stored.Select(a => Jsonl.Line(a.Id, a.Id, a.Body, a.Site, a.Date)));

        using (var response = await Samples.PostTextAsync(server.Client, "/api/check", FiveForms.SpunBody))
        {
            var check = (await response.Content.ReadFromJsonAsync<CheckResponse>())!;
            var best = check.Matches[0];
            Assert.Contains(best.Id, new[] { "syndicated", "original", "repost" });
            Assert.Contains(best.Relation, new[] { Relations.Spun, Relations.Edited });
            Assert.DoesNotContain(check.Matches, m => m.Id is "football" or "museum");
        }

        using (var response = await Samples.PostTextAsync(server.Client, "/api/check", FiveForms.RewriteBody))
        {
            var check = (await response.Content.ReadFromJsonAsync<CheckResponse>())!;
            Assert.Contains(check.Matches, m => m.Id == "original" && m.Relation == Relations.Rewrite);

            // A rewrite shares the facts, hardly a phrase: its shingle overlap with the original is small.
            Assert.InRange(check.Matches.First(m => m.Id == "original").Jaccard, 0.0, 0.2);
        }
    }
}

/// <summary>The server notices what another writer (a CLI ingest in another process) changed in its store.</summary>
public sealed class OtherWriterTests
{
    [Fact]
    public async Task A_title_changed_by_another_writer_shows_on_the_next_story_view()
    {
        await using var server = await RunningServer.StartAsync();
        var original = FiveForms.Articles().Single(a => a.Id == "original");
        await Jsonl.PostAsync(server.Client, [Jsonl.Line("a", "Water plan approved", original.Body, original.Site, original.Date)]);
        var before = (await server.Client.GetFromJsonAsync<StoryResult>("/api/stories/a"))!;
        Assert.Equal("Water plan approved", before.Members.Single().Title);

        // Another store object over the same file, as a second process has: the server's cache cannot see this write.
        await using (var other = await Stemma.Storage.Sqlite.SqliteStore.OpenAsync(server.DatabasePath))
        {
            await new Stemma.Pipeline.StoreIngestor(other).IngestAsync([original with { Id = "a", Title = "Water plan approved, bills to rise", Body = original.Body + "\n\nBills will rise from April." }]);
        }

        var after = (await server.Client.GetFromJsonAsync<StoryResult>("/api/stories/a"))!;
        Assert.Equal("Water plan approved, bills to rise", after.Members.Single().Title);
        var page = await server.Client.GetStringAsync("/story?id=a");
        Assert.Contains("bills to rise", page, StringComparison.Ordinal);
    }
}
