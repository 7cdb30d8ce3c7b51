using System.Text.Json;
using System.Text.Json.Nodes;
using Stemma.Testing.Corpus;

namespace Stemma.Cli.Tests;

/// <summary>
/// One JSON wire model: `story --format json` and `compare --format json` print exactly what the API returns for the same
/// stored story and the same two documents (same fields, same names, same values).
/// </summary>
public sealed class WireShapeTests
{
    [Fact]
    public async Task Story_and_compare_json_of_the_cli_equal_the_api_answers_for_the_same_store()
    {
        using var directory = new TempDirectory();
        var articles = FiveForms.Articles();
        foreach (var article in articles)
        {
            directory.Write($"in/{article.Id}.jsonl", JsonSerializer.Serialize(new { id = article.Id, title = article.Title, text = article.Body, site = article.Site, date = article.Date }));
        }

        var database = Path.Combine(directory.Path, "stemma.db");
        var ingest = await CliRunner.RunAsync("ingest", Path.Combine(directory.Path, "in"), "--db", database);
        Assert.Equal(0, ingest.ExitCode);
        var story = await CliRunner.RunAsync("story", "original", "--db", database, "--format", "json");
        Assert.Equal(0, story.ExitCode);
        var compare = await CliRunner.RunAsync("compare", Path.Combine(directory.Path, "in", "original.jsonl"), Path.Combine(directory.Path, "in", "syndicated.jsonl"), "--format", "json");
        Assert.Equal(0, compare.ExitCode);

        await using var served = Served.Start("--db", database);
        var apiStory = JsonNode.Parse(await served.GetAsync("/api/stories/original"))!;
        var cliStory = JsonNode.Parse(story.Out)!;
        Assert.True(JsonNode.DeepEquals(cliStory, apiStory), $"CLI:\n{cliStory}\nAPI:\n{apiStory}");

        // The six versions with their parents, and a tree edge says how sure it is and which way it points.
        Assert.Equal(6, cliStory["members"]!.AsArray().Count);
        var edge = cliStory["trees"]!.AsArray().SelectMany(t => t!["edges"]!.AsArray()).First()!;
        Assert.NotNull(edge["direction"]);
        Assert.NotNull(edge["confidence"]);

        var apiCompare = JsonNode.Parse(await served.GetAsync("/api/compare?a=original&b=syndicated"))!;
        var cliCompare = JsonNode.Parse(compare.Out)!;
        Assert.True(JsonNode.DeepEquals(cliCompare, apiCompare), $"CLI:\n{cliCompare}\nAPI:\n{apiCompare}");
        Assert.NotEmpty(cliCompare["passages"]!.AsArray());
        Assert.NotNull(cliCompare["passages"]![0]!["startA"]);
        Assert.Contains(cliCompare["changes"]!.AsArray(), c => (string?)c!["kind"] == "figure" && ((string?)c["after"] ?? string.Empty).Contains("2.5", StringComparison.Ordinal));
        Assert.Equal(0, await served.StopAsync());
    }
}
