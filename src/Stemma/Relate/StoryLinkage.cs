using Stemma.Stories;

namespace Stemma.Relate;

/// <summary>
/// Joins copy families into stories by average linkage rather than single links: two groups join through a rewrite or
/// same-event pair only when their families' texts are, on average over all cross pairs, at least
/// <see cref="StoryAnalyzerOptions.MinStoryCohesion"/> alike (weighted term cosine of each family's longest member).
/// One link between an indictment report and a golf-outing report no longer chains two events into one story, and a
/// report joins the story whose core it matches. Links are taken strongest first.
/// </summary>
internal static class StoryLinkage
{
    /// <param name="families">The copy families (each family is one unit: its copies do not outvote the rest).</param>
    /// <param name="links">Same-story pairs (already inside the date window).</param>
    /// <returns>The stories, and each story's cohesion (mean cosine between its families; 1 for a single family), keyed by its union-find root.</returns>
    public static (UnionFind Stories, Dictionary<int, double> Cohesion) Group(
        int n, UnionFind families, IEnumerable<PairResult> links, TextFeatures[] features, TermStatistics statistics, double minCohesion)
    {
        // Each family's longest member stands for it.
        var representative = new Dictionary<int, int>();
        for (var i = 0; i < n; i++)
        {
            var f = families.Find(i);
            if (!representative.TryGetValue(f, out var current) || features[i].Words.Count > features[current].Words.Count)
            {
                representative[f] = i;
            }
        }

        var stories = new UnionFind(n);
        for (var i = 0; i < n; i++)
        {
            stories.Union(i, families.Find(i));
        }

        // Per story root: the sum of its families' unit term vectors and their count.
        var sums = new Dictionary<int, (Dictionary<uint, double> Sum, int Count)>();
        (Dictionary<uint, double> Sum, int Count) StateOf(int storyRoot)
        {
            if (!sums.TryGetValue(storyRoot, out var state))
            {
                state = (UnitVector(features[representative[families.Find(storyRoot)]], statistics), 1);
                sums[storyRoot] = state;
            }

            return state;
        }

        foreach (var link in links.OrderByDescending(l => l.Similarity).ThenBy(l => l.A).ThenBy(l => l.B))
        {
            var (x, y) = (stories.Find(link.A), stories.Find(link.B));
            if (x == y)
            {
                continue;
            }

            var (sx, sy) = (StateOf(x), StateOf(y));
            if (Dot(sx.Sum, sy.Sum) / (sx.Count * (double)sy.Count) < minCohesion)
            {
                continue;
            }

            stories.Union(x, y);
            var (big, small) = sx.Sum.Count >= sy.Sum.Count ? (sx.Sum, sy.Sum) : (sy.Sum, sx.Sum);
            foreach (var (term, weight) in small)
            {
                big[term] = big.GetValueOrDefault(term) + weight;
            }

            sums.Remove(x);
            sums.Remove(y);
            sums[stories.Find(x)] = (big, sx.Count + sy.Count);
        }

        var cohesion = new Dictionary<int, double>();
        foreach (var (root, (sum, count)) in sums)
        {
            if (count > 1)
            {
                // Mean cosine over pairs of distinct families: (|Σv|² − count) / (count·(count − 1)).
                cohesion[stories.Find(root)] = Math.Clamp((Dot(sum, sum) - count) / (count * (count - 1.0)), 0, 1);
            }
        }

        return (stories, cohesion);
    }

    /// <summary>The document's TF-IDF vector over its length, as <see cref="PairComparer.Cosine"/> weighs it.</summary>
    private static Dictionary<uint, double> UnitVector(TextFeatures features, TermStatistics statistics)
    {
        var weighted = features.Weighted(statistics);
        var vector = new Dictionary<uint, double>(features.TermHashes.Length);
        if (weighted.Norm == 0)
        {
            return vector;
        }

        for (var k = 0; k < features.TermHashes.Length; k++)
        {
            vector[features.TermHashes[k]] = features.WeightAt(k, weighted.Idfs[k]) / weighted.Norm;
        }

        return vector;
    }

    private static double Dot(Dictionary<uint, double> a, Dictionary<uint, double> b)
    {
        var (small, big) = a.Count <= b.Count ? (a, b) : (b, a);
        double dot = 0;
        foreach (var (term, weight) in small)
        {
            if (big.TryGetValue(term, out var other))
            {
                dot += weight * other;
            }
        }

        return dot;
    }
}
