using System.Text.Json;

namespace Stemma.Cli.Tests;

/// <summary>
/// `stemma stories` titles a story after its original (the stored lineage root of its largest family), not after the
/// earliest member, which may be a doctored copy (issue 11: "Valley Line ... 45 percent" instead of "38 percent").
/// </summary>
public sealed class StoryTitleTests : IDisposable
{
    private const string Lead = "The Valley Line will add four late-night trains on Fridays and Saturdays from the first weekend of June, the regional transit authority announced on Thursday, after ridership on the route rose 38 percent over the past year.";
    private const string Middle = "The new services will leave Central Station at 12:15 a.m., 1:00 a.m., 1:45 a.m. and 2:30 a.m., calling at all eleven stations to Millbrook. Until now the last train left the city at 11:40 p.m., which riders and bar owners have long said pushed people into cars or expensive taxis.";
    private const string End = "Transit director Mara Quell said the trial would run for six months. \"If the riders keep coming, the trains stay,\" she told reporters at the depot, adding that fares would not change.";
    private const string OriginalTitle = "Valley Line to run night trains after ridership jumps 38 percent";
    private const string DoctoredTitle = "Valley Line to run night trains after ridership jumps 45 percent";
    private static readonly string Body = string.Join("\n\n", Lead, Middle, End);
    private static readonly string Doctored = Body.Replace("38 percent", "45 percent", StringComparison.Ordinal);
    private readonly TempDirectory directory = new();

    [Fact]
    public async Task Undated_the_story_is_titled_after_the_original_not_the_doctored_copy_inserted_first()
    {
        // Read in name order, so the doctored copy ("a-...") is the first member and, all undated, the "earliest".
        directory.Write("night/a-doctored.txt", DoctoredTitle + "\n" + Doctored + "\n");
        directory.Write("night/b-original.txt", OriginalTitle + "\n" + Body + "\n");
        directory.Write("night/c-repost.txt", OriginalTitle + "\n" + Body + "\n\nREAD MORE: Bus pilot extended\n");
        directory.Write("night/d-wire.txt", "Night trains for the Valley Line\n" + Body + "\n");

        var (story, database) = await IngestAndListAsync(Path.Combine(directory.Path, "night"));

        Assert.Equal("a-doctored.txt", story.GetProperty("first").GetString());
        Assert.Equal(OriginalTitle, story.GetProperty("title").GetString());
        Assert.NotEqual("a-doctored.txt", story.GetProperty("original").GetString());
        await AssertOriginalIsTheStoredRootAsync(story, database);
    }

    [Fact]
    public async Task Dated_a_copy_earlier_than_its_original_does_not_name_the_story_the_stored_root_does()
    {
        var lines = new[]
        {
            Line("doctored", DoctoredTitle, Doctored, "2026-03-01T08:00:00Z"),
            Line("original", OriginalTitle, Body, "2026-03-02T08:00:00Z"),
            Line("repost", OriginalTitle, Body + "\n\nREAD MORE: Bus pilot extended", "2026-03-02T12:00:00Z"),
            Line("wire", "Night trains for the Valley Line", Body, "2026-03-03T08:00:00Z"),
        };
        directory.Write("dated/night.jsonl", string.Join('\n', lines) + "\n");

        var (story, database) = await IngestAndListAsync(Path.Combine(directory.Path, "dated"));

        // Whatever the lineage decided, the title is its root's headline; the earliest-dated member stays "first".
        Assert.Equal("doctored", story.GetProperty("first").GetString());
        await AssertOriginalIsTheStoredRootAsync(story, database);
        var titles = new Dictionary<string, string> { ["doctored"] = DoctoredTitle, ["original"] = OriginalTitle, ["repost"] = OriginalTitle, ["wire"] = "Night trains for the Valley Line" };
        Assert.Equal(titles[story.GetProperty("original").GetString()!], story.GetProperty("title").GetString());
    }

    public void Dispose() => directory.Dispose();

    private static string Line(string id, string title, string text, string date) =>
        JsonSerializer.Serialize(new Dictionary<string, string> { ["id"] = id, ["title"] = title, ["text"] = text, ["date"] = date });

    private async Task<(JsonElement Story, string Database)> IngestAndListAsync(string folder)
    {
        var database = Path.Combine(directory.Path, Path.GetFileName(folder) + ".db");
        var ingest = await CliRunner.RunAsync("ingest", folder, "--db", database);
        Assert.True(ingest.ExitCode == 0, ingest.Error);
        var stories = await CliRunner.RunAsync("stories", "--db", database, "--format", "json");
        Assert.True(stories.ExitCode == 0, stories.Error);
        using var listed = JsonDocument.Parse(stories.Out);
        var story = Assert.Single(listed.RootElement.EnumerateArray());
        Assert.Equal(4, story.GetProperty("size").GetInt32());
        return (story.Clone(), database);
    }

    /// <summary>The listed original is the member `story` shows without a parent in the largest family, and the title its headline.</summary>
    private static async Task AssertOriginalIsTheStoredRootAsync(JsonElement story, string database)
    {
        var shown = await CliRunner.RunAsync("story", story.GetProperty("story").GetString()!, "--db", database, "--format", "json");
        Assert.True(shown.ExitCode == 0, shown.Error);
        using var members = JsonDocument.Parse(shown.Out);
        var all = members.RootElement.GetProperty("members").EnumerateArray().ToList();
        var largest = all.GroupBy(m => m.GetProperty("family").GetString()).OrderByDescending(g => g.Count()).First().Key;
        var roots = all.Where(m => m.GetProperty("family").GetString() == largest && m.GetProperty("parent").ValueKind == JsonValueKind.Null)
            .Select(m => m.GetProperty("id").GetString())
            .ToList();
        Assert.Equal(story.GetProperty("original").GetString(), Assert.Single(roots));
    }
}
