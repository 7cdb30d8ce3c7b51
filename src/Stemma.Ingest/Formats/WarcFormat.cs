using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace Stemma.Ingest.Formats;

/// <summary>
/// WARC 1.0/1.1 archives, streamed record by record (gzip members are undone by the caller). Only
/// response records with HTTP status 200 and an HTML payload become articles (id = WARC-Target-URI);
/// other records are skipped silently. A corrupt record is reported and the reader resynchronizes on the
/// next line starting with "WARC/1.".
/// </summary>
internal static class WarcFormat
{
    private const int MaxHeaderLineBytes = 16 * 1024;
    private const int MaxHeaderLines = 512;
    private static readonly byte[] WarcMagic = "WARC/1."u8.ToArray();

    public static IEnumerable<ReadOutcome> Read(Stream stream, SourceContext source)
    {
        var reader = new ByteStreamReader(stream);
        var recordNumber = 0;
        var articles = 0;
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var versions = new DocumentVersions();
        byte[]? pendingHeaderLine = null;
        while (true)
        {
            var versionLine = pendingHeaderLine ?? SkipBlankLines(reader);
            pendingHeaderLine = null;
            if (versionLine is null)
            {
                break;
            }

            recordNumber++;
            if (!versionLine.AsSpan().StartsWith(WarcMagic))
            {
                yield return source.Error($"corrupt record: expected a WARC/1.x header, found '{Preview(versionLine)}'; skipping to the next record", recordNumber);
                pendingHeaderLine = Resync(reader);
                continue;
            }

            var headers = ReadHeaders(reader, out var headerError);
            if (headerError is not null)
            {
                yield return source.Error($"corrupt record: {headerError}; skipping to the next record", recordNumber);
                pendingHeaderLine = Resync(reader);
                continue;
            }

            if (!headers.TryGetValue("Content-Length", out var lengthText) || !long.TryParse(lengthText, NumberStyles.None, CultureInfo.InvariantCulture, out var length))
            {
                yield return source.Error("corrupt record: missing or invalid Content-Length; skipping to the next record", recordNumber);
                pendingHeaderLine = Resync(reader);
                continue;
            }

            var wanted = IsHtmlResponseCandidate(headers);
            if (length > Math.Min(source.Options.MaxRecordBytes, Array.MaxLength))
            {
                reader.Skip(length);
                if (wanted)
                {
                    yield return source.Error($"record of {InputTooLargeException.FormatSize(length)} is larger than the {InputTooLargeException.FormatSize(source.Options.MaxRecordBytes)} cap; skipped", recordNumber);
                }

                SkipRecordEnd(reader);
                continue;
            }

            var block = reader.ReadBlock((int)length);
            if (block.Length < length || !RecordEndsCleanly(reader))
            {
                // The declared length is wrong: look for the next record inside what we read and go on from there.
                var next = IndexOfRecordStart(block, 1);
                if (next >= 0)
                {
                    reader.Unread(block.AsSpan(next));
                }

                yield return source.Error(block.Length < length
                    ? $"truncated or corrupt record: Content-Length {length} but only {block.Length} bytes follow"
                    : "corrupt record: Content-Length does not match the record (no record end after the block)", recordNumber);
                if (next < 0)
                {
                    pendingHeaderLine = Resync(reader);
                }

                continue;
            }

            if (!wanted)
            {
                continue;
            }

            var outcome = ReadResponse(block, headers, source, recordNumber);
            if (outcome is null)
            {
                continue;
            }

            articles++;
            if (outcome.Article is { } article)
            {
                // A re-crawl of the same URI with the same text is a repeat; with another text it is a version of the page.
                var decision = versions.Add(article);
                if (decision.Article is null)
                {
                    yield return source.Error($"another 200 response for {article.Id} with the same text (first read from record {seen[decision.DuplicateOf!]}); skipped", recordNumber);
                    continue;
                }

                seen[decision.Article.Id] = recordNumber;
                outcome = outcome with { Article = decision.Article };
            }

            yield return outcome;
        }

        if (recordNumber == 0)
        {
            yield return source.Error("empty WARC file: no records");
        }
        else if (articles == 0)
        {
            // Say so rather than yield nothing: the file was read but nothing in it was an article.
            yield return source.Error($"no HTTP 200 HTML responses among {recordNumber} records");
        }
    }

