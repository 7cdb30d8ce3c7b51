using Stemma.Ingest;
using Stemma.Ingest.Annotations;
using Stemma.Pipeline;
using Stemma.Storage.Sqlite;
using Stemma.Testing.Corpus;

namespace Stemma.Cli.Tests;

/// <summary>`stemma ingest` streams its input (reads it a few times, holding compact evidence) and stores what the in-memory path stored.</summary>
public sealed class StreamedIngestTests
{
    private const string Footer = "Got a story for us? Email the newsroom or call the tips line any day of the week.";
    private const string ClickBait = "Giant sinkhole swallows parked lorry in shocking footage you have to see.";

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Ingest_of_a_multi_file_corpus_stores_what_the_in_memory_path_stores(bool heldInMemory)
    {
        using var directory = new TempDirectory();
        var corpus = new SyntheticCorpus(41, new CorpusOptions { Stories = 20, UnrelatedArticles = 20 }).Generate();
        var random = new Random(41);
        var files = new[] { "a/one.jsonl", "a/two.jsonl", "b/three.jsonl" };
        var writers = files.Select(_ => new List<string>()).ToArray();
        var injected = new List<string>();
        for (var i = 0; i < corpus.Count; i++)
        {
            // Sites (so boilerplate is looked for), a site footer on most articles, and a click-bait line in some copies.
            var body = corpus[i].Body;
            if (corpus[i].Operation is not (CopyOperation.Original or CopyOperation.Unrelated) && i % 2 == 0)
            {
                var paragraphs = body.Split("\n\n").ToList();
                if (paragraphs.Count >= 3)
                {
                    paragraphs[1] += " " + ClickBait;
                    body = string.Join("\n\n", paragraphs);
                    injected.Add(corpus[i].Id);
                }
            }

            if (random.Next(10) < 8)
            {
                body += "\n\n" + Footer;
            }

            var article = corpus[i].ToArticle() with { Body = body, Site = $"site{i % 3}.example" };
            writers[i % files.Length].Add(ArticleJson.Serialize(article));
        }

        for (var f = 0; f < files.Length; f++)
        {
            directory.Write(files[f], string.Join("\n", writers[f]) + "\n");
        }

        var inputs = new[] { Path.Combine(directory.Path, "a"), Path.Combine(directory.Path, "b", "three.jsonl") };
        var streamed = Path.Combine(directory.Path, "streamed.db");

        // Held: the small input is read once; otherwise every pass reads the files again. Other tests running meanwhile may
        // take either way; both store the same.
        var budget = InputCollector.HeldTextCharacters;
        InputCollector.HeldTextCharacters = heldInMemory ? budget : 0;
        CliRunner.Result result;
        try
        {
            result = await CliRunner.RunAsync(["ingest", .. inputs, "--db", streamed]);
        }
        finally
        {
            InputCollector.HeldTextCharacters = budget;
        }

        Assert.Equal(0, result.ExitCode);

        // The path ingest took before it streamed: every article read and annotated in memory, then stored.
        var inMemory = Path.Combine(directory.Path, "in-memory.db");
        var (articles, errors) = ArticleReader.ReadCorpus(inputs);
        Assert.Empty(errors);
        await using (var store = await SqliteStore.OpenAsync(inMemory))
        {
            await new StoreIngestor(store).IngestAsync(articles);
        }

        var expected = await StoreSnapshot.TextAsync(inMemory, articles: true);
        Assert.Equal(expected, await StoreSnapshot.TextAsync(streamed, articles: true));

        // Not two empty passes agreeing: the footer and the injected lines were set apart.
        Assert.Contains("[Boilerplate", expected, StringComparison.Ordinal);
        Assert.Contains($"[Injected", expected, StringComparison.Ordinal);
        Assert.DoesNotContain("Got a story for us?|", expected, StringComparison.Ordinal);
        Assert.NotEmpty(injected);
        Assert.Equal(corpus.Count, articles.Count);
    }
}
