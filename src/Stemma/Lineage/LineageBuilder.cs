using System.Collections.Concurrent;
using Stemma.Relate;

namespace Stemma.Lineage;

/// <summary>
/// Builds the copy tree of every family. The original is the member others credit, else the earliest, else the one
/// with the least text of its own. Each other member descends from the earlier member that best explains its words:
/// least of its own left over (words weighted by IDF, so boilerplate many documents share counts little), so a copy that repeats another copy's changed figure or inserted line descends
/// from that copy, and ties go to the earlier member (the original first).
/// </summary>
internal sealed class LineageBuilder(
    IReadOnlyList<Article> articles,
    TextFeatures[] features,
    TermStatistics statistics,
    IReadOnlyDictionary<(int, int), PairResult> pairs,
    StoryAnalyzerOptions options,
    Func<int, Sketch.ShingleSet> trigrams)
{
    // A child is aligned with its likeliest parent (by shared trigrams) besides the members it is already paired with.
    private const int ParentsAligned = 1;

    public sealed record Result(int[] Parents, string?[] Relations, string?[] Origins, IReadOnlyList<LineageTree> Trees);

    public Result Build(string[] familyIds, string[] storyIds, CancellationToken cancellationToken)
    {
        var n = articles.Count;
        var parents = new int[n];
        Array.Fill(parents, -1);
        var relations = new string?[n];
        var origins = new string?[n];
        var trees = new ConcurrentBag<LineageTree>();
        var families = Enumerable.Range(0, n).GroupBy(i => familyIds[i], StringComparer.Ordinal).ToList();
        Parallel.ForEach(
            families,
            new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = options.MaxDegreeOfParallelism },
            family =>
            {
                var tree = BuildFamily(family.Key, storyIds[family.First()], [.. family], parents, relations, origins);
                if (tree is not null)
                {
                    trees.Add(tree);
                }
            });

        return new Result(parents, relations, origins, [.. trees.OrderBy(t => t.Family, StringComparer.Ordinal)]);
    }

    private LineageTree? BuildFamily(string familyId, string storyId, int[] members, int[] parents, string?[] relations, string?[] origins)
    {
        var local = new Dictionary<(int, int), PairResult?>();
        PairResult? Pair(int x, int y)
        {
            var key = (Math.Min(x, y), Math.Max(x, y));
            if (pairs.TryGetValue(key, out var known))
            {
                return known;
            }

            if (members.Length > options.FullLineageFamilySize)
            {
                return null;
            }

            if (!local.TryGetValue(key, out var computed))
            {
                var comparison = PairComparer.Compare(features[key.Item1], features[key.Item2], statistics, allChanges: false);
                local[key] = computed = PairResult.From(key.Item1, key.Item2, features[key.Item1], features[key.Item2], comparison, statistics, null);
            }

            return computed;
        }

        // Words of y that x does not explain (IDF-weighted).
        double Novelty(int x, int y) => Pair(x, y) is { } p ? p.UnexplainedOf(y) : double.MaxValue;

        var sites = members.Select(i => SiteOf(articles[i])).Where(s => s is not null).ToHashSet(StringComparer.Ordinal);
        var credited = members.Select(i => NormalizeSource(articles[i].Attribution)).Where(s => s is not null).Select(s => s!).ToList();
        // Much shorter than a copy-family relative: a part of it (an excerpt, perhaps with a line of its own).
        bool IsExcerptOf(int part, int whole) =>
            Pair(part, whole) is { } p && Relations.IsCopyFamily(p.Relation) && articles[whole].Body.Length > articles[part].Body.Length * 1.3;

        var root = ChooseRoot(members, credited, Novelty, IsExcerptOf);
        var outside = NormalizeSource(articles[root].Attribution) is { } rootCredit && !sites.Contains(rootCredit)
            ? articles[root].Attribution!.Trim()
            : credited.Where(c => !sites.Contains(c)).GroupBy(c => c, StringComparer.Ordinal).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Key).FirstOrDefault();

        foreach (var m in members)
        {
            origins[m] = string.IsNullOrWhiteSpace(articles[m].Attribution) ? outside : articles[m].Attribution!.Trim();
        }

        if (members.Length == 1 && outside is null)
        {
            return null;
        }

        var order = members.Where(m => m != root)
            .OrderBy(m => articles[m].Date ?? DateTimeOffset.MaxValue)
            .ThenBy(m => EstimatedNovelty(root, m))
            .ThenBy(m => articles[m].Id, StringComparer.Ordinal)
            .Prepend(root)
            .ToArray();
        var edges = new List<LineageEdge>();
        for (var k = 1; k < order.Length; k++)
        {
            var child = order[k];
            var parent = BestParent(Likeliest(order.AsSpan(0, k), child), child, Pair);
            var pair = Pair(parent, child);
            parents[child] = parent;
            relations[child] = pair?.Relation ?? Relations.Copy;
            edges.Add(new LineageEdge(articles[parent].Id, articles[child].Id, relations[child]!, pair?.Similarity ?? 0, pair?.ChangesFrom(parent) ?? []));
        }

        var nodes = new List<LineageNode>();
        var rootId = articles[root].Id;
        if (outside is not null)
        {
            nodes.Add(new LineageNode(outside, true, outside, null, null));
            edges.Insert(0, new LineageEdge(outside, rootId, LineageTree.CreditedRelation, 0, []));
            rootId = outside;
        }

        nodes.AddRange(order.Select(m => new LineageNode(articles[m].Id, false, articles[m].Site, articles[m].Date, articles[m].Title)));
        return new LineageTree(familyId, storyId, rootId, nodes, edges);
    }

    /// <summary>The member others credit; else the earliest dated; else the one with least text the others lack.</summary>
    private int ChooseRoot(int[] members, List<string> credited, Func<int, int, double> novelty, Func<int, int, bool> isExcerptOf)
    {
        var creditedMembers = members.Where(m => SiteOf(articles[m]) is { } site && credited.Contains(site, StringComparer.Ordinal)).ToArray();
        var pool = creditedMembers.Length > 0 ? creditedMembers : members;
        var dated = pool.Where(m => articles[m].Date is not null).ToArray();
        if (dated.Length > 0)
        {
            var earliest = dated.Min(m => articles[m].Date!.Value);
            pool = [.. dated.Where(m => articles[m].Date == earliest)];
        }

        if (pool.Length == 1)
        {
            return pool[0];
        }

        // A part of a longer member cannot be where the longer text came from.
        var whole = pool.Where(m => !members.Any(o => o != m && isExcerptOf(m, o))).ToArray();
        if (whole.Length > 0)
        {
            pool = whole;
        }

        // Content evidence: a copy adds its own insertions to its parent, so the original leaves least unexplained.
        return pool
            .OrderBy(m => members.Where(o => o != m).Sum(o => Math.Min(novelty(o, m), 1e6)))
            .ThenBy(m => articles[m].Id, StringComparer.Ordinal)
            .First();
    }

    /// <summary>
    /// The earlier members worth aligning with <paramref name="child"/>: those already paired with it, and the one that
    /// leaves least of its trigrams unexplained. Aligning every earlier member would cost a family of n members n²/2
    /// alignments; the trigram count ranks members nearly as aligned words do, and the pairs already known are free.
    /// </summary>
    private int[] Likeliest(ReadOnlySpan<int> earlier, int child)
    {
        if (earlier.Length <= 1 || AllPaired(earlier, child))
        {
            return earlier.ToArray();
        }

        var ranked = new List<(int Member, double Cost, int Order)>(earlier.Length);
        for (var k = 0; k < earlier.Length; k++)
        {
            ranked.Add((earlier[k], EstimatedNovelty(earlier[k], child), k));
        }

        ranked.Sort((x, y) => x.Cost != y.Cost ? x.Cost.CompareTo(y.Cost) : x.Order.CompareTo(y.Order));
        var chosen = ranked.Take(ParentsAligned).Select(r => r.Member).ToHashSet();
        foreach (var candidate in earlier)
        {
            if (pairs.ContainsKey((Math.Min(candidate, child), Math.Max(candidate, child))))
            {
                chosen.Add(candidate);
            }
        }

        // In the order they came (the original first), as the tie-break in BestParent expects.
        var result = new List<int>(chosen.Count);
        foreach (var candidate in earlier)
        {
            if (chosen.Contains(candidate))
            {
                result.Add(candidate);
            }
        }

        return [.. result];
    }

    private bool AllPaired(ReadOnlySpan<int> earlier, int child)
    {
        foreach (var candidate in earlier)
        {
            if (!pairs.ContainsKey((Math.Min(candidate, child), Math.Max(candidate, child))))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Trigrams of <paramref name="child"/> that <paramref name="parent"/> lacks, plus a tenth of those the child left out: the lineage cost counted in trigrams rather than aligned words.</summary>
    private double EstimatedNovelty(int parent, int child)
    {
        var (childTrigrams, parentTrigrams) = (trigrams(child), trigrams(parent));
        var shared = childTrigrams.Compare(parentTrigrams).Shared;
        return childTrigrams.Count - shared + (0.1 * (parentTrigrams.Count - shared));
    }

    private static int BestParent(ReadOnlySpan<int> earlier, int child, Func<int, int, PairResult?> pair)
    {
        var best = -1;
        var bestCost = double.MaxValue;
        var bestIsCopy = false;
        foreach (var candidate in earlier)
        {
            if (pair(candidate, child) is not { } p)
            {
                continue;
            }

            // Words of the child the candidate does not explain, then (weakly) words of the candidate the child left out.
            var cost = p.UnexplainedOf(child) + (0.1 * p.UnexplainedOf(candidate));
            var isCopy = Relations.IsCopyFamily(p.Relation);
            if ((isCopy && !bestIsCopy) || (isCopy == bestIsCopy && cost < bestCost - 1e-9))
            {
                best = candidate;
                bestCost = cost;
                bestIsCopy = isCopy;
            }
        }

        return best >= 0 ? best : earlier[0];
    }

    internal static string? SiteOf(Article article) => NormalizeSource(article.Site) ?? SiteNames.FromUrl(article.Url);

    /// <summary>"https://www.CNN.com/x" and "cnn.com" both become "cnn.com"; a plain outlet name is lower-cased.</summary>
    internal static string? NormalizeSource(string? source) =>
        string.IsNullOrWhiteSpace(source) ? null : SiteNames.FromUrl(source) ?? source.Trim().ToLowerInvariant();
}
