using Stemma.Ingest.Annotations;

namespace Stemma.Ingest.Formats;

/// <summary>
/// Plain text as people save it: leading blank lines and a byte order mark skipped; CRLF, CR-only and LF line ends;
/// UTF-8, UTF-16 with a BOM, or Windows-1252/Latin-1. The first line is the title only when it looks like one
/// (<see cref="PlainTextTitle.IsTitleLine"/>); otherwise the article has no title. A file with words in it is always
/// an article: only files without text (or bytes that are not text in any encoding we read) are rejected.
/// </summary>
internal static class PlainTextFormat
{
    public static IEnumerable<ReadOutcome> Read(Stream stream, SourceContext source)
    {
        var decoded = TextDecoding.Decode(StreamLimits.ReadBounded(stream, source.Options.MaxDocumentBytes));
        if (decoded.Source == EncodingSource.Windows1252Fallback && PlainTextTitle.UnreadableShare(decoded.Text) is { } share)
        {
            yield return source.Error($"not text: invalid UTF-8 that does not read as Windows-1252 either ({share:P0} of the characters are control or undefined bytes)");
            yield break;
        }

        var text = PlainTextTitle.NormalizeLineEnds(decoded.Text).TrimStart('\uFEFF', ' ', '\t', '\n', '\f', '\v', '\u00A0');
        if (!PlainTextTitle.HasLetter(text))
        {
            yield return source.Error(text.Trim().Length == 0 ? "empty file" : "no text: the file holds no words");
            yield break;
        }

        // The body is split where it lies in the text (a copy of the rest was a second copy of every file).
        var (trimmed, title, bodyStart) = PlainTextTitle.SplitAt(text);
        var draft = new ArticleDraft { Id = source.Id, Title = title, Paragraphs = [], SourcePath = source.Path, Format = "txt" };
        var article = ArticleAssembler.BuildPlainText(draft, trimmed.AsSpan(bodyStart), bodyStart == 0 ? trimmed : null);
        if (article.Body.Length == 0)
        {
            // Every paragraph was taken for an inserted line: the words are still the file's text, so keep them as the body
            // rather than lose the article (the annotations stay as evidence of what each line looks like).
            article = article with { Body = string.Join("\n\n", article.Annotations.Select(annotation => annotation.Text)), Annotations = [] };
        }

        yield return source.Success(article, StreamLimits.DecodingWarning(decoded));
    }
}

/// <summary>Decides whether the first line of a plain-text article is its title.</summary>
public static class PlainTextTitle
{
    /// <summary>A title is at most this many words (headlines run 5–15; 20 leaves room for long ones).</summary>
    public const int MaxTitleWords = 20;

    public const int MaxTitleChars = 160;

    /// <summary>CRLF and lone CR (old Mac files) become LF.</summary>
    public static string NormalizeLineEnds(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Contains('\r', StringComparison.Ordinal)
            ? text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n')
            : text;
    }

    /// <summary>Splits text (line ends normalized, leading blank lines removed) into the title, or null, and the rest.</summary>
    public static (string? Title, string Body) Split(string text)
    {
        var (trimmed, title, bodyStart) = SplitAt(text);
        return (title, trimmed[bodyStart..]);
    }

    /// <summary>
    /// As <see cref="Split"/>, without copying the rest: the text with leading white space removed, the title or null, and
    /// where the body starts in that text (0 without a title).
    /// </summary>
    internal static (string Text, string? Title, int BodyStart) SplitAt(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = text.TrimStart();
        var newline = text.IndexOf('\n', StringComparison.Ordinal);
        if (newline < 0)
        {
            return (text, null, 0);
        }

        var first = text[..newline].Trim();
        return IsTitleLine(first, text.AsSpan(newline + 1)) ? (text, first, newline + 1) : (text, null, 0);
    }

    /// <summary>
    /// The first line is a title when it is short, ends without sentence punctuation (a '?' or '!' only before a blank
    /// line), does not start in lower case, is no inserted line (editor's note, credit...), is followed by more text that
    /// does not continue its sentence (a wrapped line), and is not the start of the first body paragraph.
    /// </summary>
    public static bool IsTitleLine(string line, string rest)
    {
        ArgumentNullException.ThrowIfNull(rest);
        return IsTitleLine(line, rest.AsSpan());
    }

    /// <inheritdoc cref="IsTitleLine(string, string)"/>
    public static bool IsTitleLine(string line, ReadOnlySpan<char> rest)
    {
        ArgumentNullException.ThrowIfNull(line);
        var words = LineClassifier.CountWords(line);
        if (words == 0 || words > MaxTitleWords || line.Length > MaxTitleChars || !HasLetter(line) || char.IsLower(line[0]))
        {
            return false;
        }

        // The rest is the whole article: it is looked at through spans, never copied.
        var blankLineFollows = rest.TrimStart(" \t").StartsWith('\n');
        var body = rest.Trim();
        if (body.IsEmpty || !HasLetter(body))
        {
            return false;
        }

        var last = line.TrimEnd('"', '\'', '”', '’', '»', ')', ']', '*').LastOrDefault();
        if (last is '.' or ',' or ';' or ':' or '-' or '–' or '—' or '…' || (last is '?' or '!' && !blankLineFollows))
        {
            return false;
        }

        if (!blankLineFollows && char.IsLower(body[0]))
        {
            return false;
        }

        if (LineClassifier.Classify(line) is not null)
        {
            return false;
        }

        // "Rain closed the harbour road" followed by "Rain closed the harbour road on Tuesday after ...": the lead, cut.
        var paragraphEnd = body.IndexOf("\n\n", StringComparison.Ordinal);
        return !LineClassifier.WordsContinue(paragraphEnd < 0 ? body : body[..paragraphEnd], line);
    }

    /// <summary>Whether the text holds a letter (a loop, not an enumerator per character: it runs over whole files).</summary>
    public static bool HasLetter(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (char.IsLetter(c))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// For text decoded as Windows-1252 after failing UTF-8: the share of characters that no text has (C0 controls other
    /// than line ends and tabs, the five bytes Windows-1252 leaves undefined), or null when the text reads as text.
    /// </summary>
    public static double? UnreadableShare(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            return null;
        }

        var bad = 0;
        var nonAscii = 0;
        foreach (var c in text)
        {
            if ((c < 0x20 && c is not '\n' and not '\r' and not '\t' and not '\f') || c is >= '\u0080' and <= '\u009F' || c == '\u007F')
            {
                bad++;
            }
            else if (c > 0x7F && !char.IsLetter(c))
            {
                nonAscii++;
            }
        }

        // Real Windows-1252 text is mostly ASCII with accented letters and typographic quotes; random bytes are not.
        var share = (bad + (nonAscii / 2.0)) / text.Length;
        return bad * 100 > text.Length || share > 0.05 ? share : null;
    }
}
