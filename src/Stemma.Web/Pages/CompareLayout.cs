using Stemma.Align;
using Stemma.Relate;
using Stemma.Web.Services;

namespace Stemma.Web.Pages;

/// <summary>A piece of text and how it is marked: null (plain), "diff" (words changed inside a shared passage) or "fact" (a changed figure, date, quote or name).</summary>
public sealed record Segment(string Text, string? Mark);

public enum RowKind
{
    /// <summary>A passage both versions share, side by side.</summary>
    Shared,

    /// <summary>Text only the second version has.</summary>
    Inserted,

    /// <summary>Text only the first version has.</summary>
    Dropped,
}

/// <summary>One row of the side-by-side view; shared rows carry their passage number.</summary>
/// <param name="LeftAt">Where the left text starts in the left body (null when the row has none).</param>
/// <param name="RightAt">Where the right text starts in the right body.</param>
/// <param name="Line">For a line around the article (read-more, caption, comment form…) that one side has and the other lacks: its kind.</param>
public sealed record CompareRow(RowKind Kind, int? Passage, IReadOnlyList<Segment> Left, IReadOnlyList<Segment> Right, int? LeftAt = null, int? RightAt = null, AnnotationKind? Line = null)
{
    public bool IsWrapping => Line is not null;
}

/// <summary>Which version goes on the left, and why (the earlier one, whatever order was asked).</summary>
/// <param name="Swap">True when the second id asked for is the earlier version.</param>
/// <param name="Reason">One sentence a reader sees; says so when nothing tells which came first.</param>
public sealed record CompareOrder(bool Swap, string Reason);

/// <summary>Cuts two versions into aligned rows: shared passages side by side, insertions and drops on their own side.</summary>
public static class CompareLayout
{
    private const byte Diff = 1;
    private const byte Fact = 2;

    /// <summary>
    /// The earlier version goes on the left: by date when both are dated; else by the text (a part of a longer text is
    /// the later excerpt; the version that adds read-more lines, captions or credits around the text is the copy); else
    /// the order asked, saying that nothing tells.
    /// </summary>
    public static CompareOrder Order(Article a, Article b, Comparison comparison)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(comparison);
        if (a.Date is { } dateA && b.Date is { } dateB && dateA != dateB)
        {
            return new CompareOrder(dateB < dateA, "The earlier version is on the left (by publication date).");
        }

        var e = comparison.Evidence;
        if (comparison.Alignment.Spans.Count > 0 && Math.Abs(e.CoverageA - e.CoverageB) >= 0.15)
        {
            // The side whose text lies almost wholly inside the other is the part taken from the whole.
            return new CompareOrder(e.CoverageA > e.CoverageB, "No dates tell which came first; the longer text is on the left, as the part of it on the right was most likely taken from it.");
        }

        var (onlyA, onlyB) = (WrappingLines(a, b).Count, WrappingLines(b, a).Count);
        if (onlyA != onlyB && (onlyA == 0 || onlyB == 0))
        {
            return new CompareOrder(onlyA > 0, "No dates tell which came first; the version without the added lines around the text is on the left, as copiers add them.");
        }

