using System.Text.Json;
using Stemma.Testing.Corpus;

namespace Stemma.Cli.Tests;

public class RelateCommandTests
{
    [Fact]
    public async Task Analyze_gives_families_stories_and_parents_for_every_kind_of_copy()
    {
        using var directory = new TempDirectory();
        var corpus = new SyntheticCorpus(404, new CorpusOptions
        {
            Stories = 15,
            UnrelatedArticles = 20,
            Operations = [CopyOperation.Verbatim, CopyOperation.Wrapped, CopyOperation.Excerpt, CopyOperation.Edited, CopyOperation.SentenceDrop, CopyOperation.Spun],
            RewritesPerStory = 1,
            SameEventReportsPerStory = 1,
        }).Generate();
        var records = corpus.Select(d => JsonSerializer.Serialize(new { id = d.Id, title = d.Title, text = d.Body, date = d.Date }));
        directory.Write("corpus.jsonl", string.Join('\n', records));

        var result = await CliRunner.RunAsync("analyze", directory.Path, "--format", "jsonl");

        Assert.Equal(0, result.ExitCode);
        var lines = result.OutLines.Select(l => JsonDocument.Parse(l).RootElement).ToDictionary(e => e.GetProperty("id").GetString()!);
        var families = lines.ToDictionary(p => p.Key, p => p.Value.GetProperty("family").GetString()!);
        var stories = lines.ToDictionary(p => p.Key, p => p.Value.GetProperty("story").GetString()!);
        var familyAri = ClusteringMetrics.AdjustedRandIndex(corpus.ToDictionary(d => d.Id, d => d.FamilyId), families);
        var storyAri = ClusteringMetrics.AdjustedRandIndex(corpus.ToDictionary(d => d.Id, d => d.StoryId), stories);
        Assert.True(familyAri >= 0.95, $"family ARI {familyAri:F3}");
        Assert.True(storyAri >= 0.9, $"story ARI {storyAri:F3}");

        var copies = corpus.Where(d => d.ParentId is not null).ToList();
        var rightParent = copies.Count(d => lines[d.Id].GetProperty("parent").GetString() == d.ParentId);
        Assert.True(rightParent >= copies.Count * 0.85, $"parent right for {rightParent} of {copies.Count}");
        Assert.All(corpus.Where(d => d.Operation == CopyOperation.Spun), d => Assert.Equal("spun", lines[d.Id].GetProperty("relation").GetString()));
    }

    [Fact]
    public async Task Compare_lists_the_changed_figure_and_labels_the_copy_edited()
    {
        using var directory = new TempDirectory();
        var chain = new SyntheticCorpus(21).GenerateChain("c", CopyOperation.Edited);
        var a = directory.Write("a.txt", chain[0].ToTextFile());
        var b = directory.Write("b.txt", chain[1].ToTextFile());

        var result = await CliRunner.RunAsync("compare", a, b, "--format", "json");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Out);
        Assert.Equal("edited", json.RootElement.GetProperty("relation").GetString());
        var evidence = json.RootElement.GetProperty("evidence");
        Assert.InRange(evidence.GetProperty("coverageB").GetDouble(), 0.9, 1.0);
        Assert.InRange(evidence.GetProperty("substitutionRate").GetDouble(), 0.0, 0.07);
        // The dimensions people judge news by: an edited copy is the same story on all of them.
        var dimensions = json.RootElement.GetProperty("dimensions");
        Assert.All(new[] { "samePlace", "samePeople", "sameTime", "sameNarrative" }, name => Assert.InRange(dimensions.GetProperty(name).GetDouble(), 0.5, 1.0));
        Assert.InRange(dimensions.GetProperty("sameNarrative").GetDouble(), 0.8, 1.0);
        var figures = json.RootElement.GetProperty("changes").EnumerateArray().Where(c => c.GetProperty("kind").GetString() == "figure").ToList();
        foreach (var (from, to) in chain[1].ChangedFigures.Where(c => c.From != c.To))
        {
            Assert.Contains(figures, f => (f.GetProperty("before").GetString() ?? string.Empty).Contains(from, StringComparison.Ordinal)
                && (f.GetProperty("after").GetString() ?? string.Empty).Contains(to, StringComparison.Ordinal));
        }

