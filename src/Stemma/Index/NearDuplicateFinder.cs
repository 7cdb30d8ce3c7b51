using System.Collections.Concurrent;
using Stemma.Sketch;

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

    public static NearDuplicateOptions Default { get; } = new();

    public bool Accepts(double jaccard, double containment, int shared) =>
        jaccard >= JaccardThreshold || (containment >= ContainmentThreshold && shared >= MinSharedShingles);
}

/// <summary>
/// Finds all near-duplicate pairs of a batch: exact duplicates by content hash first, then MinHash LSH candidates
/// among the distinct texts, each verified with exact Jaccard and containment on the shingle sets.
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
        var index = new LshIndex(parameters);
        var candidates = new List<(int A, int B)>();
        var found = new List<int>();
        var keys = new ulong[parameters.Bands];
        foreach (var document in representatives)
        {
            cancellationToken.ThrowIfCancellationRequested();
            LshIndex.BandKeys(sketches[document].Signature, parameters, keys);
            found.Clear();
            index.Query(keys, found);
            foreach (var item in found)
            {
                candidates.Add((representatives[item], document));
            }

            index.Add(keys);
        }

        var verified = new ConcurrentBag<CandidatePair>();
        if (candidates.Count > 0)
        {
                Parallel.ForEach(
                System.Collections.Concurrent.Partitioner.Create(0, candidates.Count, 4096),
                new ParallelOptions { CancellationToken = cancellationToken },
                range =>
                {
                    for (var c = range.Item1; c < range.Item2; c++)
                    {
                        var (a, b) = candidates[c];
                        var (jaccard, containment, shared) = sketches[a].Shingles.Compare(sketches[b].Shingles);
                        if (options.Accepts(jaccard, containment, shared))
                        {
                            verified.Add(new CandidatePair(a, b, jaccard, containment));
                        }
                    }
                });
        }

        pairs.AddRange(verified);
        pairs.Sort(static (x, y) => x.A != y.A ? x.A.CompareTo(y.A) : x.B.CompareTo(y.B));
        return pairs;
    }
}
