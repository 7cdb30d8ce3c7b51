namespace Stemma.Align;

/// <summary>A character range [Start, End) of one text.</summary>
public readonly record struct TextRange(int Start, int End)
{
    public int Length => End - Start;

    public string In(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text[Start..End];
    }
}

/// <summary>Words that differ inside an aligned span: a substitution (both sides non-empty), an insertion in B or a deletion from A.</summary>
/// <param name="A">Characters in text A (empty range at the place when nothing was there).</param>
/// <param name="B">Characters in text B.</param>
/// <param name="WordsA">How many words of A differ.</param>
/// <param name="WordsB">How many words of B differ.</param>
public sealed record SpanDifference(TextRange A, TextRange B, int WordsA, int WordsB);

/// <summary>A passage found in both texts, tolerant to a few differing words; offsets are characters of the original texts.</summary>
/// <param name="A">The passage in text A.</param>
/// <param name="B">The passage in text B.</param>
/// <param name="WordsA">Words of A inside the passage.</param>
/// <param name="WordsB">Words of B inside the passage.</param>
/// <param name="MatchedWords">Words equal on both sides (after case and quote folding).</param>
/// <param name="Differences">The differing words inside the passage, in text order.</param>
public sealed record AlignedSpan(TextRange A, TextRange B, int WordsA, int WordsB, int MatchedWords, IReadOnlyList<SpanDifference> Differences)
{
    /// <summary>First word index of the passage in A and in B (for ordering checks).</summary>
    public int FirstWordA { get; init; }

    public int FirstWordB { get; init; }
}

/// <summary>The passages two texts share, and the parts of each that the other lacks.</summary>
/// <param name="Spans">Aligned passages in order of their position in B.</param>
/// <param name="UnalignedA">Parts of A outside every passage (deleted in B), merged and in text order.</param>
/// <param name="UnalignedB">Parts of B outside every passage (inserted in B).</param>
/// <param name="WordsA">Words in A.</param>
/// <param name="WordsB">Words in B.</param>
public sealed record Alignment(IReadOnlyList<AlignedSpan> Spans, IReadOnlyList<TextRange> UnalignedA, IReadOnlyList<TextRange> UnalignedB, int WordsA, int WordsB)
{
    /// <summary>Two texts with the same words in the same order: one passage over all of both.</summary>
    public static Alignment Whole(TokenizedText a, TokenizedText b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count != b.Count || a.Count == 0)
        {
            throw new ArgumentException("Both texts must have the same, non-zero number of words.", nameof(b));
        }

        var span = new AlignedSpan(new TextRange(a.StartOf(0), a.EndOf(a.Count - 1)), new TextRange(b.StartOf(0), b.EndOf(b.Count - 1)), a.Count, b.Count, a.Count, []);
        return new Alignment([span], [], [], a.Count, b.Count);
    }

    /// <summary>Two texts that share no passage: all of each is unaligned.</summary>
    public static Alignment None(TokenizedText a, TokenizedText b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        static List<TextRange> All(TokenizedText t) => t.Count == 0 ? [] : [new TextRange(t.StartOf(0), t.EndOf(t.Count - 1))];
        return new Alignment([], All(a), All(b), a.Count, b.Count);
    }

    /// <summary>Words equal on both sides, summed over passages.</summary>
    public int MatchedWords { get; } = Sum(Spans, static s => s.MatchedWords);

    private readonly int spannedA = Sum(Spans, static s => s.WordsA);
    private readonly int spannedB = Sum(Spans, static s => s.WordsB);

    // By index: summed through IEnumerable, each sum boxed the list's enumerator, three for every alignment made.
    private static int Sum(IReadOnlyList<AlignedSpan> spans, Func<AlignedSpan, int> value)
    {
        var sum = 0;
        for (var i = 0; i < spans.Count; i++)
        {
            sum += value(spans[i]);
        }

        return sum;
    }

    /// <summary>
    /// The unaligned parts of A at the place where <paramref name="unalignedB"/> (an unaligned part of B) sits, between
    /// the passages around it: empty when B inserted text there, not empty when B replaced A's text with its own.
    /// </summary>
    /// <param name="unalignedB">One of <see cref="UnalignedB"/>.</param>
    /// <param name="lengthA">Length of text A (the window's end when no passage follows).</param>
    public IEnumerable<TextRange> CounterpartsInA(TextRange unalignedB, int lengthA)
    {
        AlignedSpan? before = null, after = null;
        for (var i = 0; i < Spans.Count; i++)
        {
            var span = Spans[i];
            if (span.B.End <= unalignedB.Start && (before is null || span.B.End > before.B.End))
            {
                before = span;
            }

            if (span.B.Start >= unalignedB.End && (after is null || span.B.Start < after.B.Start))
            {
                after = span;
            }
        }

        var from = before?.A.End ?? 0;
        var to = after?.A.Start ?? lengthA;
        List<TextRange>? inside = null;
        for (var i = 0; i < UnalignedA.Count; i++)
        {
            if (UnalignedA[i] is var range && range.Start >= from && range.End <= to)
            {
                (inside ??= []).Add(range);
            }
        }

        return inside ?? (IEnumerable<TextRange>)[];
    }

    /// <summary>Fraction of A's words inside aligned passages (substituted words included).</summary>
    public double CoverageA => WordsA == 0 ? 0 : (double)spannedA / WordsA;

    /// <summary>Fraction of B's words inside aligned passages (substituted words included).</summary>
    public double CoverageB => WordsB == 0 ? 0 : (double)spannedB / WordsB;

    /// <summary>Fraction of A's words matched exactly in B.</summary>
    public double MatchedFractionA => WordsA == 0 ? 0 : (double)MatchedWords / WordsA;

    /// <summary>Fraction of B's words matched exactly in A.</summary>
    public double MatchedFractionB => WordsB == 0 ? 0 : (double)MatchedWords / WordsB;

    /// <summary>Within aligned passages, the fraction of words that differ (high for spun text, near zero for copies).</summary>
    public double SubstitutionRate
    {
        get
        {
            var inside = spannedA + spannedB;
            return inside == 0 ? 0 : 1.0 - (2.0 * MatchedWords / inside);
        }
    }

    /// <summary>Fraction of passage pairs that keep the same order in both texts (1 when nothing was reordered).</summary>
    public double OrderPreserved
    {
        get
        {
            if (Spans.Count < 2)
            {
                return 1;
            }

            var inOrder = 0;
            for (var i = 1; i < Spans.Count; i++)
            {
                inOrder += Spans[i].FirstWordA > Spans[i - 1].FirstWordA ? 1 : 0;
            }

            return (double)inOrder / (Spans.Count - 1);
        }
    }
}
