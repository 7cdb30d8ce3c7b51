using System.Buffers;
using Stemma.Ingest.Formats;

namespace Stemma.Ingest.Annotations;

/// <summary>Everything a format reader found for one article, before the paragraphs are classified.</summary>
public sealed record ArticleDraft
{
    public required string Id { get; init; }

    public required IReadOnlyList<TextBlock> Paragraphs { get; init; }

    public required string Format { get; init; }

    public string? Title { get; init; }

    public string? SourcePath { get; init; }

    public DateTimeOffset? Date { get; init; }

    public string? Site { get; init; }

    public string? Url { get; init; }

    public string? Author { get; init; }

    public string? Language { get; init; }

    /// <summary>A credit the format itself carries (e.g. a feed item's source element), used when no line names one.</summary>
    public string? Attribution { get; init; }
}

/// <summary>Classifies the paragraphs of a draft and builds the <see cref="Article"/>: body paragraphs joined by a blank line, the rest kept as annotations.</summary>
public static class ArticleAssembler
{
    private const int MaxHintedWords = 60;

    public static Article Build(ArticleDraft draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var paragraphs = new List<string>(draft.Paragraphs.Count);
        var kinds = new List<LineClass?>(draft.Paragraphs.Count);
        foreach (var block in draft.Paragraphs)
        {
            // A paragraph never holds a blank line: Body splits back into paragraphs on "\n\n".
            var text = WithoutNul(block.Text).Replace("\r", string.Empty, StringComparison.Ordinal).Trim();
            while (text.Contains("\n\n", StringComparison.Ordinal))
            {
                text = text.Replace("\n\n", "\n", StringComparison.Ordinal);
            }

            if (text.Length == 0)
            {
                continue;
            }

            // A photo credit inside a body paragraph ("... on Tuesday. (Photo: Jane Doe/Island Post)") is set apart on its own.
            string? credit = null;
            if (InsertedBlocks.SplitInlineCredit(text) is { } split)
            {
                (text, credit) = split;
            }

            // The markup's own word (a figcaption, a share box) counts when no text pattern says otherwise,
            // but not for long text: a real paragraph wrapped in such markup by mistake stays body.
            paragraphs.Add(text);
            kinds.Add(LineClassifier.Classify(text, draft.Title, block.Link)
                ?? (block.Hint is { } hint && LineClassifier.CountWords(text) <= MaxHintedWords ? new LineClass(hint) : null));
            if (credit is not null)
            {
                paragraphs.Add(credit);
                kinds.Add(new LineClass(AnnotationKind.Caption));
            }
        }

        // Rules over neighbouring paragraphs: what an editor's label governs, the headline after a related marker, a caption twice.
        InsertedBlocks.Apply(paragraphs, kinds);

        var body = new List<string>(paragraphs.Count);
        var annotations = new List<Annotation>();
        string? attribution = null;
        for (var position = 0; position < paragraphs.Count; position++)
        {
            var text = paragraphs[position];
            if (kinds[position] is not { } kind)
            {
                body.Add(text);
            }
            else
            {
                annotations.Add(new Annotation(kind.Kind, text, position));
                if (attribution is null && kind.Source is not null && kind.Kind is AnnotationKind.Attribution or AnnotationKind.SourceLink)
                {
                    attribution = kind.Source;
                }
            }
        }

        return Assemble(draft, string.Join("\n\n", body), annotations, attribution);
    }

