using Stemma.Align;

namespace Stemma.Relate;

/// <summary>The measurements a relation label rests on.</summary>
/// <param name="TermCosine">Cosine of TF-IDF weighted content words (names, figures, dates, quotations boosted).</param>
/// <param name="EntityOverlap">Dice overlap of names.</param>
/// <param name="NumberOverlap">Dice overlap of figures.</param>
/// <param name="DateOverlap">Dice overlap of dates.</param>
/// <param name="FactOrder">Longest common subsequence of names and figures in reading order, over the shorter sequence.</param>
/// <param name="CoverageA">Fraction of A's words inside passages aligned with B.</param>
/// <param name="CoverageB">Fraction of B's words inside passages aligned with A.</param>
/// <param name="MatchedFraction">Words equal in both, over the shorter text's words.</param>
/// <param name="SubstitutionRate">Fraction of differing words inside aligned passages.</param>
public sealed record PairEvidence(
    double TermCosine,
    double EntityOverlap,
    double NumberOverlap,
    double DateOverlap,
    double FactOrder,
    double CoverageA,
    double CoverageB,
    double MatchedFraction,
    double SubstitutionRate);

/// <summary>How B relates to A: the label, a story-similarity score in [0, 1], the alignment and what changed from A to B.</summary>
public sealed record Comparison(string Relation, double Similarity, Alignment Alignment, IReadOnlyList<Change> Changes, PairEvidence Evidence);

