using Stemma.Lineage;
using Stemma.Relate;
using Stemma.Storage;

namespace Stemma.Testing.Storage;

/// <summary>The candidate index (terms, postings) and the relation store (commits, placements, trees, pending, version, lock).</summary>
public abstract partial class StoreContractTests
{
    private static StoredDocument WithTerms(string id, ulong contentHash, params uint[] terms) => Document(id, contentHash) with { Terms = terms };

    private static LineageTree Tree(string family, string story, string root, string child) =>
        new(family, story, root, [new LineageNode(root, false, null, null, "Root"), new LineageNode(child, false, "site.example", null, null)],
            [new LineageEdge(root, child, Relations.Edited, 0.9, [new Change(ChangeKind.Figure, "38 percent", "45 percent", new Align.TextRange(3, 13), new Align.TextRange(3, 13))])]);

    private static RelateCommit Commit(IReadOnlyList<string> region, IReadOnlyList<StoredPlacement> placements, IReadOnlyList<PairScore>? pairs = null, IReadOnlyList<LineageTree>? trees = null, IReadOnlyList<(string, PostedTerm[])>? postings = null, IReadOnlyList<string>? processed = null) =>
        new(region, placements, pairs ?? [], trees ?? [], postings ?? [], processed ?? region);

    private static StoredPlacement Placed(string id, string family, string story, string? parent = null, long labeledAt = 1) =>
        new(id, family, story, parent, parent is null ? null : Relations.Copy, null, labeledAt);

    [Fact]
    public async Task Term_frequencies_follow_adds_updates_and_deletes()
    {
        await AddAsync(WithTerms("a", 1, 10, 20), WithTerms("b", 2, 20, 30));
        var counted = (await Store.GetTermFrequenciesAsync([10, 20, 30, 40])).OrderBy(f => f.Term).ToList();
        Assert.Equal([new TermFrequency(10, 1, "a"), new TermFrequency(20, 2, "a"), new TermFrequency(30, 1, "b")], counted);

        Assert.Equal(AddStatus.Updated, (await Store.AddDocumentsAsync([WithTerms("a", 3, 30)]))[0].Status);
        counted = (await Store.GetTermFrequenciesAsync([10, 20, 30])).OrderBy(f => f.Term).ToList();
        Assert.Equal([20u, 30u], counted.Select(f => f.Term));
        Assert.Equal([1, 2], counted.Select(f => f.DocumentFrequency));

        await Store.DeleteDocumentsAsync(["b"]);
        counted = (await Store.GetTermFrequenciesAsync([20, 30])).ToList();
        Assert.Equal(new TermFrequency(30, 1, null), Assert.Single(counted) with { FirstDocument = null });
    }

    [Fact]
    public async Task Added_and_updated_documents_are_pending_until_a_commit_relates_them()
    {
        await AddAsync(Document("a", 1), Document("b", 2));
        Assert.Equal(["a", "b"], await Store.GetPendingAsync(10));
        Assert.Equal(["a"], await Store.GetPendingAsync(1));

        await Store.CommitRelateAsync(Commit(["a", "b"], [Placed("a", "a", "a"), Placed("b", "a", "a", parent: "a")]));
        Assert.Empty(await Store.GetPendingAsync(10));

        await Store.AddDocumentsAsync([Document("a", 1)]);
        Assert.Empty(await Store.GetPendingAsync(10));
        await Store.AddDocumentsAsync([Document("a", 9)]);
        Assert.Equal(["a"], await Store.GetPendingAsync(10));
    }

