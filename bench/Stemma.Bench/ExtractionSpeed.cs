using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using AngleSharp.Html.Parser;
using Stemma.Ingest;
using Stemma.Ingest.Html;

namespace Stemma.Bench;

/// <summary>
/// Extraction speed on one thread, split by stage, on the pages of the extraction development set (decoded to text first):
/// the nesting check, the AngleSharp parse alone (the given cost and the baseline), parse plus metadata, and the whole
/// <see cref="HtmlArticleExtractor.Extract(string, string?)"/>. Each stage reports wall-clock and this thread's CPU time
/// (from /proc/thread-self/stat when present), since on a shared machine wall-clock time mostly measures the other jobs.
/// Usage: extract-speed [DIR] [--passes N]
/// </summary>
internal static class ExtractionSpeed
{
    public static int Run(string[] args)
    {
        var directory = "../shared/extraction-dev";
        var passes = 3;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--passes" && i + 1 < args.Length)
            {
                passes = int.Parse(args[++i], CultureInfo.InvariantCulture);
            }
            else
            {
                directory = args[i];
            }
        }
        var pagesDirectory = Path.Combine(directory, "pages");
        if (!Directory.Exists(pagesDirectory))
        {
            Console.Error.WriteLine($"extract-speed: no pages at '{Path.GetFullPath(pagesDirectory)}'; nothing to time.");
            return 2;
        }

        var pages = new List<string>();
        long bytes = 0;
        foreach (var path in Directory.EnumerateFiles(pagesDirectory).Order(StringComparer.Ordinal))
        {
            using var file = File.OpenRead(path);
            using var buffer = new MemoryStream();
            if (path.EndsWith(".gz", StringComparison.Ordinal))
            {
                using var gzip = new GZipStream(file, CompressionMode.Decompress);
                gzip.CopyTo(buffer);
            }
            else
            {
                file.CopyTo(buffer);
            }
            var data = buffer.ToArray();
            bytes += data.Length;
            pages.Add(HtmlDecoding.Decode(data));
        }
        Console.WriteLine($"extract-speed: {pages.Count} pages, {bytes / 1e6:F1} MB, {passes} timed passes per stage after one warm-up pass; one thread");
        Console.WriteLine($"processors: {Environment.ProcessorCount}; load average: {LoadAverage()}");

        var parser = new HtmlParser(new HtmlParserOptions { IsScripting = false });
        var stages = new (string Name, Action<string> Work)[]
        {
            ("nesting check", html => HtmlNestingCheck.Check(html, IngestLimits.Default, "page")),
            ("parse (AngleSharp)", html => parser.ParseDocument(html).Dispose()),
            ("parse + metadata", html =>
            {
                using var document = parser.ParseDocument(html);
                var linkedData = HtmlMetadataReader.ReadLinkedData(document);
                _ = HtmlMetadataReader.Read(document, linkedData, null);
            }),
            ("whole Extract", html => HtmlArticleExtractor.Extract(html)),
        };

        Console.WriteLine();
        Console.WriteLine("stage                   wall pages/s   CPU pages/s   CPU ms/page");
        var cpuPerPage = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (name, work) in stages)
        {
            foreach (var html in pages)
            {
                work(html);
            }
            var wall = TimeSpan.Zero;
            var cpu = TimeSpan.Zero;
            for (var pass = 0; pass < passes; pass++)
            {
                GC.Collect();
                var cpuStart = ThreadCpu();
                var started = Stopwatch.GetTimestamp();
                foreach (var html in pages)
                {
                    work(html);
                }
                wall += Stopwatch.GetElapsedTime(started);
                cpu += ThreadCpu() - cpuStart;
            }
            var count = (double)pages.Count * passes;
            cpuPerPage[name] = cpu.TotalMilliseconds / count;
            Console.WriteLine($"{name,-22} {count / wall.TotalSeconds,12:F1} {(cpu > TimeSpan.Zero ? count / cpu.TotalSeconds : double.NaN),13:F1} {cpu.TotalMilliseconds / count,13:F2}");
        }
        var ours = cpuPerPage["whole Extract"] - cpuPerPage["parse + metadata"];
        Console.WriteLine();
        Console.WriteLine($"main-text finding (whole Extract less parse + metadata): {ours:F2} CPU ms/page, " +
            $"{ours / cpuPerPage["whole Extract"]:P0} of the whole; whole Extract / parse alone: {cpuPerPage["whole Extract"] / cpuPerPage["parse (AngleSharp)"]:F2}x");
        Console.WriteLine($"load average after: {LoadAverage()}");
        return 0;
    }

    /// <summary>CPU time (user + system) of the calling thread, from /proc/thread-self/stat; the process's total when that is absent.</summary>
    internal static TimeSpan ThreadCpu()
    {
        try
        {
            var stat = File.ReadAllText("/proc/thread-self/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // After the command name: field 3 is state, so utime (field 14) and stime (field 15) are at 11 and 12.
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return TimeSpan.FromSeconds(ticks / 100.0);
        }
        catch (IOException)
        {
            return Process.GetCurrentProcess().TotalProcessorTime;
        }
        catch (UnauthorizedAccessException)
        {
            return Process.GetCurrentProcess().TotalProcessorTime;
        }
    }

    internal static string LoadAverage()
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
