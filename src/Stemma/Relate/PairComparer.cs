using Stemma.Align;
using Stemma.Sketch;

namespace Stemma.Relate;

/// <summary>The measurements a relation label rests on.</summary>
/// <param name="TermCosine">Cosine of TF-IDF weighted content words (names, figures, dates, quotations boosted).</param>
/// <param name="EntityOverlap">Dice overlap of names.</param>
/// <param name="NumberOverlap">Dice overlap of figures.</param>
/// <param name="DateOverlap">Dice overlap of dates.</param>
/// <param name="FactOrder">Longest common subsequence of names and figures in reading order, over the shorter sequence (bulk analysis measures it only for pairs that share no passages, where it tells a rewrite; 0 otherwise).</param>
/// <param name="CoverageA">Fraction of A's words inside passages aligned with B.</param>
/// <param name="CoverageB">Fraction of B's words inside passages aligned with A.</param>
/// <param name="MatchedFraction">Words equal in both, over the shorter text's words.</param>
/// <param name="SubstitutionRate">Fraction of differing words inside aligned passages.</param>
/// <param name="SynonymSwaps">Words inside passages swapped one for one with a WordNet synonym (the mark of a spinner).</param>
/// <param name="LeadCosine">Cosine of the weighted content words of the two leads (the first words, where news puts the story).</param>
public sealed record PairEvidence(
    double TermCosine,
    double EntityOverlap,
    double NumberOverlap,
    double DateOverlap,
    double FactOrder,
    double CoverageA,
    double CoverageB,
    double MatchedFraction,
    double SubstitutionRate,
    int SynonymSwaps = 0,
    double LeadCosine = 0);

/// <summary>How B relates to A: the label, a story-similarity score in [0, 1], the alignment and what changed from A to B.</summary>
public sealed record Comparison(string Relation, double Similarity, Alignment Alignment, IReadOnlyList<Change> Changes, PairEvidence Evidence)
{
    /// <summary>Same place, same people, same time, same narrative: the dimensions people judge news similarity by, scored with the fitted <see cref="SimilarityWeights.Default"/>.</summary>
    public StoryDimensions Dimensions => StoryDimensions.Of(Evidence);
}