    [Fact]
    public async Task A_commit_replaces_the_regions_pairs_placements_trees_and_postings()
    {
        await AddAsync(Document("a", 1), Document("b", 2), Document("c", 3), Document("d", 4));
        var details = new RelatedPair("a", "b", Relations.Edited, 0.9, 0.6, 0.7, 0.95, 0.8, 1, 0.01, [new Change(ChangeKind.Figure, "2", "3", null, null)]);
        await Store.CommitRelateAsync(Commit(
            ["a", "b", "c", "d"],
            [Placed("a", "a", "a"), Placed("b", "a", "a", "a"), Placed("c", "c", "a"), Placed("d", "d", "d")],
            [new PairScore("a", "b", 0.6, 0.7, Relations.Edited, 0.9, details), new PairScore("c", "a", 0, 0, Relations.Rewrite, 0.5), new PairScore("c", "d", 0, 0, Relations.SameEvent, 0.3)],
            [Tree("a", "a", "a", "b")],
            [("a", [new PostedTerm(7, 0.8f), new PostedTerm(8, 0.6f)]), ("b", [new PostedTerm(7, 0.9f)])]));

        Assert.Equal(StoredJson.Write(details), StoredJson.Write((await Store.GetPairsAsync("b")).Single().Details!));
        Assert.Equal(Placed("b", "a", "a", "a"), Assert.Single(await Store.GetPlacementsAsync(["b", "unknown"])));
        Assert.Equal(new GroupAssignment("c", "c", "a"), await Store.GetGroupAsync("c"));
        Assert.Equal(Tree("a", "a", "a", "b"), Assert.Single(await Store.GetTreesAsync("a")), new TreeComparer());
        Assert.Equal([("b", 0.9f), ("a", 0.8f)], (await Store.GetPostingsAsync([7], 10)).Select(p => (p.DocumentId, p.Weight)));
        Assert.Equal([("b", 0.9f)], (await Store.GetPostingsAsync([7], 1)).Select(p => (p.DocumentId, p.Weight)));

        // Relating a, b and c again: their pairs and the story's tree are replaced; the pair reaching d (outside) stays.
        var version = await Store.GetVersionAsync();
        var next = await Store.CommitRelateAsync(Commit(
            ["a", "b", "c"],
            [Placed("a", "a", "b2"), Placed("b", "a", "b2", "a"), Placed("c", "c", "c")],
            [new PairScore("a", "b", 0.6, 0.7, Relations.Copy, 0.95)],
            [],
            [("a", [new PostedTerm(9, 1f)])],
            []));
        Assert.True(next > version);
        Assert.Equal(next, await Store.GetVersionAsync());
        Assert.Equal([Relations.Copy], (await Store.GetPairsAsync("a")).Select(p => p.Relation));
        Assert.Equal([Relations.SameEvent], (await Store.GetPairsAsync("d")).Select(p => p.Relation));
        Assert.Empty(await Store.GetTreesAsync("a"));
        Assert.Equal(["a", "b"], await Store.GetStoryMembersAsync("b2"));
        Assert.Equal([("b", 0.9f)], (await Store.GetPostingsAsync([7], 10)).Select(p => (p.DocumentId, p.Weight)));
        Assert.Equal(["a"], (await Store.GetPostingsAsync([9], 10)).Select(p => p.DocumentId));
    }

