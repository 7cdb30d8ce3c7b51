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
        var buffers = new ChunkBuffers();
        foreach (var chunk in OrderedParallel.Map(Chunks(stream, source, counts, buffers), chunk => ReadChunk(chunk, source, buffers)))
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

    /// <summary>A line to parse (where it sits in its chunk's buffer), or an outcome already decided (a line past the cap).</summary>
    private readonly record struct PendingLine(int Start, int Length, int Number, ReadOutcome? Decided);

    /// <summary>Lines read one after the other into one array (a new array per line was a quarter of what the read allocated).</summary>
    private sealed class LineChunk(byte[] buffer)
    {
        public byte[] Buffer = buffer;

        public int Used;

        public List<PendingLine> Lines { get; } = [];
    }

    /// <summary>
    /// The arrays of one file's chunks, handed back by the workers once a chunk is parsed and reused for the next chunks:
    /// about as many as the chunks in flight. They are the read's own, not the shared pool's, which kept up to 32 of them a
    /// core for the rest of the process (20 MB more at the peak of an `analyze`).
    /// </summary>
    private sealed class ChunkBuffers
    {
        /// <summary>A chunk closes once it holds <see cref="ChunkBytes"/>, so its last line usually fits in the rest.</summary>
        private const int BufferBytes = ChunkBytes + (32 * 1024);

        private readonly System.Collections.Concurrent.ConcurrentQueue<byte[]> free = new();

        public byte[] Take() => free.TryDequeue(out var buffer) ? buffer : new byte[BufferBytes];

        public void Give(byte[] buffer)
        {
            // An array grown for a long line is dropped rather than kept.
            if (buffer.Length == BufferBytes)
            {
                free.Enqueue(buffer);
            }
        }
    }

    private static IEnumerable<LineChunk> Chunks(Stream stream, SourceContext source, LineCounts counts, ChunkBuffers buffers)
    {
        var reader = new ByteStreamReader(stream);
        var chunk = new LineChunk(buffers.Take());
        var maxBytes = (int)Math.Min(int.MaxValue, source.Options.MaxDocumentBytes);
        while (true)
        {
            int length;
            bool tooLong;
            var lineStart = chunk.Used;
            System.Runtime.ExceptionServices.ExceptionDispatchInfo? failure = null;
            try
            {
                length = reader.AppendLine(ref chunk.Buffer, ref chunk.Used, maxBytes, out tooLong);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The stream failed (truncated gzip, a decompression cap): the lines read before it come out first.
                (length, tooLong, failure) = (-1, false, System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex));
                chunk.Used = lineStart;
            }

            if (failure is not null)
            {
                if (chunk.Lines.Count > 0)
                {
                    yield return chunk;
                }

                failure.Throw();
            }

            if (length < 0)
            {
                break;
            }

            var lineNumber = ++counts.Lines;
            if (tooLong)
            {
                chunk.Lines.Add(new PendingLine(0, 0, lineNumber, source.Error($"line longer than the {InputTooLargeException.FormatSize(source.Options.MaxDocumentBytes)} cap; skipped", lineNumber)));
            }
            else if (!chunk.Buffer.AsSpan(lineStart, length).Trim((byte)' ').Trim((byte)'\t').IsEmpty)
            {
                counts.Records++;
                chunk.Lines.Add(new PendingLine(lineStart, length, lineNumber, null));
            }
            else
            {
                // A blank line is counted, not kept.
                chunk.Used = lineStart;
            }

            if (chunk.Used >= ChunkBytes || chunk.Lines.Count >= MaxLinesPerChunk)
            {
                yield return chunk;
                chunk = new LineChunk(buffers.Take());
            }
        }

        if (chunk.Lines.Count > 0)
        {
            yield return chunk;
        }
    }

    private static List<ReadOutcome> ReadChunk(LineChunk chunk, SourceContext source, ChunkBuffers buffers)
    {
        var outcomes = new List<ReadOutcome>(chunk.Lines.Count);
        var fields = new JsonRecordFields();
        try
        {
            foreach (var pending in chunk.Lines)
            {
                outcomes.Add(pending.Decided ?? ReadRecord(chunk.Buffer.AsMemory(pending.Start, pending.Length), pending.Number, source, fields));
            }
        }
        finally
        {
            // Nothing read from the lines outlives the chunk: the fields are strings, the text was decoded into its own buffer.
            buffers.Give(chunk.Buffer);
        }

        return outcomes;
    }

    /// <summary>The fields that may hold the article's text, in the order they are tried.</summary>
    private static readonly JsonRecordFields.Field[] TextFields = [JsonRecordFields.Field.Text, JsonRecordFields.Field.Body, JsonRecordFields.Field.Content];

    private static ReadOutcome ReadRecord(ReadOnlyMemory<byte> line, int lineNumber, SourceContext source, JsonRecordFields fields)
    {
        if (!TextDecoding.IsValidUtf8(line.Span))
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

            // The text is read where it was decoded: it never becomes one string (only the body does, and the paragraphs when a
            // line in it may be inserted material).
            var text = buffer.AsSpan(0, length);
            var title = HtmlText.ToInlineText(fields.String(JsonRecordFields.Field.Title));
            var url = fields.String(JsonRecordFields.Field.Url);
            var isHtml = HtmlText.LooksLikeHtml(text);
            var draft = new ArticleDraft
            {
                Id = fields.String(JsonRecordFields.Field.Id) ?? $"{source.Id}#{lineNumber}",
                Title = title,
                // Some dumps keep the page markup in "text": split it on its block elements then (plain text is split by
                // BuildPlainText below).
                Paragraphs = isHtml ? HtmlText.ToBlocks(new string(text), source.Options.Limits) : [],
                SourcePath = source.Path,
                Url = url,
                Date = DateParsing.Parse(fields.String(JsonRecordFields.Field.Date)),
                Site = SiteNames.FromUrl(fields.String(JsonRecordFields.Field.Site)) ?? SiteNames.FromUrl(url),
                Author = fields.String(JsonRecordFields.Field.Author),
                Language = fields.String(JsonRecordFields.Field.Language) ?? fields.String(JsonRecordFields.Field.Lang),
                Format = "jsonl",
            };
            var article = isHtml ? ArticleAssembler.Build(draft) : ArticleAssembler.BuildPlainText(draft, text);
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
