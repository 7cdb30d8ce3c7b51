using System.Text;
using System.Xml;
using Stemma.Ingest.Formats;

namespace Stemma.Ingest;

/// <summary>One result of reading: an article, or an error naming the source (and line or record number) and the reason.</summary>
public sealed record ReadOutcome(string Source, Article? Article, string? Error = null, int? Line = null)
{
    public bool IsError => Error is not null;

    /// <summary>Something worth knowing about an article that was read anyway (e.g. invalid UTF-8 decoded as Windows-1252).</summary>
    public string? Warning { get; init; }

    public override string ToString() => Error is null ? Source : Line is int line ? $"{Source}:{line}: {Error}" : $"{Source}: {Error}";
}

/// <summary>How files are read: the limits that keep memory and time bounded whatever the input, and where ids start.</summary>
public sealed record ReaderOptions
{
    public static ReaderOptions Default { get; } = new();

    /// <summary>All caps (<see cref="IngestLimits"/>); the properties below are shortcuts into it.</summary>
    public IngestLimits Limits { get; init; } = IngestLimits.Default;

    /// <summary>Largest single document (page, post, feed, text file, JSONL line) read into memory, after decompression.</summary>
    public long MaxDocumentBytes
    {
        get => Limits.MaxDocumentBytes;
        init => Limits = Limits with { MaxDocumentBytes = value };
    }

    /// <summary>Largest WARC record block read into memory; larger records are skipped and reported.</summary>
    public long MaxRecordBytes
    {
        get => Limits.MaxRecordBytes;
        init => Limits = Limits with { MaxRecordBytes = value };
    }

    /// <summary>
    /// When set, a file's id is its path relative to this directory (so ids do not depend on which path was given on the
    /// command line); files outside it are refused. When null, ids are relative to each directory argument, and a file
    /// argument's id is its file name.
    /// </summary>
    public string? IdRoot { get; init; }

    /// <summary>Bytes all gzip files read with these options may decompress to together (one web request); null for no shared budget.</summary>
    public DecompressionBudget? SharedDecompressionBudget { get; init; }
}