    [Fact]
    public async Task A_recommit_of_a_region_keeps_what_is_unchanged_and_replaces_what_changed()
    {
        await AddAsync(Document("a", 1), Document("b", 2), Document("c", 3), Document("d", 4), Document("e", 5));
        var ab = new RelatedPair("a", "b", Relations.Edited, 0.9, 0.6, 0.7, 0.95, 0.8, 1, 0.01, [new Change(ChangeKind.Figure, "2", "3", null, null)]);
        var changedAb = ab with { Similarity = 0.91 };
        await Store.CommitRelateAsync(Commit(
            ["a", "b", "c", "d", "e"],
            [Placed("a", "a", "s"), Placed("b", "a", "s", "a"), Placed("c", "c", "s"), Placed("d", "d", "t"), Placed("e", "e", "u")],
            [new PairScore("a", "b", 0.6, 0.7, Relations.Edited, 0.9, ab), new PairScore("c", "a", 0, 0, Relations.Rewrite, 0.5), new PairScore("d", "c", 0, 0, Relations.SameEvent, 0.3)],
            [Tree("a", "s", "a", "b"), Tree("d", "t", "d", "x")],
            [("a", [new PostedTerm(7, 0.8f), new PostedTerm(8, 0.6f)]), ("b", [new PostedTerm(7, 0.9f)])]));

        // Again, later (labeled_at 2): b moves under c, the pair a-b gets new evidence, c-d is dropped, story t loses its
        // tree (d joins story s), and a's postings change weight; e and a-c are as they were.
        await Store.CommitRelateAsync(Commit(
            ["a", "b", "c", "d", "e"],
            [Placed("a", "a", "s", labeledAt: 2), Placed("b", "a", "s", "c", labeledAt: 2), Placed("c", "c", "s", labeledAt: 2), Placed("d", "d", "s", labeledAt: 2), Placed("e", "e", "u", labeledAt: 2)],
            [new PairScore("a", "b", 0.6, 0.7, Relations.Edited, 0.91, changedAb), new PairScore("a", "c", 0, 0, Relations.Rewrite, 0.5)],
            [Tree("a", "s", "a", "b")],
            [("a", [new PostedTerm(7, 0.5f), new PostedTerm(9, 0.4f)])],
            []));

        Assert.Equal(
            [Placed("a", "a", "s", labeledAt: 2), Placed("b", "a", "s", "c", labeledAt: 2), Placed("c", "c", "s", labeledAt: 2), Placed("d", "d", "s", labeledAt: 2), Placed("e", "e", "u", labeledAt: 2)],
            await Store.GetPlacementsAsync(["a", "b", "c", "d", "e"]));
        var pairs = (await Store.GetPairsAmongAsync(["a", "b", "c", "d", "e"])).OrderBy(p => p.A, StringComparer.Ordinal).ThenBy(p => p.B, StringComparer.Ordinal).ToList();
        Assert.Equal([("a", "b", Relations.Edited, 0.91), ("a", "c", Relations.Rewrite, 0.5)], pairs.Select(p => (p.A, p.B, p.Relation!, p.Similarity!.Value)));
        Assert.Equal(StoredJson.Write(changedAb), StoredJson.Write(pairs[0].Details!));
        Assert.Empty(await Store.GetPairsAsync("d"));
        Assert.Equal(Tree("a", "s", "a", "b"), Assert.Single(await Store.GetTreesAsync("s")), new TreeComparer());
        Assert.Empty(await Store.GetTreesAsync("t"));
        Assert.Equal([("b", 0.9f), ("a", 0.5f)], (await Store.GetPostingsAsync([7], 10)).Select(p => (p.DocumentId, p.Weight)));
        Assert.Empty(await Store.GetPostingsAsync([8], 10));
        Assert.Equal([("a", 0.4f)], (await Store.GetPostingsAsync([9], 10)).Select(p => (p.DocumentId, p.Weight)));
        Assert.Empty(await Store.GetLabeledBeforeAsync(2, 10));
    }

    [Fact]
    public async Task Postings_replaced_again_and_again_leave_one_posting_per_term_and_document()
    {
        await AddAsync(Document("a", 1), Document("b", 2));

        // Weights that need all of a float's digits, one posted twice in a list (the last weight wins).
        var weights = new[] { 0.1f, 1f / 3, 0.7071068f, 1e-7f, 0.33333334f };
        for (var round = 0; round < weights.Length; round++)
        {
            var w = weights[round];
            await Store.CommitRelateAsync(Commit(
                ["a", "b"],
                [Placed("a", "a", "a"), Placed("b", "b", "b")],
                postings: [("a", [new PostedTerm(1, 0.5f), new PostedTerm(2, w), new PostedTerm(1, w)]), ("b", [new PostedTerm(2, 1 - w)])]));
            Assert.Equal([("a", w)], (await Store.GetPostingsAsync([1], 10)).Select(p => (p.DocumentId, p.Weight)));
            Assert.Equal(new[] { ("a", w), ("b", 1 - w) }.OrderByDescending(p => p.Item2), (await Store.GetPostingsAsync([2], 10)).Select(p => (p.DocumentId, p.Weight)));
        }

        await Store.DeleteDocumentsAsync(["a"]);
        Assert.Empty(await Store.GetPostingsAsync([1], 10));
        Assert.Equal([("b", 1 - weights[^1])], (await Store.GetPostingsAsync([2], 10)).Select(p => (p.DocumentId, p.Weight)));
    }

