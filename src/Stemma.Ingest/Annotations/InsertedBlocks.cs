using System.Buffers;
using System.Text.RegularExpressions;

namespace Stemma.Ingest.Annotations;

/// <summary>
/// Rules over neighbouring paragraphs, for material inserted in blocks rather than single lines: an editor's label
/// ("Editor's P/S:", "Editor's note:", "Summary:", "Key points:") and the paragraphs it governs, the headline that follows
/// a bare related-article marker, a caption repeated twice in a row, and photo credits inside a body paragraph.
/// </summary>
public static partial class InsertedBlocks
{
    /// <summary>A label block at the end governs at most this many paragraphs...</summary>
    public const int MaxTailParagraphs = 6;

    /// <summary>...holding at most this share of the words of the body and the block together (an appended summary is short).</summary>
    public const double MaxTailShare = 0.4;

    /// <summary>Headlines after a related marker: at most this many, each at most <see cref="MaxHeadlineWords"/> words.</summary>
    public const int MaxRelatedHeadlines = 3;

    public const int MaxHeadlineWords = 20;

    /// <summary>A paragraph repeated right after itself is a caption (twice in a row) when it is at most this many words.</summary>
    public const int MaxRepeatedCaptionWords = 40;

    /// <summary>What is left of a paragraph after an inline credit is cut must be a paragraph of at least this many words.</summary>
    private const int MinWordsAroundCredit = 8;

    /// <summary>
    /// Every credit <see cref="TrailingCreditPattern"/> finds starts with one of these words; a paragraph without any skips
    /// the pattern, which otherwise tries its look-behind at every space of every body paragraph.
    /// </summary>
    private static readonly SearchValues<string> TrailingCreditWords = SearchValues.Create(["photo", "image", "picture"], StringComparison.OrdinalIgnoreCase);

    /// <summary>Marks the paragraphs that a label, a related marker or a repetition makes inserted. <paramref name="kinds"/> is updated in place (null = body).</summary>
    public static void Apply(IReadOnlyList<string> paragraphs, IList<LineClass?> kinds)
    {
        ArgumentNullException.ThrowIfNull(paragraphs);
        ArgumentNullException.ThrowIfNull(kinds);
        MarkLabelBlocks(paragraphs, kinds);
        MarkRelatedHeadlines(paragraphs, kinds);
        MarkRepeatedCaptions(paragraphs, kinds);
    }

    /// <summary>An editor's label line or a paragraph opening with one ("Editor's P/S:", "Key points:", "Summary:").</summary>
    public static bool IsLabel(string paragraph, out bool labelOnly)
    {
        ArgumentNullException.ThrowIfNull(paragraph);
        var match = LabelPattern().Match(paragraph.Trim());
        labelOnly = match.Success && match.Groups["rest"].Value.Trim().Length == 0;
        return match.Success;
    }

    /// <summary>Cuts a photo credit out of a body paragraph: returns the paragraph without it and the credit, or null when there is none.</summary>
    public static (string Text, string Credit)? SplitInlineCredit(string paragraph)
    {
        ArgumentNullException.ThrowIfNull(paragraph);
        // Cheap scans first: an inline credit needs a bracket, a trailing one a credit word.
        var match = paragraph.AsSpan().ContainsAny('(', '[') ? InlineCreditPattern.Match(paragraph) : Match.Empty;
        if (!match.Success && paragraph.AsSpan().ContainsAny(TrailingCreditWords))
        {
            match = TrailingCreditPattern.Match(paragraph);
        }

        if (!match.Success)
        {
            return null;
        }

        var rest = (paragraph[..match.Index] + " " + paragraph[(match.Index + match.Length)..]).Trim();
        rest = MultipleSpaces.Replace(rest, " ").Replace(" .", ".", StringComparison.Ordinal).Replace(" ,", ",", StringComparison.Ordinal);
        if (LineClassifier.CountWords(rest) < MinWordsAroundCredit)
        {
            return null;
        }

        return (rest, match.Value.Trim().Trim('(', ')', '[', ']').Trim());
    }

    /// <summary>
    /// Whether the rules here could change or mark this trimmed paragraph on its own: a photo credit inside it, an
    /// editor's label at its start (tested on its characters; a match answers true even where the full rule then declines).
    /// </summary>
    internal static bool MayBeMarked(ReadOnlySpan<char> paragraph) =>
        (paragraph.ContainsAny('(', '[') && InlineCreditPattern.IsMatch(paragraph))
        || (paragraph.ContainsAny(TrailingCreditWords) && TrailingCreditPattern.IsMatch(paragraph))
        || LabelPattern().IsMatch(paragraph);

    /// <summary>A short paragraph with the words of the one before it: the two are a caption shown twice.</summary>
    internal static bool RepeatsAsCaption(ReadOnlySpan<char> paragraph, ReadOnlySpan<char> previous) =>
        // The comparison first: it stops at the first character that differs, where counting the words of every
        // paragraph (up to the limit) read its first 40 words each time.
        LineClassifier.SameWords(paragraph, previous) && LineClassifier.CountWords(paragraph, MaxRepeatedCaptionWords + 1) <= MaxRepeatedCaptionWords;

