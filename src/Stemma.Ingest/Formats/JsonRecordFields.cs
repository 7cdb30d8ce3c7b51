using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Stemma.Ingest.Formats;

/// <summary>
/// The top-level fields of one JSON Lines record, found in one pass of <see cref="Utf8JsonReader"/> over the line's bytes
/// instead of a <see cref="JsonDocument"/>: the whole line is still read token by token (so malformed JSON fails with the
/// reader's own message, as the document's parse did), and only where each wanted field's value sits is kept. Values are
/// decoded as <see cref="JsonFields.String"/> decodes them (a string unescaped, a number as its text, blank as absent,
/// the last of repeated names), and the article text can be decoded into a caller's buffer instead of a string.
/// </summary>
internal sealed class JsonRecordFields
{
    /// <summary>The names a record is read for, in the order of <see cref="Field"/>.</summary>
    private static readonly string[] Names = ["id", "title", "text", "body", "content", "url", "date", "site", "author", "language", "lang"];

    private readonly Value[] values = new Value[Names.Length];
    private ReadOnlyMemory<byte> line;

    public enum Field
    {
        Id,
        Title,
        Text,
        Body,
        Content,
        Url,
        Date,
        Site,
        Author,
        Language,
        Lang,
    }

    /// <summary>What the record is at its root (an object, or the kind of value it is instead).</summary>
    public JsonTokenType Root { get; private set; }

    /// <summary>Where a field's value sits in the line: a string's content (escaped or not) or a number's text, or nothing usable.</summary>
    private readonly record struct Value(JsonTokenType Kind, int Start, int Length, bool Escaped);

    /// <summary>
    /// Reads a whole line (valid UTF-8; a slice of a larger buffer is fine, it is read in place and must stay until the
    /// values are taken); throws <see cref="JsonException"/> where the JSON is malformed.
    /// </summary>
    public void Read(ReadOnlyMemory<byte> utf8Line)
    {
        line = utf8Line;
        Array.Clear(values);
        Root = JsonTokenType.None;
        var reader = new Utf8JsonReader(utf8Line.Span, isFinalBlock: true, state: default);
        while (reader.Read())
        {
            if (Root == JsonTokenType.None)
            {
                Root = reader.TokenType;
            }

            if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1)
            {
                continue;
            }

            var field = FieldOf(ref reader);
            reader.Read();
            if (field >= 0)
            {
                // A later field of the same name replaces the earlier one, whatever its value, as a document's look-up did.
                values[field] = reader.TokenType switch
                {
                    JsonTokenType.String => new Value(JsonTokenType.String, (int)reader.TokenStartIndex + 1, reader.ValueSpan.Length, reader.ValueIsEscaped),
                    JsonTokenType.Number => new Value(JsonTokenType.Number, (int)reader.TokenStartIndex, reader.ValueSpan.Length, false),
                    _ => default,
                };
            }
        }
    }

    /// <summary>The root's kind as a document names it ("array", "string", ...).</summary>
    public string RootKindName => Root switch
    {
        JsonTokenType.StartObject => "object",
        JsonTokenType.StartArray => "array",
        JsonTokenType.String => "string",
        JsonTokenType.Number => "number",
        JsonTokenType.True => "true",
        JsonTokenType.False => "false",
        _ => "null",
    };

    /// <summary>A field as a string; null when absent, not a string or number, empty or blank.</summary>
    public string? String(Field field)
    {
        var value = values[(int)field];
        if (value.Kind == JsonTokenType.None)
        {
            return null;
        }

        var raw = line.Span.Slice(value.Start, value.Length);
        string text;
        if (!value.Escaped)
        {
            text = Encoding.UTF8.GetString(raw);
        }
        else
        {
            var buffer = ArrayPool<char>.Shared.Rent(raw.Length);
            try
            {
                text = new string(buffer, 0, Unescape(raw, buffer));
            }
            finally
            {
                ArrayPool<char>.Shared.Return(buffer);
            }
        }

        return string.IsNullOrWhiteSpace(text) ? null : text;
    }

    /// <summary>
    /// The first of the fields that holds text (not blank), decoded into a buffer rented from the pool (the caller returns
    /// it): the article's text is then split into paragraphs without ever being one string. False when none holds text.
    /// </summary>
    public bool TryDecodeFirst(ReadOnlySpan<Field> fields, out char[] buffer, out int length)
    {
        foreach (var field in fields)
        {
            var value = values[(int)field];
            if (value.Kind == JsonTokenType.None)
            {
                continue;
            }

            var raw = line.Span.Slice(value.Start, value.Length);
            buffer = ArrayPool<char>.Shared.Rent(Math.Max(1, raw.Length));
            length = value.Escaped ? Unescape(raw, buffer) : Encoding.UTF8.GetChars(raw, buffer);
            if (!buffer.AsSpan(0, length).IsWhiteSpace())
            {
                return true;
            }

            ArrayPool<char>.Shared.Return(buffer);
        }

        (buffer, length) = ([], 0);
        return false;
    }

    private static int FieldOf(ref Utf8JsonReader reader)
    {
        for (var index = 0; index < Names.Length; index++)
        {
            if (reader.ValueTextEquals(Names[index]))
            {
                return index;
            }
        }

        return -1;
    }

    /// <summary>
    /// Unescapes a JSON string's content (valid UTF-8, escapes already checked by the reader) into UTF-16, returning the
    /// length. A lone surrogate escape ("\ud83d" without its other half, an emoji cut in two by a truncating scraper)
    /// becomes U+FFFD, as <see cref="JsonFields.StringOf"/> makes it.
    /// </summary>
    internal static int Unescape(ReadOnlySpan<byte> raw, Span<char> destination)
    {
        var written = 0;
        var surrogates = false;
        while (!raw.IsEmpty)
        {
            var backslash = raw.IndexOf((byte)'\\');
            var run = backslash < 0 ? raw : raw[..backslash];
            written += Encoding.UTF8.GetChars(run, destination[written..]);
            if (backslash < 0)
            {
                break;
            }

            var escape = raw[backslash + 1];
            if (escape == 'u')
            {
                // The reader has checked the four hex digits.
                System.Buffers.Text.Utf8Parser.TryParse(raw.Slice(backslash + 2, 4), out ushort code, out _, 'X');
                surrogates |= char.IsSurrogate((char)code);
                destination[written++] = (char)code;
                raw = raw[(backslash + 6)..];
                continue;
            }

            destination[written++] = escape switch
            {
                (byte)'b' => '\b',
                (byte)'f' => '\f',
                (byte)'n' => '\n',
                (byte)'r' => '\r',
                (byte)'t' => '\t',
                _ => (char)escape,
            };
            raw = raw[(backslash + 2)..];
        }

        if (surrogates)
        {
            ReplaceLoneSurrogates(destination[..written]);
        }

        return written;
    }

    /// <summary>Pairs stay; a high surrogate without a low one after it, or a low one without a high one before it, becomes U+FFFD.</summary>
    private static void ReplaceLoneSurrogates(Span<char> text)
    {
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
    }
}