    [Fact]
    public async Task Members_of_many_stories_come_at_once_in_the_order_asked()
    {
        // More stories than one SQLite statement takes (2,048 ids), so the answer is put together from several.
        const int many = 2100;
        string Id(int i) => "d" + i.ToString("D4", System.Globalization.CultureInfo.InvariantCulture);
        string StoryOf(int i) => i % 1000 == 0 ? "big" : "s" + Id(i);
        await AddAsync([.. Enumerable.Range(0, many).Select(i => Document(Id(i), (ulong)i + 1))]);
        var placements = Enumerable.Range(0, many).Select(i => Placed(Id(i), Id(i), StoryOf(i))).ToList();
        await Store.CommitRelateAsync(Commit([.. placements.Select(p => p.DocumentId)], placements));

        // Backwards, with an unknown story and one story asked twice.
        var alone = Enumerable.Range(0, many).Where(i => i % 1000 != 0).Reverse().ToList();
        string[] asked = ["big", "unknown", .. alone.Select(StoryOf), "big"];
        var members = await Store.GetStoryMembersAsync(asked);

        Assert.Equal(asked.Length, members.Count);
        Assert.Equal(["d0000", "d1000", "d2000"], members[0]);
        Assert.Empty(members[1]);
        for (var k = 0; k < alone.Count; k++)
        {
            Assert.Equal([Id(alone[k])], members[k + 2]);
        }

        Assert.Equal(["d0000", "d1000", "d2000"], members[^1]);
        Assert.Empty(await Store.GetStoryMembersAsync(Array.Empty<string>()));
    }

    [Fact]
    public async Task A_story_is_titled_after_its_stored_lineage_root_not_a_copy_dated_earlier()
    {
        // Story "night": the original, a doctored copy dated a day earlier (its parent is still the original, as the
        // lineage decided), and a report of the same event in a family of its own, dated earliest of all.
        // Story "wall": a wire story's reposts; the family's root credits an outside origin and is undated.
        // Story "tie": two one-member families; the earlier-dated root names it.
        await AddAsync(
            Dated("night/original", "2026-03-02T08:00:00Z", "Valley Line to run night trains after ridership jumps 38 percent"),
            Dated("night/doctored", "2026-03-01T08:00:00Z", "Valley Line to run night trains after ridership jumps 45 percent"),
            Dated("night/report", "2026-02-28T08:00:00Z", "Night trains coming to the Valley Line"),
            Dated("wall/repost", "2026-04-01T08:00:00Z", "Seawall vote: council says yes"),
            Dated("wall/root", null, "Port Alder council votes to rebuild seawall"),
            Dated("wall/copy", "2026-04-02T08:00:00Z", "Council backs seawall rebuild"),
            Dated("tie/late", "2026-05-02T08:00:00Z", "Later account"),
            Dated("tie/early", "2026-05-01T08:00:00Z", "Earlier account"));
        await Store.CommitRelateAsync(Commit(
            ["night/original", "night/doctored", "night/report", "wall/repost", "wall/root", "wall/copy", "tie/late", "tie/early"],
            [
                Placed("night/original", "night/original", "night"),
                Placed("night/doctored", "night/original", "night", "night/original"),
                Placed("night/report", "night/report", "night"),
                Placed("wall/repost", "wall/root", "wall", "wall/root"),
                new StoredPlacement("wall/root", "wall/root", "wall", null, null, "wire.example", 1),
                Placed("wall/copy", "wall/root", "wall", "wall/repost"),
                Placed("tie/late", "tie/late", "tie"),
                Placed("tie/early", "tie/early", "tie"),
            ]));

        var stories = (await Store.ListStoriesAsync(new StoryQuery { Limit = 0 })).Stories.ToDictionary(story => story.StoryId);

        Assert.Equal("night/report", stories["night"].FirstDocumentId);
        Assert.Equal(("night/original", "Valley Line to run night trains after ridership jumps 38 percent"), (stories["night"].OriginalId, stories["night"].OriginalTitle));
        Assert.Equal("wall/repost", stories["wall"].FirstDocumentId);
        Assert.Equal(("wall/root", "Port Alder council votes to rebuild seawall"), (stories["wall"].OriginalId, stories["wall"].OriginalTitle));
        Assert.Equal(("tie/early", "Earlier account"), (stories["tie"].OriginalId, stories["tie"].OriginalTitle));

        // Paged and filtered listings name the same original.
        var searched = Assert.Single((await Store.ListStoriesAsync(new StoryQuery { Search = "45 percent" })).Stories);
        Assert.Equal("night/original", searched.OriginalId);
    }

