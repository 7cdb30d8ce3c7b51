using System.Text.Json;
using Stemma.Ingest.Annotations;

namespace Stemma.Ingest.Formats;

/// <summary>JSON Lines: one object per line with id, text and optional title, url, date, author, site, language.</summary>
internal static class JsonlFormat
{
    /// <summary>
    /// Lines handed to a worker at once, up to this many bytes (or <see cref="MaxLinesPerChunk"/> lines): enough work per
    /// task that handing over and waiting cost little next to it, few enough to bound memory (the window holds 32 chunks).
    /// </summary>
    private const int ChunkBytes = 128 * 1024;

    private const int MaxLinesPerChunk = 256;

    public static IEnumerable<ReadOutcome> Read(Stream stream, SourceContext source)
    {
        // Lines are read in order on this thread; the records are parsed and assembled on all cores and come back in order.
        var counts = new LineCounts();
        foreach (var chunk in OrderedParallel.Map(Chunks(stream, source, counts), chunk => ReadChunk(chunk, source)))
        {
            foreach (var outcome in chunk)
            {
                yield return outcome;
            }
        }

        if (counts.Records == 0)
        {
            yield return source.Error(counts.Lines == 0 ? "empty file" : "no JSON records, only blank lines");
        }
    }

    private sealed class LineCounts
    {
        public int Lines { get; set; }

        public int Records { get; set; }
    }

    /// <summary>A line to parse, or an outcome already decided (a line past the cap).</summary>
    private readonly record struct PendingLine(byte[]? Line, int Number, ReadOutcome? Decided);

    private static IEnumerable<List<PendingLine>> Chunks(Stream stream, SourceContext source, LineCounts counts)
    {
        var reader = new ByteStreamReader(stream);
        var chunk = new List<PendingLine>();
        var chunkBytes = 0L;
        while (true)
        {
            byte[]? line;
            bool tooLong;
            System.Runtime.ExceptionServices.ExceptionDispatchInfo? failure = null;
            try
            {
                line = reader.ReadLine((int)Math.Min(int.MaxValue, source.Options.MaxDocumentBytes), out tooLong);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The stream failed (truncated gzip, a decompression cap): the lines read before it come out first.
                (line, tooLong, failure) = (null, false, System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex));
            }

            if (failure is not null)
            {
                if (chunk.Count > 0)
                {
                    yield return chunk;
                }

                failure.Throw();
            }

            if (line is null)
            {
                break;
            }

            var lineNumber = ++counts.Lines;
            if (tooLong)
            {
                chunk.Add(new PendingLine(null, lineNumber, source.Error($"line longer than the {InputTooLargeException.FormatSize(source.Options.MaxDocumentBytes)} cap; skipped", lineNumber)));
            }
            else if (!line.AsSpan().Trim((byte)' ').Trim((byte)'\t').IsEmpty)
            {
                counts.Records++;
                chunk.Add(new PendingLine(line, lineNumber, null));
                chunkBytes += line.Length;
            }

            if (chunkBytes >= ChunkBytes || chunk.Count >= MaxLinesPerChunk)
            {
                yield return chunk;
                chunk = [];
                chunkBytes = 0;
            }
        }

