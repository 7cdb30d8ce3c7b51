using System.Collections.Concurrent;
using Stemma.Sketch;
using Stemma.Stories;

namespace Stemma.Index;

/// <summary>When two sketched documents count as near duplicates.</summary>
public sealed record NearDuplicateOptions
{
    /// <summary>Pairs with at least this exact shingle Jaccard are near duplicates.</summary>
    public double JaccardThreshold { get; init; } = 0.5;

    /// <summary>Pairs where this share of the smaller document's shingles is in the larger one are near duplicates (excerpts).</summary>
    public double ContainmentThreshold { get; init; } = 0.7;

    /// <summary>Containment alone needs at least this many shared shingles, so a two-line text is not "contained" by chance.</summary>
    public int MinSharedShingles { get; init; } = 12;

    /// <summary>
    /// The Jaccard threshold the LSH banding is tuned for. Lower than <see cref="JaccardThreshold"/> so that excerpts
    /// (high containment, Jaccard near the share kept) still become candidates.
    /// </summary>
    public double LshThreshold { get; init; } = 0.3;

    /// <summary>
    /// At most this many near-duplicate partners are kept for each document among the documents before it: its most
    /// similar ones, plus any other that joins it to a group it is not yet joined to, so every group stays whole. A wire
    /// story reposted by thousands of sites would otherwise make millions of pairs (n²/2), each aligned by the relate stage.
    /// 0 keeps every pair.
    /// </summary>
    public int MaxPartners { get; init; } = 32;

    /// <summary>
    /// A document with more LSH candidates than this (one of a cluster of hundreds of near copies) does not verify each:
    /// it verifies its candidates with the most MinHash signature agreement until <see cref="MaxPartners"/> of them pass,
    /// and of the rest only those in a group it is not yet joined to, so groups stay those of every verified pair while the
    /// exact comparisons per document stay bounded. 10,000 near copies of one line made 50 million exact comparisons.
    /// </summary>
    public int RankByEstimateAbove { get; init; } = 256;

    public static NearDuplicateOptions Default { get; } = new();

    public bool Accepts(double jaccard, double containment, int shared) =>
        jaccard >= JaccardThreshold || (containment >= ContainmentThreshold && shared >= MinSharedShingles);
}

/// <summary>
/// Finds the near-duplicate pairs of a batch: exact duplicates by content hash first (each paired with the text's first
/// occurrence), then MinHash LSH candidates among the distinct texts, each verified with exact Jaccard and containment on
/// the shingle sets, at most <see cref="NearDuplicateOptions.MaxPartners"/> per document beyond those that join groups.
/// </summary>
public static class NearDuplicateFinder
{
    public static IReadOnlyList<CandidatePair> FindPairs(IReadOnlyList<DocumentSketch> sketches, NearDuplicateOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sketches);
        options ??= NearDuplicateOptions.Default;
        var pairs = new List<CandidatePair>();
        if (sketches.Count == 0)
        {
            return pairs;
        }

        // Exact duplicates join their first occurrence and are not indexed again.
        var firstWithHash = new Dictionary<ulong, int>();
        var representatives = new List<int>();
        for (var i = 0; i < sketches.Count; i++)
        {
            var sketch = sketches[i];
            if (sketch.IsEmpty)
            {
                continue;
            }

            if (firstWithHash.TryGetValue(sketch.ContentHash, out var first))
            {
                pairs.Add(new CandidatePair(first, i, 1, 1));
            }
            else
            {
                firstWithHash.Add(sketch.ContentHash, i);
                representatives.Add(i);
            }
        }

        var parameters = LshParameters.Optimal(options.LshThreshold, sketches[representatives.Count > 0 ? representatives[0] : 0].Signature.Length);
        var earlier = EarlierInBands(sketches, representatives, parameters, cancellationToken);
        var bands = parameters.Bands;
        var seen = new int[representatives.Count];
        var groups = new UnionFind(sketches.Count);
        foreach (var pair in pairs)
        {
            groups.Union(pair.A, pair.B);
        }

        // Probes go in blocks: each block's candidates are verified in parallel, then kept or dropped in input order, so
        // the result does not depend on the threads and memory holds one block's pairs, not a whole cluster's.
        var block = new List<(int Probe, int First, int Count)>();
        var candidates = new List<int>();
        var found = new List<int>();
        for (var r = 0; r < representatives.Count; r++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var document = representatives[r];

            SharingABand(earlier, bands, r, seen, found);

            if (found.Count > 0)
            {
                block.Add((document, candidates.Count, found.Count));
                foreach (var item in found)
                {
                    candidates.Add(representatives[item]);
                }
            }

            if (candidates.Count >= VerifyBlock || (r == representatives.Count - 1 && block.Count > 0))
            {
                VerifyAndKeep(sketches, options, block, candidates, groups, pairs, cancellationToken);
                block.Clear();
                candidates.Clear();
            }
        }

