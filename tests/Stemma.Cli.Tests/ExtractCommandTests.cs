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

public class BulkOutputTests
{
    [Fact]
    public void Bulk_output_holds_writes_until_it_ends_then_flushes_and_flushes_each_write_again()
    {
        // Standard output's shape: a stream writer that flushes every write.
        var bytes = new MemoryStream();
        var writer = new StreamWriter(bytes, new System.Text.UTF8Encoding(false), bufferSize: 16 * 1024) { AutoFlush = true, NewLine = "\n" };
        var context = new CliContext(writer, TextWriter.Null);
        using (context.BulkOutput())
        {
            writer.WriteLine("one");
            writer.WriteLine("two");
            Assert.Equal(0, bytes.Length);
        }

        Assert.Equal("one\ntwo\n", System.Text.Encoding.UTF8.GetString(bytes.ToArray()));
        writer.WriteLine("three");
        Assert.Equal("one\ntwo\nthree\n", System.Text.Encoding.UTF8.GetString(bytes.ToArray()));
    }

    [Fact]
    public void Bulk_output_leaves_other_writers_alone()
    {
        var text = new StringWriter();
        using (new CliContext(text, TextWriter.Null).BulkOutput())
        {
            text.Write("kept");
        }

        Assert.Equal("kept", text.ToString());
    }
}