    /// <summary>
    /// <see cref="Build"/> for plain text (a text file's body, a JSON record's text), whose paragraphs are made from
    /// <paramref name="text"/> (<paramref name="draft"/>'s own are not read). When no line of it can be anything but body,
    /// the body is made in one piece where the text lies, without a string for each paragraph (about half of what reading
    /// plain text allocated); otherwise, or with a NUL or a carriage return in it, it is split and built as Build does.
    /// Either way the article is the one Build makes from <see cref="PlainTextParagraphs(string, string?)"/>.
    /// <paramref name="whole"/>: the text as a string when there is one, kept as the body when nothing in it changes.
    /// </summary>
    public static Article BuildPlainText(ArticleDraft draft, ReadOnlySpan<char> text, string? whole = null)
    {
        ArgumentNullException.ThrowIfNull(draft);
        return PlainBody(text, draft.Title, whole) is { } body
            ? Assemble(draft, body, [], attribution: null)
            : Build(draft with { Paragraphs = PlainTextParagraphs(text, draft.Title, whole) });
    }

    /// <summary>
    /// The body of plain text whose every paragraph certainly stays body unchanged, or null when any might not (see
    /// <see cref="BuildPlainText"/>): paragraphs and lines as <see cref="PlainTextParagraphs(string, string?)"/> cuts them,
    /// each tested as <see cref="Build"/> would test it, written one after the other into one buffer.
    /// </summary>
    internal static string? PlainBody(ReadOnlySpan<char> text, string? title, string? whole)
    {
        if (text.ContainsAny('\0', '\r'))
        {
            return null;
        }

        // Trimmed lines joined by one line break and paragraphs by two are never longer than the text they come from.
        var buffer = ArrayPool<char>.Shared.Rent(Math.Max(text.Length, 1));
        try
        {
            var length = 0;
            var block = -1;
            var firstLineEnd = -1;
            var previous = (Start: -1, End: -1);
            foreach (var range in text.Split('\n'))
            {
                var line = text[range].Trim();
                if (line.IsEmpty)
                {
                    if (!EndBlock(buffer, ref block, ref previous, length, title))
                    {
                        return null;
                    }

                    continue;
                }

                if (block < 0)
                {
                    if (previous.Start >= 0)
                    {
                        buffer[length++] = '\n';
                        buffer[length++] = '\n';
                    }

                    block = length;
                    line.CopyTo(buffer.AsSpan(length));
                    length += line.Length;
                    firstLineEnd = length;
                    continue;
                }

                // A block of several lines has each line classified alone (PlainTextParagraphs splits out an inserted one),
                // the first as soon as there is a second.
                if ((firstLineEnd >= 0 && !LineClassifier.IsCertainlyBody(buffer.AsSpan(block, firstLineEnd - block), title))
                    || !LineClassifier.IsCertainlyBody(line, title))
                {
                    return null;
                }

                firstLineEnd = -1;
                buffer[length++] = '\n';
                line.CopyTo(buffer.AsSpan(length));
                length += line.Length;
            }

            if (!EndBlock(buffer, ref block, ref previous, length, title) || previous.Start < 0)
            {
                return null;
            }

            var body = buffer.AsSpan(0, length);
            return whole is not null && body.SequenceEqual(whole) ? whole : new string(body);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }

        // The paragraph just written ends: Build's tests of it alone and against the one before it.
        static bool EndBlock(char[] buffer, ref int block, ref (int Start, int End) previous, int length, string? title)
        {
            if (block < 0)
            {
                return true;
            }

            var paragraph = buffer.AsSpan(block, length - block);
            if (InsertedBlocks.MayBeMarked(paragraph)
                || !LineClassifier.IsCertainlyBody(paragraph, title)
                || (previous.Start >= 0 && InsertedBlocks.RepeatsAsCaption(paragraph, buffer.AsSpan(previous.Start, previous.End - previous.Start))))
            {
                return false;
            }

            (previous, block) = ((block, length), -1);
            return true;
        }
    }

