using System.Globalization;
using System.IO.Hashing;
using Stemma.Ingest;

namespace Stemma.Web.Services;

/// <summary>What reading one upload gave: the articles and, for each input that could not be read, why.</summary>
public sealed record UploadContent(IReadOnlyList<Article> Articles, IReadOnlyList<UploadError> Errors)
{
    /// <summary>True when reading stopped at the record cap: the request held more than it may.</summary>
    public bool TooManyRecords { get; init; }
}

/// <param name="Source">The upload (file name) or record the error is about.</param>
/// <param name="Error">What was wrong, in words a caller can act on.</param>
public sealed record UploadError(string Source, string Error);

/// <summary>Turns uploaded bytes into articles with the ingest readers, whatever the format (detected by content).</summary>
internal static class UploadReader
{
    /// <summary>Reads one upload. <paramref name="name"/> becomes the article id; without one, an id derived from the content keeps re-uploads idempotent.</summary>
    public static UploadContent Read(IEnumerable<(byte[] Content, string? Name, string? ContentType)> uploads) =>
        Read(uploads, IngestLimits.Default, IngestLimits.Default.MaxRequestRecords, CancellationToken.None);

    /// <summary>
    /// Reads the uploads of one request under the limits: what all gzip uploads decompress to together is capped by
    /// <see cref="IngestLimits.MaxRequestDecompressedBytes"/>, and reading stops after <paramref name="maxRecords"/>
    /// articles and errors (<see cref="UploadContent.TooManyRecords"/>). Checks the token between records.
    /// </summary>
    public static UploadContent Read(IEnumerable<(byte[] Content, string? Name, string? ContentType)> uploads, IngestLimits limits, int maxRecords, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var options = new ReaderOptions
        {
            Limits = limits,
            SharedDecompressionBudget = new DecompressionBudget(limits.MaxRequestDecompressedBytes, nameof(IngestLimits.MaxRequestDecompressedBytes)),
        };
        var articles = new List<Article>();
        var errors = new List<UploadError>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (content, name, contentType) in uploads)
        {
            string fileName;
            if (string.IsNullOrWhiteSpace(name))
            {
                fileName = DefaultName(content, contentType);
            }
            else if (UnsafeNameProblem(name) is { } problem)
            {
                errors.Add(new UploadError(name, problem));
                continue;
            }
            else
            {
                fileName = SafeName(name);
            }

            if (content.Length == 0)
            {
                errors.Add(new UploadError(fileName, "empty body: send the article text, HTML, JSON or a feed"));
                continue;
            }

            foreach (var outcome in ArticleReader.ReadBytes(content, fileName, options))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (articles.Count + errors.Count >= maxRecords)
                {
                    return new UploadContent(articles, errors) { TooManyRecords = true };
                }

                if (outcome.Article is not { } article)
                {
                    errors.Add(new UploadError(outcome.Line is int line ? $"{outcome.Source}:{line}" : outcome.Source, outcome.Error ?? "unreadable"));
                }
                else if (!seen.Add(article.Id))
                {
                    errors.Add(new UploadError(outcome.Source, $"duplicate id '{article.Id}' in this upload; skipped"));
                }
                else
                {
                    articles.Add(article);
                }
            }
        }

        return new UploadContent(articles, errors);
    }

    /// <summary>
    /// Names that would lose information when made relative ("../../etc/passwd", "/etc/passwd", "C:\\x") are refused rather
    /// than trimmed: trimmed, two different names became one id and the second upload replaced the first.
    /// </summary>
    private static string? UnsafeNameProblem(string name)
    {
        var normalized = name.Trim().Trim('"').Replace('\\', '/');
        if (normalized.StartsWith('/') || (normalized.Length >= 2 && normalized[1] == ':'))
        {
            return "the name is an absolute path; send a relative name such as 'site/article.html'";
        }

        return normalized.Split('/').Any(part => part.Trim() == "..")
            ? "the name contains '..'; send a relative name such as 'site/article.html'"
            : null;
    }

    /// <summary>
    /// A relative path with forward slashes, like the ids `stemma ingest` gives ("seawall/original.txt"); drive letters,
    /// leading slashes and dot segments from the client are dropped.
    /// </summary>
    private static string SafeName(string name)
    {
        var parts = name.Trim().Trim('"').Replace('\\', '/')
            .Split('/', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(part => part is not "." and not ".." && !part.EndsWith(':'))
            .ToArray();
        return parts.Length == 0 ? "upload" : string.Join('/', parts);
    }

    private static string DefaultName(byte[] content, string? contentType)
    {
        var hash = XxHash64.HashToUInt64(content).ToString("x16", CultureInfo.InvariantCulture);
        return $"upload-{hash}{ExtensionFor(contentType)}";
    }

    /// <summary>A hint for the format detector; content sniffing still decides.</summary>
    private static string ExtensionFor(string? contentType)
    {
        var mediaType = contentType?.Split(';')[0].Trim().ToLowerInvariant();
        return mediaType switch
        {
            "text/html" or "application/xhtml+xml" => ".html",
            "application/json" => ".json",
            "application/x-ndjson" or "application/jsonl" or "application/x-jsonlines" => ".jsonl",
            "application/rss+xml" or "application/atom+xml" or "application/xml" or "text/xml" => ".xml",
            "application/warc" => ".warc",
            "application/gzip" => ".gz",
            _ => ".txt",
        };
    }
}
