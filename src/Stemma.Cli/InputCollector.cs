using System.Runtime.CompilerServices;
using Stemma.Ingest;
using Stemma.Ingest.Annotations;
using Stemma.Ingest.Formats;
using Stemma.Pipeline;

namespace Stemma.Cli;

/// <summary>Reads PATH arguments into articles, reporting every rejected input on stderr and carrying on.</summary>
internal static class InputCollector
{
    private const int MaxDuplicateReportsPerFile = 10;

    /// <summary>
    /// An ingest whose text comes to at most this many characters (128 MB as strings; 33 MB of small files is about a
    /// quarter of it) holds the first read's articles instead of reading its input again for the later passes. Settable
    /// for tests, which check that both ways store the same.
    /// </summary>
    internal static long HeldTextCharacters { get; set; } = 64L * 1024 * 1024;

    public sealed record Collected(List<Article> Articles, int Rejected);

    /// <summary>
    /// The articles of <paramref name="paths"/>, annotated. The read of JSON Lines files runs without collections, since it
    /// keeps about 70 % of what it allocates (<see cref="CollectionPause.ForKept"/>, a budget from the files' size), unless
    /// <paramref name="pauseJsonLines"/> is false.
    /// </summary>
    public static Collected Read(IEnumerable<string> paths, CliContext context, CancellationToken cancellationToken, bool pauseJsonLines = true)
    {
        IReadOnlyList<string> inputs = [.. paths];
        var pausedBytes = pauseJsonLines ? KeptReadBytes(inputs) : 0;
        return Collect(ArticleReader.Read(inputs, context.ReaderOptions).ToAsyncEnumerable(), context, cancellationToken, pausedBytes).GetAwaiter().GetResult();
    }

    /// <summary>What a JSON Lines read allocates a byte of input, with room to spare (3.0–3.1 measured on news records).</summary>
    internal const int KeptReadBytesPerInputByte = 4;

    /// <summary>How much of a JSON Lines file is looked at for HTML before its read is paused.</summary>
    internal const int KeptReadSampleBytes = 64 * 1024;

    /// <summary>
    /// The allocation budget of a paused read of <paramref name="paths"/>: <see cref="KeptReadBytesPerInputByte"/> for
    /// every byte of the JSON Lines files named (by extension, .jsonl or .ndjson) whose first records carry plain text.
    /// Records carrying HTML are parsed as pages, which makes mostly garbage (a JSON Lines file of 1,011 pages paused
    /// peaked at 1.2 GB instead of 0.2 GB), and so do other inputs (directories of small files, HTML, WARC); a pipe has no
    /// length. They add nothing.
    /// </summary>
    internal static long KeptReadBytes(IEnumerable<string> paths)
    {
        long bytes = 0;
        foreach (var path in paths)
        {
            // Not through a ".gz" as the reader looks: a compressed file's length does not tell its text's.
            if (FormatDetector.IsJsonLinesExtension(Path.GetExtension(path).ToLowerInvariant())
                && new FileInfo(path) is { Exists: true } file
                && !StartsWithHtml(file))
            {
                bytes += file.Length * KeptReadBytesPerInputByte;
            }
        }

        return bytes;
    }

    /// <summary>Whether the first <see cref="KeptReadSampleBytes"/> of a JSON Lines file hold a block tag (escaped or not).</summary>
    private static bool StartsWithHtml(FileInfo file)
    {
        try
        {
            using var stream = file.OpenRead();
            var sample = new byte[(int)Math.Min(file.Length, KeptReadSampleBytes)];
            sample = sample[..stream.ReadAtLeast(sample, sample.Length, throwOnEndOfStream: false)];

            // A JSON writer may escape the angle brackets; a cut multi-byte character at the end decodes as a replacement.
            var text = System.Text.Encoding.UTF8.GetString(sample)
                .Replace("\\u003c", "<", StringComparison.OrdinalIgnoreCase)
                .Replace("\\u003e", ">", StringComparison.OrdinalIgnoreCase);
            return HtmlText.LooksLikeHtml(text);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // The reader reports it; nothing to pause for.
            return true;
        }
    }

    /// <summary>
    /// As <see cref="Read"/>, the files read by <paramref name="remote"/> (a cluster's read workers) when given: this
    /// process lists them and sends their bytes.
    /// </summary>
    public static Task<Collected> ReadAsync(IEnumerable<string> paths, CliContext context, IRemoteReading? remote, CancellationToken cancellationToken) =>
        remote is null
            ? Task.FromResult(Read(paths, context, cancellationToken))
            : Collect(RemoteReader.ReadAsync(paths, context.ReaderOptions, remote, cancellationToken), context, cancellationToken);

