using System.Text.Json;

namespace Stemma.Ingest.Formats;

/// <summary>
/// Streams the values of a top-level JSON array one at a time (or yields the single top-level value), so a
/// large WordPress export is read with memory bounded by its largest post rather than by the file.
/// </summary>
internal sealed class JsonValueStream(Stream stream, long maxValueBytes)
{
    private enum Mode
    {
        Start,
        Array,
        Single,
        Done,
    }

    private enum Step
    {
        Value,
        Continue,
        NeedMore,
        End,
    }

    private byte[] buffer = new byte[64 * 1024];
    private int start;
    private int end;
    private bool final;
    private bool firstFill = true;
    private Mode mode = Mode.Start;
    private JsonReaderState state = new(new JsonReaderOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });

    /// <summary>True when all input has been read (an error then usually means the file was cut short).</summary>
    public bool AtEndOfInput => final;

    /// <summary>True when something other than whitespace followed the top-level value.</summary>
    public bool FoundTrailingContent { get; private set; }

    /// <summary>True once the top-level value turned out to be an array.</summary>
    public bool IsArray { get; private set; }

    /// <summary>The next value, or null at the end. Throws JsonException for invalid or truncated JSON, InputTooLargeException past the cap.</summary>
    public JsonDocument? Next()
    {
        while (true)
        {
            switch (TryStep(out var document))
            {
                case Step.Value:
                    return document;
                case Step.End:
                    return null;
                case Step.NeedMore when final:
                    throw new JsonException(end == start && mode == Mode.Start ? "no JSON value: the file is empty" : "JSON ends in the middle of a value (truncated file?)");
                case Step.NeedMore:
                    Refill();
                    break;
                default:
                    break;
            }
        }
    }

    /// <summary>One logical step on the committed position; commits (state and offset) only when the step completes.</summary>
    private Step TryStep(out JsonDocument? document)
    {
        document = null;
        if (mode == Mode.Done)
        {
            return Step.End;
        }

        var reader = new Utf8JsonReader(buffer.AsSpan(start, end - start), final, state);
        if (!reader.Read())
        {
            return Step.NeedMore;
        }

        switch (mode)
        {
            case Mode.Start when reader.TokenType == JsonTokenType.StartArray:
                IsArray = true;
                mode = Mode.Array;
                Commit(ref reader);
                return Step.Continue;
            case Mode.Start:
                // Not an array: the whole document is one value; parse it from the same (uncommitted) position.
                mode = Mode.Single;
                return Step.Continue;
            case Mode.Array when reader.TokenType == JsonTokenType.EndArray:
                mode = Mode.Done;
                Commit(ref reader);
                EnsureNothingFollows();
                return Step.End;
            default:
                if (!JsonDocument.TryParseValue(ref reader, out document))
                {
                    return Step.NeedMore;
                }

                if (mode == Mode.Single)
                {
                    mode = Mode.Done;
                }

                // The reader does not validate UTF-8 inside strings; JSON text must be UTF-8, so check the value's bytes.
                if (!TextDecoding.IsValidUtf8(buffer.AsSpan(start, (int)reader.BytesConsumed)))
                {
                    document.Dispose();
                    document = null;
                    throw new JsonException("invalid UTF-8 in JSON text");
                }

                Commit(ref reader);
                if (mode == Mode.Done)
                {
                    // A single post must be the whole document: "{...}}}garbage" is not a post.
                    try
                    {
                        EnsureNothingFollows();
                    }
                    catch (JsonException)
                    {
                        document.Dispose();
                        document = null;
                        throw;
                    }
                }

                return Step.Value;
        }
    }

    /// <summary>Only whitespace may follow the top-level value; reads the rest of the input (chunk by chunk) to make sure.</summary>
    private void EnsureNothingFollows()
    {
        var offset = 0L;
        while (true)
        {
            var rest = buffer.AsSpan(start, end - start);
            var junk = rest.IndexOfAnyExcept(" \t\r\n"u8);
            if (junk >= 0)
            {
                FoundTrailingContent = true;
                var shown = System.Text.Encoding.UTF8.GetString(rest.Slice(junk, Math.Min(20, rest.Length - junk)));
                throw new JsonException($"unexpected content after the end of the JSON value ({offset + junk} bytes after it): '{shown}'");
            }

            offset += rest.Length;
            start = end = 0;
            if (final)
            {
                return;
            }

            var read = stream.Read(buffer, 0, buffer.Length);
            if (read == 0)
            {
                final = true;
                return;
            }

            end = read;
        }
    }

    private void Commit(ref Utf8JsonReader reader)
    {
        state = reader.CurrentState;
        start += (int)reader.BytesConsumed;
    }

    private void Refill()
    {
        var pending = end - start;
        if (pending == buffer.Length)
        {
            if (buffer.Length >= Math.Min(maxValueBytes, Array.MaxLength))
            {
                throw new InputTooLargeException(maxValueBytes);
            }

            var larger = new byte[(int)Math.Min(Math.Min(maxValueBytes, Array.MaxLength), (long)buffer.Length * 2)];
            buffer.AsSpan(start, pending).CopyTo(larger);
            buffer = larger;
        }
        else if (start > 0)
        {
            buffer.AsSpan(start, pending).CopyTo(buffer);
        }

        start = 0;
        end = pending;
        var read = stream.Read(buffer, end, buffer.Length - end);
        if (read == 0)
        {
            final = true;
            return;
        }

        end += read;
        if (firstFill)
        {
            firstFill = false;
            if (buffer.AsSpan(0, end).StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
            {
                start = 3;
            }
        }
    }
}
