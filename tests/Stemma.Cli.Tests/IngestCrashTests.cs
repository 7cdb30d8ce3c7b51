using System.Diagnostics;
using Stemma.Storage;
using Stemma.Storage.Sqlite;
using Stemma.Testing.Corpus;

namespace Stemma.Cli.Tests;

/// <summary>
/// Ingest as a recoverable job, tried with real processes: killed (SIGKILL) or interrupted (SIGINT) at several points and
/// run again, or run twice at once into one database, it ends with the same families, stories, pairs and parents as one
/// uninterrupted run.
/// </summary>
public class IngestCrashTests
{
    private const string BatchSize = "15";

    [Theory]
    [InlineData("KILL@added:1")]
    [InlineData("KILL@added:3")]
    [InlineData("KILL@related:1")]
    [InlineData("INT@added:2")]
    [InlineData("INT@related:1")]
    [InlineData("INT@analyzing:2")]
    [InlineData("KILL@analyzing:1")]
    public async Task An_interrupted_ingest_run_again_equals_an_uninterrupted_one(string fault)
    {
        using var folder = new TempDirectory();
        var corpus = WriteCorpus(folder, "corpus", seed: 5);
        var reference = Path.Combine(folder.Path, "reference.db");
        var interrupted = Path.Combine(folder.Path, "interrupted.db");
        Assert.Equal(0, (await RunStemmaAsync(null, "ingest", corpus, "--db", reference, "--batch-size", BatchSize)).ExitCode);

        var first = await RunStemmaAsync(fault, "ingest", corpus, "--db", interrupted, "--batch-size", BatchSize);
        if (fault.StartsWith("KILL", StringComparison.Ordinal))
        {
            Assert.Equal(137, first.ExitCode);
        }
        else
        {
            Assert.Equal(130, first.ExitCode);
            Assert.Contains("cancelled", first.Error, StringComparison.Ordinal);
        }

        var again = await RunStemmaAsync(null, "ingest", corpus, "--db", interrupted, "--batch-size", BatchSize);
        Assert.Equal(0, again.ExitCode);
        Assert.Equal(await StoreSnapshot.TextAsync(reference), await StoreSnapshot.TextAsync(interrupted));
    }

    [Fact]
    public async Task Two_ingests_at_once_of_disjoint_halves_find_every_pair_a_serial_ingest_finds()
    {
        using var folder = new TempDirectory();
        var documents = new SyntheticCorpus(9, new CorpusOptions { Stories = 12, UnrelatedArticles = 6, MinSentences = 10, MaxSentences = 18 }).Generate();
        var half = documents.Count / 2;
        var first = WriteDocuments(folder, "a", documents.Take(half));
        var second = WriteDocuments(folder, "b", documents.Skip(half));
        var firstThenSecond = Path.Combine(folder.Path, "first-then-second.db");
        var secondThenFirst = Path.Combine(folder.Path, "second-then-first.db");
        var concurrent = Path.Combine(folder.Path, "concurrent.db");
        Assert.Equal(0, (await RunStemmaAsync(null, "ingest", first, "--db", firstThenSecond)).ExitCode);
        Assert.Equal(0, (await RunStemmaAsync(null, "ingest", second, "--db", firstThenSecond)).ExitCode);
        Assert.Equal(0, (await RunStemmaAsync(null, "ingest", second, "--db", secondThenFirst)).ExitCode);
        Assert.Equal(0, (await RunStemmaAsync(null, "ingest", first, "--db", secondThenFirst)).ExitCode);

        var runs = await Task.WhenAll(
            RunStemmaAsync(null, "ingest", first, "--db", concurrent),
            RunStemmaAsync(null, "ingest", second, "--db", concurrent));
        Assert.All(runs, run => Assert.Equal(0, run.ExitCode));

        // The writer lock makes one ingest wait for the other: the store equals one of the two serial orders, whole
        // (insertion order decides tie-breaks, so the two orders may differ from each other).
        var actual = await StoreSnapshot.TextAsync(concurrent);
        Assert.Contains(actual, new[] { await StoreSnapshot.TextAsync(firstThenSecond), await StoreSnapshot.TextAsync(secondThenFirst) });
        Assert.Contains("related pair", runs[0].Out + runs[1].Out, StringComparison.Ordinal);
    }

    private static string WriteCorpus(TempDirectory folder, string name, int seed) =>
        WriteDocuments(folder, name, new SyntheticCorpus(seed, new CorpusOptions
        {
            Stories = 12,
            UnrelatedArticles = 8,
            MinSentences = 10,
            MaxSentences = 18,
            Operations = [CopyOperation.Verbatim, CopyOperation.Wrapped, CopyOperation.Excerpt, CopyOperation.Edited, CopyOperation.Spun],
            RewritesPerStory = 1,
        }).Generate());

    private static string WriteDocuments(TempDirectory folder, string name, IEnumerable<GeneratedDocument> documents)
    {
        foreach (var document in documents)
        {
            folder.Write(Path.Combine(name, document.Id + ".txt"), document.ToTextFile());
        }

        return Path.Combine(folder.Path, name);
    }

    private static async Task<CliRunner.Result> RunStemmaAsync(string? fault, params string[] args)
    {
        // Through `env --default-signal=INT`: a test run started as a background job of a script inherits SIGINT ignored,
        // and a process that starts with SIGINT ignored never sees the test's interrupt (the three INT cases then ran to
        // the end, exit 0). The child gets the disposition a user's terminal gives it.
        var start = new ProcessStartInfo("env") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("--default-signal=INT");
        start.ArgumentList.Add("dotnet");
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "stemma.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        if (fault is not null)
        {
            start.Environment["STEMMA_FAULT"] = fault;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return new CliRunner.Result(process.ExitCode, await output, await error);
    }
}
