using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Stemma.Ingest.Annotations;
using Stemma.Ingest.Formats;
using Stemma.Ingest.Html;

namespace Stemma.Bench;

/// <summary>
/// Scores the HTML extractor on the shared extraction development set the way the trafilatura
/// evaluation does: every "with" snippet found in the extracted main text is a true positive (else a
/// false negative), every "without" snippet found is a false positive (else a true negative).
/// The extracted text is the main text only (paragraphs joined by newlines, no title), compared with
/// whitespace collapsed. SmartReader runs on the same pages as a baseline.
/// Usage: extract-eval [DIR] [--no-baseline] [--failures N]
/// </summary>
internal static class ExtractionEvaluation
{
    public static int Run(string[] args)
    {
        var directory = "../shared/extraction-dev";
        var runBaseline = true;
        var failuresToShow = 0;
        string? dumpPath = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--show" when i + 1 < args.Length:
                    return Show(args[++i]);
                case "--dump" when i + 1 < args.Length:
                    dumpPath = args[++i];
                    break;
                case "--no-baseline":
                    runBaseline = false;
                    break;
                case "--failures" when i + 1 < args.Length:
                    failuresToShow = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
                    break;
                default:
                    directory = args[i];
                    break;
            }
        }

        var evalPath = Path.Combine(directory, "evaldata.json");
        if (!File.Exists(evalPath))
        {
            Console.Error.WriteLine($"extract-eval: no evaluation set at '{Path.GetFullPath(directory)}' (expected evaldata.json and pages/); nothing to score.");
            return 2;
        }

        var cases = LoadCases(directory, evalPath);
        Console.WriteLine($"extract-eval: {cases.Count} pages with snippets from {Path.GetFullPath(directory)}");

        var ours = new Score("stemma");
        var body = new Score("stemma body");
        var baseline = new Score("smartreader");
        var failures = new List<(string File, int Missed, int Leaked, List<string> Details)>();
        long htmlBytes = 0;
        var extractTime = TimeSpan.Zero;
        var errors = 0;
        var (emptyPages, allMissedPages, allLeakedPages) = (0, 0, 0);

        using var dump = dumpPath is null ? null : new StreamWriter(dumpPath);
        foreach (var page in cases)
        {
            var html = HtmlDecoding.Decode(page.Bytes);
            htmlBytes += page.Bytes.Length;

            string text;
            HtmlExtraction? extraction = null;
            var started = Stopwatch.GetTimestamp();
            try
            {
                extraction = HtmlArticleExtractor.Extract(html, page.Url);
                text = string.Join('\n', extraction.Paragraphs);
            }
            catch (HtmlTooLargeException)
            {
                text = string.Empty;
                errors++;
            }
            extractTime += Stopwatch.GetElapsedTime(started);

            // The body Stemma matches on: the paragraphs less the lines the classifier sets apart (read-more, captions, credits...).
            var articleBody = extraction is null ? string.Empty : ArticleAssembler.Build(new ArticleDraft
            {
                Id = page.File,
                Title = extraction.Metadata.Title,
                Paragraphs = [.. extraction.Paragraphs.Select(paragraph => new TextBlock(paragraph))],
                Format = "html",
            }).Body;
            body.Add(Stemma.Ingest.Formats.HtmlText.CollapseWhitespace(articleBody), page);
            var (missed, leaked, details) = ours.Add(Stemma.Ingest.Formats.HtmlText.CollapseWhitespace(text), page);
            emptyPages += text.Length == 0 ? 1 : 0;
            allMissedPages += page.With.Count > 0 && missed == page.With.Count ? 1 : 0;
            allLeakedPages += page.Without.Count > 0 && leaked == page.Without.Count ? 1 : 0;
            if (dump is not null)
            {
                DumpBlocks(dump, page, html);
            }
            if (missed + leaked > 0)
            {
                if (failuresToShow > 0)
                {
                    var trace = new List<(string Text, string Fate)>();
                    details.Insert(0, "article: " + HtmlArticleExtractor.ExtractWithPath(html, trace).ArticlePath);
                    var collapsed = Stemma.Ingest.Formats.HtmlText.CollapseWhitespace(text);
                    for (var d = 1; d < details.Count; d++)
                    {
                        var snippet = details[d][(details[d].IndexOf(": ", StringComparison.Ordinal) + 2)..];
                        var at = collapsed.IndexOf(snippet, StringComparison.Ordinal);
                        var block = trace.FirstOrDefault(b => Stemma.Ingest.Formats.HtmlText.CollapseWhitespace(b.Text).Contains(snippet, StringComparison.Ordinal));
                        details[d] += "   [" + (at >= 0 ? $"at {at / (double)Math.Max(1, collapsed.Length):F2} " : string.Empty) + (block.Fate ?? "in no block") + "]";
                    }
                }
                failures.Add((page.File, missed, leaked, details));
            }

            if (runBaseline)
            {
                var (baseMissed, baseLeaked, _) = baseline.Add(Stemma.Ingest.Formats.HtmlText.CollapseWhitespace(RunSmartReader(page.Url, html)), page);
                if (failures.Count > 0 && failures[^1].File == page.File)
                {
                    failures[^1] = failures[^1] with { Missed = failures[^1].Missed - baseMissed, Leaked = failures[^1].Leaked - baseLeaked };
                }
            }
        }

        Console.WriteLine();
        Console.WriteLine("extractor      precision  recall     F1  accuracy   (TP/FN/FP/TN)");
        ours.Print();
        body.Print();
        if (runBaseline)
        {
            baseline.Print();
        }
        var seconds = extractTime.TotalSeconds;
        Console.WriteLine();
        Console.WriteLine($"stemma speed (one thread, extraction only): {cases.Count / seconds:F1} pages/s, {htmlBytes / 1e6 / seconds:F2} MB/s " +
            $"({cases.Count} pages, {htmlBytes / 1e6:F1} MB in {seconds:F2} s); refused pages: {errors}");
        Console.WriteLine($"stemma pages with no text: {emptyPages}; every 'with' snippet missed: {allMissedPages}; every 'without' snippet leaked: {allLeakedPages}");

        if (failuresToShow > 0)
        {
            Console.WriteLine();
            foreach (var failure in failures.OrderByDescending(f => f.Missed + f.Leaked).Take(failuresToShow))
            {
                Console.WriteLine($"{failure.File}: missed {failure.Missed}, leaked {failure.Leaked}");
                foreach (var detail in failure.Details)
                {
                    Console.WriteLine($"    {detail}");
                }
            }
        }
        return 0;
    }

    /// <summary>Writes one JSON line per text block of the page: its text, what became of it, and the snippets it holds (for offline analysis).</summary>
    private static void DumpBlocks(StreamWriter dump, EvalCase page, string html)
    {
        var trace = new List<(string Text, string Fate)>();
        HtmlArticleExtractor.ExtractWithPath(html, trace);
        for (var i = 0; i < trace.Count; i++)
        {
            var text = Stemma.Ingest.Formats.HtmlText.CollapseWhitespace(trace[i].Text);
            var with = page.With.Count(snippet => text.Contains(snippet, StringComparison.Ordinal));
            var without = page.Without.Count(snippet => text.Contains(snippet, StringComparison.Ordinal));
            dump.WriteLine(JsonSerializer.Serialize(new { page = page.File, i, n = trace.Count, text, fate = trace[i].Fate, with, without, pw = page.With.Count, pwo = page.Without.Count }));
        }
    }

    /// <summary>Prints what the extractor reads from one page (a debugging aid).</summary>
    private static int Show(string path)
    {
        var html = HtmlDecoding.Decode(ReadPage(path));
        var result = HtmlArticleExtractor.Extract(html);
        Console.WriteLine(result.Metadata);
        Console.WriteLine("article: " + HtmlArticleExtractor.ExtractWithPath(html).ArticlePath);
        foreach (var paragraph in result.Paragraphs)
        {
            Console.WriteLine("| " + paragraph);
        }
        return 0;
    }

    private static string RunSmartReader(string url, string html)
    {
        try
        {
            var article = new SmartReader.Reader(url, html).GetArticle();
            return article.TextContent ?? string.Empty;
        }
#pragma warning disable CA1031 // a baseline that crashes on a page simply extracts nothing there
        catch (Exception)
#pragma warning restore CA1031
        {
            return string.Empty;
        }
    }

    private static List<EvalCase> LoadCases(string directory, string evalPath)
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(evalPath));
        var cases = new List<EvalCase>();
        foreach (var entry in json.RootElement.EnumerateObject())
        {
            var file = entry.Value.GetProperty("file").GetString()!;
            var path = Path.Combine(directory, "pages", file + ".gz");
            if (!File.Exists(path))
            {
                path = Path.Combine(directory, "pages", file);
                if (!File.Exists(path))
                {
                    continue;
                }
            }
            cases.Add(new EvalCase(entry.Name, file, ReadPage(path), Snippets(entry.Value, "with"), Snippets(entry.Value, "without")));
        }
        return cases;
    }

    private static byte[] ReadPage(string path)
    {
        using var file = File.OpenRead(path);
        if (!path.EndsWith(".gz", StringComparison.Ordinal))
        {
            using var plain = new MemoryStream();
            file.CopyTo(plain);
            return plain.ToArray();
        }
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var buffer = new MemoryStream();
        gzip.CopyTo(buffer);
        return buffer.ToArray();
    }

    private static List<string> Snippets(JsonElement entry, string name)
    {
        var snippets = new List<string>();
        if (entry.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in array.EnumerateArray())
            {
                var text = Stemma.Ingest.Formats.HtmlText.CollapseWhitespace(item.GetString() ?? string.Empty);
                if (text.Length > 0)
                {
                    snippets.Add(text);
                }
            }
        }
        return snippets;
    }

    private sealed record EvalCase(string Url, string File, byte[] Bytes, List<string> With, List<string> Without);

    private sealed class Score(string name)
    {
        private int _truePositives;
        private int _falseNegatives;
        private int _falsePositives;
        private int _trueNegatives;

        public (int Missed, int Leaked, List<string> Details) Add(string text, EvalCase page)
        {
            var details = new List<string>();
            var missed = 0;
            var leaked = 0;
            foreach (var snippet in page.With)
            {
                if (text.Contains(snippet, StringComparison.Ordinal))
                {
                    _truePositives++;
                }
                else
                {
                    _falseNegatives++;
                    missed++;
                    details.Add("missed: " + snippet);
                }
            }
            foreach (var snippet in page.Without)
            {
                if (text.Contains(snippet, StringComparison.Ordinal))
                {
                    _falsePositives++;
                    leaked++;
                    details.Add("leaked: " + snippet);
                }
                else
                {
                    _trueNegatives++;
                }
            }
            return (missed, leaked, details);
        }

        public void Print()
        {
            double precision = _truePositives / (double)Math.Max(1, _truePositives + _falsePositives);
            double recall = _truePositives / (double)Math.Max(1, _truePositives + _falseNegatives);
            var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            double accuracy = (_truePositives + _trueNegatives) / (double)Math.Max(1, _truePositives + _falseNegatives + _falsePositives + _trueNegatives);
            Console.WriteLine($"{name,-14} {precision,9:F3} {recall,7:F3} {f1,6:F3} {accuracy,9:F3}   ({_truePositives}/{_falseNegatives}/{_falsePositives}/{_trueNegatives})");
        }
    }
}