        return new CompareOrder(false, "Nothing tells which came first (no dates, and neither text holds the other): shown in the order asked.");
    }

    /// <summary>Lines around the article (read-more, captions, credits, comment forms…) that <paramref name="article"/> has and <paramref name="other"/> lacks; site boilerplate left out.</summary>
    public static IReadOnlyList<Annotation> WrappingLines(Article article, Article other)
    {
        ArgumentNullException.ThrowIfNull(article);
        ArgumentNullException.ThrowIfNull(other);
        var theirs = other.Annotations.Where(x => x.Kind != AnnotationKind.Boilerplate).Select(x => Text.TextNormalizer.Normalize(x.Text)).ToHashSet(StringComparer.Ordinal);
        return [.. article.Annotations.Where(x => x.Kind != AnnotationKind.Boilerplate && !theirs.Contains(Text.TextNormalizer.Normalize(x.Text)))];
    }

    /// <summary>Where in the body a line around the article stood: the start of the body paragraph it came before.</summary>
    public static int BodyOffsetOf(Article article, Annotation line)
    {
        ArgumentNullException.ThrowIfNull(article);
        ArgumentNullException.ThrowIfNull(line);
        var paragraph = line.Position - article.Annotations.Count(x => x.Position < line.Position);
        var body = article.Body;
        var offset = 0;
        for (var p = 0; p < paragraph; p++)
        {
            var next = body.IndexOf("\n\n", offset, StringComparison.Ordinal);
            if (next < 0)
            {
                return body.Length;
            }

            offset = next + 2;
        }

        return offset;
    }

    public static IReadOnlyList<CompareRow> Rows(CompareView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var placed = BodyRows(view).ToList();

        // Latest line first: lines that stood at the same place then keep their order.
        foreach (var (line, right) in WrappingLines(view.B, view.A).Select(l => (l, true)).Concat(WrappingLines(view.A, view.B).Select(l => (l, false))).OrderByDescending(x => x.l.Position))
        {
            var at = BodyOffsetOf(right ? view.B : view.A, line);
            var index = placed.FindIndex(r => (right ? r.RightAt : r.LeftAt) is int start && !r.IsWrapping && start >= at);
            if (index < 0)
            {
                // After the body: right after its last row, so lines that closed the article keep their order.
                index = placed.FindLastIndex(r => !r.IsWrapping) + 1;
            }

            var segments = new[] { new Segment(line.Text, null) };
            var row = right
                ? new CompareRow(RowKind.Inserted, null, [], segments, null, at, line.Kind)
                : new CompareRow(RowKind.Dropped, null, segments, [], at, null, line.Kind);
            placed.Insert(index, row);
        }

        return placed;
    }

    private static IReadOnlyList<CompareRow> BodyRows(CompareView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var a = view.A.Body;
        var b = view.B.Body;
        var alignment = view.Comparison.Alignment;
        var marksA = new List<(TextRange Range, byte Mark)>();
        var marksB = new List<(TextRange Range, byte Mark)>();
        foreach (var span in alignment.Spans)
        {
            foreach (var difference in span.Differences)
            {
                marksA.Add((difference.A, Diff));
                marksB.Add((difference.B, Diff));
            }
        }

        foreach (var change in view.Comparison.Changes.Where(c => c.Kind is ChangeKind.Figure or ChangeKind.Date or ChangeKind.Quote or ChangeKind.Entity))
        {
            if (change.InA is { } inA)
            {
                marksA.Add((inA, Fact));
            }

            if (change.InB is { } inB)
            {
                marksB.Add((inB, Fact));
            }
        }

        // Each part of A that B dropped is shown just before the first shared passage that follows it in A.
        var spans = alignment.Spans;
        var droppedBefore = new List<TextRange>[spans.Count + 1];
        for (var i = 0; i <= spans.Count; i++)
        {
            droppedBefore[i] = [];
        }

        foreach (var range in alignment.UnalignedA.Where(r => HasWords(a, r)))
        {
            var next = Enumerable.Range(0, spans.Count).Where(i => spans[i].A.Start >= range.End).DefaultIfEmpty(spans.Count).First();
            droppedBefore[next].Add(range);
        }

        var rows = new List<CompareRow>();
        var position = 0;
        for (var i = 0; i <= spans.Count; i++)
        {
            foreach (var dropped in droppedBefore[i])
            {
                rows.Add(new CompareRow(RowKind.Dropped, null, Segments(a, dropped, marksA), [], dropped.Start));
            }

            var end = i < spans.Count ? spans[i].B.Start : b.Length;
            if (end > position && HasWords(b, new TextRange(position, end)))
            {
                rows.Add(new CompareRow(RowKind.Inserted, null, [], Segments(b, new TextRange(position, end), marksB), null, position));
            }

            if (i < spans.Count)
            {
                // Passages end at a word; the closing punctuation belongs with them, not in a row of its own.
                var inA = new TextRange(spans[i].A.Start, PastPunctuation(a, spans[i].A.End));
                var inB = new TextRange(spans[i].B.Start, PastPunctuation(b, spans[i].B.End));
                // A long passage reads better paragraph by paragraph, when both sides keep the same paragraphs.
                var paragraphsA = Paragraphs(a, inA);
                var paragraphsB = Paragraphs(b, inB);
                if (paragraphsA.Count == paragraphsB.Count)
                {
                    for (var p = 0; p < paragraphsA.Count; p++)
                    {
                        rows.Add(new CompareRow(RowKind.Shared, i + 1, Segments(a, paragraphsA[p], marksA), Segments(b, paragraphsB[p], marksB), paragraphsA[p].Start, paragraphsB[p].Start));
                    }
                }
                else
                {
                    rows.Add(new CompareRow(RowKind.Shared, i + 1, Segments(a, inA, marksA), Segments(b, inB, marksB), inA.Start, inB.Start));
                }
                position = Math.Max(position, inB.End);
            }
        }

        return rows;
    }

    /// <summary>The text of <paramref name="range"/> cut where its marking changes; facts win over plain word changes.</summary>
    public static IReadOnlyList<Segment> Segments(string text, TextRange range, IReadOnlyList<(TextRange Range, byte Mark)> marks)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(marks);
        var start = Math.Clamp(range.Start, 0, text.Length);
        var end = Math.Clamp(range.End, start, text.Length);
        while (start < end && char.IsWhiteSpace(text[start]))
        {
            start++;
        }

        while (end > start && char.IsWhiteSpace(text[end - 1]))
        {
            end--;
        }

        var flags = new byte[end - start];
        foreach (var (markRange, mark) in marks)
        {
            var from = Math.Max(markRange.Start, start);
            var to = Math.Min(markRange.End, end);
            for (var i = from; i < to; i++)
            {
                flags[i - start] = Math.Max(flags[i - start], mark);
            }
        }

        var segments = new List<Segment>();
        var runStart = 0;
        for (var i = 1; i <= flags.Length; i++)
        {
            if (i == flags.Length || flags[i] != flags[runStart])
            {
                segments.Add(new Segment(text.Substring(start + runStart, i - runStart), flags[runStart] switch { Fact => "fact", Diff => "diff", _ => null }));
                runStart = i;
            }
        }

        return segments;
    }

    /// <summary>The range cut at blank lines (paragraph breaks), dropping empty pieces.</summary>
    private static List<TextRange> Paragraphs(string text, TextRange range)
    {
        var pieces = new List<TextRange>();
        var start = range.Start;
        while (start < range.End)
        {
            var brk = text.IndexOf("\n\n", start, range.End - start, StringComparison.Ordinal);
            var end = brk < 0 ? range.End : brk;
            if (HasWords(text, new TextRange(start, end)))
            {
                pieces.Add(new TextRange(start, end));
            }

            start = brk < 0 ? range.End : brk + 2;
        }

        return pieces;
    }

    private static int PastPunctuation(string text, int end)
    {
        while (end < text.Length && !char.IsLetterOrDigit(text[end]) && !char.IsWhiteSpace(text[end]))
        {
            end++;
        }

        return end;
    }

    private static bool HasWords(string text, TextRange range)
    {
        for (var i = Math.Max(0, range.Start); i < Math.Min(text.Length, range.End); i++)
        {
            if (char.IsLetterOrDigit(text[i]))
            {
                return true;
            }
        }

        return false;
    }
}