        if (chunk.Count > 0)
        {
            yield return chunk;
        }
    }

    private static List<ReadOutcome> ReadChunk(List<PendingLine> chunk, SourceContext source)
    {
        var outcomes = new List<ReadOutcome>(chunk.Count);
        var fields = new JsonRecordFields();
        foreach (var pending in chunk)
        {
            outcomes.Add(pending.Decided ?? ReadRecord(pending.Line!, pending.Number, source, fields));
        }

        return outcomes;
    }

    /// <summary>The fields that may hold the article's text, in the order they are tried.</summary>
    private static readonly JsonRecordFields.Field[] TextFields = [JsonRecordFields.Field.Text, JsonRecordFields.Field.Body, JsonRecordFields.Field.Content];

    private static ReadOutcome ReadRecord(byte[] line, int lineNumber, SourceContext source, JsonRecordFields fields)
    {
        if (!TextDecoding.IsValidUtf8(line))
        {
            return source.Error("invalid UTF-8 in record", lineNumber);
        }

        char[]? buffer = null;
        try
        {
            fields.Read(line);
            if (fields.Root != JsonTokenType.StartObject)
            {
                return source.Error($"record is a JSON {fields.RootKindName}, not an object", lineNumber);
            }

            if (!fields.TryDecodeFirst(TextFields, out buffer, out var length))
            {
                return source.Error("record has no text", lineNumber);
            }

            // The text is split where it was decoded: it never becomes one string (only its paragraphs and the body do).
            var text = buffer.AsSpan(0, length);
            var title = HtmlText.ToInlineText(fields.String(JsonRecordFields.Field.Title));
            var url = fields.String(JsonRecordFields.Field.Url);
            var article = ArticleAssembler.Build(new ArticleDraft
            {
                Id = fields.String(JsonRecordFields.Field.Id) ?? $"{source.Id}#{lineNumber}",
                Title = title,
                // Some dumps keep the page markup in "text": split it on its block elements then.
                Paragraphs = HtmlText.LooksLikeHtml(text) ? HtmlText.ToBlocks(new string(text), source.Options.Limits) : ArticleAssembler.PlainTextParagraphs(text, title),
                SourcePath = source.Path,
                Url = url,
                Date = DateParsing.Parse(fields.String(JsonRecordFields.Field.Date)),
                Site = SiteNames.FromUrl(fields.String(JsonRecordFields.Field.Site)) ?? SiteNames.FromUrl(url),
                Author = fields.String(JsonRecordFields.Field.Author),
                Language = fields.String(JsonRecordFields.Field.Language) ?? fields.String(JsonRecordFields.Field.Lang),
                Format = "jsonl",
            });
            return article.Body.Length == 0 ? source.Error("record has no body text (only annotation lines)", lineNumber) : source.Success(article);
        }
        catch (JsonException ex)
        {
            return source.Error($"invalid JSON: {ex.Message}", lineNumber);
        }
        catch (IngestLimitException ex)
        {
            return source.Error(ex.Message, lineNumber);
        }
        finally
        {
            if (buffer is { Length: > 0 })
            {
                System.Buffers.ArrayPool<char>.Shared.Return(buffer);
            }
        }
    }
}

internal static class JsonFields
{
    /// <summary>A string field (numbers are written as their text); null when absent, null or empty.</summary>
    public static string? String(JsonElement element, params ReadOnlySpan<string> path)
    {
        var current = element;
        foreach (var name in path)
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(name, out current))
            {
                return null;
            }
        }

        var text = current.ValueKind switch
        {
            JsonValueKind.String => StringOf(current),
            JsonValueKind.Number => current.GetRawText(),
            _ => null,
        };
        return string.IsNullOrWhiteSpace(text) ? null : text;
    }

    /// <summary>
    /// The value of a JSON string. A lone surrogate escape ("\ud83d" without its other half, an emoji cut in two by a
    /// truncating scraper) becomes U+FFFD, as invalid UTF-8 does, instead of failing the record (and, uncaught, the file).
    /// </summary>
    public static string? StringOf(JsonElement value)
    {
        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            return Unescape(value.GetRawText());
        }
    }

    /// <summary>Unescapes a JSON string literal (quotes included) by hand, keeping lone surrogates as U+FFFD.</summary>
    private static string Unescape(string literal)
    {
        var text = new System.Text.StringBuilder(literal.Length);
        for (var i = 1; i < literal.Length - 1; i++)
        {
            var c = literal[i];
            if (c != '\\' || i + 1 >= literal.Length - 1)
            {
                text.Append(c);
                continue;
            }

            c = literal[++i];
            if (c == 'u' && i + 4 < literal.Length - 1
                && ushort.TryParse(literal.AsSpan(i + 1, 4), System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out var code))
            {
                text.Append((char)code);
                i += 4;
                continue;
            }

            text.Append(c switch { 'b' => '\b', 'f' => '\f', 'n' => '\n', 'r' => '\r', 't' => '\t', _ => c });
        }

        // Pairs stay; a high surrogate without a low one after it, or a low one without a high one before it, is replaced.
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                text[i] = '\uFFFD';
            }
        }

        return text.ToString();
    }
}
