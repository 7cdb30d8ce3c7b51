using System.Buffers;
using System.Text;

namespace Stemma.Ingest.Formats;

/// <summary>The input formats Stemma reads.</summary>
public enum InputFormat
{
    Unknown,
    Text,
    Jsonl,
    Html,
    WordPress,
    Feed,
    Warc,
    Gzip,
    Binary,
}

/// <summary>
/// Decides a file's format from its first bytes, using the extension only to break ties
/// (a feed saved as .txt is still a feed; a .jsonl of single-line objects is JSONL).
/// </summary>
public static class FormatDetector
{
    /// <summary>How many leading bytes detection looks at.</summary>
    public const int HeadBytes = 8192;

    public static InputFormat Detect(ReadOnlySpan<byte> head, string fileName)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        if (head.Length >= 2 && head[0] == 0x1F && head[1] == 0x8B)
        {
            return InputFormat.Gzip;
        }

        // WARC first: its headers are text but the record blocks that follow may be binary.
        if (head.StartsWith("WARC/1."u8))
        {
            return InputFormat.Warc;
        }

        var shown = TextDecoding.TryDetectFromBytes(head, out var shownEncoding, out var bomLength);
        // A UTF-8 byte order mark does not make what follows text: random bytes behind one are still binary.
        if ((!shown || shownEncoding.CodePage == Encoding.UTF8.CodePage) && LooksBinary(head[bomLength..]))
        {
            return InputFormat.Binary;
        }

        if (!shown && IsPlainTextByFirstByte(head))
        {
            return InputFormat.Text;
        }

        var encoding = shown ? shownEncoding : Encoding.Latin1;
        var text = encoding.GetString(head[bomLength..]).TrimStart();
        var extension = ExtensionOf(fileName);
        if (text.Length == 0)
        {
            return InputFormat.Unknown;
        }

        if (text.StartsWith("WARC/1.", StringComparison.Ordinal))
        {
            return InputFormat.Warc;
        }

        return text[0] switch
        {
            '<' => DetectMarkup(text),
            '[' when !StartsLikeJsonArray(text) => InputFormat.Text,
            '[' => IsJsonLinesExtension(extension) ? InputFormat.Jsonl : InputFormat.WordPress,
            '{' => DetectJsonObject(text, extension),
            _ => InputFormat.Text,
        };
    }

    /// <summary>A JSON array opens with an object, another array, a string or its end; "[Updated] Title" does not.</summary>
    private static bool StartsLikeJsonArray(string text)
    {
        var rest = text.AsSpan(1).TrimStart();
        return rest.IsEmpty || rest[0] is '{' or '[' or ']' or '"';
    }

    /// <summary>The extension that names the format, looking through a trailing ".gz".</summary>
    public static string ExtensionOf(string fileName)
    {
        var name = fileName.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? fileName[..^3] : fileName;
        return Path.GetExtension(name).ToLowerInvariant();
    }

    /// <summary>Whether a lower-case extension (as <see cref="ExtensionOf"/> gives it) names a JSON Lines file.</summary>
    public static bool IsJsonLinesExtension(string extension) => extension is ".jsonl" or ".ndjson";

    public static string FormatName(InputFormat format) => format switch
    {
        InputFormat.Text => "txt",
        InputFormat.Jsonl => "jsonl",
        InputFormat.Html => "html",
        InputFormat.WordPress => "wordpress",
        InputFormat.Feed => "feed",
        InputFormat.Warc => "warc",
        InputFormat.Gzip => "gzip",
        InputFormat.Binary => "binary",
        _ => "unknown",
    };

    private static InputFormat DetectMarkup(string text)
    {
        var lower = text.Length > 4096 ? text[..4096].ToLowerInvariant() : text.ToLowerInvariant();
        var feedAt = FirstIndex(lower, "<rss", "<feed", "<rdf:rdf", "<channel");
        var htmlAt = FirstIndex(lower, "<html", "<!doctype html", "<head", "<body", "<article", "<div", "<p>", "<p ", "<meta", "<title");
        if (feedAt >= 0 && (htmlAt < 0 || feedAt < htmlAt))
        {
            return InputFormat.Feed;
        }

        if (htmlAt >= 0)
        {
            return InputFormat.Html;
        }

        // Some other XML: let the feed reader say why it is not a feed.
        return lower.StartsWith("<?xml", StringComparison.Ordinal) ? InputFormat.Feed : InputFormat.Html;
    }

    private static InputFormat DetectJsonObject(string text, string extension)
    {
        if (IsJsonLinesExtension(extension))
        {
            return InputFormat.Jsonl;
        }

        var newline = text.IndexOf('\n', StringComparison.Ordinal);
        var firstLine = (newline < 0 ? text : text[..newline]).Trim();
        if (firstLine == "{")
        {
            // A pretty-printed object: one document, not one record per line.
            return InputFormat.WordPress;
        }

        // Single-line objects: a minified WordPress post carries "rendered" fields; anything else is taken as a JSONL record.
        return firstLine.Contains("\"rendered\"", StringComparison.Ordinal) ? InputFormat.WordPress : InputFormat.Jsonl;
    }

    private static int FirstIndex(string text, params ReadOnlySpan<string> needles)
    {
        var best = -1;
        foreach (var needle in needles)
        {
            var index = text.IndexOf(needle, StringComparison.Ordinal);
            if (index >= 0 && (best < 0 || index < best))
            {
                best = index;
            }
        }

        return best;
    }

    /// <summary>The control characters <see cref="LooksBinary"/> counts: all but tab, line feed, carriage return, form feed and escape.</summary>
    private static readonly SearchValues<byte> StrayControls = SearchValues.Create([.. Enumerable.Range(1, 0x1F).Where(b => b is not ('\t' or '\n' or '\r' or 0x0C or 0x1B)).Select(b => (byte)b)]);

    /// <summary>
    /// Whether a head without a byte order mark (read as Latin-1, one character a byte) is plain text by its first character
    /// after white space, decided on the bytes: anything but markup, a JSON opening and a WARC header. Saves decoding the
    /// whole head of every small text file to look at one character; false sends the head through the full detection.
    /// </summary>
    private static bool IsPlainTextByFirstByte(ReadOnlySpan<byte> head)
    {
        foreach (var b in head)
        {
            // Latin-1 white space as string.TrimStart sees it: tab to carriage return, space, next line, no-break space.
            if (char.IsWhiteSpace((char)b))
            {
                continue;
            }

            return b is not ((byte)'<' or (byte)'[' or (byte)'{' or (byte)'W');
        }

        return false;
    }

    /// <summary>
    /// More than one NUL byte in a hundred, or many control characters, mean binary (UTF-16 without a BOM is recognised
    /// before this). A few stray NULs in text (padding, a bad copy) do not: the file's words are still an article.
    /// </summary>
    private static bool LooksBinary(ReadOnlySpan<byte> head)
    {
        if (head.Length == 0)
        {
            return false;
        }

        var nul = head.Count((byte)0);
        if (nul * 100 > head.Length)
        {
            return true;
        }

        // Text has none of the control characters counted below (one vector search before the count).
        var control = head.IndexOfAny(StrayControls);
        if (control < 0)
        {
            return false;
        }

        var count = 0;
        foreach (var b in head[control..])
        {
            count += StrayControls.Contains(b) ? 1 : 0;
        }

        return count * 20 > head.Length;
    }
}
