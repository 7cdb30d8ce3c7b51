using System.Diagnostics;
using Stemma.Ingest;
using Stemma.Index;
using Stemma.Ingest.Annotations;
using Stemma.Pipeline;
using Stemma.Sketch;

namespace Stemma.Bench;

/// <summary>
/// What the corpus-level annotation passes cost next to the rest of `analyze`: reads a JSONL corpus (for example the
/// one `e2e --docs N --dir DIR` writes), then times the site-boilerplate pass, the injected-sentence pass (and within it
/// the sentence parsing of every article), and the near-duplicate and relate stages that `analyze` runs after them.
/// Usage: annotate-time FILE [--relate no]
/// </summary>
internal static class AnnotateTimeRun
{
    public static int Run(string[] args)
    {
        if (args.Length == 0 || !File.Exists(args[0]))
        {
            Console.Error.WriteLine("annotate-time: give a corpus file (e.g. the corpus-N.jsonl that `e2e --docs N --dir DIR` writes)");
            return 2;
        }
        var relate = !(args.Length > 2 && args[1] == "--relate" && args[2] == "no");

        var watch = Stopwatch.StartNew();
        var articles = ArticleReader.Read([args[0]]).Where(o => o.Article is not null).Select(o => o.Article!).ToList();
        var read = watch.Elapsed.TotalSeconds;
        Console.WriteLine($"annotate-time: {articles.Count} articles from {args[0]}; {Environment.ProcessorCount} cores; load average {LoadAverage()}");

        // Warm-up on a slice, so that JIT time is not charged to the first pass timed.
        _ = InjectedSentences.Apply(articles.Take(200).ToList());

        var cpu = new List<(string Stage, double Seconds)>();
        var cpuStart = Cpu();
        void Lap(string stage)
        {
            var now = Cpu();
            cpu.Add((stage, (now - cpuStart).TotalSeconds));
            cpuStart = now;
        }

        watch.Restart();
        cpuStart = Cpu();
        var boilerplate = CorpusAnnotator.FindBoilerplate(articles, BoilerplateOptions.Default);
        var boilerplateSeconds = watch.Elapsed.TotalSeconds;
        Lap("site boilerplate");

        // The pass's parsing on one thread: the family keys of every article, then the sentences (which the pass itself
        // splits only for articles in a family).
        watch.Restart();
        var table = new InjectedSentences.WordTable();
        var parsedAlone = articles.Select(article => new InjectedSentences.Parsed(article, table)).ToList();
        Lap("family keys alone");
        foreach (var parsed in parsedAlone)
        {
            _ = parsed.Sentences;
        }
        var parseSeconds = watch.Elapsed.TotalSeconds;
        Lap("sentences alone");
        parsedAlone.Clear();

        // What the streamed pass (and analyze) makes of every article instead: the keys and the sentence sketch from one scan.
        var sketchTable = new InjectedSentences.WordTable();
        var dense = new InjectedSentences.DenseWords();
        foreach (var article in articles)
        {
            _ = InjectedSentences.Parsed.Split(article.Body, sketchTable, withKeys: true);
        }

        Lap("split with keys alone");
        foreach (var article in articles)
        {
            _ = InjectedSentences.Sketch(article.Body, sketchTable, dense, out _);
        }

        Lap("sentence sketches alone");

        // The pass's own stages (family keys, families, the sentence checks), as STEMMA_TIMINGS=1 prints them.
        StageTimings.Sink = line => Console.WriteLine("  " + line);
        watch.Restart();
        var annotated = InjectedSentences.Apply(articles);
        StageTimings.Sink = null;
        var injectedSeconds = watch.Elapsed.TotalSeconds;
        Lap("injected-sentence pass");
        var changed = annotated.Where((article, i) => !ReferenceEquals(article, articles[i])).Count();

        watch.Restart();
        var sketches = CorpusAnalyzer.SketchAll(articles, new Sketcher());
        var pairs = NearDuplicateFinder.FindPairs(sketches);
        var nearSeconds = watch.Elapsed.TotalSeconds;
        Lap("near duplicates");
        var relateSeconds = 0.0;
        if (relate)
        {
            watch.Restart();
            _ = new Relate.StoryAnalyzer().Analyze(articles, pairs, sketches);
            relateSeconds = watch.Elapsed.TotalSeconds;
            Lap("relate");
        }

        var rest = nearSeconds + relateSeconds;
        Console.WriteLine($"read (parse JSONL, assemble)  {read,8:F2} s");
        Console.WriteLine($"site boilerplate pass         {boilerplateSeconds,8:F2} s  ({boilerplate.Count} sites with boilerplate)");
        Console.WriteLine($"injected-sentence pass        {injectedSeconds,8:F2} s  ({changed} articles with injected sentences; {1000 * injectedSeconds / Math.Max(1, articles.Count):F2} ms/article)");
        Console.WriteLine($"  of which parsing            {parseSeconds,8:F2} s  (family keys and sentences of every article, measured alone)");
        Console.WriteLine($"near duplicates (sketch+LSH)  {nearSeconds,8:F2} s");
        Console.WriteLine(relate ? $"relate stage                  {relateSeconds,8:F2} s" : "relate stage                  (skipped)");
        Console.WriteLine($"injected pass / (near duplicates{(relate ? " + relate" : string.Empty)}): {injectedSeconds / Math.Max(1e-9, rest):P1}; " +
            $"share of read + annotate + analyze: {injectedSeconds / (read + boilerplateSeconds + injectedSeconds + rest):P1}");
        Console.WriteLine("process CPU seconds (all threads; wall-clock time on a shared machine mostly measures the other jobs):");
        foreach (var (stage, seconds) in cpu)
        {
            Console.WriteLine($"  {stage,-24} {seconds,8:F2} s");
        }
        var injectedCpu = cpu.First(c => c.Stage == "injected-sentence pass").Seconds;
        var restCpu = cpu.Where(c => c.Stage is "near duplicates" or "relate").Sum(c => c.Seconds);
        Console.WriteLine($"injected pass CPU / (near duplicates{(relate ? " + relate" : string.Empty)}) CPU: {injectedCpu / Math.Max(1e-9, restCpu):P1}");
        return 0;
    }

    private static TimeSpan Cpu() => Process.GetCurrentProcess().TotalProcessorTime;

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}
