using System.Text.Json;
using Stemma.Testing.Corpus;

namespace Stemma.Cli.Tests;

public class AnalyzeCommandTests
{
    private static Dictionary<string, JsonElement> ParseLines(CliRunner.Result result) =>
        result.OutLines.Select(line => JsonDocument.Parse(line).RootElement).ToDictionary(e => e.GetProperty("id").GetString()!);

    [Fact]
    public async Task Families_found_through_the_cli_match_the_generated_ground_truth()
    {
        using var directory = new TempDirectory();
        var corpus = new SyntheticCorpus(77, new CorpusOptions { Stories = 40, UnrelatedArticles = 60 }).Generate();
        foreach (var document in corpus)
        {
            directory.Write($"{document.Site}/{document.Id}.txt", document.ToTextFile());
        }

        var result = await CliRunner.RunAsync("analyze", directory.Path, "--format", "jsonl");

        Assert.Equal(0, result.ExitCode);
        var lines = ParseLines(result);
        Assert.Equal(corpus.Count, lines.Count);
        var truth = corpus.ToDictionary(d => $"{d.Site}/{d.Id}.txt", d => d.FamilyId);
        var predicted = lines.ToDictionary(p => p.Key, p => p.Value.GetProperty("family").GetString()!);
        var ari = ClusteringMetrics.AdjustedRandIndex(truth, predicted);
        var (precision, recall) = ClusteringMetrics.PairwisePrecisionRecall(truth, predicted);
        Assert.True(ari >= 0.95, $"ARI {ari:F3}");
        Assert.True(precision >= 0.98 && recall >= 0.95, $"precision {precision:F3}, recall {recall:F3}");
        Assert.All(lines.Values, line => Assert.Equal(line.GetProperty("family").GetString(), line.GetProperty("story").GetString()));
    }

    [Fact]
    public async Task Jsonl_records_use_their_own_ids_and_join_text_files_they_copy()
    {
        using var directory = new TempDirectory();
        var corpus = new SyntheticCorpus(5, new CorpusOptions { Stories = 1, MinCopies = 1, MaxCopies = 1, UnrelatedArticles = 1, Operations = [CopyOperation.Verbatim] }).Generate();
        var original = corpus.Single(d => d.Operation == CopyOperation.Original);
        var copy = corpus.Single(d => d.Operation == CopyOperation.Verbatim);
        var unrelated = corpus.Single(d => d.Operation == CopyOperation.Unrelated);
        directory.Write("original.txt", original.ToTextFile());
        directory.Write("feed/records.jsonl", string.Join('\n', new[] { copy, unrelated }.Select(d => JsonSerializer.Serialize(new { id = "rec-" + d.Id, text = d.Body, title = d.Title }))));

        var result = await CliRunner.RunAsync("analyze", directory.Path, "--format", "jsonl");

        var lines = ParseLines(result);
        Assert.Equal(3, lines.Count);
        Assert.Equal(lines["original.txt"].GetProperty("family").GetString(), lines["rec-" + copy.Id].GetProperty("family").GetString());
        Assert.NotEqual(lines["original.txt"].GetProperty("family").GetString(), lines["rec-" + unrelated.Id].GetProperty("family").GetString());
    }

    [Fact]
    public async Task Bad_inputs_are_each_named_on_stderr_and_the_rest_is_analyzed()
    {
        using var directory = new TempDirectory();
        directory.Write("good.txt", "A title\nThe harbour wall gave way overnight and seawater filled the street by the ferry terminal.");
        directory.Write("empty.txt", string.Empty);
        directory.WriteBytes("noise.bin", [0, 1, 2, 255, 254, 0, 0, 7]);
        directory.Write("records.jsonl", "{\"id\":\"ok\",\"text\":\"A line of text long enough to read as an article body here.\"}\n{not json\n");
        var missing = Path.Combine(directory.Path, "does-not-exist");

        var result = await CliRunner.RunAsync("analyze", directory.Path, missing, "--format", "jsonl");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("empty.txt", result.Error, StringComparison.Ordinal);
        Assert.Contains("noise.bin", result.Error, StringComparison.Ordinal);
        Assert.Contains("records.jsonl:2", result.Error, StringComparison.Ordinal);
        Assert.Contains("does-not-exist", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
        Assert.Equal(["good.txt", "ok"], ParseLines(result).Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("analyze")]
    [InlineData("analyze", "x", "--format", "yaml")]
    [InlineData("analyze", "x", "--threshold", "1.5")]
    [InlineData("no-such-command")]
    public async Task Usage_errors_exit_with_2_and_one_clear_message(params string[] args)
    {
        var result = await CliRunner.RunAsync(args);
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("stemma: ", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_and_table_formats_describe_the_same_families()
    {
        using var directory = new TempDirectory();
        var corpus = new SyntheticCorpus(8, new CorpusOptions { Stories = 3, UnrelatedArticles = 3 }).Generate();
        foreach (var document in corpus)
        {
            directory.Write(document.Id + ".txt", document.ToTextFile());
        }

        var json = await CliRunner.RunAsync("analyze", directory.Path, "--format", "json");
        var table = await CliRunner.RunAsync("analyze", directory.Path);

        using var parsed = JsonDocument.Parse(json.Out);
        var families = parsed.RootElement.GetProperty("families").EnumerateArray().ToList();
        Assert.Equal(corpus.Select(d => d.FamilyId).Distinct().Count(), families.Count);
        foreach (var family in families.Where(f => f.GetProperty("members").GetArrayLength() > 1))
        {
            Assert.Contains(family.GetProperty("family").GetString()!, table.Out, StringComparison.Ordinal);
        }

        Assert.Contains($"{corpus.Count} documents", table.Out, StringComparison.Ordinal);
    }
}
