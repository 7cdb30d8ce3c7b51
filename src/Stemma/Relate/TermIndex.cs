using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Stemma.Relate;

/// <summary>
/// "More like this" over weighted terms: each document is indexed by its few highest-weighted terms (names, figures,
/// dates and quotations boosted; very common terms only when a document has too few rarer ones), and queried with the
/// same terms. Work per document is bounded by the number of query terms, a cap on postings read, and a cap on
/// candidates returned. Postings are stored flat (one array of documents and one of weights, with offsets per term).
/// </summary>
internal sealed class TermIndex
{
    private readonly int[][] chosenTerms;
    private readonly float[][] chosenWeights;
    private readonly float[] norms;
    private readonly int[] offsets;
    private readonly int[] postingDocuments;
    private readonly float[] postingWeights;

    private TermIndex(int[][] chosenTerms, float[][] chosenWeights, float[] norms, int[] offsets, int[] postingDocuments, float[] postingWeights)
    {
        this.chosenTerms = chosenTerms;
        this.chosenWeights = chosenWeights;
        this.norms = norms;
        this.offsets = offsets;
        this.postingDocuments = postingDocuments;
        this.postingWeights = postingWeights;
    }

    /// <param name="documents">Every document's features.</param>
    /// <param name="statistics">Collection statistics for the weights.</param>
    /// <param name="options">Index sizes.</param>
    /// <param name="indexed">Which documents are indexed and queried (null: all).</param>
    public static TermIndex Build(IReadOnlyList<TextFeatures> documents, TermStatistics statistics, StoryAnalyzerOptions options, bool[]? indexed = null)
    {
        var n = documents.Count;
        var chosenHashes = new uint[n][];
        var chosenWeights = new float[n][];
        var norms = new float[n];
        Parallel.For(
            0,
            n,
            new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism },
            () => new Best<IndexTerm>(options.IndexTermsPerDocument),
            (d, _, top) =>
            {
                if (indexed is not null && !indexed[d])
                {
                    (chosenHashes[d], chosenWeights[d]) = ([], []);
                    return top;
                }

                (chosenHashes[d], chosenWeights[d], norms[d]) = ChooseTerms(documents[d], statistics, options, top);
                return top;
            },
            _ => { });

        // Term ids in order of first use, postings counted, then laid out flat.
        var ids = new Index.HashTable(4 * n);
        var counts = new List<int>();
        var chosenTerms = new int[n][];
        for (var d = 0; d < n; d++)
        {
            var hashes = chosenHashes[d];
            var termIds = new int[hashes.Length];
            for (var k = 0; k < hashes.Length; k++)
            {
                // Ids are stored plus one: 0 is a term just added.
                ref var id = ref ids.GetValueRefOrAdd(hashes[k]);
                if (id == 0)
                {
                    counts.Add(0);
                    id = counts.Count;
                }

                termIds[k] = id - 1;
                counts[id - 1]++;
            }

            chosenTerms[d] = termIds;
        }

        var offsets = new int[counts.Count + 1];
        for (var t = 0; t < counts.Count; t++)
        {
            offsets[t + 1] = offsets[t] + counts[t];
        }

        var fill = offsets[..^1];
        var postingDocuments = new int[offsets[^1]];
        var postingWeights = new float[offsets[^1]];
        for (var d = 0; d < n; d++)
        {
            for (var k = 0; k < chosenTerms[d].Length; k++)
            {
                var at = fill[chosenTerms[d][k]]++;
                postingDocuments[at] = d;
                postingWeights[at] = chosenWeights[d][k];
            }
        }

