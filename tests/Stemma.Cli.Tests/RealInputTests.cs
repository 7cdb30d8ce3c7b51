using System.Text.Json;

namespace Stemma.Cli.Tests;

/// <summary>Real-shaped inputs through the real command: untitled one-line text files and two versions of one URL.</summary>
public class RealInputTests
{
    private const string Story =
        "The ferry between Marrow Point and Lisle Island will stop running for three weeks in March while its only slipway is rebuilt, the island council said on Thursday. " +
        "Islanders who commute to the mainland will be offered a bus and a chartered boat from the old fish quay, which can only be used at high tide. " +
        "Council leader Odile Brancourt said the repairs could not wait another winter because the slipway cracked in two places during the January storms. " +
        "The council expects the work to cost about 2.4 million and has asked the regional transport fund to pay half of it before the end of the year.";

    [Fact]
    public async Task Two_texts_under_one_url_are_two_related_versions_and_untitled_text_is_read()
    {
        using var directory = new TempDirectory();
        const string url = "https://island.example/news/ferry-stops";
        var edited = Story.Replace("three weeks", "four weeks", StringComparison.Ordinal).Replace("2.4 million", "2.9 million", StringComparison.Ordinal);
        directory.Write("crawl-1.jsonl", JsonSerializer.Serialize(new { id = url, url, title = "Ferry to stop for slipway repairs", text = Story }) + "\n");
        directory.Write("crawl-2.jsonl", JsonSerializer.Serialize(new { id = url, url, title = "Ferry to stop for slipway repairs", text = edited }) + "\n");
        directory.Write("crawl-3.jsonl", JsonSerializer.Serialize(new { id = url, url, title = "Ferry to stop for slipway repairs", text = Story }) + "\n");
        directory.Write("saved/untitled.txt", "\n\n\n\n" + Story + "\n");

        var result = await CliRunner.RunAsync("analyze", directory.Path, "--format", "jsonl");

        // The repeat of the first text is the only input skipped, and it is named.
        Assert.Equal(1, result.ExitCode);
        var error = Assert.Single(result.Error.Split("\n", StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("crawl-3.jsonl", error, StringComparison.Ordinal);
        Assert.Contains("duplicate", error, StringComparison.Ordinal);

        var lines = result.OutLines.Select(line => JsonDocument.Parse(line).RootElement).ToDictionary(e => e.GetProperty("id").GetString()!);
        Assert.Equal(3, lines.Count);
        var second = Assert.Single(lines.Keys, id => id.StartsWith(url + "#v-", StringComparison.Ordinal));
        Assert.Matches("#v-[0-9a-f]{8}$", second);
        Assert.Equal(lines[url].GetProperty("family").GetString(), lines[second].GetProperty("family").GetString());
        Assert.Equal(lines[url].GetProperty("family").GetString(), lines["saved/untitled.txt"].GetProperty("family").GetString());

        var extracted = await CliRunner.RunAsync("extract", Path.Combine(directory.Path, "saved", "untitled.txt"), "--format", "json");
        var article = JsonDocument.Parse(extracted.Out).RootElement;
        Assert.Equal(JsonValueKind.Null, article.GetProperty("title").ValueKind);
        Assert.Equal(Story, article.GetProperty("body").GetString());
    }
}