        var text = await CliRunner.RunAsync("compare", a, b);
        Assert.Contains("edited", text.Out, StringComparison.Ordinal);
        Assert.Contains("Evidence:", text.Out, StringComparison.Ordinal);
        Assert.Contains("is an edited copy of the left one", text.Out, StringComparison.Ordinal);
        Assert.Matches(@"as\s+people\s+judge\s+news:\s+same\s+place\s+\d+%,\s+same\s+people\s+\d+%,\s+same\s+time\s+\d+%,\s+same\s+narrative\s+\d+%", text.Out);
    }

    [Fact]
    public async Task Compare_pairs_labels_each_line_and_names_bad_lines()
    {
        using var directory = new TempDirectory();
        var chain = new SyntheticCorpus(22).GenerateChain("p", CopyOperation.Verbatim);
        var unrelated = new SyntheticCorpus(23, new CorpusOptions { Stories = 0, UnrelatedArticles = 1 }).Generate()[0];
        var file = directory.Write("pairs.jsonl", string.Join('\n',
            JsonSerializer.Serialize(new { id = "same", a = chain[0].Body, b = chain[1].Body }),
            "{broken",
            JsonSerializer.Serialize(new { id = "other", a = chain[0].Body, b = unrelated.Body })));

        var result = await CliRunner.RunAsync("compare", "--pairs", file);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("pairs.jsonl:2", result.Error, StringComparison.Ordinal);
        var lines = result.OutLines.Select(l => JsonDocument.Parse(l).RootElement).ToDictionary(e => e.GetProperty("id").GetString()!);
        Assert.Equal("identical", lines["same"].GetProperty("relation").GetString());
        Assert.Equal("unrelated", lines["other"].GetProperty("relation").GetString());
        Assert.True(lines["same"].GetProperty("similarity").GetDouble() > lines["other"].GetProperty("similarity").GetDouble());
        foreach (var name in new[] { "samePlace", "samePeople", "sameNarrative" })
        {
            Assert.True(lines["same"].GetProperty("dimensions").GetProperty(name).GetDouble() > lines["other"].GetProperty("dimensions").GetProperty(name).GetDouble(), name);
        }
    }

    [Fact]
    public async Task Lineage_and_story_trace_a_spun_copy_to_the_copy_it_was_made_from()
    {
        using var directory = new TempDirectory();
        var chain = new SyntheticCorpus(24).GenerateChain("l", CopyOperation.Edited, CopyOperation.Spun);
        directory.Write("chain.jsonl", string.Join('\n', chain.Select(d => JsonSerializer.Serialize(new { id = d.Id, title = d.Title, text = d.Body, date = d.Date }))));

        var dot = await CliRunner.RunAsync("lineage", "--from", directory.Path, "--format", "dot");
        var story = await CliRunner.RunAsync("story", "l-2", "--from", directory.Path, "--format", "json");

        Assert.Equal(0, dot.ExitCode);
        Assert.StartsWith("digraph", dot.Out.TrimStart(), StringComparison.Ordinal);
        Assert.Contains("\"l-0/l-1\" -> \"l-0/l-2\"", dot.Out, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(story.Out);
        var members = json.RootElement.GetProperty("members").EnumerateArray().ToDictionary(m => m.GetProperty("id").GetString()!);
        Assert.Equal("l-1", members["l-2"].GetProperty("parent").GetString());
        Assert.Equal("spun", members["l-2"].GetProperty("relation").GetString());
        Assert.Equal("l-0", members["l-1"].GetProperty("parent").GetString());
    }
}
