using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Stemma.Ingest.Formats;

/// <summary>
/// The top-level fields of one JSON Lines record, found in one pass over the line's bytes instead of a
/// <see cref="JsonDocument"/>: only where each wanted field's value sits is kept. Values are decoded as
/// <see cref="JsonFields.String"/> decodes them (a string unescaped, a number as its text, blank as absent, the last of
/// repeated names), and the article text can be decoded into a caller's buffer instead of a string. The pass is a strict
/// scan of the JSON grammar that searches strings with vector instructions (<see cref="Utf8JsonReader"/> checks an
/// escaped string byte by byte, and an article's text has an escape in its first paragraph: that check was a tenth of
/// reading a JSONL file); whatever the scan does not accept with certainty (a byte order mark, an escaped name, deep
/// nesting, any malformed JSON) is read again by <see cref="Utf8JsonReader"/>, so malformed JSON fails with the
/// reader's own message, as the document's parse did.
/// </summary>
internal sealed class JsonRecordFields
{
    /// <summary>The names a record is read for, in the order of <see cref="Field"/>.</summary>
    private static readonly string[] Names = ["id", "title", "text", "body", "content", "url", "date", "site", "author", "language", "lang"];

    private static readonly byte[][] Utf8Names = [.. Names.Select(Encoding.UTF8.GetBytes)];

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
        if (TryScan(utf8Line.Span))
        {
            Root = JsonTokenType.StartObject;
            return;
        }

