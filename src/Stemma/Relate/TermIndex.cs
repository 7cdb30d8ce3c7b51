namespace Stemma.Relate;

/// <summary>
/// "More like this" over weighted terms: each document is indexed by its few highest-weighted terms (names, figures,
/// dates and quotations boosted; very common terms only when a document has too few rarer ones), and queried with the
/// same terms. Work per document is
/// bounded by the number of query terms, a cap on postings read, and a cap on candidates returned.
/// </summary>
internal sealed class TermIndex
{
    private readonly Dictionary<ulong, List<Posting>> postings = [];
    private readonly (ulong Term, float Weight)[][] topTerms;
    private readonly float[] norms;

    private TermIndex((ulong Term, float Weight)[][] topTerms, float[] norms)
    {
        this.topTerms = topTerms;
        this.norms = norms;
    }

    private readonly record struct Posting(int Document, float Weight);

    public static TermIndex Build(IReadOnlyList<TextFeatures> documents, TermStatistics statistics, StoryAnalyzerOptions options)
    {
        var maxDf = Math.Max(options.MinDocumentFrequencyCap, (int)(documents.Count * options.MaxDocumentFrequencyShare));
        var top = new (ulong, float)[documents.Count][];
        var norms = new float[documents.Count];
        for (var d = 0; d < documents.Count; d++)
        {
            var features = documents[d];
            // Terms within the frequency cap come first; a document made only of common words still gets its rarest
            // ones (postings hold only the documents that chose a term, so such lists stay short).
            var chosen = features.Terms
                .Where(t => statistics.DocumentFrequency(t.Term) > 1)
                .Select(t => (t.Term, Weight: (float)PairComparer.Weight(features, t.Term, t.Count, statistics)))
                .OrderBy(t => statistics.DocumentFrequency(t.Term) > maxDf)
                .ThenByDescending(t => t.Weight)
                .ThenBy(t => t.Term)
                .Take(options.IndexTermsPerDocument)
                .ToArray();
            top[d] = chosen;
            norms[d] = MathF.Sqrt(chosen.Sum(t => t.Weight * t.Weight));
        }

        var index = new TermIndex(top, norms);
        for (var d = 0; d < top.Length; d++)
        {
            foreach (var (term, weight) in top[d])
            {
                if (!index.postings.TryGetValue(term, out var list))
                {
                    index.postings[term] = list = [];
                }

                list.Add(new Posting(d, weight));
            }
        }

        return index;
    }

    /// <summary>For every document, up to <see cref="StoryAnalyzerOptions.CandidatesPerDocument"/> others whose top terms overlap most (cosine over top terms).</summary>
    public List<(int A, int B)> Candidates(StoryAnalyzerOptions options, CancellationToken cancellationToken)
    {
        var n = topTerms.Length;
        var found = new List<(int, int)>[n];
        Parallel.For(
            0,
            n,
            new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = options.MaxDegreeOfParallelism },
            () => (Scores: new float[n], Touched: new List<int>()),
            (d, _, scratch) =>
            {
                found[d] = Query(d, scratch.Scores, scratch.Touched, options);
                return scratch;
            },
            _ => { });

        var pairs = new List<(int, int)>();
        for (var d = 0; d < n; d++)
        {
            pairs.AddRange(found[d]);
        }

        return pairs;
    }

    private List<(int, int)> Query(int d, float[] scores, List<int> touched, StoryAnalyzerOptions options)
    {
        var result = new List<(int, int)>();
        if (norms[d] == 0)
        {
            return result;
        }

        var budget = options.PostingsBudget;
        foreach (var (term, weight) in topTerms[d])
        {
            var list = postings[term];
            foreach (var posting in list)
            {
                if (posting.Document == d)
                {
                    continue;
                }

                if (scores[posting.Document] == 0)
                {
                    touched.Add(posting.Document);
                }

                scores[posting.Document] += weight * posting.Weight;
            }

            budget -= list.Count;
            if (budget <= 0)
            {
                break;
            }
        }

        var best = new PriorityQueue<int, float>();
        foreach (var other in touched)
        {
            var cosine = scores[other] / (norms[d] * norms[other]);
            scores[other] = 0;
            if (cosine < options.MinCandidateScore)
            {
                continue;
            }

            best.Enqueue(other, cosine);
            if (best.Count > options.CandidatesPerDocument)
            {
                best.Dequeue();
            }
        }

        touched.Clear();
        while (best.TryDequeue(out var other, out _))
        {
            result.Add(d < other ? (d, other) : (other, d));
        }

        return result;
    }
}
