using System.Numerics;

namespace Stemma.Align;

/// <summary>Settings of <see cref="PassageAligner"/>.</summary>
public sealed record PassageAlignerOptions
{
    /// <summary>Words in a seed: a shared run this long starts a passage.</summary>
    public int SeedWords { get; init; } = 3;

    /// <summary>Most differing words skipped on either side while extending a passage (a substituted word, a changed figure, a short insertion).</summary>
    public int MaxGap { get; init; } = 4;

    /// <summary>A passage needs this many equal words; shorter coincidences ("said in the") are dropped.</summary>
    public int MinMatchedWords { get; init; } = 5;
}

/// <summary>
/// Aligns the passages two texts share. Seeds are shared word trigrams; each seed is extended both ways, stepping over
/// short differences when the next two words agree again, so substitutions, changed figures and short insertions stay
/// inside one passage while reordered paragraphs become separate passages. Each word belongs to at most one passage.
/// </summary>
public sealed class PassageAligner
{
    // A phrase repeated more often than this ("said on Tuesday") seeds from its first occurrences only.
    private const int MaxOccurrencesPerSeed = 8;

    private readonly PassageAlignerOptions options;

    public PassageAligner(PassageAlignerOptions? options = null)
    {
        this.options = options ?? new PassageAlignerOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(this.options.SeedWords, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(this.options.MaxGap);
    }

    public static PassageAligner Default { get; } = new();

    public Alignment Align(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return Align(TokenizedText.Create(a), TokenizedText.Create(b));
    }

    public Alignment Align(TokenizedText a, TokenizedText b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var na = a.Count;
        var nb = b.Count;
        var seed = Math.Min(options.SeedWords, Math.Min(na, nb));
        var spans = new List<AlignedSpan>();
        if (seed == 0)
        {
            return Finish(a, b, spans, null, null);
        }

        var minMatched = Math.Min(options.MinMatchedWords, Math.Min(na, nb));
        var coveredA = Text.ThreadBuffer.Get(ref t_coveredA, na);
        var coveredB = Text.ThreadBuffer.Get(ref t_coveredB, nb);
        var nextSame = Text.ThreadBuffer.Get(ref t_nextSame, na);
        Array.Clear(coveredA, 0, na);
        Array.Clear(coveredB, 0, nb);
        // Seed table: first position of every word n-gram of A, with a chain to its later occurrences.
        var scratch = Scratch.ForThisThread(na);
        var heads = scratch.Heads;
        for (var i = na - seed; i >= 0; i--)
        {
            // Stored as position + 1, so 0 (just added) means no later occurrence.
            ref var head = ref heads.GetValueRefOrAdd(Gram(a.Hashes, i, seed));
            nextSame[i] = head - 1;
            head = i + 1;
        }

        // Seeds are maximal exact runs; the longest are placed first so a short coincidence never takes a passage's place.
        var seeds = scratch.Seeds;
        for (var j = 0; j <= nb - seed; j++)
        {
            if (!heads.TryGetValue(Gram(b.Hashes, j, seed), out var head))
            {
                continue;
            }

            var i = head - 1;
            for (var occurrences = 0; i >= 0 && occurrences < MaxOccurrencesPerSeed; i = nextSame[i], occurrences++)
            {
                if (i > 0 && j > 0 && a.Hashes[i - 1] == b.Hashes[j - 1])
                {
                    continue;
                }

                var length = 0;
                while (i + length < na && j + length < nb && a.Hashes[i + length] == b.Hashes[j + length])
                {
                    length++;
                }

                if (length >= seed)
                {
                    seeds.Add((i, j, length));
                }
            }
        }

        seeds.Sort((x, y) => x.Length != y.Length ? y.Length.CompareTo(x.Length) : x.J != y.J ? x.J.CompareTo(y.J) : x.I.CompareTo(y.I));
        var differences = scratch.Differences;
        var backward = scratch.Backward;
        foreach (var (i, j, runLength) in seeds)
        {
            // Keep the part of the run still free on both sides.
            var length = 0;
            while (length < runLength && !coveredA[i + length] && !coveredB[j + length])
            {
                length++;
            }

            if (length < seed)
            {
                continue;
            }

            differences.Clear();
            backward.Clear();
            var (endA, endB, matchedForward) = Extend(a, b, coveredA, coveredB, i + length, j + length, +1, differences);
            var (startA, startB, matchedBackward) = Extend(a, b, coveredA, coveredB, i - 1, j - 1, -1, backward);
            var matched = length + matchedForward + matchedBackward;
            if (matched < minMatched)
            {
                continue;
            }

            // Backward extension returns the last matched position moved past; the passage starts one step later.
            startA++;
            startB++;
            endA--;
            endB--;
            backward.Reverse();
            backward.AddRange(differences);
            Array.Fill(coveredA, true, startA, endA - startA + 1);
            Array.Fill(coveredB, true, startB, endB - startB + 1);
            spans.Add(new AlignedSpan(
                new TextRange(a.StartOf(startA), a.EndOf(endA)),
                new TextRange(b.StartOf(startB), b.EndOf(endB)),
                endA - startA + 1,
                endB - startB + 1,
                matched,
                [.. backward])
            { FirstWordA = startA, FirstWordB = startB });
        }

        spans.Sort((x, y) => x.FirstWordB.CompareTo(y.FirstWordB));
        return Finish(a, b, spans, coveredA, coveredB);
    }

    // Scratch of Align, one set per thread (see ThreadBuffer); only the first na and nb items are used.
    [ThreadStatic]
    private static bool[]? t_coveredA;

    [ThreadStatic]
    private static bool[]? t_coveredB;

    [ThreadStatic]
    private static int[]? t_nextSame;

    /// <summary>
    /// Walks from (ia, jb) in direction <paramref name="step"/> while words agree; on a difference looks for the nearest
    /// place within <see cref="PassageAlignerOptions.MaxGap"/> words on each side where two words agree again.
    /// Returns the position one past the last matched word on each side and the number of matched words.
    /// </summary>
    private (int EndA, int EndB, int Matched) Extend(TokenizedText a, TokenizedText b, bool[] coveredA, bool[] coveredB, int ia, int jb, int step, List<SpanDifference> differences)
    {
        var ha = a.Hashes;
        var hb = b.Hashes;
        var matched = 0;
        var maxGap = options.MaxGap;
        while (true)
        {
            if (Inside(ia, ha.Length) && Inside(jb, hb.Length) && !coveredA[ia] && !coveredB[jb] && ha[ia] == hb[jb])
            {
                matched++;
                ia += step;
                jb += step;
                continue;
            }

            var resynced = false;
            for (var total = 1; total <= 2 * maxGap && !resynced; total++)
            {
                // Try the balanced split (a substitution) first, then lopsided ones (insertions, deletions).
                for (var k = 0; k <= total && !resynced; k++)
                {
                    var da = (total / 2) + ((k & 1) == 0 ? k / 2 : -((k + 1) / 2));
                    var db = total - da;
                    if (da < 0 || db < 0 || da > maxGap || db > maxGap)
                    {
                        continue;
                    }

                    var pa = ia + (da * step);
                    var pb = jb + (db * step);
                    if (!Inside(pa + step, ha.Length) || !Inside(pb + step, hb.Length) || ha[pa] != hb[pb] || ha[pa + step] != hb[pb + step])
                    {
                        continue;
                    }

                    if (!IsFree(coveredA, ia, pa + step, step) || !IsFree(coveredB, jb, pb + step, step))
                    {
                        continue;
                    }

                    differences.Add(Difference(a, b, ia, pa, jb, pb, step));
                    ia = pa;
                    jb = pb;
                    resynced = true;
                }
            }

            if (!resynced)
            {
                return (ia, jb, matched);
            }
        }
    }

    private static SpanDifference Difference(TokenizedText a, TokenizedText b, int fromA, int toA, int fromB, int toB, int step)
    {
        // Word ranges [from, to) in walking direction; turn them into forward character ranges.
        var (loA, hiA) = step > 0 ? (fromA, toA) : (toA + 1, fromA + 1);
        var (loB, hiB) = step > 0 ? (fromB, toB) : (toB + 1, fromB + 1);
        return new SpanDifference(CharRange(a, loA, hiA), CharRange(b, loB, hiB), hiA - loA, hiB - loB);
    }

    private static TextRange CharRange(TokenizedText text, int firstWord, int endWord)
    {
        if (endWord > firstWord)
        {
            return new TextRange(text.StartOf(firstWord), text.EndOf(endWord - 1));
        }

        // Nothing on this side: an empty range where the words would have been.
        var at = firstWord < text.Count ? text.StartOf(firstWord) : text.Text.Length;
        return new TextRange(at, at);
    }

    private static bool Inside(int index, int length) => (uint)index < (uint)length;

    private static bool IsFree(bool[] covered, int from, int toInclusive, int step)
    {
        for (var p = from; p != toInclusive + step; p += step)
        {
            if (covered[p])
            {
                return false;
            }
        }

        return true;
    }

    private static ulong Gram(uint[] hashes, int start, int length)
    {
        var h = 0x9E3779B97F4A7C15UL;
        for (var k = 0; k < length; k++)
        {
            h = BitOperations.RotateLeft(h, 23) ^ (hashes[start + k] * 0xC2B2AE3D27D4EB4FUL);
        }

        return h;
    }

    /// <summary>The seed table and scratch lists of one alignment, kept per thread: aligning every candidate pair of a corpus would otherwise allocate all of it per pair.</summary>
    private sealed class Scratch
    {
        [ThreadStatic]
        private static Scratch? forThread;

        /// <summary>First position in A of each word n-gram.</summary>
        public Index.HashTable Heads { get; } = new();

        public List<(int I, int J, int Length)> Seeds { get; } = [];

        public List<SpanDifference> Differences { get; } = [];

        public List<SpanDifference> Backward { get; } = [];

        public static Scratch ForThisThread(int words)
        {
            var scratch = forThread ??= new Scratch();
            scratch.Heads.Clear(words);
            scratch.Seeds.Clear();
            return scratch;
        }
    }

    private static Alignment Finish(TokenizedText a, TokenizedText b, List<AlignedSpan> spans, bool[]? coveredA, bool[]? coveredB) =>
        new(spans, Uncovered(a, coveredA), Uncovered(b, coveredB), a.Count, b.Count);

    private static List<TextRange> Uncovered(TokenizedText text, bool[]? covered)
    {
        var ranges = new List<TextRange>();
        var runStart = -1;
        for (var w = 0; w <= text.Count; w++)
        {
            var free = w < text.Count && (covered is null || !covered[w]);
            if (free && runStart < 0)
            {
                runStart = w;
            }
            else if (!free && runStart >= 0)
            {
                ranges.Add(new TextRange(text.StartOf(runStart), text.EndOf(w - 1)));
                runStart = -1;
            }
        }

        return ranges;
    }
}
