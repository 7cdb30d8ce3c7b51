using System.Text.Json;
using Stemma.Testing.Corpus;

namespace Stemma.Cli.Tests;

public class StoreCommandTests
{
    private static async Task<Dictionary<string, string>> StoriesInDatabaseAsync(string database)
    {
        var stories = await CliRunner.RunAsync("stories", "--db", database, "--min-size", "1", "--format", "jsonl");
        Assert.Equal(0, stories.ExitCode);
        var members = new Dictionary<string, string>();
        foreach (var line in stories.OutLines)
        {
            using var family = JsonDocument.Parse(line);
            foreach (var member in family.RootElement.GetProperty("members").EnumerateArray())
            {
                members[member.GetString()!] = family.RootElement.GetProperty("story").GetString()!;
            }
        }

        return members;
    }

    [Fact]
    public async Task Ingest_in_two_runs_finds_the_same_stories_and_re_ingesting_adds_nothing()
    {
        using var directory = new TempDirectory();
        var corpus = new SyntheticCorpus(31, new CorpusOptions { Stories = 25, UnrelatedArticles = 25 }).Generate();
        for (var i = 0; i < corpus.Count; i++)
        {
            // Originals and their copies land in different runs, so the second run must match through the database.
            directory.Write($"{(i % 2 == 0 ? "first" : "second")}/{corpus[i].Id}.txt", corpus[i].ToTextFile());
        }

        var database = Path.Combine(directory.Path, "stemma.db");
        var first = await CliRunner.RunAsync("ingest", Path.Combine(directory.Path, "first"), "--db", database);
        var second = await CliRunner.RunAsync("ingest", Path.Combine(directory.Path, "second"), "--db", database);
        Assert.Equal(0, first.ExitCode);
        Assert.Equal(0, second.ExitCode);
        Assert.StartsWith($"{(corpus.Count + 1) / 2} added", first.Out, StringComparison.Ordinal);

        var stories = await StoriesInDatabaseAsync(database);
        var truth = corpus.ToDictionary(d => d.Id + ".txt", d => d.StoryId);
        Assert.Equal(truth.Keys.Order(), stories.Keys.Order());
        var ari = ClusteringMetrics.AdjustedRandIndex(truth, stories);
        Assert.True(ari >= 0.95, $"ARI {ari:F3}");

        // Same files again, after a "restart" (a new process would open the file the same way): nothing new.
        var again = await CliRunner.RunAsync("ingest", Path.Combine(directory.Path, "first"), Path.Combine(directory.Path, "second"), "--db", database);
        Assert.Equal(0, again.ExitCode);
        Assert.StartsWith($"0 added, 0 updated, {corpus.Count} unchanged", again.Out, StringComparison.Ordinal);
        Assert.Equal(stories, await StoriesInDatabaseAsync(database));
    }

    [Fact]
    public async Task Similar_finds_the_original_of_a_copy_given_as_a_file_or_as_an_id()
    {
        using var directory = new TempDirectory();
        var corpus = new SyntheticCorpus(12, new CorpusOptions { Stories = 5, UnrelatedArticles = 10, Operations = [CopyOperation.Wrapped], CopyOfCopyRate = 0 }).Generate();
        foreach (var document in corpus)
        {
            directory.Write($"stored/{document.Id}.txt", document.ToTextFile());
        }

        var database = Path.Combine(directory.Path, "s.db");
        Assert.Equal(0, (await CliRunner.RunAsync("ingest", Path.Combine(directory.Path, "stored"), "--db", database)).ExitCode);
        var copy = corpus.First(d => d.Operation == CopyOperation.Wrapped);
        var probe = directory.Write("probe.txt", copy.ToTextFile());

        var byFile = await CliRunner.RunAsync("similar", probe, "--db", database, "--format", "json");
        var byId = await CliRunner.RunAsync("similar", copy.Id + ".txt", "--db", database, "--format", "json");

        using var fileMatches = JsonDocument.Parse(byFile.Out);
        using var idMatches = JsonDocument.Parse(byId.Out);
        var fileIds = fileMatches.RootElement.EnumerateArray().Select(m => m.GetProperty("id").GetString()).ToList();
        var idIds = idMatches.RootElement.EnumerateArray().Select(m => m.GetProperty("id").GetString()).ToList();
        Assert.Contains(copy.Id + ".txt", fileIds);
        Assert.Contains(copy.ParentId + ".txt", fileIds);

        // The lines the copy inserted are read as annotations, so its body matches its parent's in full.
        var parentMatch = fileMatches.RootElement.EnumerateArray().Single(m => m.GetProperty("id").GetString() == copy.ParentId + ".txt");
        Assert.True(parentMatch.GetProperty("jaccard").GetDouble() >= 0.9, parentMatch.ToString());
        Assert.DoesNotContain(copy.Id + ".txt", idIds);
        Assert.Contains(copy.ParentId + ".txt", idIds);
        Assert.All(fileIds, id => Assert.StartsWith(copy.FamilyId.Split('-')[0], id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reading_commands_refuse_a_missing_or_corrupt_database_with_one_line()
    {
        using var directory = new TempDirectory();
        var missing = await CliRunner.RunAsync("stories", "--db", Path.Combine(directory.Path, "none.db"));
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("none.db", missing.Error, StringComparison.Ordinal);

        var corrupt = directory.Write("corrupt.db", "this is not a database, just text pretending to be one");
        var result = await CliRunner.RunAsync("stories", "--db", corrupt);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("corrupt.db", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }
}