    private static void MarkLabelBlocks(IReadOnlyList<string> paragraphs, IList<LineClass?> kinds)
    {
        for (var index = 0; index < paragraphs.Count; index++)
        {
            if (kinds[index] is { Kind: not AnnotationKind.EditorNote } || !IsLabel(paragraphs[index], out var labelOnly))
            {
                continue;
            }

            kinds[index] = new LineClass(AnnotationKind.EditorNote);
            var following = Enumerable.Range(index + 1, paragraphs.Count - index - 1).Where(j => kinds[j] is null).ToList();
            var blockWords = following.Sum(j => LineClassifier.CountWords(paragraphs[j]));
            var bodyWords = Enumerable.Range(0, index).Where(j => kinds[j] is null).Sum(j => LineClassifier.CountWords(paragraphs[j]));
            if (following.Count > 0 && following.Count <= MaxTailParagraphs && blockWords <= MaxTailShare * (blockWords + bodyWords))
            {
                // Appended at the end: the label governs everything after it (a summary, a note of two paragraphs).
                foreach (var j in following)
                {
                    kinds[j] = new LineClass(AnnotationKind.EditorNote);
                }

                return;
            }

            // At the head or in the middle: the list items after it, or the one paragraph a bare label introduces.
            var next = index + 1;
            var governed = 0;
            while (next < paragraphs.Count && kinds[next] is null && ListItemPattern.IsMatch(paragraphs[next]))
            {
                kinds[next++] = new LineClass(AnnotationKind.EditorNote);
                governed++;
            }

            if (governed == 0 && labelOnly && next < paragraphs.Count && kinds[next] is null)
            {
                kinds[next++] = new LineClass(AnnotationKind.EditorNote);
            }

            index = next - 1;
        }
    }

    private static void MarkRelatedHeadlines(IReadOnlyList<string> paragraphs, IList<LineClass?> kinds)
    {
        for (var index = 0; index < paragraphs.Count; index++)
        {
            if (kinds[index] is not { Kind: AnnotationKind.Related or AnnotationKind.ReadMore } || !BareRelatedMarker.IsMatch(paragraphs[index].Trim()))
            {
                continue;
            }

            for (var next = index + 1; next < paragraphs.Count && next <= index + MaxRelatedHeadlines && kinds[next] is null && IsHeadline(paragraphs[next]); next++)
            {
                kinds[next] = new LineClass(AnnotationKind.Related);
            }
        }
    }

    private static void MarkRepeatedCaptions(IReadOnlyList<string> paragraphs, IList<LineClass?> kinds)
    {
        for (var index = 1; index < paragraphs.Count; index++)
        {
            if (!RepeatsAsCaption(paragraphs[index], paragraphs[index - 1]))
            {
                continue;
            }

            var kind = kinds[index - 1] ?? kinds[index] ?? new LineClass(AnnotationKind.Caption);
            kinds[index - 1] ??= kind;
            kinds[index] ??= kind;
        }
    }

    /// <summary>A headline: short, one line, no sentence-final full stop.</summary>
    private static bool IsHeadline(string paragraph)
    {
        var text = paragraph.Trim();
        var last = text.TrimEnd('"', '\'', '”', '’', ')').LastOrDefault();
        return !text.Contains('\n', StringComparison.Ordinal) && LineClassifier.CountWords(text) <= MaxHeadlineWords && last is not ('.' or ':' or ',' or ';') && text.Any(char.IsLetter);
    }

    [GeneratedRegex(@"^\W{0,3}(?:(?:(?:editor|editors)['’]?s?['’]?\s+(?:p\.?\s?/?\s?s\.?|notes?|summary|comment|take))|note from the editor|p\.\s?s\.|summary|in summary|key (?:points|takeaways|facts|highlights)|takeaways|highlights|in brief|at a glance|tl;?\s?dr|what you need to know)(?:\s*[:\-–—]\s*|\s*$)(?<rest>.*)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex LabelPattern();

    private static readonly Regex ListItemPattern = new(@"^\s*(?:[-•*·▪►✓–—]\s+|\d{1,2}[.)]\s+)");

    private static readonly Regex BareRelatedMarker = new(@"^\W{0,3}(?:related(?: articles?| stories| story| posts?| content| coverage| reading| news| links?)?|see also|read (?:more|also|next)|also read|more on this(?: story| topic)?|you (?:may|might) also (?:like|read|be interested in))\W{0,3}$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    /// <summary>"(Photo: Jane Doe/Island Post)", "[Image credit: Harbour Trust]" anywhere in a paragraph.</summary>
    private static readonly Regex InlineCreditPattern = new(@"\s*[\(\[]\s*(?:(?:photo(?:graph)?|image|picture|foto)s?(?:\s+credit)?(?:\s*[:/|]\s*|\s+(?:by|courtesy(?: of)?|via)\s+)|credits?\s*:\s*)[^()\[\]\n]{2,80}[\)\]]", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    /// <summary>"... on Tuesday. Photo: Jane Doe/Island Post" at the end of a paragraph.</summary>
    private static readonly Regex TrailingCreditPattern = new(@"(?<=[.!?][""”’]?)\s+(?:photo(?:graph)?|image|picture)s?(?:\s+credit)?\s*:\s*[^.!?\n]{2,80}$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    private static readonly Regex MultipleSpaces = new(@"\s{2,}");
}