        pairs.Sort(static (x, y) => x.A != y.A ? x.A.CompareTo(y.A) : x.B.CompareTo(y.B));
        return pairs;
    }

    /// <summary>
    /// For each band and representative, the nearest representative before it with the same band key (-1: none), at
    /// [band * representatives + representative]: the chains an LSH index built one document at a time would hold. Built
    /// band by band on all cores, each band's keys and table alone in the cache, instead of every band's table touched
    /// per document.
    /// </summary>
    internal static int[] EarlierInBands(IReadOnlyList<DocumentSketch> sketches, IReadOnlyList<int> representatives, LshParameters parameters, CancellationToken cancellationToken)
    {
        var (bands, count) = (parameters.Bands, representatives.Count);
        if (count == 0)
        {
            return [];
        }

        var keys = new ulong[(long)count * bands];
        var parallel = new ParallelOptions { CancellationToken = cancellationToken };
        Parallel.ForEach(Partitioner.Create(0, count), parallel, range =>
        {
            Span<ulong> ofDocument = stackalloc ulong[bands];
            for (var r = range.Item1; r < range.Item2; r++)
            {
                LshIndex.BandKeys(sketches[representatives[r]].Signature, parameters, ofDocument);
                for (var band = 0; band < bands; band++)
                {
                    keys[(band * count) + r] = ofDocument[band];
                }
            }
        });

        var earlier = new int[(long)count * bands];
        Parallel.For(
            0,
            bands,
            parallel,
            () => new HashTable(),
            (band, _, newest) =>
            {
                // Newest holder of each key, plus one (0: none yet).
                newest.Clear(count);
                var keysOfBand = keys.AsSpan(band * count, count);
                var earlierInBand = earlier.AsSpan(band * count, count);
                for (var r = 0; r < count; r++)
                {
                    ref var holder = ref newest.GetValueRefOrAdd(keysOfBand[r]);
                    earlierInBand[r] = holder - 1;
                    holder = r + 1;
                }

                return newest;
            },
            _ => { });
        return earlier;
    }

    /// <summary>
    /// Sets <paramref name="found"/> to the representatives before <paramref name="r"/> that share a band with it
    /// (<see cref="EarlierInBands"/>), each once: band by band, the newest first, the order of <see cref="LshIndex.Query"/>.
    /// <paramref name="seen"/> marks those found, one stamp per representative, so it is never cleared.
    /// </summary>
    internal static void SharingABand(int[] earlier, int bands, int r, int[] seen, List<int> found)
    {
        var count = earlier.Length / bands;
        found.Clear();
        for (var band = 0; band < bands; band++)
        {
            var chain = earlier.AsSpan(band * count, count);
            for (var other = chain[r]; other >= 0; other = chain[other])
            {
                if (seen[other] != r + 1)
                {
                    seen[other] = r + 1;
                    found.Add(other);
                }
            }
        }
    }

    /// <summary>Higher Jaccard, then higher containment; among equals the earlier partner, so that copies of one text all meet its first occurrences.</summary>
    private static bool MoreSimilar(CandidatePair x, CandidatePair y) =>
        x.Jaccard != y.Jaccard ? x.Jaccard > y.Jaccard : x.Containment != y.Containment ? x.Containment > y.Containment : x.A < y.A;

    /// <summary>Candidate pairs verified together; bounds the memory of one block of probes.</summary>
    private const int VerifyBlock = 1 << 16;

    /// <summary>
    /// Verifies each probe's candidates (documents before it) and keeps, in probe order, its
    /// <see cref="NearDuplicateOptions.MaxPartners"/> most similar partners, and any other partner that joins it to a group it
    /// is not yet joined to: the groups are those of every verified pair, the pairs are at most about n times the bound.
    /// </summary>
    private static void VerifyAndKeep(
        IReadOnlyList<DocumentSketch> sketches,
        NearDuplicateOptions options,
        List<(int Probe, int First, int Count)> block,
        List<int> candidates,
        UnionFind groups,
        List<CandidatePair> pairs,
        CancellationToken cancellationToken)
    {
        var verified = new CandidatePair?[candidates.Count];
        var agreement = new int[candidates.Count];
        Parallel.ForEach(
            Partitioner.Create(0, block.Count, Math.Max(1, block.Count / (4 * Environment.ProcessorCount))),
            new ParallelOptions { CancellationToken = cancellationToken },
            range =>
            {
                for (var p = range.Item1; p < range.Item2; p++)
                {
                    var (probe, first, count) = block[p];
                    var ranked = Ranked(options, count);
                    for (var c = first; c < first + count; c++)
                    {
                        if (ranked)
                        {
                            agreement[c] = SignatureMath.CountEqual(sketches[candidates[c]].Signature, sketches[probe].Signature);
                        }
                        else
                        {
                            verified[c] = Verify(sketches, options, candidates[c], probe);
                        }
                    }
                }
            });

        var passed = new List<CandidatePair>();
        foreach (var (probe, first, count) in block)
        {
            if (Ranked(options, count))
            {
                KeepRanked(sketches, options, probe, first, count, candidates, agreement, groups, pairs);
                continue;
            }

            passed.Clear();
            for (var c = first; c < first + count; c++)
            {
                if (verified[c] is { } pair)
                {
                    passed.Add(pair);
                }
            }

            Keep(passed, probe, options, groups, pairs);
        }
    }

    /// <summary>
    /// Keeps a probe's verified partners, most similar first: the first <see cref="NearDuplicateOptions.MaxPartners"/>
    /// always, any other only when it joins the probe to a group it is not yet joined to.
    /// </summary>
    private static void Keep(List<CandidatePair> passed, int probe, NearDuplicateOptions options, UnionFind groups, List<CandidatePair> pairs)
    {
        if (options.MaxPartners <= 0)
        {
            pairs.AddRange(passed);
            return;
        }

        passed.Sort(static (x, y) => MoreSimilar(x, y) ? -1 : MoreSimilar(y, x) ? 1 : 0);
        for (var k = 0; k < passed.Count; k++)
        {
            if (groups.Union(passed[k].A, probe) || k < options.MaxPartners)
            {
                pairs.Add(passed[k]);
            }
        }
    }

    /// <summary>The <paramref name="size"/> positions in [first, first + count) that come first by <paramref name="before"/>.</summary>
    private static List<int> Best(int first, int count, int size, Func<int, int, bool> before)
    {
        var best = new List<int>(size + 1);
        for (var c = first; c < first + count; c++)
        {
            if (best.Count < size || before(c, best[^1]))
            {
                var at = best.Count;
                while (at > 0 && before(c, best[at - 1]))
                {
                    at--;
                }

                best.Insert(at, c);
                if (best.Count > size)
                {
                    best.RemoveAt(best.Count - 1);
                }
            }
        }

        return best;
    }

    private static bool Ranked(NearDuplicateOptions options, int candidates) =>
        options.MaxPartners > 0 && candidates > Math.Max(options.RankByEstimateAbove, options.MaxPartners);

    private static CandidatePair? Verify(IReadOnlyList<DocumentSketch> sketches, NearDuplicateOptions options, int earlier, int probe)
    {
        var (jaccard, containment, shared) = sketches[earlier].Shingles.Compare(sketches[probe].Shingles);
        return options.Accepts(jaccard, containment, shared) ? new CandidatePair(earlier, probe, jaccard, containment) : null;
    }

    /// <summary>
    /// A probe with very many candidates: those with the most signature agreement (twice the bound) and the earliest (the
    /// bound) are verified and kept as the exact path keeps its partners; of the others, only a candidate in a group the
    /// probe is not yet joined to is verified, and kept when it passes.
    /// </summary>
    private static void KeepRanked(
        IReadOnlyList<DocumentSketch> sketches,
        NearDuplicateOptions options,
        int probe,
        int first,
        int count,
        List<int> candidates,
        int[] agreement,
        UnionFind groups,
        List<CandidatePair> pairs)
    {
        // The candidates most likely to pass (most signature agreement) and the earliest ones (the tie-break of the exact
        // path, so that copies of one text still meet its first occurrences), verified and ranked as the exact path ranks.
        var chosen = new HashSet<int>();
        foreach (var c in Best(first, count, 2 * options.MaxPartners, (x, y) => agreement[x] != agreement[y] ? agreement[x] > agreement[y] : candidates[x] < candidates[y]))
        {
            chosen.Add(c);
        }

        foreach (var c in Best(first, count, options.MaxPartners, (x, y) => candidates[x] < candidates[y]))
        {
            chosen.Add(c);
        }

        var passed = new List<CandidatePair>(chosen.Count);
        foreach (var c in chosen)
        {
            if (Verify(sketches, options, candidates[c], probe) is { } pair)
            {
                passed.Add(pair);
            }

            agreement[c] = -1;
        }

        Keep(passed, probe, options, groups, pairs);
        for (var c = first; c < first + count; c++)
        {
            if (agreement[c] >= 0 && groups.Find(candidates[c]) != groups.Find(probe) && Verify(sketches, options, candidates[c], probe) is { } pair)
            {
                groups.Union(pair.A, probe);
                pairs.Add(pair);
            }
        }
    }
}