    /// <summary>
    /// As <see cref="ReadAsync"/>, for a caller that takes the articles one at a time (ingest): local files are read several
    /// times by <see cref="StreamingAnnotator"/>, which holds compact evidence instead of the corpus, so memory does not grow
    /// with the input (an input within <see cref="HeldTextCharacters"/> is read once and held). A cluster's read workers,
    /// and inputs that cannot be read twice (a pipe such as /dev/stdin), give the articles in memory as
    /// <see cref="ReadAsync"/> does.
    /// </summary>
    public static async Task<Streamed> StreamAsync(IReadOnlyList<string> paths, CliContext context, IRemoteReading? remote, CancellationToken cancellationToken)
    {
        if (remote is not null || !paths.All(Rereadable))
        {
            var input = await ReadAsync(paths, context, remote, cancellationToken);
            return new Streamed(input.Articles.Count, input.Articles, input.Rejected);
        }

        var rejected = new StrongBox<int>();
        IEnumerable<Article> Pass(CliContext? report, StrongBox<int> count) =>
            Accept(ArticleReader.Read(paths, context.ReaderOptions).ToAsyncEnumerable(), report, count, cancellationToken).ToBlockingEnumerable(cancellationToken);

        StreamingAnnotator annotator;
        using (StageTimings.Start("corpus annotation (streamed passes)"))
        {
            // Errors and duplicates are reported on the first read only; later reads see the same outcomes.
            annotator = StreamingAnnotator.Prepare(Pass(context, rejected), () => Pass(null, new StrongBox<int>()), holdCharacters: HeldTextCharacters);
        }

        context.Log($"read {annotator.Count} articles, {rejected.Value} rejected");
        return new Streamed(annotator.Count, annotator.Articles(), rejected.Value);
    }

    /// <summary>The articles, read once more each time they are enumerated.</summary>
    public sealed record Streamed(int Count, IEnumerable<Article> Articles, int Rejected);

    /// <summary>A directory or a regular file (a pipe or a terminal reads differently the second time).</summary>
    private static bool Rereadable(string path)
    {
        // A pipe reports the bytes waiting in it as its length, so only opening tells.
        if (Directory.Exists(path) || !File.Exists(path))
        {
            return true;
        }

        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1);
            return stream.CanSeek;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // The reader reports it, the same way on every read.
            return true;
        }
    }

    private static async Task<Collected> Collect(IAsyncEnumerable<ReadOutcome> outcomes, CliContext context, CancellationToken cancellationToken, long pausedBytes = 0)
    {
        var rejected = new StrongBox<int>();
        var articles = new List<Article>();
        using (StageTimings.Start("read"))
        using (pausedBytes > 0 ? CollectionPause.ForKept(pausedBytes) : null)
        {
            await foreach (var article in Accept(outcomes, context, rejected, cancellationToken))
            {
                articles.Add(article);
            }
        }

        context.Log($"read {articles.Count} articles, {rejected.Value} rejected");

        // Lines a site repeats across unrelated articles are its boilerplate, not article text. The pass keeps most of what
        // it allocates (each article's content words and sentences) until it ends: collecting would only copy it. It ends
        // in a compaction like the read's: after two pauses in a row the next stage's first collection promoted this one's
        // garbage with the rest (the 100k analyze then peaked 0.3 GB higher).
        using (StageTimings.Start("corpus annotation"))
        // About 1.6 bytes a character of body (528 MB for the 325 million characters of 100k news articles).
        using (CollectionPause.ForBodies(articles, 2, compactAfter: true))
        {
            return new Collected([.. CorpusAnnotator.Apply(articles)], rejected.Value);
        }
    }

    /// <summary>
    /// The articles kept from what was read: errors and duplicates are counted in <paramref name="rejected"/>, and reported
    /// when <paramref name="report"/> is given.
    /// </summary>
    private static async IAsyncEnumerable<Article> Accept(IAsyncEnumerable<ReadOutcome> outcomes, CliContext? report, StrongBox<int> rejected, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var versions = new DocumentVersions();
        var duplicatesBySource = new Dictionary<string, int>(StringComparer.Ordinal);
        await foreach (var outcome in outcomes.WithCancellation(cancellationToken))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (outcome.Article is not { } article)
            {
                report?.ReportError(outcome.ToString());
                rejected.Value++;
                continue;
            }

            // Two different texts under one id (a URL crawled twice) are two versions of the page; the same text twice is one.
            var decision = versions.Add(article);
            if (decision.Article is null)
            {
                // A file of one record repeated a million times gets a few lines, not a million.
                var count = duplicatesBySource[outcome.Source] = duplicatesBySource.GetValueOrDefault(outcome.Source) + 1;
                if (count <= MaxDuplicateReportsPerFile)
                {
                    report?.ReportError($"{outcome.Source}: duplicate of '{decision.DuplicateOf}' (same id, same text, already read from another input); skipped");
                }

                rejected.Value++;
                continue;
            }

            yield return decision.Article;
        }

        foreach (var (source, count) in duplicatesBySource.Where(entry => entry.Value > MaxDuplicateReportsPerFile))
        {
            report?.ReportError($"{source}: {count - MaxDuplicateReportsPerFile} more duplicate ids skipped ({count} in all)");
        }
    }
}
