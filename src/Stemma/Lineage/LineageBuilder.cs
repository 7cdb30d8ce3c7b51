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
    private InsertedLines inserted = null!;


    /// <param name="AlignedPairs">Member pairs the lineage aligned itself (not found by the earlier stages).</param>
    public sealed record Result(int[] Parents, string?[] Relations, string?[] Origins, IReadOnlyList<LineageTree> Trees, int AlignedPairs);

    private int alignedPairs;

    public Result Build(string[] familyIds, string[] storyIds, CancellationToken cancellationToken)
    {
        inserted = InsertedLines.From(articles, familyIds);
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

        return new Result(parents, relations, origins, [.. trees.OrderBy(t => t.Family, StringComparer.Ordinal)], alignedPairs);
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
                var comparison = PairComparer.Compare(articles[key.Item1], features[key.Item1], articles[key.Item2], features[key.Item2], statistics, allChanges: false);
                local[key] = computed = PairResult.From(key.Item1, key.Item2, features[key.Item1], features[key.Item2], comparison, statistics, null);
                Interlocked.Increment(ref alignedPairs);
            }

            return computed;
        }

        // Words and inserted lines of y that x does not explain (IDF-weighted).
        double Novelty(int x, int y) => Pair(x, y) is { } p ? p.UnexplainedOf(y) + inserted.Unexplained(y, x) : double.MaxValue;

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

        int[] order = [.. members.Where(m => m != root)
            .OrderBy(m => articles[m].Date ?? DateTimeOffset.MaxValue)
            .ThenBy(m => EstimatedNovelty(root, m))
            .ThenBy(m => m)
            .Prepend(root)];
        // Ties (identical versions, which no content can tell apart) go to the member listed first in the input.
        // Dated members each pick the best earlier member; without dates there is no order to follow, and the tree is
        // the cheapest one explaining every member from the root.
        var treeParents = members.Any(m => articles[m].Date is null) && members.Length <= options.FullLineageFamilySize
            ? CheapestTree(order, Pair)
            : null;
        if (treeParents is not null)
        {
            order = BreadthFirst(order, treeParents);
        }

        var edges = new List<LineageEdge>();
        for (var k = 1; k < order.Length; k++)
        {
            var child = order[k];
            var parent = treeParents?[child] ?? BestParent(Likeliest(order.AsSpan(0, k), child), child, Pair);
            var pair = Pair(parent, child);
            parents[child] = parent;
            relations[child] = pair?.Relation ?? Relations.Copy;
            IReadOnlyList<Change> changes = [.. pair?.ChangesFrom(parent) ?? [], .. WrappingChanges(articles[parent], articles[child])];
            edges.Add(new LineageEdge(articles[parent].Id, articles[child].Id, relations[child]!, pair?.Similarity ?? 0, changes));
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

    /// <summary>
    /// The lines the child's wrapping adds (read-more links, captions, credits, comment footers, a repeated title) and
    /// those of the parent it left out: ingest keeps them out of the body, so the body's changes do not show them.
    /// Site boilerplate is left out; the lines have no place in the body, so the changes carry no ranges.
    /// </summary>
    private static IEnumerable<Change> WrappingChanges(Article parent, Article child)
    {
        static HashSet<string> Lines(Article article) =>
            [.. article.Annotations.Where(a => a.Kind != AnnotationKind.Boilerplate).Select(a => Text.TextNormalizer.Normalize(a.Text))];
        if (parent.Annotations.Count == 0 && child.Annotations.Count == 0)
        {
            return [];
        }

        var (inParent, inChild) = (Lines(parent), Lines(child));
        return child.Annotations.Where(a => a.Kind != AnnotationKind.Boilerplate && !inParent.Contains(Text.TextNormalizer.Normalize(a.Text)))
            .Select(a => new Change(ChangeKind.Inserted, null, a.Text, null, null))
            .Concat(parent.Annotations.Where(a => a.Kind != AnnotationKind.Boilerplate && !inChild.Contains(Text.TextNormalizer.Normalize(a.Text)))
                .Select(a => new Change(ChangeKind.Dropped, a.Text, null, null, null)));
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

        // Content evidence. A copy's changes (its insertions, swapped words, changed figures) are its own, while the
        // original's text lives on in the other copies: the original is the member with least text that no other
        // member has. Then, as a tie-break, the one the others leave least unexplained.
        var small = members.Length <= options.FullLineageFamilySize;
        return pool
            .OrderBy(m => small ? Math.Round(Dissent(m, members), 6) : 0)
            .ThenBy(m => members.Where(o => o != m).Sum(o => Math.Min(novelty(m, o), 1e6)))
            .ThenBy(m => m)
            .First();
    }

    /// <summary>
    /// The earlier members worth aligning with <paramref name="child"/>: those already paired with it, and the unpaired
    /// one that leaves least of its trigrams unexplained. Aligning every earlier member would cost a family of n members n²/2
    /// alignments; the trigram count ranks members nearly as aligned words do, and the pairs already known are free.
    /// </summary>
    private int[] Likeliest(ReadOnlySpan<int> earlier, int child)
    {
        if (earlier.Length <= 1 || AllPaired(earlier, child))
        {
            return earlier.ToArray();
        }

        // Besides the members already paired with the child: the unpaired one with the best estimate (all of those
        // tied with it, so identical versions all get their say).
        // A paired member that explains every word of the child can only be tied, and ties go to the earlier member:
        // unpaired members after it need no alignment.
        var chosen = new HashSet<int>();
        var bestEstimate = double.MaxValue;
        var estimates = new List<(int Member, double Cost)>();
        for (var k = 0; k < earlier.Length; k++)
        {
            var candidate = earlier[k];
            if (pairs.TryGetValue((Math.Min(candidate, child), Math.Max(candidate, child)), out var known))
            {
                chosen.Add(candidate);
                if (Relations.IsCopyFamily(known.Relation) && EdgeCost(known, candidate, child) <= 1e-9)
                {
                    break;
                }

                continue;
            }

            var estimate = EstimatedNovelty(candidate, child);
            estimates.Add((candidate, estimate));
            bestEstimate = Math.Min(bestEstimate, estimate);
        }

        foreach (var (candidate, estimate) in estimates)
        {
            if (estimate <= bestEstimate + 1e-9)
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

    /// <summary>
    /// How much of <paramref name="member"/>'s text the rest of the family votes against, plus all its inserted lines.
    /// Every other member votes on each word: for it when it has the word in the same place, against when it has
    /// something else there (a swapped word, a reworded sentence) or nothing between two passages they share; a member
    /// that simply does not reach that far (an excerpt) does not vote. Each copy's changes are its own and its descendants',
    /// while the original's text lives on in most copies, so the original is the member with least outvoted text. Copiers
    /// add read-more links and captions, and their copies inherit them, so even a shared inserted line marks a copy.
    /// </summary>
    private double Dissent(int member, int[] family)
    {
        var text = features[member];
        var words = text.Words;
        var support = new int[words.Count];
        var against = new int[words.Count];
        var matched = new bool[words.Count];
        foreach (var other in family)
        {
            if (other == member)
            {
                continue;
            }

            var alignment = Align.PassageAligner.Default.Align(features[other].Words, words);
            Array.Clear(matched);
            PairResult.MarkMatched(text, alignment, sideB: true, matched);
            for (var w = 0; w < matched.Length; w++)
            {
                support[w] += matched[w] ? 1 : 0;
            }

            foreach (var span in alignment.Spans)
            {
                foreach (var difference in span.Differences)
                {
                    VoteAgainst(words, difference.B, against);
                }
            }

            // Text of the member between two shared passages: the other has something else there, or nothing (the
            // member inserted it, or the other dropped it; the family's votes tell which). Before the first passage and
            // after the last the other may simply end sooner, and does not vote.
            var first = alignment.Spans.Count == 0 ? int.MaxValue : alignment.Spans.Min(x => x.B.Start);
            var last = alignment.Spans.Count == 0 ? int.MinValue : alignment.Spans.Max(x => x.B.End);
            foreach (var range in alignment.UnalignedB)
            {
                var interior = range.Start > first && range.End < last;
                if (interior || alignment.CounterpartsInA(range, features[other].Words.Text.Length).Any())
                {
                    VoteAgainst(words, range, against);
                }
            }
        }

        var idfs = text.Weighted(statistics).Idfs;
        double dissent = 0;
        for (var w = 0; w < words.Count; w++)
        {
            if (against[w] > 0)
            {
                var k = Array.BinarySearch(text.TermHashes, words.HashAt(w));
                var weight = k >= 0 ? idfs[k] : TextFeatures.FunctionWordWeight;
                dissent += weight * against[w] / (support[w] + against[w]);
            }
        }

        return dissent + inserted.Total(member);
    }

    private static void VoteAgainst(Align.TokenizedText words, Align.TextRange range, int[] against)
    {
        var w = Array.BinarySearch(words.Starts, range.Start);
        for (w = w < 0 ? ~w : w; w < words.Count && words.StartOf(w) < range.End; w++)
        {
            against[w]++;
        }
    }

    /// <summary>Each member's parent in the cheapest copy tree from <c>order[0]</c> (keys: members; the root maps to −1), or null.</summary>
    private Dictionary<int, int>? CheapestTree(int[] order, Func<int, int, PairResult?> pair)
    {
        var cost = new double[order.Length, order.Length];
        for (var p = 0; p < order.Length; p++)
        {
            for (var c = 0; c < order.Length; c++)
            {
                cost[p, c] = p != c && pair(order[p], order[c]) is { } result
                    ? (Relations.IsCopyFamily(result.Relation) ? 0 : NotCopyPenalty) + EdgeCost(result, order[p], order[c])
                    : double.PositiveInfinity;
            }
        }

        var parents = MinimumArborescence.Parents(cost, 0);
        return parents?.Select((parent, k) => (Member: order[k], Parent: parent < 0 ? -1 : order[parent])).ToDictionary(x => x.Member, x => x.Parent);
    }

    // A text-sharing relation beats any cost: a family member that only retells another is nobody's copy.
    private const double NotCopyPenalty = 1e6;

    /// <summary>The members from the root down, parents before children.</summary>
    private static int[] BreadthFirst(int[] order, Dictionary<int, int> parents)
    {
        var result = new List<int> { order[0] };
        for (var k = 0; k < result.Count; k++)
        {
            result.AddRange(order.Where(m => parents[m] == result[k]));
        }

        return [.. result];
    }

    /// <summary>
    /// What deriving <paramref name="child"/> from <paramref name="parent"/> leaves unexplained: the child's words the
    /// alignment did not match, its distinct terms the parent lacks, and its inserted lines; then (weakly) the same of
    /// the parent's that the child left out. The terms carry the shared variants when a copy was reworded or
    /// translated so far that its passages align only in pieces: it still has its parent's changed figure and the
    /// words of its parent's inserted line.
    /// </summary>
    private double EdgeCost(PairResult pair, int parent, int child)
    {
        // Both directions come from one merge, kept with the pair: a family's lineage asks for each pair more than once.
        var (onlyInA, onlyInB) = pair.TermsNotShared ??= TermsNotShared(pair.A, pair.B);
        var (childOnly, parentOnly) = child == pair.A ? (onlyInA, onlyInB) : (onlyInB, onlyInA);
        return pair.UnexplainedOf(child) + childOnly + inserted.Unexplained(child, parent)
            + (0.1 * (pair.UnexplainedOf(parent) + parentOnly + inserted.Unexplained(parent, child)));
    }

    /// <summary>The IDF of the distinct terms each of two documents has and the other lacks, in one merge.</summary>
    private (double OnlyInA, double OnlyInB) TermsNotShared(int a, int b)
    {
        var (termsA, termsB) = (features[a].TermHashes, features[b].TermHashes);
        var (idfsA, idfsB) = (features[a].Weighted(statistics).Idfs, features[b].Weighted(statistics).Idfs);
        double onlyA = 0, onlyB = 0;
        int i = 0, j = 0;
        while (i < termsA.Length && j < termsB.Length)
        {
            var (x, y) = (termsA[i], termsB[j]);
            onlyA += x < y ? idfsA[i] : 0;
            onlyB += y < x ? idfsB[j] : 0;
            i += x <= y ? 1 : 0;
            j += x >= y ? 1 : 0;
        }

        for (; i < termsA.Length; i++)
        {
            onlyA += idfsA[i];
        }

        for (; j < termsB.Length; j++)
        {
            onlyB += idfsB[j];
        }

        return (onlyA, onlyB);
    }

    private int BestParent(ReadOnlySpan<int> earlier, int child, Func<int, int, PairResult?> pair)
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

            var cost = EdgeCost(p, candidate, child);
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
