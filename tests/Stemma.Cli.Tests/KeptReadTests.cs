using Stemma.Ingest;
using Stemma.Testing.Corpus;

namespace Stemma.Cli.Tests;

/// <summary>The in-memory commands read JSON Lines files without collections (a budget from their size), and read the same articles.</summary>
public sealed class KeptReadTests
{
    [Fact]
    public void The_budget_counts_the_JSON_Lines_files_named_by_their_size_and_nothing_else()
    {
        using var directory = new TempDirectory();
        var records = directory.Write("feed.jsonl", new string('x', 1000));
        var upper = directory.Write("more.NDJSON", new string('y', 300));
        var text = directory.Write("story.txt", new string('z', 5000));
        var page = directory.Write("page.html", new string('h', 7000));
        directory.Write("inside/hidden.jsonl", new string('w', 9000));

        var bytes = InputCollector.KeptReadBytes([records, upper, text, page, Path.Combine(directory.Path, "inside"), Path.Combine(directory.Path, "missing.jsonl")]);

        Assert.Equal(1300L * InputCollector.KeptReadBytesPerInputByte, bytes);
        Assert.Equal(0, InputCollector.KeptReadBytes([text, page, Path.Combine(directory.Path, "inside")]));
    }

    [Fact]
    public void JSON_Lines_files_whose_records_carry_HTML_add_nothing_to_the_budget()
    {
        using var directory = new TempDirectory();
        var plain = directory.Write("plain.jsonl", "{\"id\": \"a\", \"text\": \"Rain closed the harbour road.\\n\\nCrews reopened it by noon.\"}\n");
        var html = directory.Write("pages.jsonl", "{\"id\": \"b\", \"content\": \"<p>Rain closed the harbour road.</p><p>Crews reopened it by noon.</p>\"}\n");
        var escaped = directory.Write("escaped.jsonl", "{\"id\": \"c\", \"content\": \"\\u003Cdiv class=\\\"entry\\\"\\u003ERain closed the harbour road.\\u003C/div\\u003E\"}\n");

        Assert.Equal(new FileInfo(plain).Length * InputCollector.KeptReadBytesPerInputByte, InputCollector.KeptReadBytes([plain, html, escaped]));
    }

    [Fact]
    public void A_paused_read_of_a_large_JSON_Lines_file_gives_the_articles_and_rejections_of_the_usual_read()
    {
        // Large enough that its budget passes the pause's minimum, so the pause really starts.
        using var directory = new TempDirectory();
        var corpus = new SyntheticCorpus(83, new CorpusOptions { Stories = 40, UnrelatedArticles = 40 }).Generate();
        var lines = new List<string>();
        var round = 0;
        while (lines.Sum(line => (long)line.Length) * InputCollector.KeptReadBytesPerInputByte < Pipeline.CollectionPause.MinBytes + (1 << 20))
        {
            lines.AddRange(corpus.Select(document => ArticleJson.Serialize(document.ToArticle() with { Id = $"{document.Id}-{round}" })));
            round++;
        }

        lines.Insert(lines.Count / 2, "{\"id\": \"broken\", \"text\": ");
        var file = directory.Write("corpus.jsonl", string.Join("\n", lines) + "\n");

        var (usual, usualErrors) = ReadWith(context => InputCollector.Read([file], context, CancellationToken.None, pauseJsonLines: false));
        var (paused, pausedErrors) = ReadWith(context => InputCollector.Read([file], context, CancellationToken.None));

        Assert.Equal(lines.Count - 1, usual.Articles.Count);
        Assert.Equal(1, paused.Rejected);
        Assert.Equal(usualErrors, pausedErrors);
        Assert.Equal(usual.Articles.Select(article => ArticleJson.Serialize(article)), paused.Articles.Select(article => ArticleJson.Serialize(article)));
    }

    private static (InputCollector.Collected Input, string Errors) ReadWith(Func<CliContext, InputCollector.Collected> read)
    {
        var error = new StringWriter();
        var input = read(new CliContext(TextWriter.Null, error));
        return (input, error.ToString());
    }
}
