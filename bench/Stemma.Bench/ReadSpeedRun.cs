using System.Diagnostics;
using System.Text.Json;
using Stemma.Ingest;
using Stemma.Ingest.Annotations;
using Stemma.Ingest.Formats;

namespace Stemma.Bench;

/// <summary>
/// Reading alone, on one thread, with the CPU time of that thread (a shared machine's wall clock mostly measures the
/// other jobs): <c>ArticleReader.Read</c> of PATH (a folder of small files, or a JSONL file) with the articles kept, as
/// `extract` keeps them; one warm-up pass, then timed passes. For a JSONL file the same lines are also taken through
/// the record's stages one at a time: JSON parse and fields, paragraph splitting, assembly (classifying the paragraphs).
/// Usage: read-speed PATH [--passes N]
/// </summary>
internal static class ReadSpeedRun
{
    public static int Run(string[] args)
    {
        if (args.Length == 0 || !(File.Exists(args[0]) || Directory.Exists(args[0])))
        {
            Console.Error.WriteLine("read-speed: give a folder of small files or a JSONL file (e2e --write files|jsonl writes both)");
            return 2;
        }

        var path = args[0];
        var passes = args.Length > 2 && args[1] == "--passes" ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 2;
        var bytes = File.Exists(path) ? new FileInfo(path).Length : Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Sum(file => new FileInfo(file).Length);
        Environment.SetEnvironmentVariable("STEMMA_READ_THREADS", "1");
        Console.WriteLine($"read-speed: {path}, {bytes / 1e6:F1} MB, one thread; {Environment.ProcessorCount} cores; load average {ExtractionSpeed.LoadAverage()}");

        var count = 0;
        Measure("whole read (ArticleReader.Read)", bytes, passes, () =>
        {
            var articles = ArticleReader.Read([path]).Where(outcome => outcome.Article is not null).Select(outcome => outcome.Article!).ToList();
            count = articles.Count;
        });
        Console.WriteLine($"  {count} articles");

        if (File.Exists(path) && path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase))
        {
            var lines = File.ReadLines(path).Select(System.Text.Encoding.UTF8.GetBytes).ToList();
            var records = new List<(string Id, string? Title, string Text)>(lines.Count);
            Measure("JSON parse and fields", bytes, passes, () =>
            {
                records.Clear();
                foreach (var line in lines)
                {
                    using var json = JsonDocument.Parse(line);
                    var root = json.RootElement;
                    var text = JsonFields.String(root, "text") ?? string.Empty;
                    _ = (JsonFields.String(root, "url"), JsonFields.String(root, "date"), JsonFields.String(root, "site"), JsonFields.String(root, "author"), JsonFields.String(root, "language"));
                    records.Add((JsonFields.String(root, "id") ?? string.Empty, HtmlText.ToInlineText(JsonFields.String(root, "title")), text));
                }
            });

            var drafts = new List<ArticleDraft>(records.Count);
            Measure("paragraph splitting", bytes, passes, () =>
            {
                drafts.Clear();
                foreach (var (id, title, text) in records)
                {
                    drafts.Add(new ArticleDraft { Id = id, Title = title, Paragraphs = ArticleAssembler.PlainTextParagraphs(text, title), Format = "jsonl" });
                }
            });

            Measure("assembly (classify, join the body)", bytes, passes, () =>
            {
                var articles = new List<Article>(drafts.Count);
                foreach (var draft in drafts)
                {
                    articles.Add(ArticleAssembler.Build(draft));
                }
            });
        }

        Console.WriteLine($"load average after: {ExtractionSpeed.LoadAverage()}");
        return 0;
    }

    private static void Measure(string stage, long bytes, int passes, Action run)
    {
        run();
        var (thread, process, gen0, allocated) = (TimeSpan.Zero, TimeSpan.Zero, 0, 0L);
        var wall = Stopwatch.StartNew();
        for (var pass = 0; pass < passes; pass++)
        {
            var (threadStart, processStart, gen0Start, allocatedStart) = (ExtractionSpeed.ThreadCpu(), Process.GetCurrentProcess().TotalProcessorTime, GC.CollectionCount(0), GC.GetTotalAllocatedBytes(precise: true));
            run();
            thread += ExtractionSpeed.ThreadCpu() - threadStart;
            process += Process.GetCurrentProcess().TotalProcessorTime - processStart;
            gen0 += GC.CollectionCount(0) - gen0Start;
            allocated += GC.GetTotalAllocatedBytes(precise: true) - allocatedStart;
        }

        var megabytes = bytes / 1e6 * passes;
        Console.WriteLine($"{stage,-38} thread CPU {thread.TotalSeconds / passes,7:F2} s ({megabytes / thread.TotalSeconds,6:F1} MB/s), " +
            $"process CPU {process.TotalSeconds / passes,7:F2} s ({megabytes / process.TotalSeconds,6:F1} MB/s), wall {wall.Elapsed.TotalSeconds / passes,7:F2} s, {gen0 / passes} gen0 GCs and {allocated / passes / 1e6:F0} MB allocated a pass");
    }
}
