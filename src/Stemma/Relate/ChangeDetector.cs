using Stemma.Align;

namespace Stemma.Relate;

/// <summary>
/// Turns an alignment into the differences that matter: changed figures, dates, quotations and names inside shared
/// passages, and the inserted and dropped passages outside them.
/// </summary>
public static class ChangeDetector
{
    public static IReadOnlyList<Change> Detect(string a, string b) => Detect(TokenizedText.Create(a), TokenizedText.Create(b));

    public static IReadOnlyList<Change> Detect(TokenizedText a, TokenizedText b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return Detect(a.Text, b.Text, PassageAligner.Default.Align(a, b));
    }

    /// <summary>Changes from A to B, given their alignment; in order of position in B, drops last.</summary>
    public static IReadOnlyList<Change> Detect(string a, string b, Alignment alignment)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(alignment);
        return Detect(a, b, alignment, passageTexts: true);
    }

    /// <summary>
    /// Changes between two analysed documents, kept as ranges of the two texts (<see cref="SlicedChanges"/>): inserted
    /// and dropped passages are never copied out.
    /// </summary>
    internal static IReadOnlyList<Change> Detect(TextFeatures a, TextFeatures b, Alignment alignment) =>
        SlicedChanges.From(Detect(a.Words.Text, b.Words.Text, alignment, passageTexts: false), a.Words.Text, b.Words.Text, passagesOmitted: true);

    private static List<Change> Detect(string a, string b, Alignment alignment, bool passageTexts)
    {
        // Where each text's quotations are, found when a changed word first needs it and not kept: cached on the
        // documents' features, which are old by the time their pairs are compared, each index was a reference from the
        // old generation to the young one, and every young collection scanned those objects again (half the collection
        // time of a bulk relate stage).
        QuoteIndex? quotesA = null, quotesB = null;
        // Lists walked by index: a foreach through their interfaces boxes an enumerator per list, per pair.
        var changes = new List<Change>();
        var spans = alignment.Spans;
        for (var s = 0; s < spans.Count; s++)
        {
            var differences = spans[s].Differences;
            for (var d = 0; d < differences.Count; d++)
            {
                changes.Add(Classify(a, b, differences[d], ref quotesA, ref quotesB));
            }
        }

        var unalignedB = alignment.UnalignedB;
        for (var u = 0; u < unalignedB.Count; u++)
        {
            var range = unalignedB[u];
            changes.Add(new Change(ChangeKind.Inserted, null, passageTexts ? range.In(b) : null, null, range));
        }

        AddFiguresInReplacedPassages(a, b, alignment, changes);
        changes.Sort((x, y) => (x.InB?.Start ?? int.MaxValue).CompareTo(y.InB?.Start ?? int.MaxValue));
        var unalignedA = alignment.UnalignedA;
        for (var u = 0; u < unalignedA.Count; u++)
        {
            var range = unalignedA[u];
            changes.Add(new Change(ChangeKind.Dropped, passageTexts ? range.In(a) : null, null, range, null) { Summary = TailSummary(a, range) });
        }

        return changes;
    }

    private static Change Classify(string a, string b, SpanDifference difference, ref QuoteIndex? quotesA, ref QuoteIndex? quotesB)
    {
        var inA = difference.A;
        var inB = difference.B;
        var before = a[inA.Start..inA.End];
        var after = b[inB.Start..inB.End];
        if (HasDigit(before) || HasDigit(after))
        {
            // Show the whole amount: "$2 billion" rather than "2".
            inA = WidenFigure(a, inA);
            inB = WidenFigure(b, inB);
            var kind = HasMonth(a, inA) || HasMonth(b, inB) ? ChangeKind.Date : ChangeKind.Figure;
            var (wasFigure, isFigure) = (inA.In(a), inB.In(b));
            return new Change(kind, wasFigure, isFigure, inA, inB) { Restatement = kind == ChangeKind.Figure ? FigureValues.Restatement(wasFigure, isFigure) : null };
        }

        // A word swapped for its synonym is wording, even capitalized; inside a quotation it is still a changed quote.
        var changeKind = HasMonth(a, inA) || HasMonth(b, inB) ? ChangeKind.Date
            : (quotesA ??= new QuoteIndex(a)).IsInside(inA.Start) || (quotesB ??= new QuoteIndex(b)).IsInside(inB.Start) ? ChangeKind.Quote
            : difference.WordsA == difference.WordsB && SynonymTable.WordNet.CountSynonymPairs(before, after) == difference.WordsA ? ChangeKind.Wording
            : HasName(a, inA) || HasName(b, inB) ? ChangeKind.Entity
            : ChangeKind.Wording;
        return new Change(changeKind, before, after, inA, inB);
    }

    /// <summary>
    /// A reworded sentence shows up as a drop and an insertion at the same place; figures that differ between the two
    /// are still figure changes ("rose 4 percent" reworded as "went up by 5 percent").
    /// </summary>
    private static void AddFiguresInReplacedPassages(string a, string b, Alignment alignment, List<Change> changes)
    {
        var unalignedB = alignment.UnalignedB;
        for (var u = 0; u < unalignedB.Count; u++)
        {
            var inserted = unalignedB[u];
            if (!HasDigit(b.AsSpan(inserted.Start, inserted.Length)))
            {
                continue;
            }

            var counterparts = alignment.CounterpartsInA(inserted, a.Length).ToList();
            if (counterparts.Count != 1 || !HasDigit(a.AsSpan(counterparts[0].Start, counterparts[0].Length)))
            {
                continue;
            }

            var figuresA = Figures(a, counterparts[0]);
            var figuresB = Figures(b, inserted);
            var onlyA = figuresA.Where(x => !figuresB.Any(y => y.Text == x.Text)).ToList();
            var onlyB = figuresB.Where(y => !figuresA.Any(x => x.Text == y.Text)).ToList();
            for (var k = 0; k < Math.Min(onlyA.Count, onlyB.Count); k++)
            {
                var rangeA = WidenFigure(a, onlyA[k].Range);
                var rangeB = WidenFigure(b, onlyB[k].Range);
                changes.Add(new Change(ChangeKind.Figure, rangeA.In(a), rangeB.In(b), rangeA, rangeB) { Restatement = FigureValues.Restatement(rangeA.In(a), rangeB.In(b)) });
            }
        }
    }

    private static List<(string Text, TextRange Range)> Figures(string text, TextRange range)
    {
        var figures = new List<(string, TextRange)>();
        foreach (var token in Text.WordTokenizer.Tokenize(text.AsSpan(range.Start, range.Length)))
        {
            var start = range.Start + token.Start;
            if (char.IsAsciiDigit(text[start]))
            {
                figures.Add((text.Substring(start, token.Length), new TextRange(start, start + token.Length)));
            }
        }

        return figures;
    }

    /// <summary>
    /// "dropped the last 11 paragraphs, 612 words" for a long drop that runs to the end of the text (at least
    /// <see cref="LongTailWords"/> words or three paragraphs); null otherwise, and the passage is shown as it is.
    /// </summary>
    internal static string? TailSummary(string text, TextRange range)
    {
        if (!text.AsSpan(range.End).Trim(" \t\r\n.!?\"'\u201D").IsEmpty)
        {
            return null;
        }

        var slice = text.AsSpan(range.Start, range.Length);
        var words = Text.WordTokenizer.Count(slice);
        var paragraphs = Paragraphs(slice);

        if (words < LongTailWords && paragraphs < 3)
        {
            return null;
        }

        return paragraphs <= 1 ? $"dropped the last {words} words" : $"dropped the last {paragraphs} paragraphs, {words} words";
    }

    /// <summary>Paragraphs (runs between blank-line breaks, "\n\n") holding more than white space; read in place, as a drop can be most of an article.</summary>
    internal static int Paragraphs(ReadOnlySpan<char> text)
    {
        var paragraphs = 0;
        while (true)
        {
            var end = text.IndexOf("\n\n", StringComparison.Ordinal);
            if (!(end < 0 ? text : text[..end]).Trim().IsEmpty)
            {
                paragraphs++;
            }

            if (end < 0)
            {
                return paragraphs;
            }

            text = text[(end + 2)..];
        }
    }

    /// <summary>A dropped tail this long is summarised rather than shown.</summary>
    internal const int LongTailWords = 80;

    private static bool HasDigit(ReadOnlySpan<char> s) => s.IndexOfAnyInRange('0', '9') >= 0;

    private static TextRange WidenFigure(string text, TextRange range)
    {
        var start = range.Start;
        while (start > 0 && text[start - 1] is '$' or '\u20AC' or '\u00A3' or '\u00A5')
        {
            start--;
        }

        // A currency's country letters before the sign ("US$", "A$").
        if (start > 0 && start < text.Length && text[start] == '$')
        {
            var letters = start;
            while (letters > 0 && start - letters < 2 && char.IsAsciiLetterUpper(text[letters - 1]))
            {
                letters--;
            }

            if (letters == 0 || !char.IsLetter(text[letters - 1]))
            {
                start = letters;
            }
        }

        var end = range.End;
        if (end < text.Length && text[end] == '%')
        {
            end++;
        }

        // Include a following unit word ("billion", "percent") that is itself unchanged.
        var next = end;
        while (next < text.Length && text[next] == ' ')
        {
            next++;
        }

        var wordEnd = next;
        while (wordEnd < text.Length && char.IsLetter(text[wordEnd]))
        {
            wordEnd++;
        }

        if (wordEnd > next && next > end && Lexicon.IsUnit(TokenizedText.HashFolded(text.AsSpan(next, wordEnd - next))))
        {
            end = wordEnd;
        }

        // A bracket opened inside the figure closes with it: "$2.5b ($US2 billion)", not "$2.5b ($US2 billion".
        var open = text.AsSpan(start, end - start).Count('(') - text.AsSpan(start, end - start).Count(')');
        if (open > 0)
        {
            var close = text.IndexOf(')', end, Math.Min(40, text.Length - end));
            var stop = text.IndexOf('\n', end, Math.Min(40, text.Length - end));
            if (close >= 0 && (stop < 0 || close < stop))
            {
                end = close + 1;
            }
        }
        else if (open < 0)
        {
            var opening = text.LastIndexOf('(', start, Math.Min(40, start + 1));
            if (opening >= 0 && text.IndexOf('\n', opening, start - opening) < 0)
            {
                start = opening;
            }
        }

        return new TextRange(start, end);
    }

    private static bool HasMonth(string text, TextRange range)
    {
        var slice = text.AsSpan(range.Start, range.Length);
        foreach (var token in Text.WordTokenizer.Tokenize(slice))
        {
            if (char.IsLetter(slice[token.Start]) && Lexicon.IsMonth(TokenizedText.HashFolded(token.In(slice))))
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasName(string text, TextRange range)
    {
        foreach (var token in Text.WordTokenizer.Tokenize(text.AsSpan(range.Start, range.Length)))
        {
            var at = range.Start + token.Start;
            if (char.IsUpper(text[at]) && !TextFeatures.StartsSentence(text, at))
            {
                return true;
            }
        }

        return false;
    }
}