/// <summary>
/// Reads articles from files and directories (recursively, in ordinal path order), one file at a time.
/// Formats are detected by content: HTML pages, WordPress REST posts, RSS/Atom feeds, JSONL, WARC, plain
/// text, and gzip of any of them. One outcome per article or per failure; a broken input never stops the rest
/// and nothing is thrown for bad input.
/// </summary>
public static class ArticleReader
{
    /// <summary>Names under which plain text is taken as an article (other article formats are recognized by content whatever the name).</summary>
    private static readonly HashSet<string> PlainTextExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        string.Empty, ".txt", ".text", ".html", ".htm", ".xhtml", ".json", ".jsonl", ".ndjson", ".xml", ".rss", ".atom", ".warc",
    };

    public static IEnumerable<ReadOutcome> Read(IEnumerable<string> paths) => Read(paths, ReaderOptions.Default);

    public static IEnumerable<ReadOutcome> Read(IEnumerable<string> paths, ReaderOptions options)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(options);

        // Small files are read whole on both cores, a window ahead of the caller, and handed out in path order; large
        // files (a JSONL dump, a WARC) stream on the caller's thread. A shared decompression budget is spent in file
        // order, so with one the files are read one after the other.
        if (options.SharedDecompressionBudget is not null || !OrderedParallel.Enabled)
        {
            foreach (var unit in Units(paths))
            {
                IEnumerable<ReadOutcome> outcomes = unit.Ready is { } ready ? [ready] : ReadFileUnderRoot(unit.File!, unit.Id!, options);
                foreach (var outcome in outcomes)
                {
                    yield return outcome;
                }
            }

            yield break;
        }

        // A worker takes a few files at a time: one hand-over (queueing, waking a thread, waiting for the result) per file
        // cost as much as reading a small file.
        var batches = OrderedParallel.Map(
            Units(paths).Chunk(FilesPerBatch),
            batch => Array.ConvertAll(batch, unit => (Unit: unit, Outcomes: ReadWholeIfSmall(unit, options))),
            BatchesPerCore);
        foreach (var batch in batches)
        {
            foreach (var (unit, outcomes) in batch)
            {
                foreach (var outcome in outcomes ?? ReadFileUnderRoot(unit.File!, unit.Id!, options))
                {
                    yield return outcome;
                }
            }
        }
    }

    /// <summary>Files below this size are read whole by a worker (their outcomes held until their turn); larger ones stream.</summary>
    private const long SmallFileBytes = 1024 * 1024;

    /// <summary>Files a worker reads in one go, and batches in flight per core: 64 small files held at most on two cores.</summary>
    private const int FilesPerBatch = 8;

    private const int BatchesPerCore = 4;

    /// <summary>One input in reading order: a file with its id, or an outcome already known (a listing error, a missing path).</summary>
    private readonly record struct ReadUnit(ReadOutcome? Ready, string? File, string? Id);

    private static IEnumerable<ReadUnit> Units(IEnumerable<string> paths)
    {
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                var files = new List<(string File, string Id)>();
                var listingErrors = new List<ReadOutcome>();
                CollectFiles(path, path, files, listingErrors);
                foreach (var error in listingErrors)
                {
                    yield return new ReadUnit(error, null, null);
                }

                foreach (var (file, id) in files.OrderBy(entry => entry.Id, StringComparer.Ordinal))
                {
                    yield return new ReadUnit(null, file, id);
                }
            }
            else if (File.Exists(path))
            {
                yield return new ReadUnit(null, path, Path.GetFileName(path));
            }
            else
            {
                yield return new ReadUnit(new ReadOutcome(path, null, "no such file or directory"), null, null);
            }
        }
    }

    /// <summary>All outcomes of a small file (read now, on a worker), or null when the file is large and must stream.</summary>
    private static List<ReadOutcome>? ReadWholeIfSmall(ReadUnit unit, ReaderOptions options)
    {
        if (unit.Ready is { } ready)
        {
            return [ready];
        }

        var (id, refused) = IdUnderRoot(unit.File!, unit.Id!, options);
        if (refused is not null)
        {
            return [refused];
        }

        byte[]? content;
        try
        {
            content = ContentIfSmall(unit.File!);
        }
        catch (Exception ex) when (IsInputFailure(ex))
        {
            // Let the reader itself report it, in order.
            return null;
        }

        if (content is null)
        {
            return null;
        }

        var source = new SourceContext(unit.File!, id, options);
        return [.. Guard(source, () => ReadSmall(content, source))];
    }

    /// <summary>
    /// The whole file when it is at most <see cref="SmallFileBytes"/> long, or null when it is longer: one open, one
    /// <c>fstat</c> and the reads, where asking the length by name first and then reading cost two more look-ups of the path.
    /// </summary>
    private static byte[]? ContentIfSmall(string path)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var length = RandomAccess.GetLength(handle);
        if (length > SmallFileBytes)
        {
            return null;
        }

        var content = new byte[length];
        var filled = 0;
        while (filled < content.Length && RandomAccess.Read(handle, content.AsSpan(filled), filled) is var read and > 0)
        {
            filled += read;
        }

        // A file that shrank while it was read is what was there.
        return filled == content.Length ? content : content[..filled];
    }

    /// <summary>A small file's outcomes from its content.</summary>
    private static IEnumerable<ReadOutcome> ReadSmall(byte[] content, SourceContext source) =>
        content.Length == 0 ? [source.Error("empty file")] : ReadMemory(content, source);

    /// <summary>With <see cref="ReaderOptions.IdRoot"/>, the id is the path below that root (files outside it are refused).</summary>
    private static IEnumerable<ReadOutcome> ReadFileUnderRoot(string file, string id, ReaderOptions options)
    {
        var (underRoot, refused) = IdUnderRoot(file, id, options);
        return refused is not null ? [refused] : ReadFile(file, underRoot, options);
    }

    /// <summary>A file's id as <see cref="ReaderOptions.IdRoot"/> makes it, or the outcome refusing a file outside the root.</summary>
    private static (string Id, ReadOutcome? Refused) IdUnderRoot(string file, string id, ReaderOptions options)
    {
        if (options.IdRoot is { } root)
        {
            var relative = Path.GetRelativePath(Path.GetFullPath(root), Path.GetFullPath(file)).Replace('\\', '/');
            if (relative == ".." || relative.StartsWith("../", StringComparison.Ordinal) || Path.IsPathRooted(relative))
            {
                return (id, new ReadOutcome(file, null, $"outside the id root '{root}' (--id-root); ids are paths below it"));
            }

            id = relative;
        }

        return (id, null);
    }

    /// <summary>
    /// The inputs <see cref="Read(IEnumerable{string}, ReaderOptions)"/> would read, in its order, without reading them:
    /// each a file with the id its articles get, or an outcome already known (a listing error, a missing path, a file
    /// outside the id root).
    /// </summary>
    public static IEnumerable<(string? File, string? Id, ReadOutcome? Known)> List(IEnumerable<string> paths, ReaderOptions options)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(options);
        foreach (var unit in Units(paths))
        {
            if (unit.Ready is { } ready)
            {
                yield return (null, null, ready);
                continue;
            }

            var (id, refused) = IdUnderRoot(unit.File!, unit.Id!, options);
            yield return refused is null ? (unit.File, id, null) : (null, null, refused);
        }
    }

    /// <summary>
    /// Reads everything, then applies the corpus-level boilerplate pass (<see cref="Annotations.CorpusAnnotator"/>),
    /// which needs all articles of a site at once. Two texts under one id are two versions (<see cref="DocumentVersions"/>).
    /// Returns the articles and the error outcomes separately.
    /// </summary>
    public static (IReadOnlyList<Article> Articles, IReadOnlyList<ReadOutcome> Errors) ReadCorpus(IEnumerable<string> paths, ReaderOptions? options = null)
    {
        var articles = new List<Article>();
        var errors = new List<ReadOutcome>();
        var versions = new DocumentVersions();
        foreach (var outcome in Read(paths, options ?? ReaderOptions.Default))
        {
            if (outcome.Article is { } article)
            {
                var decision = versions.Add(article);
                if (decision.Article is { } kept)
                {
                    articles.Add(kept);
                }
                else
                {
                    errors.Add(outcome with { Article = null, Error = $"duplicate of '{decision.DuplicateOf}' (same id, same text); skipped" });
                }
            }
            else
            {
                errors.Add(outcome);
            }
        }

        return (Annotations.CorpusAnnotator.Apply(articles), errors);
    }

    /// <summary>Reads one file whose articles get the given id (or ids derived from it). Never throws for bad input.</summary>
    public static IEnumerable<ReadOutcome> ReadFile(string file, string id, ReaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(id);
        var source = new SourceContext(file, id, options ?? ReaderOptions.Default);
        return Guard(source, () => ReadFileUnguarded(source));
    }

    /// <summary>
    /// Reads a file's whole content, read elsewhere, as <see cref="ReadFile"/> reads the file itself: errors name
    /// <paramref name="source"/> (its path), articles get <paramref name="id"/> (or ids derived from it). Never throws for
    /// bad input. Used where the bytes travel to the reader (the cluster's read workers).
    /// </summary>
    public static IEnumerable<ReadOutcome> ReadContent(byte[] content, string source, string id, ReaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(id);
        var context = new SourceContext(source, id, options ?? ReaderOptions.Default);
        return content.Length == 0 ? [context.Error("empty file")] : Guard(context, () => ReadMemory(content, context));
    }

    /// <summary>Reads an in-memory document as if it were a file of that name (for tests and callers that fetch pages themselves).</summary>
    public static IEnumerable<ReadOutcome> ReadBytes(byte[] content, string name, ReaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(name);
        var source = new SourceContext(name, name, options ?? ReaderOptions.Default);
        return Guard(source, () => ReadMemory(content, source));
    }

    /// <summary>Reads from a stream opener (called once per pass: sniffing, then reading). Lets tests simulate failing storage.</summary>
    internal static IEnumerable<ReadOutcome> ReadOpened(Func<Stream> open, string name, ReaderOptions? options = null)
    {
        var source = new SourceContext(name, name, options ?? ReaderOptions.Default);
        return Guard(source, () => ReadStream(open, source));
    }

    private static IEnumerable<ReadOutcome> ReadFileUnguarded(SourceContext source)
    {
        // One read for a small file: format detection and the reader then work on memory instead of opening it twice.
        if (ContentIfSmall(source.Path) is { } content)
        {
            return ReadSmall(content, source);
        }

        return ReadStream(() => new FileStream(source.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024), source);
    }

    /// <summary>
    /// Reads content already in memory (sniffing and reading each open a fresh view of it). The view lets readers that
    /// take the whole document (<see cref="StreamLimits.ReadBounded"/>) use the array itself instead of a copy.
    /// </summary>
    private static IEnumerable<ReadOutcome> ReadMemory(byte[] content, SourceContext source) =>
        ReadStream(() => new MemoryStream(content, 0, content.Length, writable: false, publiclyVisible: true), source);

    private static IEnumerable<ReadOutcome> Guard(SourceContext source, Func<IEnumerable<ReadOutcome>> read)
    {
        IEnumerator<ReadOutcome>? outcomes = null;
        try
        {
            while (true)
            {
                ReadOutcome? next;
                string? failure = null;
                try
                {
                    outcomes ??= read().GetEnumerator();
                    next = outcomes.MoveNext() ? outcomes.Current : null;
                }
                catch (Exception ex) when (IsInputFailure(ex))
                {
                    next = null;
                    failure = Describe(ex);
                }

                if (failure is not null)
                {
                    // The reader cannot go on after an exception; report it as this file's last outcome.
                    yield return source.Error(failure);
                    yield break;
                }

                if (next is null)
                {
                    yield break;
                }

                yield return next;
            }
        }
        finally
        {
            outcomes?.Dispose();
        }
    }

    /// <summary>Detects the format from the first bytes (undoing gzip), then streams the file through the matching reader.</summary>
    private static IEnumerable<ReadOutcome> ReadStream(Func<Stream> open, SourceContext source)
    {
        var name = Path.GetFileName(source.Path);
        var head = ReadHead(open, gzipped: false);
        var gzipped = false;
        var format = FormatDetector.Detect(head.Span, name);
        if (format == InputFormat.Gzip)
        {
            gzipped = true;
            head = ReadHead(open, gzipped: true);
            format = FormatDetector.Detect(head.Span, name.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? name[..^3] : name);
        }

        switch (format)
        {
            case InputFormat.Unknown when head.Length == 0:
                yield return source.Error(gzipped ? "empty file (after decompression)" : "empty file");
                yield break;
            case InputFormat.Unknown:
                yield return source.Error("empty file: only whitespace");
                yield break;
            case InputFormat.Text when !PlainTextExtensions.Contains(FormatDetector.ExtensionOf(name)):
                // Plain text under a non-article name (README.md, data.csv, build.log) is far more often not an article.
                yield return source.Error($"plain text with extension '{FormatDetector.ExtensionOf(name)}' is not read as an article (rename it to .txt)");
                yield break;
            case InputFormat.Binary or InputFormat.Gzip:
                yield return source.Error($"unknown binary content{(gzipped ? " inside gzip" : string.Empty)} (extension '{FormatDetector.ExtensionOf(name)}'); not a text, HTML, JSON, feed or WARC file");
                yield break;
            default:
                break;
        }

        using var content = OpenContent(open, gzipped, source.Options);
        using var stream = format is InputFormat.Jsonl or InputFormat.WordPress ? AsUtf8Json(content, head) : content;
        IEnumerable<ReadOutcome> outcomes = format switch
        {
            InputFormat.Warc => WarcFormat.Read(stream, source),
            InputFormat.Jsonl => JsonlFormat.Read(stream, source),
            InputFormat.WordPress => WordPressFormat.Read(stream, source),
            InputFormat.Feed => FeedFormat.Read(stream, source, () => OpenContent(open, gzipped, source.Options)),
            InputFormat.Html => HtmlPageFormat.Read(stream, source),
            _ => PlainTextFormat.Read(stream, source),
        };
        var maxRecords = source.Options.Limits.MaxRecordsPerFile;
        var records = 0;
        foreach (var outcome in outcomes)
        {
            if (++records > maxRecords)
            {
                // One line for the rest of the file, not one per record: a file of a million copies must not flood the log.
                yield return source.Error(new IngestLimitException($"more than {maxRecords:N0} records in one file; the rest of the file", nameof(IngestLimits.MaxRecordsPerFile), maxRecords).Message, outcome.Line);
                yield break;
            }

            yield return outcome;
        }
    }

    /// <summary>
    /// JSON read as UTF-8 whatever its bytes: UTF-16 or UTF-32 (with a byte order mark, or UTF-16 without one, as Windows
    /// PowerShell writes redirected output) is transcoded as it streams; anything else is returned as it is.
    /// </summary>
    private static Stream AsUtf8Json(Stream content, ReadOnlyMemory<byte> head)
    {
        if (!TextDecoding.TryDetectFromBytes(head.Span, out var encoding, out var bomLength) || encoding.CodePage == Encoding.UTF8.CodePage)
        {
            return content;
        }

        Span<byte> mark = stackalloc byte[4];
        content.ReadExactly(mark[..bomLength]);
        return Encoding.CreateTranscodingStream(content, encoding, Encoding.UTF8, leaveOpen: true);
    }

    private static ReadOnlyMemory<byte> ReadHead(Func<Stream> open, bool gzipped)
    {
        using var stream = OpenContent(open, gzipped, options: null, verify: false);
        if (stream is MemoryStream held && held.TryGetBuffer(out var content))
        {
            // Content in memory: its first bytes are looked at where they are (a copy per small file was 8 KB allocated).
            return content.AsMemory(0, Math.Min(content.Count, FormatDetector.HeadBytes));
        }

        var head = new byte[FormatDetector.HeadBytes];
        var filled = 0;
        while (filled < head.Length)
        {
            var read = stream.Read(head, filled, head.Length - filled);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        return head.AsMemory(0, filled);
    }

    private static Stream OpenContent(Func<Stream> open, bool gzipped, ReaderOptions? options, bool verify = true)
    {
        var raw = open();
        if (!gzipped)
        {
            return raw;
        }

        Stream gzip = new VerifiedGZipStream(raw, verify);
        return options is null ? gzip : new DecompressionLimitStream(gzip, options.Limits.MaxDecompressedBytesPerFile, options.SharedDecompressionBudget);
    }

    private static void CollectFiles(string root, string directory, List<(string File, string Id)> files, List<ReadOutcome> errors, HashSet<string>? visited = null)
    {
        // Symbolic links may loop back to a parent: visit each real directory once.
        visited ??= new HashSet<string>(StringComparer.Ordinal);
        try
        {
            var info = new DirectoryInfo(directory);
            var real = info.LinkTarget is null ? info.FullName : info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? info.FullName;
            if (!visited.Add(Path.TrimEndingDirectorySeparator(real)))
            {
                return;
            }

            foreach (var file in Directory.EnumerateFiles(directory))
            {
                if (!Path.GetFileName(file).StartsWith('.'))
                {
                    files.Add((file, Path.GetRelativePath(root, file).Replace('\\', '/')));
                }
            }

            foreach (var subdirectory in Directory.EnumerateDirectories(directory))
            {
                if (!Path.GetFileName(subdirectory).StartsWith('.'))
                {
                    CollectFiles(root, subdirectory, files, errors, visited);
                }
            }
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            errors.Add(new ReadOutcome(directory, null, $"cannot list directory: {Describe(ex)}"));
        }
    }

    /// <summary>
    /// Batch reading must not stop on one file, so anything a reader throws is reported as that file's outcome,
    /// except running out of memory (the process is not in a state to go on).
    /// </summary>
    private static bool IsInputFailure(Exception ex) => ex is not OutOfMemoryException;

    private static string Describe(Exception ex) => ex switch
    {
        InputTooLargeException or IngestLimitException or Html.HtmlTooLargeException => ex.Message,
        UnauthorizedAccessException => "permission denied",
        FileNotFoundException or DirectoryNotFoundException => "no such file or directory",
        InvalidDataException => $"corrupt or truncated gzip data: {ex.Message}",
        EndOfStreamException => $"unexpected end of data: {ex.Message}",
        XmlException xml => $"invalid XML: {xml.Message}",
        IOException or System.Text.Json.JsonException or NotSupportedException => ex.Message,
        _ => $"could not be read ({ex.GetType().Name}: {ex.Message})",
    };
}