    [Fact]
    public async Task Placements_made_on_a_smaller_store_are_listed_for_relabelling()
    {
        await AddAsync(Document("a", 1), Document("b", 2), Document("c", 3));
        await Store.CommitRelateAsync(Commit(["a", "b", "c"], [Placed("a", "a", "a", labeledAt: 10), Placed("b", "b", "b", labeledAt: 40), Placed("c", "c", "c", labeledAt: 5)]));
        Assert.Equal(["a", "c"], await Store.GetLabeledBeforeAsync(20, 10));
        Assert.Equal(["a"], await Store.GetLabeledBeforeAsync(20, 1));
        Assert.Empty(await Store.GetLabeledBeforeAsync(5, 10));
    }

    [Fact]
    public async Task Deleting_a_document_removes_its_placement_postings_and_pending_mark()
    {
        await AddAsync(Document("a", 1), Document("b", 2));
        await Store.CommitRelateAsync(Commit(["a"], [Placed("a", "a", "a")], postings: [("a", [new PostedTerm(5, 1f)])], processed: ["a"]));
        await Store.DeleteDocumentsAsync(["a", "b"]);
        Assert.Empty(await Store.GetPlacementsAsync(["a"]));
        Assert.Empty(await Store.GetPostingsAsync([5], 10));
        Assert.Empty(await Store.GetPendingAsync(10));
    }

    [Fact]
    public async Task Postings_name_the_document_that_holds_them_when_a_deleted_document_s_place_is_taken()
    {
        await AddAsync(Document("a", 1), Document("b", 2));
        await Store.CommitRelateAsync(Commit(["a", "b"], [Placed("a", "a", "a"), Placed("b", "b", "b")], postings: [("a", [new PostedTerm(5, 1f)]), ("b", [new PostedTerm(5, 0.5f)])], processed: ["a", "b"]));
        Assert.Equal([("a", 1f), ("b", 0.5f)], (await Store.GetPostingsAsync([5], 10)).Select(p => (p.DocumentId, p.Weight)));

        // The last document goes and a new one comes: a store may give it the same internal number.
        await Store.DeleteDocumentsAsync(["b"]);
        await AddAsync(Document("c", 3));
        await Store.CommitRelateAsync(Commit(["c"], [Placed("c", "c", "c")], postings: [("c", [new PostedTerm(5, 0.7f)])], processed: ["c"]));

        Assert.Equal([("a", 1f), ("c", 0.7f)], (await Store.GetPostingsAsync([5], 10)).Select(p => (p.DocumentId, p.Weight)));
    }

    [Fact]
    public async Task The_writer_lock_makes_a_second_writer_wait_and_says_so()
    {
        var first = await Store.AcquireWriterLockAsync();
        var waited = 0;
        var second = Store.AcquireWriterLockAsync(() => Interlocked.Increment(ref waited));

        // Waits for the attempt rather than a fixed time (a server store opens a connection first, slow on a loaded
        // machine), then gives the lock time to be wrongly granted.
        Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref waited) > 0, TimeSpan.FromSeconds(20)), "the second writer never tried the lock");
        await Task.Delay(300);
        Assert.False(second.IsCompleted);
        Assert.Equal(1, waited);
        await first.DisposeAsync();
        await (await second.WaitAsync(TimeSpan.FromSeconds(10))).DisposeAsync();
        await (await Store.AcquireWriterLockAsync().WaitAsync(TimeSpan.FromSeconds(10))).DisposeAsync();
    }

    /// <summary>Records with lists compare by reference; trees are equal when their JSON is.</summary>
    private sealed class TreeComparer : IEqualityComparer<LineageTree>
    {
        public bool Equals(LineageTree? x, LineageTree? y) => x is not null && y is not null && StoredJson.Write(x) == StoredJson.Write(y);

        public int GetHashCode(LineageTree obj) => StoredJson.Write(obj).GetHashCode(StringComparison.Ordinal);
    }
}
