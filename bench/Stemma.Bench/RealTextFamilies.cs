using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using Stemma.Ingest;
using Stemma.Pipeline;
using Stemma.Sketch;
using Stemma.Testing.Corpus;

namespace Stemma.Bench;

/// <summary>
/// Family quality on real news text: article bodies extracted from the shared development pages become originals,
/// copies are made from them (verbatim, wrapped with inserted lines, 45-75% excerpts, edited figures and a replaced
/// sentence), the other pages stay unrelated; everything goes through the text reader as the CLI would read it, and
/// families are scored (ARI, pairwise precision/recall) for several shingle sizes.
/// Usage: real-families [DIR] (default ../shared/extraction-dev)
/// </summary>
internal static partial class RealTextFamilies
{
    public static int Run(string[] args)
    {
        var directory = args.Length > 0 ? args[0] : Path.Combine("..", "shared", "extraction-dev");
        var pages = Path.Combine(directory, "pages");
        if (!Directory.Exists(pages))
        {
            Console.Error.WriteLine($"real-families: {pages} not found (the shared development set is optional)");
            return 2;
        }

        var bodies = ReadBodies(pages).Select(b => (Title: b.Article.Title ?? "Untitled", b.Sentences)).ToList();

        var random = new Random(2026);
        var documents = new List<(string Id, string Text, string Family)>();
        var originals = bodies.Count / 3;
        for (var i = 0; i < bodies.Count; i++)
        {
            var (title, sentences) = bodies[i];
            var id = $"p{i:D4}";
            documents.Add((id, title + "\n" + Paragraphs(sentences), id));
            if (i >= originals)
            {
                continue;
            }

            var other = bodies[random.Next(bodies.Count)];
            documents.Add(($"{id}-verbatim", title + "\n" + Paragraphs(sentences), id));
            var wrapped = new List<string>(sentences);
            wrapped.Insert(random.Next(1, wrapped.Count), "\n\nREAD MORE: " + other.Title + "\n\n");
            wrapped.Insert(random.Next(1, wrapped.Count), "\n\n(Photo: Jan Novak/Agency via Wire)\n\n");
            wrapped.Insert(0, title + "\n\n");
            wrapped.Add("\n\nLeave a Reply\n\nYour email address will not be published. Required fields are marked *");
            documents.Add(($"{id}-wrapped", title + "\n" + Paragraphs(wrapped), id));
            var keep = Math.Max(3, (int)(sentences.Count * (0.45 + (random.NextDouble() * 0.30))));
            var start = random.Next(0, sentences.Count - keep + 1);
            documents.Add(($"{id}-excerpt", title + "\n" + Paragraphs(sentences.GetRange(start, keep)), id));
            var edited = sentences.Select(s => Digits().Replace(s, m => ((long.Parse(m.Value, CultureInfo.InvariantCulture) * 3) + 1).ToString(CultureInfo.InvariantCulture))).ToList();
            edited[random.Next(edited.Count)] = other.Sentences[random.Next(other.Sentences.Count)];
            documents.Add(($"{id}-edited", title + "\n" + Paragraphs(edited), id));
        }

        var articles = new List<Article>();
        foreach (var (id, text, _) in documents)
        {
            var outcome = ArticleReader.ReadBytes(Encoding.UTF8.GetBytes(text), id + ".txt").First();
            if (outcome.Article is { } article)
            {
                articles.Add(article with { Id = id });
            }
            else
            {
                Console.WriteLine($"not read: {outcome}");
            }
        }

        var kept = articles.Select(a => a.Id).ToHashSet();
        var truth = documents.Where(d => kept.Contains(d.Id)).ToDictionary(d => d.Id, d => d.Family);
        Console.WriteLine($"{bodies.Count} real article bodies, {originals} with copies, {documents.Count} documents");
        void Score(string name, AnalyzeOptions options)
        {
            var analysis = CorpusAnalyzer.Analyze(articles, options);
            var predicted = analysis.Documents.ToDictionary(d => d.Id, d => d.Family);
            var (precision, recall) = ClusteringMetrics.PairwisePrecisionRecall(truth, predicted);
            Console.WriteLine($"{name}: ARI {ClusteringMetrics.AdjustedRandIndex(truth, predicted):F4}, pairwise precision {precision:F4}, recall {recall:F4}");
        }

        foreach (var k in new[] { 3, 4, 5, 6, 7 })
        {
            Score($"near duplicates only, k={k}", new AnalyzeOptions { Sketch = new SketchOptions { ShingleSize = k }, Relate = null });
        }

        Score("full analyze (default settings)", new AnalyzeOptions());

        return 0;
    }

    /// <summary>The article bodies of the development pages with at least 150 words and 6 sentences, split into sentences.</summary>
    internal static List<(Article Article, List<string> Sentences)> ReadBodies(string pages)
    {
        var bodies = new List<(Article, List<string>)>();
        foreach (var file in Directory.EnumerateFiles(pages, "*.gz").Order(StringComparer.Ordinal))
        {
            using var gzip = new GZipStream(File.OpenRead(file), CompressionMode.Decompress);
            using var buffer = new MemoryStream();
            gzip.CopyTo(buffer);
            foreach (var outcome in ArticleReader.ReadBytes(buffer.ToArray(), Path.GetFileNameWithoutExtension(file)))
            {
                if (outcome.Article is { } article && article.Body.Split(' ').Length >= 150)
                {
                    var sentences = SentenceEnd().Split(article.Body.Replace("\n\n", " ", StringComparison.Ordinal)).Where(s => s.Length > 0).ToList();
                    if (sentences.Count >= 6)
                    {
                        bodies.Add((article, sentences));
                    }
                }
            }
        }

        return bodies;
    }

    /// <summary>Sentences joined into a body; inserted lines (which carry their own blank lines) keep them.</summary>
    internal static string Paragraphs(List<string> sentences) => string.Join(" ", sentences).Replace(" \n\n", "\n\n", StringComparison.Ordinal);

    [GeneratedRegex(@"(?<=[.!?])\s+(?=[\p{Lu}""„])")]
    private static partial Regex SentenceEnd();

    [GeneratedRegex(@"\d+")]
    internal static partial Regex Digits();
}
