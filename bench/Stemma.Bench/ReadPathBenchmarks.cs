using BenchmarkDotNet.Attributes;
using Stemma.Ingest;
using Stemma.Ingest.Annotations;
using Stemma.Ingest.Formats;
using Stemma.Testing.Corpus;

namespace Stemma.Bench;

/// <summary>
/// The per-article reading kernels (issue 13) on 500 generated plain-text articles: the whole file read from memory,
/// the title check, the paragraph split, the assembly (classifying every paragraph, joining the body), the content
/// words the injected-sentence pass reads from every body, and what it makes of them (family keys, sentence sketches).
/// dotnet run -c Release --project bench/Stemma.Bench -- --filter '*ReadPathBenchmarks*' --job short
/// </summary>
[MemoryDiagnoser]
public class ReadPathBenchmarks
{
    private List<(string Name, byte[] Bytes, string Title, string Body)> files = [];
    private List<ArticleDraft> drafts = [];
    private List<byte[]> jsonLines = [];
    private List<Article> articles = [];
    private readonly JsonRecordFields fields = new();

    [GlobalSetup]
    public void Setup()
    {
        var documents = new SyntheticCorpus(100, new CorpusOptions { Stories = 100, UnrelatedArticles = 0 }).Generate().Take(500).ToList();
        files = [.. documents.Select(document => (document.Id + ".txt", System.Text.Encoding.UTF8.GetBytes(document.ToTextFile()), document.Title, document.Body + "\n"))];
        drafts = [.. files.Select(file => new ArticleDraft { Id = file.Name, Title = file.Title, Paragraphs = ArticleAssembler.PlainTextParagraphs(file.Body, file.Title), Format = "txt" })];
        articles = [.. documents.Select(document => document.ToArticle())];
        jsonLines = [.. documents.Select(document => System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new { id = document.Id, title = document.Title, site = document.Site, date = document.Date, text = document.Body }))];
    }

    /// <summary>The JSON Lines records' fields found and the text decoded by the reader alone (the scan's fallback).</summary>
    [Benchmark]
    public int JsonRecordsByReader() => ReadJsonRecords(byReader: true);

    /// <summary>The same records read as `stemma` reads them: the scan first.</summary>
    [Benchmark]
    public int JsonRecordsByScan() => ReadJsonRecords(byReader: false);

    private int ReadJsonRecords(bool byReader)
    {
        var length = 0;
        foreach (var line in jsonLines)
        {
            if (byReader)
            {
                fields.ReadWithReader(line);
            }
            else
            {
                fields.Read(line);
            }

            if (fields.TryDecodeFirst([JsonRecordFields.Field.Text], out var buffer, out var decoded))
            {
                length += decoded + (fields.String(JsonRecordFields.Field.Id)?.Length ?? 0);
                System.Buffers.ArrayPool<char>.Shared.Return(buffer);
            }
        }

        return length;
    }

    [Benchmark]
    public int ReadWholeFiles() => files.Sum(file => ArticleReader.ReadBytes(file.Bytes, file.Name).Count(outcome => outcome.Article is not null));

    [Benchmark]
    public int TitleCheck() => files.Count(file => PlainTextTitle.IsTitleLine(file.Title, "\n" + file.Body));

    [Benchmark]
    public int ParagraphSplit() => files.Sum(file => ArticleAssembler.PlainTextParagraphs(file.Body, file.Title).Count);

    [Benchmark]
    public int Assembly() => drafts.Sum(draft => ArticleAssembler.Build(draft).Body.Length);

    /// <summary>Every body's content words into a struct sink, as the injected-sentence passes take them.</summary>
    [Benchmark]
    public long ContentWords()
    {
        var table = new InjectedSentences.WordTable();
        var sum = new CodeSum();
        foreach (var file in files)
        {
            InjectedSentences.ContentWords(file.Body, table, ref sum);
        }

        return sum.Total;
    }

    private struct CodeSum : InjectedSentences.IContentWordSink
    {
        public long Total;

        public void Add(long code, ReadOnlySpan<char> word) => Total += code;
    }

    /// <summary>Every body's family keys (pairs of content words, one in four kept), as the in-memory injected-sentence pass makes them.</summary>
    [Benchmark]
    public int FamilyKeys()
    {
        var table = new InjectedSentences.WordTable();
        return articles.Sum(article => new InjectedSentences.Parsed(article, table).Keys.Length);
    }

    /// <summary>Every body's sentence sketch and family keys, as the streamed pass makes them on its first read.</summary>
    [Benchmark]
    public int SentenceSketches()
    {
        var (table, dense) = (new InjectedSentences.WordTable(), new InjectedSentences.DenseWords());
        return articles.Sum(article => InjectedSentences.Sketch(article.Body, table, dense, out var keys).Length + keys.Length);
    }
}