    private static bool IsHtmlResponseCandidate(Dictionary<string, string> headers) =>
        headers.TryGetValue("WARC-Type", out var type) && type.Equals("response", StringComparison.OrdinalIgnoreCase)
        && (!headers.TryGetValue("Content-Type", out var contentType) || contentType.Contains("http", StringComparison.OrdinalIgnoreCase));

    /// <summary>Parses the HTTP response in a record block; null when it is not a 200 HTML response (skipped, not an error).</summary>
    private static ReadOutcome? ReadResponse(byte[] block, Dictionary<string, string> warcHeaders, SourceContext source, int recordNumber)
    {
        var target = warcHeaders.GetValueOrDefault("WARC-Target-URI")?.Trim('<', '>', ' ');
        var id = target ?? $"{source.Id}#{recordNumber}";
        var headerEnd = IndexOf(block, "\r\n\r\n"u8, out var separatorLength);
        if (headerEnd < 0)
        {
            headerEnd = IndexOf(block, "\n\n"u8, out separatorLength);
        }

        if (headerEnd < 0)
        {
            return source.Error("corrupt response record: no end of HTTP headers", recordNumber);
        }

        var headerLines = Encoding.Latin1.GetString(block, 0, headerEnd).Split('\n');
        var status = headerLines[0].Trim().Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
        if (status.Length < 2 || !status[0].StartsWith("HTTP/", StringComparison.OrdinalIgnoreCase))
        {
            return source.Error($"corrupt response record: bad HTTP status line '{Preview(headerLines[0])}'", recordNumber);
        }

        if (status[1] != "200")
        {
            return null;
        }

        var http = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in headerLines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                http[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
        }

        var contentType = http.GetValueOrDefault("Content-Type");
        var payload = block.AsSpan(headerEnd + separatorLength).ToArray();
        string? bodyError = null;
        try
        {
            if (http.GetValueOrDefault("Transfer-Encoding")?.Contains("chunked", StringComparison.OrdinalIgnoreCase) == true)
            {
                payload = Dechunk(payload);
            }

            payload = Decompress(payload, http.GetValueOrDefault("Content-Encoding"), source.Options.MaxRecordBytes);
        }
        catch (InvalidDataException ex)
        {
            bodyError = $"response body could not be decoded: {ex.Message}";
        }
        catch (InputTooLargeException ex)
        {
            bodyError = $"response body {ex.Message}";
        }

        if (bodyError is not null)
        {
            return source.Error(bodyError, recordNumber);
        }

        var isHtml = contentType is null
            ? Encoding.Latin1.GetString(payload, 0, Math.Min(payload.Length, 1024)).Contains("<html", StringComparison.OrdinalIgnoreCase)
            : contentType.Contains("html", StringComparison.OrdinalIgnoreCase);
        if (!isHtml)
        {
            return null;
        }

        var decoded = TextDecoding.Decode(payload, TextDecoding.CharsetOfContentType(contentType));
        return HtmlPageFormat.FromHtml(decoded.Text, source, id, target, "warc", StreamLimits.DecodingWarning(decoded), recordNumber, http.GetValueOrDefault("Content-Language"));
    }

    private static byte[]? SkipBlankLines(ByteStreamReader reader)
    {
        while (reader.ReadLine(MaxHeaderLineBytes, out var tooLong) is { } line)
        {
            if (tooLong || line.Length > 0)
            {
                return line;
            }
        }

        return null;
    }

    private static Dictionary<string, string> ReadHeaders(ByteStreamReader reader, out string? error)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        error = null;
        for (var count = 0; count < MaxHeaderLines; count++)
        {
            var line = reader.ReadLine(MaxHeaderLineBytes, out var tooLong);
            if (line is null)
            {
                error = "end of file inside the record header";
                return headers;
            }

            if (tooLong)
            {
                error = "header line too long";
                return headers;
            }

            if (line.Length == 0)
            {
                return headers;
            }

            var text = Encoding.UTF8.GetString(line);
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                if (text.StartsWith("WARC/1.", StringComparison.Ordinal))
                {
                    reader.Unread([.. line, (byte)'\n']);
                    error = "header ends without a blank line before the next record";
                    return headers;
                }

                error = $"malformed header line '{Preview(line)}'";
                return headers;
            }