        Array.Clear(values);
        ReadTokens(utf8Line.Span);
    }

    /// <summary>The same as <see cref="Read"/>, token by token with <see cref="Utf8JsonReader"/> (the scan's reference in tests).</summary>
    internal void ReadWithReader(ReadOnlyMemory<byte> utf8Line)
    {
        line = utf8Line;
        Array.Clear(values);
        ReadTokens(utf8Line.Span);
    }

    private void ReadTokens(ReadOnlySpan<byte> utf8Line)
    {
        Root = JsonTokenType.None;
        var reader = new Utf8JsonReader(utf8Line, isFinalBlock: true, state: default);
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

    /// <summary>Nesting the scan follows; deeper values are left to the reader, whose limit (64) is the one that counts.</summary>
    private const int MaxScanDepth = 32;

    /// <summary>What ends a run of plain string content: a quote, a backslash, or a control character (never allowed raw).</summary>
    private static readonly SearchValues<byte> StringStops = SearchValues.Create([(byte)'"', (byte)'\\', .. Enumerable.Range(0, 0x20).Select(b => (byte)b)]);

    /// <summary>
    /// Reads a line that is one JSON object, keeping its wanted fields as the reader would; false, with nothing promised
    /// about the fields, when the line is anything else or anything the scan does not follow (then the reader decides).
    /// </summary>
    internal bool TryScan(ReadOnlySpan<byte> json)
    {
        var at = SkipWhitespace(json, 0);
        return at < json.Length && json[at] == '{' && TrySkipContainer(json, ref at, depth: 1, fields: values)
            && SkipWhitespace(json, at) == json.Length;
    }

    private static int SkipWhitespace(ReadOnlySpan<byte> json, int at)
    {
        while (at < json.Length && json[at] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r')
        {
            at++;
        }

        return at;
    }

    /// <summary>A string starting at <paramref name="at"/> (its opening quote); on success <paramref name="at"/> is past its closing quote.</summary>
    private static bool TryScanString(ReadOnlySpan<byte> json, ref int at, out bool escaped)
    {
        escaped = false;
        if (at >= json.Length || json[at] != '"')
        {
            return false;
        }

        var position = at + 1;
        while (true)
        {
            var stop = json[position..].IndexOfAny(StringStops);
            if (stop < 0)
            {
                return false;
            }

            position += stop;
            var current = json[position];
            if (current == '"')
            {
                at = position + 1;
                return true;
            }

            if (current != '\\' || position + 1 >= json.Length)
            {
                return false;
            }

            escaped = true;
            switch (json[position + 1])
            {
                case (byte)'"' or (byte)'\\' or (byte)'/' or (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t':
                    position += 2;
                    break;
                case (byte)'u' when position + 6 <= json.Length && IsHex(json[position + 2]) && IsHex(json[position + 3]) && IsHex(json[position + 4]) && IsHex(json[position + 5]):
                    position += 6;
                    break;
                default:
                    return false;
            }
        }
    }

    private static bool IsHex(byte value) => char.IsAsciiHexDigit((char)value);

    /// <summary>A number by JSON's grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?; what follows it is the caller's to check.</summary>
    private static bool TryScanNumber(ReadOnlySpan<byte> json, ref int at)
    {
        var position = at;
        if (json[position] == '-')
        {
            position++;
        }

        if (position >= json.Length || !char.IsAsciiDigit((char)json[position]))
        {
            return false;
        }

        position = json[position] == '0' ? position + 1 : SkipDigits(json, position);
        if (position < json.Length && json[position] == '.')
        {
            var fraction = position + 1;
            position = SkipDigits(json, fraction);
            if (position == fraction)
            {
                return false;
            }
        }

        if (position < json.Length && json[position] is (byte)'e' or (byte)'E')
        {
            position++;
            if (position < json.Length && json[position] is (byte)'+' or (byte)'-')
            {
                position++;
            }

            var exponent = position;
            position = SkipDigits(json, exponent);
            if (position == exponent)
            {
                return false;
            }
        }

        at = position;
        return true;
    }

    private static int SkipDigits(ReadOnlySpan<byte> json, int at)
    {
        while (at < json.Length && char.IsAsciiDigit((char)json[at]))
        {
            at++;
        }

        return at;
    }

    /// <summary>
    /// Any value (a nested object or array followed to its end); on success <paramref name="at"/> is past it, and
    /// <paramref name="escaped"/> tells whether a string value holds an escape.
    /// </summary>
    private static bool TrySkipValue(ReadOnlySpan<byte> json, ref int at, int depth, out bool escaped)
    {
        escaped = false;
        switch (json[at])
        {
            case (byte)'"':
                return TryScanString(json, ref at, out escaped);
            case (byte)'t':
                return TrySkipLiteral(json, ref at, "true"u8);
            case (byte)'f':
                return TrySkipLiteral(json, ref at, "false"u8);
            case (byte)'n':
                return TrySkipLiteral(json, ref at, "null"u8);
            case (byte)'{' or (byte)'[' when depth <= MaxScanDepth:
                return TrySkipContainer(json, ref at, depth, fields: null);
            case (byte)'-' or (>= (byte)'0' and <= (byte)'9'):
                return TryScanNumber(json, ref at);
            default:
                return false;
        }
    }

    private static bool TrySkipLiteral(ReadOnlySpan<byte> json, ref int at, ReadOnlySpan<byte> literal)
    {
        if (!json[at..].StartsWith(literal))
        {
            return false;
        }

        at += literal.Length;
        return true;
    }

    /// <summary>
    /// An object or array from its opening bracket; on success <paramref name="at"/> is past its close. With
    /// <paramref name="fields"/> (the record itself), where each wanted member's value sits is kept there as the reader's
    /// pass keeps it: a string's content, a number's text, anything else as nothing usable; a member with an escaped name
    /// is left to the reader.
    /// </summary>
    private static bool TrySkipContainer(ReadOnlySpan<byte> json, ref int at, int depth, Value[]? fields)
    {
        var isObject = json[at] == '{';
        var close = isObject ? (byte)'}' : (byte)']';
        at = SkipWhitespace(json, at + 1);
        if (at < json.Length && json[at] == close)
        {
            at++;
            return true;
        }

        while (true)
        {
            var field = -1;
            if (isObject)
            {
                var nameStart = at + 1;
                if (!TryScanString(json, ref at, out var nameEscaped) || (nameEscaped && fields is not null))
                {
                    return false;
                }

                field = fields is null ? -1 : FieldOf(json[nameStart..(at - 1)]);
                at = SkipWhitespace(json, at);
                if (at >= json.Length || json[at] != ':')
                {
                    return false;
                }

                at = SkipWhitespace(json, at + 1);
            }

            var valueStart = at;
            if (at >= json.Length || !TrySkipValue(json, ref at, depth + 1, out var escaped))
            {
                return false;
            }

            if (field >= 0)
            {
                fields![field] = json[valueStart] switch
                {
                    (byte)'"' => new Value(JsonTokenType.String, valueStart + 1, at - valueStart - 2, escaped),
                    (byte)'-' or (>= (byte)'0' and <= (byte)'9') => new Value(JsonTokenType.Number, valueStart, at - valueStart, false),
                    _ => default,
                };
            }

            at = SkipWhitespace(json, at);
            if (at >= json.Length)
            {
                return false;
            }

            if (json[at] == close)
            {
                at++;
                return true;
            }

            if (json[at] != ',')
            {
                return false;
            }

            at = SkipWhitespace(json, at + 1);
        }
    }

    private static int FieldOf(ReadOnlySpan<byte> name)
    {
        for (var index = 0; index < Utf8Names.Length; index++)
        {
            if (name.SequenceEqual(Utf8Names[index]))
            {
                return index;
            }
        }

        return -1;
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