        return new TermIndex(chosenTerms, chosenWeights, norms, offsets, postingDocuments, postingWeights);
    }

    /// <summary>
    /// The few highest-weighted terms a document is indexed and queried by, with their weights and the weights' norm.
    /// Terms within the frequency cap come first; a document made only of common words still gets its rarest ones
    /// (postings hold only the documents that chose a term, so such lists stay short). The cap scales with the
    /// collection the statistics describe, so a store and a whole-corpus run choose alike.
    /// </summary>
    /// <remarks>
    /// Chosen once per document and statistics object: the choice is kept with the document's cached weights (which it is
    /// made from) and given again, as the same arrays (never written), to any later caller with the same index settings,
    /// <see cref="Build"/> among them (the store's relate step chooses a probe's terms for its look-up, then its region's
    /// term index and its postings need them). <see cref="Build"/> alone keeps nothing: a whole-corpus analysis would hold
    /// every document's choice as long as its features.
    /// </remarks>
    public static (uint[] Terms, float[] Weights, float Norm) ChooseTerms(TextFeatures document, TermStatistics statistics, StoryAnalyzerOptions options) =>
        ChooseTerms(document, statistics, options, null, keep: true);

    private static (uint[] Terms, float[] Weights, float Norm) ChooseTerms(TextFeatures document, TermStatistics statistics, StoryAnalyzerOptions options, Best<IndexTerm>? top, bool keep = false)
    {
        var weighted = document.Weighted(statistics);
        var settings = (options.IndexTermsPerDocument, options.MinDocumentFrequencyCap, options.MaxDocumentFrequencyShare);
        if (weighted.IndexTerms is { } known && known.Settings == settings)
        {
            return (known.Terms, known.Weights, known.Norm);
        }

        var maxDf = Math.Max(options.MinDocumentFrequencyCap, (int)(statistics.Documents * options.MaxDocumentFrequencyShare));
        var idfOfTwo = statistics.IdfAtFrequency(2) + 1e-6f;
        var idfOfCap = statistics.IdfAtFrequency(maxDf) - 1e-6f;
        top ??= new Best<IndexTerm>(options.IndexTermsPerDocument);
        top.Clear();
        var idfs = weighted.Idfs;
        for (var k = 0; k < idfs.Length; k++)
        {
            // Frequency thresholds read off the cached IDF (lower IDF, more documents).
            if (idfs[k] < idfOfTwo)
            {
                top.Offer(new IndexTerm(document.TermHashes[k], document.WeightAt(k, idfs[k]), Common: idfs[k] < idfOfCap));
            }
        }

        var terms = new uint[top.Count];
        var weights = new float[top.Count];
        var norm = 0f;
        for (var k = 0; k < top.Count; k++)
        {
            (terms[k], weights[k]) = (top[k].Term, top[k].Weight);
            norm += weights[k] * weights[k];
        }

        norm = MathF.Sqrt(norm);
        if (keep)
        {
            weighted.IndexTerms = new Chosen(settings, terms, weights, norm);
        }

        return (terms, weights, norm);
    }

    /// <summary>A document's index terms, their weights and the weights' norm, with the index settings they were chosen under.</summary>
    internal sealed record Chosen((int Terms, int MinCap, double MaxShare) Settings, uint[] Terms, float[] Weights, float Norm);

    /// <summary>
    /// For every indexed document, up to <see cref="StoryAnalyzerOptions.CandidatesPerDocument"/> other indexed documents
    /// whose top terms overlap most (cosine over top terms), as pair keys (<see cref="PairKey"/>), smaller document
    /// first; a pair may appear twice.
    /// </summary>
    public long[] Candidates(StoryAnalyzerOptions options, CancellationToken cancellationToken)
    {
        var n = chosenTerms.Length;
        var found = new long[n][];
        Parallel.For(
            0,
            n,
            new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = options.MaxDegreeOfParallelism },
            () => new QueryScratch(n, options.CandidatesPerDocument),
            (d, _, scratch) =>
            {
                found[d] = Query(d, scratch, options);
                return scratch;
            },
            _ => { });

        var total = 0;
        foreach (var pairs in found)
        {
            total += pairs.Length;
        }

        var all = new long[total];
        var at = 0;
        foreach (var pairs in found)
        {
            pairs.CopyTo(all, at);
            at += pairs.Length;
        }

        return all;
    }

    /// <summary>A pair of document indexes as one sortable number, smaller index in the high half.</summary>
    public static long PairKey(int a, int b) => a < b ? ((long)a << 32) | (uint)b : ((long)b << 32) | (uint)a;

    public static (int A, int B) FromKey(long key) => ((int)(key >> 32), (int)(key & 0xFFFF_FFFF));

    /// <summary>
    /// Hashes pair keys with both halves mixed. A long's own hash XORs its halves, so the pairs among n documents fall into
    /// about n buckets: 3,000 near-identical articles (4.5 million pairs) took minutes to put in a dictionary.
    /// </summary>
    public static IEqualityComparer<long> PairKeyComparer { get; } = new MixedPairKeys();

    private sealed class MixedPairKeys : IEqualityComparer<long>
    {
        public bool Equals(long x, long y) => x == y;

        public int GetHashCode(long obj) => (int)Text.TokenHasher.Mix((ulong)obj);
    }

    private long[] Query(int d, QueryScratch scratch, StoryAnalyzerOptions options)
    {
        if (norms[d] == 0)
        {
            return [];
        }

        // Scores are summed term by term into one slot per document (read through references: the loop runs over every
        // posting the budget allows), and the documents touched are listed in the order first touched.
        var scores = scratch.Scores;
        var touched = scratch.Touched;
        var touchedCount = 0;
        ref var score0 = ref MemoryMarshal.GetArrayDataReference(scores);
        ref var document0 = ref MemoryMarshal.GetArrayDataReference(postingDocuments);
        ref var weight0 = ref MemoryMarshal.GetArrayDataReference(postingWeights);
        var budget = options.PostingsBudget;
        var terms = chosenTerms[d];
        var weights = chosenWeights[d];
        for (var k = 0; k < terms.Length && budget > 0; k++)
        {
            var weight = weights[k];
            var start = offsets[terms[k]];
            var end = offsets[terms[k] + 1];
            for (var p = start; p < end; p++)
            {
                var other = Unsafe.Add(ref document0, p);
                if (other == d)
                {
                    continue;
                }

                ref var score = ref Unsafe.Add(ref score0, other);
                if (score == 0)
                {
                    touched[touchedCount++] = other;
                }

                score += weight * Unsafe.Add(ref weight0, p);
            }

            budget -= end - start;
        }

        var best = scratch.Best;
        best.Clear();
        foreach (var other in touched.AsSpan(0, touchedCount))
        {
            var cosine = scores[other] / (norms[d] * norms[other]);
            scores[other] = 0;
            if (cosine >= options.MinCandidateScore)
            {
                best.Offer(new ScoredDocument(cosine, other));
            }
        }

        var result = new long[best.Count];
        for (var k = 0; k < result.Length; k++)
        {
            result[k] = PairKey(d, best[k].Document);
        }

        return result;
    }

    private sealed class QueryScratch(int documents, int candidates)
    {
        public float[] Scores { get; } = new float[documents];

        /// <summary>The documents scored by one query (each at most once, as its slot turns from 0).</summary>
        public int[] Touched { get; } = new int[documents];

        public Best<ScoredDocument> Best { get; } = new(candidates);
    }

    /// <summary>A candidate document: higher scores first, ties to the smaller index.</summary>
    private readonly record struct ScoredDocument(float Score, int Document) : IComparable<ScoredDocument>
    {
        public int CompareTo(ScoredDocument other) => Score != other.Score ? Score.CompareTo(other.Score) : other.Document.CompareTo(Document);
    }

    /// <summary>A term to index: rarer-than-cap terms before common ones, then by weight, then by hash.</summary>
    private readonly record struct IndexTerm(uint Term, float Weight, bool Common) : IComparable<IndexTerm>
    {
        public int CompareTo(IndexTerm other) =>
            Common != other.Common ? other.Common.CompareTo(Common) : Weight != other.Weight ? Weight.CompareTo(other.Weight) : other.Term.CompareTo(Term);
    }
}
