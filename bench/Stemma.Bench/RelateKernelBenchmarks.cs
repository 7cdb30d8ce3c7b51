using BenchmarkDotNet.Attributes;
using Stemma.Index;
using Stemma.Ingest.Annotations;
using Stemma.Relate;
using Stemma.Sketch;
using Stemma.Testing.Corpus;

namespace Stemma.Bench;

/// <summary>
/// The per-document kernels of `analyze` before the pair work, over 500 generated articles (~1.7 MB): the relate
/// features (tokenize as written, then terms, names, figures, dates), the radix sort they and the shingle sets use,
/// the injected-sentence pass's family keys and sentence split. <see cref="SketchThenFeatures"/> and
/// <see cref="SketchAndFeatures"/> are the sketch and the features made in two tokenizations and in one.
/// </summary>
[MemoryDiagnoser]
public class RelateKernelBenchmarks
{
    private Article[] articles = [];
    private uint[][] unsorted = [];
    private uint[] sortScratch = [];
    private Sketcher sketcher = null!;

    [GlobalSetup]
    public void Setup()
    {
        articles = [.. new SyntheticCorpus(17, new CorpusOptions { Stories = 80, UnrelatedArticles = 100 }).Generate().Take(500)
            .Select(d => new Article { Id = d.Id, Title = d.Title, Body = d.Body })];
        var random = new Random(5);
        unsorted = [.. articles.Select(a => Enumerable.Range(0, a.Body.Length / 6).Select(_ => (uint)random.NextInt64(0, 1L << 32)).ToArray())];
        sortScratch = new uint[unsorted.Max(values => values.Length)];
        sketcher = new Sketcher();
        Console.Error.WriteLine($"// text per operation: {articles.Sum(a => (long)a.Body.Length)} characters");
    }

    [Benchmark(Description = "features (tokenize + terms)")]
    public int Features()
    {
        var terms = 0;
        foreach (var article in articles)
        {
            terms += StoryAnalyzer.Features(article).TermCount;
        }

        return terms;
    }

    [Benchmark(Description = "radix sort (one article's worth of hashes each)")]
    public uint RadixSort()
    {
        uint check = 0;
        foreach (var values in unsorted)
        {
            var span = sortScratch.AsSpan(0, values.Length);
            values.CopyTo(span);
            SortedSets.RadixSort(span);
            check ^= span[^1];
        }

        return check;
    }

    [Benchmark(Description = "injected sentences: family keys")]
    public int FamilyKeys()
    {
        var table = new InjectedSentences.WordTable();
        var keys = 0;
        foreach (var article in articles)
        {
            keys += new InjectedSentences.Parsed(article, table).Keys.Length;
        }

        return keys;
    }

    [Benchmark(Description = "injected sentences: keys and sentences")]
    public int Sentences()
    {
        var table = new InjectedSentences.WordTable();
        var words = 0;
        foreach (var article in articles)
        {
            var parsed = new InjectedSentences.Parsed(article, table);
            words += parsed.Sentences.Length + parsed.AllWords.Length;
        }

        return words;
    }

    [Benchmark(Baseline = true, Description = "sketch, then features (two tokenizations)")]
    public int SketchThenFeatures()
    {
        var check = 0;
        foreach (var article in articles)
        {
            check += sketcher.Sketch(article.Body).WordCount + StoryAnalyzer.Features(article).TermCount;
        }

        return check;
    }

    [Benchmark(Description = "sketch and features (one tokenization)")]
    public int SketchAndFeatures()
    {
        var check = 0;
        foreach (var article in articles)
        {
            var (sketch, features) = StoryAnalyzer.SketchAndFeatures(sketcher, article);
            check += sketch.WordCount + features.TermCount;
        }

        return check;
    }
}
