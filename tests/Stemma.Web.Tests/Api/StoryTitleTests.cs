using System.Net.Http.Json;
using Stemma.Present;
using Stemma.Web.Api;
using Stemma.Web.Tests.Support;

namespace Stemma.Web.Tests.Api;

/// <summary>
/// The stories list (page and API) titles a story after its original, the stored lineage root, not after the first
/// member: in the samples the night-trains story's first file is the edited copy ("45 percent"), the original says
/// 38 percent (issue 11).
/// </summary>
public sealed class StoryTitleTests
{
    [Fact]
    public async Task The_night_trains_story_is_listed_under_the_originals_headline_not_the_edited_copys()
    {
        await using var server = await RunningServer.StartAsync();
        await Samples.IngestAllAsync(server.Client);

        var listed = (await server.Client.GetFromJsonAsync<StoryListResponse>("/api/stories?q=night+trains"))!;
        var summary = Assert.Single(listed.Stories, s => s.Size >= 4);
        Assert.Equal("night-trains/edited.txt", summary.FirstDocument);
        Assert.Equal("Valley Line to run night trains after ridership jumps 38 percent", summary.Title);
        Assert.NotNull(summary.Original);

        // The original is the stored lineage root of the story's largest family, as the story API shows it.
        var story = (await server.Client.GetFromJsonAsync<StoryResult>("/api/stories/" + Uri.EscapeDataString(summary.Id)))!;
        var largest = story.Members.GroupBy(m => m.Family).OrderByDescending(g => g.Count()).First();
        var root = Assert.Single(largest, m => m.Parent is null || story.Members.All(other => other.Id != m.Parent));
        Assert.Equal(root.Id, summary.Original);

        var page = await server.Client.GetStringAsync("/stories?q=night+trains");
        Assert.Contains(">Valley Line to run night trains after ridership jumps 38 percent</a>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("jumps 45 percent</a>", page, StringComparison.Ordinal);
    }
}