    private static Article Assemble(ArticleDraft draft, string body, List<Annotation> annotations, string? attribution)
    {
        var site = draft.Site ?? SiteNames.FromUrl(draft.Url);
        return new Article
        {
            Id = draft.Id,
            Body = body,
            Title = string.IsNullOrWhiteSpace(draft.Title) ? null : WithoutNul(draft.Title).Trim(),
            SourcePath = draft.SourcePath,
            Date = draft.Date,
            Site = site,
            Url = draft.Url,
            Author = string.IsNullOrWhiteSpace(draft.Author) ? null : WithoutNul(draft.Author).Trim(),
            Language = NormalizeLanguage(draft.Language),
            Attribution = attribution ?? draft.Attribution,
            Annotations = annotations,
            Format = draft.Format,
        };
    }

    /// <summary>
    /// Text without NUL characters: stray ones (a JSON "\u0000", a byte of padding) mean nothing to a reader, and
    /// PostgreSQL text cannot hold them, so an article that carried one was refused there though stored in SQLite.
    /// </summary>
    private static string WithoutNul(string text) => text.Contains('\0', StringComparison.Ordinal) ? text.Replace("\0", string.Empty, StringComparison.Ordinal) : text;

    /// <summary>
    /// Paragraphs of plain text: blocks separated by blank lines. A line inside a block that is itself an
    /// insertion (copiers often add them without a blank line) is split out so it can be classified alone.
    /// </summary>
    public static IReadOnlyList<TextBlock> PlainTextParagraphs(string text, string? title)
    {
        ArgumentNullException.ThrowIfNull(text);
        return PlainTextParagraphs(text, title, whole: text);
    }

    /// <summary>The split itself; <paramref name="whole"/>, when given, is the text as a string, kept when it is one line.</summary>
    private static List<TextBlock> PlainTextParagraphs(ReadOnlySpan<char> text, string? title, string? whole)
    {
        var result = new List<TextBlock>();
        var block = new List<string>();

        // Lines are cut as spans: only the trimmed line becomes a string. A CR before the LF needs no replacing first:
        // trimming the line takes it off with the other trailing white space.
        foreach (var range in text.Split('\n'))
        {
            var line = text[range].Trim();
            if (line.IsEmpty)
            {
                FlushBlock(block, title, result);
            }
            else
            {
                block.Add(whole is not null && line.Length == whole.Length ? whole : line.ToString());
            }
        }

        FlushBlock(block, title, result);
        return result;
    }

    /// <summary>ISO 639-1 code from forms like "en-US", "en_GB", "EN".</summary>
    public static string? NormalizeLanguage(string? language)
    {
        if (string.IsNullOrWhiteSpace(language))
        {
            return null;
        }

        var code = language.Trim().Split('-', '_', ',', ';', ' ')[0].ToLowerInvariant();
        return code.Length is >= 2 and <= 3 && code.All(char.IsAsciiLetterLower) ? code : null;
    }

    private static void FlushBlock(List<string> block, string? title, List<TextBlock> result)
    {
        if (block.Count == 0)
        {
            return;
        }

        // Each line is classified once (the first inserted line found decides whether the block is split at all).
        LineClass?[]? classes = null;
        if (block.Count > 1)
        {
            for (var index = 0; index < block.Count; index++)
            {
                if (LineClassifier.Classify(block[index], title) is { } found)
                {
                    classes = new LineClass?[block.Count];
                    classes[index] = found;
                    for (var later = index + 1; later < block.Count; later++)
                    {
                        classes[later] = LineClassifier.Classify(block[later], title);
                    }

                    break;
                }
            }
        }

        if (classes is null)
        {
            result.Add(new TextBlock(block.Count == 1 ? block[0] : string.Join("\n", block)));
        }
        else
        {
            var run = new List<string>();
            for (var index = 0; index < block.Count; index++)
            {
                var line = block[index];
                if (classes[index] is null)
                {
                    run.Add(line);
                    continue;
                }

                if (run.Count > 0)
                {
                    result.Add(new TextBlock(string.Join("\n", run)));
                    run.Clear();
                }

                result.Add(new TextBlock(line));
            }

            if (run.Count > 0)
            {
                result.Add(new TextBlock(string.Join("\n", run)));
            }
        }

        block.Clear();
    }
}