            headers[text[..colon].Trim()] = text[(colon + 1)..].Trim();
        }

        error = "too many header lines";
        return headers;
    }

    /// <summary>A record ends with two CRLFs; we also accept bare LFs, then expect another record or the end.</summary>
    private static bool RecordEndsCleanly(ByteStreamReader reader)
    {
        var tail = reader.Peek(4);
        var newlines = 0;
        while (newlines < tail.Length && tail[newlines] is (byte)'\r' or (byte)'\n')
        {
            newlines++;
        }

        if (newlines == 0 && tail.Length > 0)
        {
            return false;
        }

        reader.Skip(newlines);
        var next = reader.Peek(WarcMagic.Length + 2);
        var index = 0;
        while (index < next.Length && next[index] is (byte)'\r' or (byte)'\n')
        {
            index++;
        }

        var rest = next[index..];
        return rest.Length == 0 || WarcMagic.AsSpan().StartsWith(rest) || rest.StartsWith(WarcMagic);
    }

    private static void SkipRecordEnd(ByteStreamReader reader)
    {
        var tail = reader.Peek(4);
        var newlines = 0;
        while (newlines < tail.Length && tail[newlines] is (byte)'\r' or (byte)'\n')
        {
            newlines++;
        }

        reader.Skip(newlines);
    }

    /// <summary>Reads lines until one starts a record; returns it (or null at the end).</summary>
    private static byte[]? Resync(ByteStreamReader reader)
    {
        while (reader.ReadLine(MaxHeaderLineBytes, out var tooLong) is { } line)
        {
            if (!tooLong && line.AsSpan().StartsWith(WarcMagic))
            {
                return line;
            }
        }

        return null;
    }

    private static int IndexOfRecordStart(byte[] block, int from)
    {
        var span = block.AsSpan();
        var index = from;
        while (index < span.Length)
        {
            var found = span[index..].IndexOf(WarcMagic);
            if (found < 0)
            {
                return -1;
            }

            var at = index + found;
            if (span[at - 1] == '\n')
            {
                return at;
            }

            index = at + 1;
        }

        return -1;
    }

    private static int IndexOf(byte[] data, ReadOnlySpan<byte> needle, out int length)
    {
        length = needle.Length;
        return data.AsSpan().IndexOf(needle);
    }

    private static byte[] Dechunk(byte[] payload)
    {
        using var output = new MemoryStream();
        var position = 0;
        while (position < payload.Length)
        {
            var lineEnd = Array.IndexOf(payload, (byte)'\n', position);
            if (lineEnd < 0)
            {
                break;
            }

            var sizeText = Encoding.ASCII.GetString(payload, position, lineEnd - position).Split(';')[0].Trim();
            if (!int.TryParse(sizeText, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var size) || size < 0)
            {
                throw new InvalidDataException("bad chunk size in chunked transfer encoding");
            }

            position = lineEnd + 1;
            if (size == 0)
            {
                break;
            }

            var take = Math.Min(size, payload.Length - position);
            output.Write(payload, position, take);
            position += take;
            while (position < payload.Length && payload[position] is (byte)'\r' or (byte)'\n')
            {
                position++;
            }
        }

        return output.ToArray();
    }

    private static byte[] Decompress(byte[] payload, string? contentEncoding, long capBytes)
    {
        Stream? decoder = contentEncoding?.Trim().ToLowerInvariant() switch
        {
            "gzip" or "x-gzip" => new GZipStream(new MemoryStream(payload), CompressionMode.Decompress),
            "deflate" => new ZLibStream(new MemoryStream(payload), CompressionMode.Decompress),
            "br" => new BrotliStream(new MemoryStream(payload), CompressionMode.Decompress),
            _ => null,
        };
        if (decoder is null)
        {
            return payload;
        }

        using (decoder)
        {
            return StreamLimits.ReadBounded(decoder, capBytes);
        }
    }

    private static string Preview(byte[] line) => Preview(Encoding.Latin1.GetString(line, 0, Math.Min(line.Length, 60)));

    private static string Preview(string line)
    {
        var text = new string([.. line.Take(60).Select(c => char.IsControl(c) ? '?' : c)]);
        return text.Trim();
    }
}
