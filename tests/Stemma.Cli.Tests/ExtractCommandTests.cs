using System.Text.Json;
using Stemma.Testing.Corpus;

namespace Stemma.Cli.Tests;

public class ExtractCommandTests
{
    [Fact]
    public async Task Extract_sets_inserted_lines_apart_from_the_body_and_names_the_credited_source()
    {
        using var directory = new TempDirectory();
        var chain = new SyntheticCorpus(61).GenerateChain("x", CopyOperation.Wrapped);
        var wrapped = chain[1];
        var file = directory.Write("wrapped.txt", wrapped.ToTextFile());

        var result = await CliRunner.RunAsync("extract", file, "--format", "json");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(Assert.Single(result.OutLines));
        var root = json.RootElement;
        var body = root.GetProperty("body").GetString()!;
        var annotations = root.GetProperty("annotations").EnumerateArray().Select(a => a.GetProperty("text").GetString()).ToList();
        foreach (var line in wrapped.InsertedLines.Skip(1))
        {
            Assert.DoesNotContain(line, body, StringComparison.Ordinal);
            Assert.Contains(annotations, a => a!.Contains(line.Split('.')[0], StringComparison.Ordinal));
        }

        Assert.Equal(chain[0].Body.Replace("\n\n", " ", StringComparison.Ordinal), body.Replace("\n\n", " ", StringComparison.Ordinal));
        Assert.Equal(wrapped.CreditedSource, root.GetProperty("attribution").GetString());
    }
}
