using System.Globalization;

namespace Stemma.Ingest;

/// <summary>
/// Every cap that keeps reading untrusted input bounded in time and memory, in one place: the CLI
/// (<c>--limit NAME=VALUE</c>) and the web server read articles under the same record. Each refusal names
/// the file and the limit (see docs/security.md for the defaults and how each is tested).
/// </summary>
public sealed record IngestLimits
{
    public static IngestLimits Default { get; } = new();

    /// <summary>Largest single document (page, post, feed, text file, JSONL line) held in memory, after decompression.</summary>
    public long MaxDocumentBytes { get; init; } = 32L * 1024 * 1024;

    /// <summary>Largest WARC record block held in memory.</summary>
    public long MaxRecordBytes { get; init; } = 32L * 1024 * 1024;

    /// <summary>Most bytes one gzip file may decompress to (a gzip bomb stops here).</summary>
    public long MaxDecompressedBytesPerFile { get; init; } = 2L * 1024 * 1024 * 1024;

    /// <summary>Most records read from one file: JSONL lines, WordPress posts of an array, feed items, WARC records. The rest of the file is skipped with one error.</summary>
    public int MaxRecordsPerFile { get; init; } = 100_000;

    /// <summary>Deepest element nesting of an HTML page or an HTML fragment (WordPress or feed content); deeper pages are refused before parsing.</summary>
    public int MaxHtmlDepth { get; init; } = 256;

    /// <summary>Most elements of an HTML page or fragment; larger pages are refused before parsing.</summary>
    public int MaxHtmlElements { get; init; } = 100_000;

    /// <summary>Largest request body the web server accepts (413 past it).</summary>
    public long MaxRequestBytes { get; init; } = 20L * 1024 * 1024;

    /// <summary>Most bytes all gzip uploads of one request may decompress to together.</summary>
    public long MaxRequestDecompressedBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Most articles (and unreadable records) one request may carry; /api/check takes one.</summary>
    public int MaxRequestRecords { get; init; } = 10_000;

    /// <summary>Longest a web request may run before it is cancelled (503).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The names <see cref="With"/> accepts, as written in <c>--limit NAME=VALUE</c>.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        nameof(MaxDocumentBytes), nameof(MaxRecordBytes), nameof(MaxDecompressedBytesPerFile), nameof(MaxRecordsPerFile),
        nameof(MaxHtmlDepth), nameof(MaxHtmlElements), nameof(MaxRequestBytes), nameof(MaxRequestDecompressedBytes),
        nameof(MaxRequestRecords), nameof(RequestTimeout),
    ];

    /// <summary>
    /// This record with one limit changed, from text such as <c>MaxRecordsPerFile=1000000</c>. Sizes take an optional
    /// k, M or G suffix (binary), the timeout seconds. Throws <see cref="FormatException"/> naming the problem.
    /// </summary>
    public IngestLimits With(string assignment)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        var equals = assignment.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            throw new FormatException($"limit '{assignment}' is not NAME=VALUE (names: {string.Join(", ", Names)})");
        }

        var name = assignment[..equals].Trim();
        var text = assignment[(equals + 1)..].Trim();
        var known = Names.FirstOrDefault(candidate => string.Equals(candidate, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new FormatException($"unknown limit '{name}' (names: {string.Join(", ", Names)})");
        if (known == nameof(RequestTimeout))
        {
            return double.TryParse(text.TrimEnd('s'), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 && seconds < int.MaxValue
                ? this with { RequestTimeout = TimeSpan.FromSeconds(seconds) }
                : throw new FormatException($"limit {known} needs a positive number of seconds, not '{text}'");
        }

        var value = ParseSize(text) ?? throw new FormatException($"limit {known} needs a positive whole number (k, M, G allowed), not '{text}'");
        var count = (int)Math.Min(int.MaxValue, value);
        return known switch
        {
            nameof(MaxDocumentBytes) => this with { MaxDocumentBytes = value },
            nameof(MaxRecordBytes) => this with { MaxRecordBytes = value },
            nameof(MaxDecompressedBytesPerFile) => this with { MaxDecompressedBytesPerFile = value },
            nameof(MaxRecordsPerFile) => this with { MaxRecordsPerFile = count },
            nameof(MaxHtmlDepth) => this with { MaxHtmlDepth = count },
            nameof(MaxHtmlElements) => this with { MaxHtmlElements = count },
            nameof(MaxRequestBytes) => this with { MaxRequestBytes = value },
            nameof(MaxRequestDecompressedBytes) => this with { MaxRequestDecompressedBytes = value },
            _ => this with { MaxRequestRecords = count },
        };
    }

    private static long? ParseSize(string text)
    {
        long multiplier = 1;
        if (text.Length > 0 && char.ToUpperInvariant(text[^1]) is 'K' or 'M' or 'G')
        {
            multiplier = char.ToUpperInvariant(text[^1]) switch { 'K' => 1024L, 'M' => 1024L * 1024, _ => 1024L * 1024 * 1024 };
            text = text[..^1];
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0 && number <= long.MaxValue / multiplier
            ? number * multiplier
            : null;
    }
}

/// <summary>An input went past one of the <see cref="IngestLimits"/>; the message names the limit. Reported as the input's error, never thrown out of the reader.</summary>
public sealed class IngestLimitException : IOException
{
    public IngestLimitException()
    {
    }

    public IngestLimitException(string message)
        : base(message)
    {
    }

    public IngestLimitException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public IngestLimitException(string what, string limitName, long limit)
        : base($"{what} (limit {limitName} = {limit.ToString("N0", CultureInfo.InvariantCulture)}); skipped")
    {
        LimitName = limitName;
    }

    /// <summary>The <see cref="IngestLimits"/> property that was exceeded.</summary>
    public string? LimitName { get; }
}

/// <summary>A number of bytes several files may decompress to together (one web request); shared by the readers of those files.</summary>
public sealed class DecompressionBudget(long bytes, string limitName)
{
    private long remaining = bytes;

    public long Limit { get; } = bytes;

    /// <summary>Takes bytes from the budget; throws <see cref="IngestLimitException"/> once it is spent.</summary>
    public void Take(long count)
    {
        if (Interlocked.Add(ref remaining, -count) < 0)
        {
            throw new IngestLimitException("decompresses to more than the request may hold", limitName, Limit);
        }
    }
}
