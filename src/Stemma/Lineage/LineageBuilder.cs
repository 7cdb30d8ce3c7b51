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

    // Made once, not per edge cost (a closure over the child each time).
    private Func<int, uint, double>? termIdf;

    /// <param name="AlignedPairs">Member pairs the lineage aligned itself (not found by the earlier stages).</param>
    /// <param name="Edges">Each member's edge from its parent (null for a root), with its evidence and confidence.</param>
    public sealed record Result(int[] Parents, string?[] Relations, string?[] Origins, IReadOnlyList<LineageTree> Trees, int AlignedPairs, LineageEdge?[] Edges)
    {
        /// <summary>Trigram estimates of unpaired candidates (<see cref="EstimatedNovelty"/>): the work a large family's parents cost beyond its known pairs.</summary>
        public int Estimates { get; init; }

        /// <summary>Earlier members read as possible parents, over all members of dated or large families (every earlier member on the full path).</summary>
        public long CandidatesRead { get; init; }
    }

    // Unpaired earlier members estimated for a member of a bounded family that has no earlier known pair (the root among them).
    internal const int EstimatedCandidates = 16;

    private int alignedPairs;
    private int estimates;
    private long candidatesRead;

    public Result Build(string[] familyIds, string[] storyIds, CancellationToken cancellationToken)
    {
        inserted = InsertedLines.From(articles, familyIds, d => features[d].TermHashes);
        var n = articles.Count;
        termIdf = TermIdf;
        var parents = new int[n];
        Array.Fill(parents, -1);
        var relations = new string?[n];
        var origins = new string?[n];
        var edgeOf = new LineageEdge?[n];
        var trees = new ConcurrentBag<LineageTree>();
        var families = Enumerable.Range(0, n).GroupBy(i => familyIds[i], StringComparer.Ordinal).ToList();
        var partners = KnownPartners(families, familyIds);
        Parallel.ForEach(
            families,
            new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = options.MaxDegreeOfParallelism },
            family =>
            {
                var tree = BuildFamily(family.Key, storyIds[family.First()], [.. family], partners, parents, relations, origins, edgeOf);
                if (tree is not null)
                {
                    trees.Add(tree);
                }
            });

        return new Result(parents, relations, origins, [.. trees.OrderBy(t => t.Family, StringComparer.Ordinal)], alignedPairs, edgeOf) { Estimates = estimates, CandidatesRead = candidatesRead };
    }

    /// <summary>
    /// Each member of a family above <see cref="StoryAnalyzerOptions.BoundedLineageFamilySize"/> with its known pairs inside
    /// the family (one pass over the pairs); null entries for everyone else.
    /// </summary>
    private List<int>?[] KnownPartners(List<IGrouping<string, int>> families, string[] familyIds)
    {
        var partners = new List<int>?[articles.Count];
        var bounded = families.Where(f => f.Count() > options.BoundedLineageFamilySize).Select(f => f.Key).ToHashSet(StringComparer.Ordinal);
        if (bounded.Count == 0)
        {
            return partners;
        }

        foreach (var (a, b) in pairs.Keys)
        {
            // Pairs are keyed (smaller, larger), the only way round they are looked up.
            if (a < b && familyIds[a] == familyIds[b] && bounded.Contains(familyIds[a]))
            {
                (partners[a] ??= []).Add(b);
                (partners[b] ??= []).Add(a);
            }
        }

        return partners;
    }

    private LineageTree? BuildFamily(string familyId, string storyId, int[] members, List<int>?[] partnersOf, int[] parents, string?[] relations, string?[] origins, LineageEdge?[] edgeOf)
    {
        // Most families of a corpus are one article: without a credit to an outside source it has no tree, and its
        // origin is its own credit (what the full path below gives it, without its tables and look-ups).
        if (members.Length == 1)
        {
            var article = articles[members[0]];
            var credit = NormalizeSource(article.Attribution);
            if (credit is null || credit == SiteOf(article))
            {
                origins[members[0]] = credit is null ? null : article.Attribution!.Trim();
                return null;
            }
        }

        // A large family reads only its known pairs: every pair of members would cost n² look-ups and estimates.
        var bounded = members.Length > options.BoundedLineageFamilySize;
        IReadOnlyList<int> Partners(int m) => partnersOf[m] ?? [];

        var local = new Dictionary<(int, int), PairResult?>();
        // Members with the same body are one text to every comparison: each is given the alignment of the first of them
        // (their own alignments with a third member could differ by which side the aligner took first), so candidates
        // with the same text tie exactly and the stated tie-breaks, not the input order, decide between them.
        var sameText = new Dictionary<string, int>(StringComparer.Ordinal);
        var textOf = new Dictionary<int, int>();
        foreach (var m in members.Order())
        {
            textOf[m] = sameText.TryGetValue(articles[m].Body, out var first) ? first : sameText[articles[m].Body] = m;
        }

        var relabelled = new Dictionary<(int, int), PairResult?>();
        PairResult? Pair(int x, int y)
        {
            var (tx, ty) = (textOf[x], textOf[y]);
            // Two repeats of one text: the earlier stages paired each only with the text's first occurrence. A bounded
            // family, which aligns nothing itself, gives them the first occurrence's pair with one of them.
            var repeats = tx == ty && bounded && x != tx && y != tx;
            if (!repeats && (tx == ty || (tx == x && ty == y)))
            {
                return Aligned(x, y);
            }

            var key = (Math.Min(x, y), Math.Max(x, y));
            if (!relabelled.TryGetValue(key, out var result))
            {
                relabelled[key] = result = Aligned(tx, repeats ? y : ty) is { } shared
                    ? shared with { A = shared.A == tx ? x : y, B = shared.A == tx ? y : x }
                    : Aligned(x, y);
            }

            return result;
        }

        PairResult? Aligned(int x, int y)
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

        var small = members.Length <= options.FullLineageFamilySize;
        var dissents = new Dictionary<int, double>();
        double DissentOf(int m)
        {
            if (!dissents.TryGetValue(m, out var d))
            {
                dissents[m] = d = Dissent(m, members);
            }

            return d;
        }

        var root = ChooseRoot(members, credited, Novelty, IsExcerptOf, small ? DissentOf : null, bounded ? Partners : null);
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
        var treeParents = members.Any(m => articles[m].Date is null) && small
            ? CheapestTree(order, Pair)
            : null;
        if (treeParents is not null)
        {
            order = BreadthFirst(order, treeParents);
        }

        var known = bounded ? new KnownPairs(order, partnersOf, textOf) : null;

        var edges = new List<LineageEdge>();
        for (var k = 1; k < order.Length; k++)
        {
            var child = order[k];
            int parent;
            IReadOnlyList<int> candidates;
            if (treeParents is not null)
            {
                parent = treeParents[child];
                candidates = [.. members.Where(m => m != child && !IsDescendant(m, child, treeParents) && DatesAllow(m, child))];
            }
            else
            {
                candidates = known is not null ? LikeliestKnown(known, k, child, Pair) : Likeliest(order.AsSpan(0, k), child);
                parent = BestParent([.. candidates], child, Pair);
            }

            var pair = Pair(parent, child);
            parents[child] = parent;
            relations[child] = pair?.Relation ?? Relations.Copy;
            var changes = SlicedChanges.Concat(pair?.ChangesFrom(parent) ?? [], WrappingChanges(articles[parent], articles[child]));
            var (evidence, confidence, direction, basis) = Explain(parent, child, candidates, Pair, small ? DissentOf : null, IsExcerptOf);
            var edge = new LineageEdge(articles[parent].Id, articles[child].Id, relations[child]!, pair?.Similarity ?? 0, changes)
            {
                Evidence = evidence,
                Confidence = confidence,
                Direction = direction,
                ConfidenceBasis = basis,
            };
            edgeOf[child] = edge;
            edges.Add(edge);
        }

        var nodes = new List<LineageNode>();
        var rootId = articles[root].Id;
        if (outside is not null)
        {
            nodes.Add(new LineageNode(outside, true, outside, null, null));
            var outsideCredit = NormalizeSource(outside);
            var creditors = members.Count(m => NormalizeSource(articles[m].Attribution) == outsideCredit);
            edges.Insert(0, new LineageEdge(outside, rootId, LineageTree.CreditedRelation, 0, [])
            {
                Evidence = [new EdgeEvidence(EdgeEvidence.Credit, creditors == 1 ? "one member credits this source" : $"{creditors} members credit this source")],
            });
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
    private static List<Change> WrappingChanges(Article parent, Article child)
    {
        var changes = new List<Change>();
        if (parent.Annotations.Count == 0 && child.Annotations.Count == 0)
        {
            return changes;
        }

        // Each line normalized once, for the other side's set and for its own look-up.
        var (parentLines, childLines) = (WrappingLines(parent), WrappingLines(child));
        var (inParent, inChild) = (parentLines.Select(l => l.Normalized).ToHashSet(), childLines.Select(l => l.Normalized).ToHashSet());
        foreach (var (text, normalized) in childLines)
        {
            if (!inParent.Contains(normalized))
            {
                changes.Add(new Change(ChangeKind.Inserted, null, text, null, null));
            }
        }

        foreach (var (text, normalized) in parentLines)
        {
            if (!inChild.Contains(normalized))
            {
                changes.Add(new Change(ChangeKind.Dropped, text, null, null, null));
            }
        }

        return changes;
    }

    /// <summary>The lines of an article's wrapping (its annotations but site boilerplate), each with its normalized text.</summary>
    private static List<(string Text, string Normalized)> WrappingLines(Article article) =>
        [.. article.Annotations.Where(a => a.Kind != AnnotationKind.Boilerplate).Select(a => (a.Text, Text.TextNormalizer.Normalize(a.Text)))];

    /// <summary>
    /// The member others credit; else the earliest dated; else the one with least text the others lack. With
    /// <paramref name="partners"/> (a bounded family) only each member's known pairs are read: every other pair has no
    /// result there, so it adds the fixed cost of an unexplained pair to the sum.
    /// </summary>
    private int ChooseRoot(int[] members, List<string> credited, Func<int, int, double> novelty, Func<int, int, bool> isExcerptOf, Func<int, double>? dissent, Func<int, IReadOnlyList<int>>? partners)
    {
        var creditors = credited.ToHashSet(StringComparer.Ordinal);
        var creditedMembers = members.Where(m => SiteOf(articles[m]) is { } site && creditors.Contains(site)).ToArray();
        var pool = creditedMembers.Length > 0 ? creditedMembers : members;
        var dated = pool.Where(m => articles[m].Date is not null).ToArray();
        if (dated.Length > 0)
        {
            // A date alone does not put a copy above an undated member: undated members compete on their text.
            var earliest = dated.Min(m => articles[m].Date!.Value);
            pool = [.. dated.Where(m => articles[m].Date == earliest), .. pool.Where(m => articles[m].Date is null)];
        }

        if (pool.Length == 1)
        {
            return pool[0];
        }

        // A part of a longer member cannot be where the longer text came from.
        var whole = pool.Where(m => !(partners?.Invoke(m) ?? members).Any(o => o != m && isExcerptOf(m, o))).ToArray();
        if (whole.Length > 0)
        {
            pool = whole;
        }

        // Content evidence. A copy's changes (its insertions, swapped words, changed figures) are its own, while the
        // original's text lives on in the other copies: the original is the member with least text that no other
        // member has. Then, as a tie-break, the one the others leave least unexplained.
        return pool
            .OrderBy(m => dissent is null ? 0 : Math.Round(dissent(m), 6))
            .ThenBy(m => partners is null
                ? members.Where(o => o != m).Sum(o => Math.Min(novelty(m, o), Unpaired))
                : partners(m).Sum(o => Math.Min(novelty(m, o), Unpaired)) + (Unpaired * (members.Length - 1 - partners(m).Count)))
            // A tie-break, not evidence: a text file without a date beside dated web copies of the same words is more
            // often the source the copies were posted from than a copy of them.
            .ThenBy(m => articles[m].Date is null ? 0 : 1)
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
        Interlocked.Add(ref candidatesRead, earlier.Length);
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

    /// <summary>
    /// A bounded family's known pairs, arranged once: the order's positions, each member's partners in the order, and the
    /// members sharing a text. The earlier stages pair a text's first occurrence (the member the lineage lets stand for
    /// its text) with the other texts, and each repeat only with that first occurrence; the lineage gives every member
    /// of a text its first occurrence's pairs (see BuildFamily's Pair).
    /// </summary>
    private sealed class KnownPairs
    {
        public KnownPairs(int[] order, List<int>?[] partnersOf, Dictionary<int, int> textOf)
        {
            Order = order;
            Position = new Dictionary<int, int>(order.Length);
            for (var k = 0; k < order.Length; k++)
            {
                Position[order[k]] = k;
            }

            TextOf = textOf;
            PartnersOf = partnersOf;
            foreach (var m in order)
            {
                // In the order's order, once: candidates are read as the full path reads them, earliest first.
                partnersOf[m]?.Sort((x, y) => Position[x].CompareTo(Position[y]));
                if (!SameText.TryGetValue(textOf[m], out var group))
                {
                    SameText[textOf[m]] = group = [];
                }

                group.Add(m);
            }

            // The other texts a text's first occurrence is paired with, the one with the earliest member first.
            foreach (var (text, _) in SameText)
            {
                OtherTexts[text] = [.. Partners(text).Where(p => textOf[p] == p && p != text).OrderBy(p => Position[SameText[p][0]]).ThenBy(p => p)];
            }
        }

        public int[] Order { get; }

        public Dictionary<int, int> Position { get; }

        public Dictionary<int, int> TextOf { get; }

        private List<int>?[] PartnersOf { get; }

        /// <summary>The members of each text (keyed by its first occurrence), in the order.</summary>
        public Dictionary<int, List<int>> SameText { get; } = [];

        /// <summary>The texts each text's first occurrence is paired with (keyed by first occurrences), earliest member first.</summary>
        public Dictionary<int, int[]> OtherTexts { get; } = [];

        public IReadOnlyList<int> Partners(int member) => PartnersOf[member] ?? [];
    }

    // Of each other text a child's text is paired with, this many of its earliest members are candidates (members of one
    // text differ only by their inserted lines), of at most RelatedTexts texts.
    internal const int MembersPerText = 2;

    internal const int RelatedTexts = 16;

    /// <summary>
    /// <see cref="Likeliest"/> in a bounded family: the earlier members paired with <paramref name="child"/> (directly, or
    /// through the first occurrences of their texts: at most <see cref="MembersPerText"/> of each of
    /// <see cref="RelatedTexts"/> texts), in the order, up to the first that explains it exactly; the rest of the family
    /// is never read. A bounded family aligns no new pairs, so an unpaired member cannot beat a paired one and needs no
    /// estimate while one is paired. A child paired with nothing earlier is estimated against the root and earlier
    /// partners of its partners (at most <see cref="EstimatedCandidates"/>, its closest partners' first): the closest by
    /// trigrams, and those tied with it.
    /// </summary>
    private int[] LikeliestKnown(KnownPairs known, int k, int child, Func<int, int, PairResult?> pair)
    {
        var position = known.Position;
        var found = new HashSet<int>();
        foreach (var candidate in known.Partners(child))
        {
            if (position[candidate] >= k)
            {
                break;
            }

            found.Add(candidate);
        }

        // The earliest members of the child's own text, and of the texts its text is paired with.
        void AddEarliest(List<int> members)
        {
            for (var i = 0; i < members.Count && i < MembersPerText && position[members[i]] < k; i++)
            {
                found.Add(members[i]);
            }
        }

        AddEarliest(known.SameText[known.TextOf[child]]);
        var texts = 0;
        foreach (var text in known.OtherTexts[known.TextOf[child]])
        {
            var members = known.SameText[text];
            if (position[members[0]] >= k || ++texts > RelatedTexts)
            {
                break;
            }

            AddEarliest(members);
        }

        Interlocked.Add(ref candidatesRead, found.Count);
        var result = new List<int>(found.Count);
        foreach (var candidate in found.OrderBy(m => position[m]))
        {
            result.Add(candidate);
            if (pair(candidate, child) is { } p && Relations.IsCopyFamily(p.Relation) && EdgeCost(p, candidate, child) <= 1e-9)
            {
                break;
            }
        }

        if (result.Count > 0)
        {
            return [.. result];
        }

        var pool = new List<int> { known.Order[0] };
        var seen = new HashSet<int> { known.Order[0] };
        var closest = known.Partners(child)
            .OrderByDescending(p => pair(p, child)?.Similarity ?? 0)
            .ThenBy(p => position[p]);
        foreach (var partner in closest)
        {
            foreach (var candidate in known.Partners(partner))
            {
                if (pool.Count >= EstimatedCandidates || position[candidate] >= k)
                {
                    break;
                }

                if (seen.Add(candidate))
                {
                    pool.Add(candidate);
                }
            }

            if (pool.Count >= EstimatedCandidates)
            {
                break;
            }
        }

        Interlocked.Add(ref candidatesRead, pool.Count);
        var estimated = pool.Select(m => (Member: m, Cost: EstimatedNovelty(m, child))).ToList();
        var best = estimated.Min(e => e.Cost);
        return [.. estimated.Where(e => e.Cost <= best + 1e-9).Select(e => e.Member).OrderBy(m => position[m])];
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
        Interlocked.Increment(ref estimates);
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
                var k = text.TermIndexOf(words.HashAt(w));
                var weight = k >= 0 ? idfs[k] : TextFeatures.FunctionWordWeight;
                dissent += weight * against[w] / (support[w] + against[w]);
            }
        }

        return dissent + inserted.Total(member);
    }

    private static void VoteAgainst(Align.TokenizedText words, Align.TextRange range, int[] against)
    {
        var w = words.WordStartingAt(range.Start);
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
                // Where an undated and a dated member explain each other equally (the same text and lines), the undated
                // one is taken as the source: a stated tie-break, as for the root (a text file beside dated web copies
                // of the same words is more often their source than a copy of them).
                // Among parents that explain a child equally, the earlier in the order (the root first, then by date
                // and closeness to the root's text) is taken, as dated members' ties go to the earlier member: a
                // stated tie-break that does not hang on the order the input listed the members in.
                cost[p, c] = p != c && DatesAllow(order[p], order[c]) && pair(order[p], order[c]) is { } result
                    ? (Relations.IsCopyFamily(result.Relation) ? 0 : NotCopyPenalty) + EdgeCost(result, order[p], order[c])
                        + (articles[order[p]].Date is not null && articles[order[c]].Date is null ? UndatedFirst : 0)
                        + (p * EarlierFirst)
                    : double.PositiveInfinity;
            }
        }

        var parents = MinimumArborescence.Parents(cost, 0);
        return parents?.Select((parent, k) => (Member: order[k], Parent: parent < 0 ? -1 : order[parent])).ToDictionary(x => x.Member, x => x.Parent);
    }

    // What a pair with no result adds to a root candidate's sum (above any real cost).
    private const double Unpaired = 1e6;

    // A text-sharing relation beats any cost: a family member that only retells another is nobody's copy.
    private const double NotCopyPenalty = 1e6;

    // Below any difference the evidence makes (and below the tolerance of a stated tie in Explain).
    private const double UndatedFirst = 1e-7;

    // Per place in the order; below UndatedFirst for any family the full lineage aligns.
    private const double EarlierFirst = 1e-10;

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
        // The child's words found in the parent's inserted lines rather than its body: the child inherited the line into its text.
        var inheritedIntoBody = inserted.InheritedIntoBody(child, parent, termIdf!);
        return pair.UnexplainedOf(child) + Math.Max(0, childOnly - inheritedIntoBody) + inserted.Unexplained(child, parent)
            + (0.1 * (pair.UnexplainedOf(parent) + parentOnly + inserted.Unexplained(parent, child)));
    }

    private double TermIdf(int document, uint term)
    {
        var k = features[document].TermIndexOf(term);
        return k >= 0 ? features[document].Weighted(statistics).Idfs[k] : 0;
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

    /// <summary>Whether <paramref name="member"/> lies below <paramref name="ancestor"/> in the tree.</summary>
    private static bool IsDescendant(int member, int ancestor, Dictionary<int, int> parents)
    {
        for (var m = member; parents.TryGetValue(m, out var up) && up >= 0; m = up)
        {
            if (up == ancestor)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A dated member cannot descend from one published later; undated members may sit anywhere.</summary>
    private bool DatesAllow(int parent, int child) =>
        articles[parent].Date is not { } p || articles[child].Date is not { } c || p <= c;

    /// <summary>The cost by which candidates compete for a child: copy-family relatives first, then <see cref="EdgeCost"/>.</summary>
    private double RankCost(PairResult pair, int parent, int child) =>
        (Relations.IsCopyFamily(pair.Relation) ? 0 : NotCopyPenalty) + EdgeCost(pair, parent, child);

    /// <summary>
    /// What decided the edge <paramref name="parent"/> → <paramref name="child"/>, how sure it is, and whether anything
    /// tells its direction. The choice among <paramref name="candidates"/>: 1/k for k candidates that explain the child
    /// equally (a tie-break), else growing with the margin over the runner-up (inherited lines or figures: at least
    /// 0.9). The direction: credit line 0.97, date order 0.95, the child a part of the parent 0.85, the child adds
    /// inserted lines 0.8, the family keeps the parent's version 0.75, nothing: one half and <c>direction: unknown</c>.
    /// </summary>
    private (IReadOnlyList<EdgeEvidence> Evidence, double Confidence, string Direction, string Basis) Explain(
        int parent, int child, IReadOnlyList<int> candidates, Func<int, int, PairResult?> pair, Func<int, double>? dissent, Func<int, int, bool> isExcerptOf)
    {
        var evidence = new List<EdgeEvidence>();
        var (p, c) = (articles[parent], articles[child]);
        var direction = LineageTree.DirectionKnown;
        double directionConfidence;
        string directionKind;
        var parentSite = SiteOf(p);
        var credits = parentSite is not null && NormalizeSource(c.Attribution) == parentSite;
        if (credits)
        {
            evidence.Add(new EdgeEvidence(EdgeEvidence.Credit, $"the child credits {parentSite}"));
            directionConfidence = 0.97;
            directionKind = LineageConfidence.ByCredit;
        }
        else if (p.Date is { } parentDate && c.Date is { } childDate && parentDate < childDate)
        {
            evidence.Add(new EdgeEvidence(EdgeEvidence.DateOrder, $"published {Span(childDate - parentDate)} after the parent"));
            directionConfidence = 0.95;
            directionKind = LineageConfidence.ByDate;
        }
        else if (isExcerptOf(child, parent))
        {
            evidence.Add(new EdgeEvidence(EdgeEvidence.Excerpt, $"the child is a part of the parent ({features[child].Words.Count} of {features[parent].Words.Count} words)"));
            directionConfidence = 0.85;
            directionKind = LineageConfidence.ByExcerpt;
        }
        else if (inserted.CountUnexplained(child, parent) is > 0 and var added && inserted.CountUnexplained(parent, child) == 0)
        {
            evidence.Add(new EdgeEvidence(EdgeEvidence.Text, added == 1 ? "the child adds an inserted line the parent lacks" : $"the child adds {added} inserted lines the parent lacks"));
            directionConfidence = 0.8;
            directionKind = LineageConfidence.ByAddedLines;
        }
        else if (dissent is not null && dissent(child) > dissent(parent) + 1e-6)
        {
            evidence.Add(new EdgeEvidence(EdgeEvidence.FamilyMajority, "where the two differ, the rest of the family keeps the parent's text"));
            directionConfidence = 0.75;
            directionKind = LineageConfidence.ByFamilyMajority;
        }
        else
        {
            direction = LineageTree.DirectionUnknown;
            directionConfidence = 0.5;
            directionKind = LineageConfidence.ByNothing;
            var same = features[parent].Words.Hashes.AsSpan().SequenceEqual(features[child].Words.Hashes);
            evidence.Add(new EdgeEvidence(EdgeEvidence.TieBreak, same
                ? "direction unknown: the same text, and no date, credit or inserted line tells which came first"
                : "direction unknown: no date or credit, and neither text shows the other's changes as its own"));
        }

        // The choice among the candidates.
        double choice = 1;
        var choiceKind = LineageConfidence.Only;
        if (pair(parent, child) is { } chosen)
        {
            var own = RankCost(chosen, parent, child);
            // The other candidates by cost; a credit to the parent's site settles a tie with members of other sites.
            var others = new List<(int Member, double Cost)>();
            var tied = new List<int>();
            for (var k = 0; k < candidates.Count; k++)
            {
                if (candidates[k] is var member && member != parent && pair(member, child) is { } other)
                {
                    var cost = RankCost(other, member, child);
                    var ties = Math.Abs(cost - own) <= 1e-6 * Math.Max(1, own);
                    var otherSite = credits && SiteOf(articles[member]) != parentSite;
                    if (ties && !otherSite)
                    {
                        tied.Add(member);
                    }

                    if (!(otherSite && ties))
                    {
                        others.Add((member, cost));
                    }
                }
            }

            if (tied.Count > 0)
            {
                choice = 1.0 / (tied.Count + 1);
                choiceKind = LineageConfidence.Tie;
                var names = string.Join(", ", tied.Take(3).Select(t => articles[t].Id)) + (tied.Count > 3 ? ", ..." : string.Empty);
                evidence.Add(new EdgeEvidence(EdgeEvidence.TieBreak, $"parent is a tie-break: {names} explain{(tied.Count == 1 ? "s" : string.Empty)} the child equally well; the earliest or first listed is taken"));
            }
            else if (others.Count > 0)
            {
                var runner = others.MinBy(o => o.Cost);
                var margin = runner.Cost - own;
                choice = margin <= 0 ? 0.5 : 1 - (0.5 * Math.Exp(-margin / 2));
                choiceKind = runner.Cost >= NotCopyPenalty ? LineageConfidence.Only : margin >= options.LineageConfidence.ClearMargin ? LineageConfidence.Clear : LineageConfidence.Narrow;
                var lines = inserted.SharedWithout(child, parent, runner.Member);
                var figures = InheritedFigures(child, parent, runner.Member, pair);
                if (lines > 0)
                {
                    evidence.Add(new EdgeEvidence(EdgeEvidence.InheritedLines, lines == 1 ? $"carries an inserted line of the parent's that {articles[runner.Member].Id} lacks" : $"carries {lines} inserted lines of the parent's that {articles[runner.Member].Id} lacks"));
                }

                if (figures.Count > 0)
                {
                    evidence.Add(new EdgeEvidence(EdgeEvidence.InheritedFigures, $"has the parent's {string.Join(", ", figures.Take(3).Select(f => f.After))} where {articles[runner.Member].Id} has {string.Join(", ", figures.Take(3).Select(f => f.Before))}"));
                }

                if (lines > 0 || figures.Count > 0)
                {
                    choice = Math.Max(choice, 0.9);
                    choiceKind = LineageConfidence.Inherited;
                }
                else
                {
                    evidence.Add(new EdgeEvidence(EdgeEvidence.Text, runner.Cost >= NotCopyPenalty
                        ? $"the only copy-family relative among {others.Count + 1} candidates"
                        : $"explains the child's words best: {own:0.#} left unexplained, {runner.Cost:0.#} by {articles[runner.Member].Id}"));
                }
            }
        }
        else
        {
            // A large family aligns no pair the earlier stages did not find: nothing earlier was found to pair with the
            // child, and the parent is only the closest by shared trigrams.
            choice = 0.5;
            choiceKind = LineageConfidence.Estimated;
            evidence.Add(new EdgeEvidence(EdgeEvidence.Unaligned, "not aligned: no earlier member was found to pair with the child; the parent is the earlier member whose trigrams leave least of it unexplained, an estimate"));
        }

        // Calibrated: the fraction of such edges found right on generated ground truth, where the fit saw them.
        var confidence = options.LineageConfidence.Of(directionKind, choiceKind, choice * directionConfidence);
        return (evidence, Math.Round(confidence, 3), direction, LineageConfidence.Cell(directionKind, choiceKind));
    }

    /// <summary>Figures <paramref name="parent"/> has changed from <paramref name="other"/> that <paramref name="child"/> repeats (and lacks the other's version).</summary>
    private List<(string Before, string After)> InheritedFigures(int child, int parent, int other, Func<int, int, PairResult?> pair)
    {
        var found = new List<(string, string)>();
        if (pair(other, parent) is not { } between || !Relations.IsCopyFamily(between.Relation))
        {
            return found;
        }

        var body = articles[child].Body;
        var changes = between.ChangesFrom(other);
        for (var i = 0; i < changes.Count; i++)
        {
            if (SlicedChanges.KindAt(changes, i) == ChangeKind.Figure
                && changes[i] is { Kind: ChangeKind.Figure, Before: { } before, After: { } after }
                && body.Contains(after, StringComparison.Ordinal) && !body.Contains(before, StringComparison.Ordinal))
            {
                found.Add((before, after));
            }
        }

        return found;
    }

    private static string Span(TimeSpan span) =>
        span.TotalDays >= 2 ? $"{span.TotalDays:0} days"
        : span.TotalHours >= 1 ? $"{span.TotalHours:0} h"
        : $"{Math.Max(1, span.TotalMinutes):0} min";

    internal static string? SiteOf(Article article) => NormalizeSource(article.Site) ?? SiteNames.FromUrl(article.Url);

    /// <summary>"https://www.CNN.com/x" and "cnn.com" both become "cnn.com"; a plain outlet name is lower-cased.</summary>
    internal static string? NormalizeSource(string? source) =>
        string.IsNullOrWhiteSpace(source) ? null : SiteNames.FromUrl(source) ?? source.Trim().ToLowerInvariant();
}