/// <summary>Compares two documents: aligns them, measures shared facts and words, labels the relation.</summary>
public static class PairComparer
{
    /// <summary>Compares <paramref name="a"/> with <paramref name="b"/>; pass <paramref name="statistics"/> from the surrounding collection for better word weights.</summary>
    public static Comparison Compare(Article a, Article b, TermStatistics? statistics = null, RelationThresholds? thresholds = null)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return Compare(a, TextFeatures.Create(a.Body), b, TextFeatures.Create(b.Body), statistics, allChanges: true, thresholds: thresholds);
    }

    /// <summary>Two articles whose features are known: their bodies compared, the label then told by their wrapping too (<see cref="WithWrapping"/>).</summary>
    internal static Comparison Compare(Article a, TextFeatures featuresA, Article b, TextFeatures featuresB, TermStatistics? statistics, bool allChanges, bool mayShareText = true, double? cosine = null, RelationThresholds? thresholds = null)
    {
        var comparison = Compare(featuresA, featuresB, statistics, allChanges, mayShareText, cosine, thresholds);
        return comparison with { Relation = WithWrapping(comparison.Relation, a, b) };
    }

    /// <summary>
    /// Identical bodies in different wrapping are a copy: ingest takes read-more lines, captions, credits and "appeared
    /// first on" lines out of the body, so a repost's body can equal its source's while the pages differ.
    /// </summary>
    private static string WithWrapping(string relation, Article a, Article b) =>
        relation == Relations.Identical && !SameWrapping(a, b) ? Relations.Copy : relation;

    private static bool SameWrapping(Article a, Article b)
    {
        if (!string.Equals(a.Attribution?.Trim(), b.Attribution?.Trim(), StringComparison.OrdinalIgnoreCase) || a.Annotations.Count != b.Annotations.Count)
        {
            return false;
        }

        static IEnumerable<(AnnotationKind, string)> Lines(Article article) =>
            article.Annotations.Select(n => (n.Kind, Text.TextNormalizer.Normalize(n.Text))).Order();
        return Lines(a).SequenceEqual(Lines(b));
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
        var comparisons = CompareAll([.. pairs.Select(p => (p.A.Body, p.B.Body))], cancellationToken);
        return [.. comparisons.Select((c, i) => c with { Relation = WithWrapping(c.Relation, pairs[i].A, pairs[i].B) })];
    }

    public static Comparison Compare(string a, string b, TermStatistics? statistics = null) =>
        Compare(TextFeatures.Create(a), TextFeatures.Create(b), statistics);

    public static Comparison Compare(TextFeatures a, TextFeatures b, TermStatistics? statistics = null) => Compare(a, b, statistics, allChanges: true);

    /// <param name="allChanges">False in bulk analysis: what changed is worked out only for copy-family pairs (a rewrite's "changes" would be its whole text).</param>
    /// <param name="mayShareText">False when the caller knows the texts share almost no trigrams (<see cref="MayShareText"/>): no alignment is tried.</param>
    /// <param name="cosine">The pair's <see cref="Cosine"/> when the caller has it already.</param>
    internal static Comparison Compare(TextFeatures a, TextFeatures b, TermStatistics? statistics, bool allChanges, bool mayShareText = true, double? cosine = null, RelationThresholds? thresholds = null)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var t = thresholds ?? RelationThresholds.Default;

        // The same words in the same order (a verbatim repost): one passage, nothing to search for. Almost no shared
        // trigrams: no passage to find either.
        var identical = a.Words.Count > 0 && a.Words.Hashes.AsSpan().SequenceEqual(b.Words.Hashes);
        var alignment = identical ? Alignment.Whole(a.Words, b.Words)
            : !mayShareText ? Alignment.None(a.Words, b.Words)
            : PassageAligner.Default.Align(a.Words, b.Words);
        IReadOnlyList<Change>? changes = identical ? [] : null;
        var evidence = Measure(a, b, alignment, statistics, cosine, countSynonyms: allChanges || SynonymsCanDecide(alignment.SubstitutionRate, t), factOrder: allChanges || !IsTextReuse(alignment, t));
        var relation = Classify(a, b, alignment, ref changes, evidence, t);
        if (allChanges || Relations.IsCopyFamily(relation))
        {
            changes ??= ChangeDetector.Detect(a, b, alignment);
        }

        return new Comparison(relation, Similarity(evidence), alignment, changes ?? [], evidence);
    }

    /// <summary>
    /// Whether two texts can share passages at all: the aligner needs shared trigrams to start from, and text reuse
    /// (40% of the shorter text in passages) leaves many even when a third of its words are swapped. Below 3% of the
    /// shorter text's trigrams (and fewer than 12) the alignment would find next to nothing.
    /// </summary>
    internal static bool MayShareText(ShingleSet a, ShingleSet b)
    {
        var (_, containment, shared) = a.Compare(b);
        return MayShareText(containment, shared);
    }

    /// <summary><see cref="MayShareText(ShingleSet, ShingleSet)"/> from an overlap the caller has already measured.</summary>
    internal static bool MayShareText(double containment, int shared) => shared >= 12 || containment >= 0.03;

    /// <summary>
    /// Story similarity in [0, 1]: weighted words of the whole texts and of their leads, shared names, figures and
    /// dates, raised towards 1 by shared passages. Cosines enter by their square root: two reports of one event already
    /// share a third of their weighted words, while different stories on one topic stay near a tenth, so the scale is
    /// spread where the difference between "same story" and "same topic" lies rather than among near copies.
    /// </summary>
    public static double Similarity(PairEvidence evidence) => Similarity(evidence, SimilarityWeights.Default);

    /// <summary>The story similarity under the given weights (<see cref="SimilarityWeights"/>).</summary>
    public static double Similarity(PairEvidence evidence, SimilarityWeights weights)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        ArgumentNullException.ThrowIfNull(weights);
        var topical = weights.Overall.Score(evidence);
        var reuse = Math.Max(evidence.CoverageA, evidence.CoverageB);
        return Math.Clamp(topical + ((1 - topical) * reuse * reuse * weights.ReuseBoost), 0, 1);
    }

    /// <summary>Words of a text's lead: the headline and first sentences, where a news story says what happened.</summary>
    internal const int LeadWords = 64;

    /// <summary>Cosine of the two leads' content words, each weighted by its document's IDF (names, figures and dates double).</summary>
    internal static double LeadCosine(TextFeatures a, TextFeatures b, TermStatistics? statistics)
    {
        Span<uint> termsA = stackalloc uint[LeadWords];
        Span<uint> termsB = stackalloc uint[LeadWords];
        Span<float> weightsA = stackalloc float[LeadWords];
        Span<float> weightsB = stackalloc float[LeadWords];
        var countA = Lead(a, statistics, termsA, weightsA);
        var countB = Lead(b, statistics, termsB, weightsB);
        double dot = 0, normA = 0, normB = 0;
        for (var i = 0; i < countA; i++)
        {
            normA += weightsA[i] * weightsA[i];
        }

        for (var j = 0; j < countB; j++)
        {
            normB += weightsB[j] * weightsB[j];
        }

        for (int i = 0, j = 0; i < countA && j < countB;)
        {
            var (x, y) = (termsA[i], termsB[j]);
            if (x == y)
            {
                dot += weightsA[i] * weightsB[j];
            }

            i += x <= y ? 1 : 0;
            j += x >= y ? 1 : 0;
        }

        return normA == 0 || normB == 0 ? 0 : dot / Math.Sqrt(normA * normB);
    }

    // The distinct content words of the lead in hash order, each with its TF-IDF weight in the whole document.
    private static int Lead(TextFeatures features, TermStatistics? statistics, Span<uint> terms, Span<float> weights)
    {
        // The lead's content words sorted, then each kept once.
        var words = features.Words;
        var found = 0;
        for (var w = 0; w < words.Count && w < LeadWords; w++)
        {
            var hash = words.HashAt(w);
            if (!Lexicon.IsFunctionWord(hash))
            {
                terms[found++] = hash;
            }
        }

        terms[..found].Sort();
        var count = Index.SortedSets.KeepDistinct(terms[..found]);

        var idfs = features.Weighted(statistics).Idfs;
        for (var k = 0; k < count; k++)
        {
            var at = features.TermIndexOf(terms[k]);
            weights[k] = at >= 0 ? features.WeightAt(at, idfs[at]) : 0;
        }

        return count;
    }

    internal static PairEvidence Measure(TextFeatures a, TextFeatures b, Alignment alignment, TermStatistics? statistics, double? cosine = null, bool countSynonyms = true, bool factOrder = true) => new(
        TermCosine: cosine ?? Cosine(a, b, statistics),
        EntityOverlap: Dice(a.EntityHashes, b.EntityHashes, statistics),
        NumberOverlap: Dice(a.NumberHashes, b.NumberHashes),
        DateOverlap: Dice(a.DateHashes, b.DateHashes),
        FactOrder: factOrder ? FactOrder(a.FactHashes, b.FactHashes) : 0,
        CoverageA: alignment.CoverageA,
        CoverageB: alignment.CoverageB,
        MatchedFraction: Math.Min(a.Words.Count, b.Words.Count) == 0 ? 0 : (double)alignment.MatchedWords / Math.Min(a.Words.Count, b.Words.Count),
        SubstitutionRate: alignment.SubstitutionRate,
        SynonymSwaps: countSynonyms ? SynonymSwaps(a.Words.Text, b.Words.Text, alignment) : 0,
        LeadCosine: LeadCosine(a, b, statistics));

    /// <summary>Words inside passages swapped for a synonym: differences of as many words on each side, paired in order.</summary>
    internal static int SynonymSwaps(string a, string b, Alignment alignment)
    {
        var swaps = 0;
        foreach (var span in alignment.Spans)
        {
            foreach (var difference in span.Differences)
            {
                if (difference.WordsA == difference.WordsB && difference.WordsA > 0)
                {
                    swaps += SynonymTable.WordNet.CountSynonymPairs(a.AsSpan(difference.A.Start, difference.A.Length), b.AsSpan(difference.B.Start, difference.B.Length));
                }
            }
        }

        return swaps;
    }

    /// <summary>
    /// Text reuse: a good part of the shorter text sits in passages aligned with the other (a paraphrased copy keeps
    /// enough in place to align with substitutions; an AI rewrite of a story aligns only in quotes and names).
    /// </summary>
    internal static bool IsTextReuse(Alignment alignment, RelationThresholds t)
    {
        var coverShort = alignment.WordsA <= alignment.WordsB ? alignment.CoverageA : alignment.CoverageB;
        return coverShort >= t.TextReuseShortCoverage && alignment.MatchedWords >= Math.Min(t.TextReuseMinWords, Math.Min(alignment.WordsA, alignment.WordsB) * 0.8);
    }

    /// <summary>Whether two texts that share some passages also tell one event in the rest: the same names and the same lead.</summary>
    internal static bool TellsOneEvent(PairEvidence e, RelationThresholds t) => e.EntityOverlap >= t.OneEventMinOverlap && e.LeadCosine >= t.OneEventMinOverlap;

    /// <param name="changes">The pair's changes when known; worked out here (and kept) only when the relation depends on them.</param>
    internal static string Classify(TextFeatures a, TextFeatures b, Alignment alignment, ref IReadOnlyList<Change>? changes, PairEvidence e, RelationThresholds t)
    {
        if (a.Words.Count > 0 && a.Words.Hashes.AsSpan().SequenceEqual(b.Words.Hashes))
        {
            return Relations.Identical;
        }

        var aIsShorter = a.Words.Count <= b.Words.Count;
        var (coverShort, coverLong) = aIsShorter ? (e.CoverageA, e.CoverageB) : (e.CoverageB, e.CoverageA);
        var wordsShort = Math.Min(a.Words.Count, b.Words.Count);
        var wordsLong = Math.Max(a.Words.Count, b.Words.Count);
        if (IsTextReuse(alignment, t))
        {
            // Some passages shared, but a good part of the shorter text and most of the longer are each one's own:
            // two articles reusing background paragraphs or a quote block, not one copied from the other.
            if (coverShort < t.SharedPassagesShortCoverage && coverLong < t.SharedPassagesLongCoverage)
            {
                return Relations.SharesPassages;
            }

            // Each text's own lead, a different story in each (different leads, hardly a name in common), and only what
            // follows shared: a common block (a disclaimer, a footer, a promotion), however much of two short texts it
            // makes. Two copies of one story that each replaced the lead still share the story's names.
            if (e.LeadCosine < t.SharedBlockMaxLeadCosine && e.EntityOverlap < t.OneEventMinOverlap && LeadsOutsidePassages(alignment, t.SharedBlockMinLeadWords))
            {
                return Relations.SharesPassages;
            }

            // Many swapped words, or fewer of them mostly swapped for synonyms: a spinner's work, over the bulk of both texts.
            if (coverLong >= t.SpunLongCoverage && (e.SubstitutionRate >= t.SpunSubstitutionRate || (SynonymsCanDecide(e.SubstitutionRate, t) && e.SynonymSwaps >= t.SpunMinSynonymSwaps && e.SynonymSwaps * 2 >= OneForOneSwaps(alignment))))
            {
                return Relations.Spun;
            }

            var shortUnaligned = (1 - coverShort) * wordsShort;
            var contained = shortUnaligned <= Math.Max(2, wordsShort * 0.02);
            changes ??= ChangeDetector.Detect(a, b, alignment);
            var changedFacts = false;
            for (var i = 0; i < changes.Count && !changedFacts; i++)
            {
                changedFacts = Change.KindChangesFacts(SlicedChanges.KindAt(changes, i)) && changes[i].ChangesFact;
            }

            if (contained && wordsShort <= t.ExcerptMaxShare * wordsLong && coverLong <= t.ExcerptMaxShare && IsOneBlock(alignment, aIsShorter))
            {
                return Relations.Excerpt;
            }

            return contained && !changedFacts && e.SubstitutionRate < t.CopyMaxSubstitutionRate ? Relations.Copy : Relations.Edited;
        }

        var factual = (0.6 * e.EntityOverlap) + (0.4 * e.NumberOverlap);
        // A rewrite retells the source fact by fact: nearly all its figures, mostly in the same order. An independent
        // report shares the event's names but picks its own figures and order.
        var retold = (0.5 * e.FactOrder) + (0.5 * e.NumberOverlap);
        if (factual >= t.RewriteMinFacts && retold >= t.RewriteMinRetold && e.TermCosine >= t.MinStoryCosine)
        {
            return Relations.Rewrite;
        }

        // An AI rewrite keeps the source's facts in its order but may spell some figures out or leave a few out: the
        // retelling's figures and names come from the source (containment, not overlap), in the source's order, and it
        // brings hardly any of its own. An independent report brings its own witnesses, places and figures.
        if (e.TermCosine >= t.MinStoryCosine && e.FactOrder >= t.RewriteFactOrder
            && Index.SortedSets.IntersectionCount(a.NumberHashes, b.NumberHashes) is var sharedFigures and >= 3
            && sharedFigures >= 0.75 * Math.Min(a.NumberHashes.Length, b.NumberHashes.Length)
            && Index.SortedSets.IntersectionCount(a.EntityHashes, b.EntityHashes) >= 0.6 * Math.Min(a.EntityHashes.Length, b.EntityHashes.Length))
        {
            return Relations.Rewrite;
        }

        // An independent report of the same event names the same people and places and shares topic words.
        if ((e.EntityOverlap >= t.SameEventMinEntities && e.TermCosine >= t.MinStoryCosine) || (e.TermCosine >= t.SameEventMinCosine && factual >= 0.1))
        {
            return Relations.SameEvent;
        }

        // Different stories that reuse a passage (a wire background paragraph, a quote block).
        if (alignment.MatchedWords >= t.SharedPassageWords && Math.Max(e.CoverageA, e.CoverageB) >= t.SharedPassageMinCoverage)
        {
            return Relations.SharesPassages;
        }

        return Relations.Unrelated;
    }

    // Between a light edit and plain spinning, whether the swapped words are synonyms decides; elsewhere (and in bulk
    // analysis) they need not be looked up.
    private static bool SynonymsCanDecide(double substitutionRate, RelationThresholds t) => substitutionRate >= t.SynonymDecidesFrom && substitutionRate < t.SpunSubstitutionRate;

    private static int OneForOneSwaps(Alignment alignment) =>
        alignment.Spans.Sum(span => span.Differences.Where(d => d.WordsA == d.WordsB).Sum(d => d.WordsA));

    /// <summary>Whether there are passages and every one starts at least <paramref name="minLeadWords"/> words into both texts.</summary>
    private static bool LeadsOutsidePassages(Alignment alignment, int minLeadWords)
    {
        foreach (var span in alignment.Spans)
        {
            if (span.FirstWordA < minLeadWords || span.FirstWordB < minLeadWords)
            {
                return false;
            }
        }

        return alignment.Spans.Count > 0;
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

        // Merge of two hash-sorted term lists, stepping by comparison results (see SortedSets): only matches branch. The
        // store's relate stage screens every probe against a dozen candidates or more, so the walk reads the arrays
        // through references, without a bounds check per step.
        double dot = 0;
        nint i = 0, j = 0;
        var tx = a.TermHashes;
        var ty = b.TermHashes;
        nint nx = tx.Length, ny = ty.Length;
        ref var rx = ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(tx);
        ref var ry = ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(ty);
        while (i < nx && j < ny)
        {
            var (p, q) = (System.Runtime.CompilerServices.Unsafe.Add(ref rx, i), System.Runtime.CompilerServices.Unsafe.Add(ref ry, j));
            if (p == q)
            {
                dot += a.WeightAt((int)i, x.Idfs[i]) * b.WeightAt((int)j, y.Idfs[j]);
            }

            i += p <= q ? 1 : 0;
            j += p >= q ? 1 : 0;
        }

        return dot / (x.Norm * y.Norm);
    }

    /// <summary>Dice overlap of two sorted, distinct arrays.</summary>
    private static double Dice(uint[] a, uint[] b) =>
        a.Length == 0 || b.Length == 0 ? 0 : 2.0 * Index.SortedSets.IntersectionCount(a, b) / (a.Length + b.Length);

    /// <summary>Dice overlap with each item weighted by inverse document frequency: sharing a rare name counts more than a common one.</summary>
    private static double Dice(uint[] a, uint[] b, TermStatistics? statistics)
    {
        if (statistics is null)
        {
            return Dice(a, b);
        }

        if (a.Length == 0 || b.Length == 0)
        {
            return 0;
        }

        double shared = 0, total = 0;
        int i = 0, j = 0;
        while (i < a.Length || j < b.Length)
        {
            if (j == b.Length || (i < a.Length && a[i] < b[j]))
            {
                total += statistics.Idf(a[i++]);
            }
            else if (i == a.Length || b[j] < a[i])
            {
                total += statistics.Idf(b[j++]);
            }
            else
            {
                var idf = statistics.Idf(a[i]);
                total += 2 * idf;
                shared += 2 * idf;
                i++;
                j++;
            }
        }

        return shared / total;
    }

    /// <summary>Longest common subsequence of the two fact sequences over the shorter one's length (capped for long texts).</summary>
    internal static double FactOrder(uint[] a, uint[] b)
    {
        var n = Math.Min(a.Length, 400);
        var m = Math.Min(b.Length, 400);
        if (n == 0 || m == 0)
        {
            return 0;
        }

        return (double)LongestCommonSubsequence(a.AsSpan(0, n), b.AsSpan(0, m)) / Math.Min(n, m);
    }

    /// <summary>
    /// Length of the longest common subsequence by the bit-parallel recurrence (Allison and Dix; Hyyrö): one bit per item
    /// of <paramref name="a"/>, one multi-word add per item of <paramref name="b"/>, so 400 × 400 costs a few thousand
    /// word operations instead of 160,000 cell updates.
    /// </summary>
    internal static int LongestCommonSubsequence(ReadOnlySpan<uint> a, ReadOnlySpan<uint> b)
    {
        var words = (a.Length + 63) >> 6;

        // Match masks of a's distinct items: the items sorted with their positions, one mask row per distinct item.
        var order = System.Buffers.ArrayPool<(uint Item, int Position)>.Shared.Rent(a.Length);
        var masks = System.Buffers.ArrayPool<ulong>.Shared.Rent(a.Length * words);
        var rowItems = System.Buffers.ArrayPool<uint>.Shared.Rent(a.Length);
        Span<ulong> v = words <= 16 ? stackalloc ulong[16] : new ulong[words];
        v = v[..words];
        try
        {
            for (var i = 0; i < a.Length; i++)
            {
                order[i] = (a[i], i);
            }

            var sorted = order.AsSpan(0, a.Length);
            sorted.Sort();
            var rows = 0;
            masks.AsSpan(0, a.Length * words).Clear();
            for (var k = 0; k < sorted.Length; k++)
            {
                if (k == 0 || sorted[k].Item != sorted[k - 1].Item)
                {
                    rowItems[rows++] = sorted[k].Item;
                }

                var p = sorted[k].Position;
                masks[((rows - 1) * words) + (p >> 6)] |= 1UL << (p & 63);
            }

            var items = rowItems.AsSpan(0, rows);
            v.Fill(ulong.MaxValue);
            foreach (var item in b)
            {
                var row = items.BinarySearch(item);
                if (row < 0)
                {
                    continue;
                }

                var mask = masks.AsSpan(row * words, words);
                ulong carry = 0;
                for (var w = 0; w < words; w++)
                {
                    var x = v[w];
                    var u = x & mask[w];
                    var sum = x + u + carry;
                    carry = sum < x || (carry != 0 && sum == x) ? 1UL : 0UL;
                    v[w] = sum | (x & ~mask[w]);
                }
            }

            var zeros = 0;
            for (var w = 0; w < words; w++)
            {
                var valid = w < words - 1 || (a.Length & 63) == 0 ? ulong.MaxValue : (1UL << (a.Length & 63)) - 1;
                zeros += System.Numerics.BitOperations.PopCount(~v[w] & valid);
            }

            return zeros;
        }
        finally
        {
            System.Buffers.ArrayPool<(uint, int)>.Shared.Return(order);
            System.Buffers.ArrayPool<ulong>.Shared.Return(masks);
            System.Buffers.ArrayPool<uint>.Shared.Return(rowItems);
        }
    }
}