/// <summary>Compares two documents: aligns them, measures shared facts and words, labels the relation.</summary>
public static class PairComparer
{
    /// <summary>Compares <paramref name="a"/> with <paramref name="b"/>; pass <paramref name="statistics"/> from the surrounding collection for better word weights.</summary>
    public static Comparison Compare(Article a, Article b, TermStatistics? statistics = null)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return Compare(a.Body, b.Body, statistics);
    }

    /// <summary>
    /// Compares many pairs (e.g. `compare --pairs`) with term weights from all their texts: IDF needs a collection, and
    /// without one every content word weighs the same. Each distinct text is analysed once; results are in input order.
    /// </summary>
    public static IReadOnlyList<Comparison> CompareAll(IReadOnlyList<(string A, string B)> pairs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var features = new Dictionary<string, TextFeatures>(StringComparer.Ordinal);
        foreach (var (a, b) in pairs)
        {
            foreach (var text in new[] { a, b })
            {
                if (!features.ContainsKey(text))
                {
                    features[text] = TextFeatures.Create(text);
                }
            }
        }

        var statistics = TermStatistics.Build(features.Values);
        var results = new Comparison[pairs.Count];
        Parallel.For(0, pairs.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
            results[i] = Compare(features[pairs[i].A], features[pairs[i].B], statistics));
        return results;
    }

    public static IReadOnlyList<Comparison> CompareAll(IReadOnlyList<(Article A, Article B)> pairs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        return CompareAll([.. pairs.Select(p => (p.A.Body, p.B.Body))], cancellationToken);
    }

    public static Comparison Compare(string a, string b, TermStatistics? statistics = null) =>
        Compare(TextFeatures.Create(a), TextFeatures.Create(b), statistics);

    public static Comparison Compare(TextFeatures a, TextFeatures b, TermStatistics? statistics = null)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var alignment = PassageAligner.Default.Align(a.Words, b.Words);
        var changes = ChangeDetector.Detect(a.Words.Text, b.Words.Text, alignment);
        var evidence = Measure(a, b, alignment, statistics);
        var relation = Classify(a, b, alignment, changes, evidence);
        return new Comparison(relation, Similarity(evidence), alignment, changes, evidence);
    }

    /// <summary>Story similarity: shared facts and weighted words, raised towards 1 by shared passages.</summary>
    public static double Similarity(PairEvidence evidence)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        var facts = (0.5 * evidence.EntityOverlap) + (0.3 * evidence.NumberOverlap) + (0.2 * evidence.DateOverlap);
        var topical = (0.55 * evidence.TermCosine) + (0.45 * facts);
        var reuse = Math.Max(evidence.CoverageA, evidence.CoverageB);
        return Math.Clamp(topical + ((1 - topical) * reuse * reuse * 0.9), 0, 1);
    }

    internal static PairEvidence Measure(TextFeatures a, TextFeatures b, Alignment alignment, TermStatistics? statistics) => new(
        TermCosine: Cosine(a, b, statistics),
        EntityOverlap: Dice(a.Entities, b.Entities, statistics),
        NumberOverlap: Dice(a.Numbers, b.Numbers),
        DateOverlap: Dice(a.Dates, b.Dates),
        FactOrder: FactOrder(a.FactSequence, b.FactSequence),
        CoverageA: alignment.CoverageA,
        CoverageB: alignment.CoverageB,
        MatchedFraction: Math.Min(a.Words.Count, b.Words.Count) == 0 ? 0 : (double)alignment.MatchedWords / Math.Min(a.Words.Count, b.Words.Count),
        SubstitutionRate: alignment.SubstitutionRate);

    internal static string Classify(TextFeatures a, TextFeatures b, Alignment alignment, IReadOnlyList<Change> changes, PairEvidence e)
    {
        if (a.Words.Count > 0 && a.Words.Hashes.AsSpan().SequenceEqual(b.Words.Hashes))
        {
            return Relations.Identical;
        }

        var aIsShorter = a.Words.Count <= b.Words.Count;
        var (coverShort, coverLong) = aIsShorter ? (e.CoverageA, e.CoverageB) : (e.CoverageB, e.CoverageA);
        var wordsShort = Math.Min(a.Words.Count, b.Words.Count);
        var wordsLong = Math.Max(a.Words.Count, b.Words.Count);
        // Text reuse: a good part of the shorter text sits in passages aligned with the other (a paraphrased copy keeps
        // enough in place to align with substitutions; an AI rewrite of a story aligns only in quotes and names).
        if (coverShort >= 0.4 && alignment.MatchedWords >= Math.Min(30, wordsShort * 0.8))
        {
            if (e.SubstitutionRate >= 0.07)
            {
                return Relations.Spun;
            }

            var shortUnaligned = (1 - coverShort) * wordsShort;
            var contained = shortUnaligned <= Math.Max(2, wordsShort * 0.02);
            var changedFacts = changes.Any(c => c.Kind is ChangeKind.Figure or ChangeKind.Date or ChangeKind.Entity or ChangeKind.Quote);
            if (contained && wordsShort <= 0.8 * wordsLong && coverLong <= 0.8 && IsOneBlock(alignment, aIsShorter))
            {
                return Relations.Excerpt;
            }

            return contained && !changedFacts && e.SubstitutionRate < 0.01 ? Relations.Copy : Relations.Edited;
        }

        var factual = (0.6 * e.EntityOverlap) + (0.4 * e.NumberOverlap);
        // A rewrite retells the source fact by fact: nearly all its figures, mostly in the same order. An independent
        // report shares the event's names but picks its own figures and order.
        var retold = (0.5 * e.FactOrder) + (0.5 * e.NumberOverlap);
        if (factual >= 0.35 && retold >= 0.8 && e.TermCosine >= 0.2)
        {
            return Relations.Rewrite;
        }

        // An independent report of the same event names the same people and places and shares topic words.
        if ((e.EntityOverlap >= 0.3 && e.TermCosine >= 0.2) || (e.TermCosine >= 0.4 && factual >= 0.1))
        {
            return Relations.SameEvent;
        }

        return Relations.Unrelated;
    }

    /// <summary>Whether the longer text's aligned words form one block (an excerpt) rather than being spread through it.</summary>
    private static bool IsOneBlock(Alignment alignment, bool longIsB)
    {
        if (alignment.Spans.Count == 0)
        {
            return false;
        }

        var ranges = alignment.Spans.Select(s => longIsB ? s.B : s.A).OrderBy(r => r.Start).ToList();
        var first = ranges[0].Start;
        var last = ranges[^1].End;
        var gaps = longIsB ? alignment.UnalignedB : alignment.UnalignedA;
        var inside = gaps.Where(g => g.Start > first && g.End < last).Sum(g => g.Length);
        return inside <= 0.05 * (last - first);
    }

    internal static double Cosine(TextFeatures a, TextFeatures b, TermStatistics? statistics)
    {
        var x = a.Weighted(statistics);
        var y = b.Weighted(statistics);
        if (x.Norm == 0 || y.Norm == 0)
        {
            return 0;
        }

        // Merge of two hash-sorted term lists.
        double dot = 0;
        int i = 0, j = 0;
        var tx = x.Terms;
        var ty = y.Terms;
        while (i < tx.Length && j < ty.Length)
        {
            if (tx[i] == ty[j])
            {
                dot += x.Weights[i++] * y.Weights[j++];
            }
            else if (tx[i] < ty[j])
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return dot / (x.Norm * y.Norm);
    }

    /// <summary>TF-IDF with names, figures, dates and quotations counted double.</summary>
    internal static double Weight(TextFeatures document, ulong term, int count, TermStatistics? statistics)
    {
        var idf = statistics?.Idf(term) ?? 3.0;
        var boost = document.IsFact(term) ? 2.0 : 1.0;
        return (1 + Math.Log(count)) * idf * boost;
    }

    private static double Dice(IReadOnlySet<ulong> a, IReadOnlySet<ulong> b)
    {
        if (a.Count == 0 || b.Count == 0)
        {
            return 0;
        }

        var (small, large) = a.Count <= b.Count ? (a, b) : (b, a);
        var shared = small.Count(large.Contains);
        return 2.0 * shared / (a.Count + b.Count);
    }

    /// <summary>Dice overlap with each item weighted by inverse document frequency: sharing a rare name counts more than a common one.</summary>
    private static double Dice(IReadOnlySet<ulong> a, IReadOnlySet<ulong> b, TermStatistics? statistics)
    {
        if (statistics is null)
        {
            return Dice(a, b);
        }

        if (a.Count == 0 || b.Count == 0)
        {
            return 0;
        }

        double shared = 0, total = 0;
        foreach (var item in a)
        {
            var idf = statistics.Idf(item);
            total += idf;
            shared += b.Contains(item) ? 2 * idf : 0;
        }

        foreach (var item in b)
        {
            total += statistics.Idf(item);
        }

        return shared / total;
    }

    /// <summary>Longest common subsequence of the two fact sequences over the shorter one's length (capped for long texts).</summary>
    private static double FactOrder(IReadOnlyList<ulong> a, IReadOnlyList<ulong> b)
    {
        var n = Math.Min(a.Count, 400);
        var m = Math.Min(b.Count, 400);
        if (n == 0 || m == 0)
        {
            return 0;
        }

        var previous = new int[m + 1];
        var current = new int[m + 1];
        for (var i = 1; i <= n; i++)
        {
            for (var j = 1; j <= m; j++)
            {
                current[j] = a[i - 1] == b[j - 1] ? previous[j - 1] + 1 : Math.Max(previous[j], current[j - 1]);
            }

            (previous, current) = (current, previous);
        }

        return (double)previous[m] / Math.Min(n, m);
    }
}
