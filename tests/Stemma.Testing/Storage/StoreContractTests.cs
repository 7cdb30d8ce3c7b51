using Stemma.Storage;

namespace Stemma.Testing.Storage;

/// <summary>
/// The behaviour every <see cref="IStore"/> backend must show. Derive once per backend; xunit runs every fact
/// below for each derived class, each test on a fresh, empty store.
/// </summary>
public abstract partial class StoreContractTests : IAsyncLifetime
{
    protected IStore Store { get; private set; } = null!;

    /// <summary>A new, empty, initialized store for one test.</summary>
    protected abstract Task<IStore> CreateStoreAsync();

    /// <summary>
    /// A new store over the same data as the one <see cref="CreateStoreAsync"/> made, called after that one was disposed
    /// (a restart); null when the backend is not durable.
    /// </summary>
    protected virtual Task<IStore?> ReopenAsync() => Task.FromResult<IStore?>(null);

    public virtual async Task InitializeAsync() => Store = await CreateStoreAsync();

    public virtual async Task DisposeAsync() => await Store.DisposeAsync();

    /// <summary>A document with deterministic signature and band keys derived from <paramref name="seed"/>.</summary>
    public static StoredDocument Document(string id, ulong contentHash = 1, ulong[]? bandKeys = null, string? body = null, int seed = 0) => new()
    {
        Article = new Article { Id = id, Body = body ?? $"Body of {id}." },
        ContentHash = contentHash,
        Signature = [.. Enumerable.Range(0, 8).Select(i => (uint)(seed * 31 + i))],
        BandKeys = bandKeys ?? [(ulong)(seed * 1000 + 1), (ulong)(seed * 1000 + 2)],
    };

    private static StoredDocument Dated(string id, string? date, string? title = null, string? site = null)
    {
        var document = Document(id);
        return document with
        {
            Article = document.Article with
            {
                Date = date is null ? null : DateTimeOffset.Parse(date, System.Globalization.CultureInfo.InvariantCulture),
                Title = title,
                Site = site,
            },
        };
    }

    private async Task AddAsync(params StoredDocument[] documents)
    {
        var outcomes = await Store.AddDocumentsAsync(documents);
        Assert.All(outcomes, outcome => Assert.NotEqual(AddStatus.Rejected, outcome.Status));
    }

    private async Task<List<StoredDocument>> ListAllAsync()
    {
        var all = new List<StoredDocument>();
        await foreach (var document in Store.ListDocumentsAsync())
        {
            all.Add(document);
        }

        return all;
    }

    // ---- documents --------------------------------------------------------------------------------------------

    [Fact]
    public async Task Add_then_get_round_trips_every_field()
    {
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var document = new StoredDocument
        {
            Article = new Article
            {
                Id = "feeds/ünïcødé 記事.txt",
                Body = "Première ligne — «citée».\n\n第二段落 with emoji 🦀 and a tab\tinside.",
                Title = "Überschrift: 東京 \"quoted\"",
                SourcePath = "/data/feeds/ünïcødé.xml",
                Date = new DateTimeOffset(2024, 3, 5, 23, 45, 12, 345, TimeSpan.FromMinutes(330)),
                Site = "example.co.jp",
                Url = "https://example.co.jp/a?b=c&d=é",
                Author = "Zoë O'Brien",
                Language = "ja",
                Attribution = "Reuters",
                Format = "feed",
                Annotations =
                [
                    new Annotation(AnnotationKind.ReadMore, "Read more: ⟶ elsewhere", 3),
                    new Annotation(AnnotationKind.SourceLink, "Source link", 7),
                    new Annotation(AnnotationKind.Boilerplate, "Subscribe ✉", 0),
                ],
            },
            ContentHash = 0xFEDC_BA98_7654_3210,
            Signature = [0, 1, uint.MaxValue, 0x8000_0000, 12345],
            BandKeys = [ulong.MaxValue, 0, 0x8000_0000_0000_0001],
        };

        var outcomes = await Store.AddDocumentsAsync([document]);
        var stored = await Store.GetDocumentAsync(document.Article.Id);

        Assert.Equal([new AddOutcome(document.Article.Id, AddStatus.Added)], outcomes);
        Assert.NotNull(stored);
        Assert.Equal(document.Article.Id, stored.Article.Id);
        Assert.Equal(document.Article.Body, stored.Article.Body);
        Assert.Equal(document.Article.Title, stored.Article.Title);
        Assert.Equal(document.Article.SourcePath, stored.Article.SourcePath);
        Assert.Equal(document.Article.Date, stored.Article.Date);
        Assert.Equal(TimeSpan.FromMinutes(330), stored.Article.Date!.Value.Offset);
        Assert.Equal(document.Article.Date!.Value.Ticks, stored.Article.Date.Value.Ticks);
        Assert.Equal(document.Article.Site, stored.Article.Site);
        Assert.Equal(document.Article.Url, stored.Article.Url);
        Assert.Equal(document.Article.Author, stored.Article.Author);
        Assert.Equal(document.Article.Language, stored.Article.Language);
        Assert.Equal(document.Article.Attribution, stored.Article.Attribution);
        Assert.Equal(document.Article.Format, stored.Article.Format);
        Assert.Equal(document.Article.Annotations, stored.Article.Annotations);
        Assert.Equal(document.ContentHash, stored.ContentHash);
        Assert.Equal(document.Signature, stored.Signature);
        Assert.Equal(document.BandKeys, stored.BandKeys);
        Assert.NotNull(stored.IngestedAt);
        Assert.InRange(stored.IngestedAt.Value, before, DateTimeOffset.UtcNow.AddSeconds(1));
    }

    [Fact]
    public async Task Optional_fields_round_trip_as_null_and_empty_arrays_as_empty()
    {
        var document = new StoredDocument
        {
            Article = new Article { Id = "bare", Body = string.Empty },
            ContentHash = 0,
            Signature = [],
            BandKeys = [],
        };
        await AddAsync(document);

        var stored = await Store.GetDocumentAsync("bare");

        Assert.NotNull(stored);
        Assert.Equal(string.Empty, stored.Article.Body);
        Assert.Null(stored.Article.Title);
        Assert.Null(stored.Article.Date);
        Assert.Null(stored.Article.Site);
        Assert.Null(stored.Article.SourcePath);
        Assert.Null(stored.Article.Format);
        Assert.Empty(stored.Article.Annotations);
        Assert.Empty(stored.Signature);
        Assert.Empty(stored.BandKeys);
    }

    [Fact]
    public async Task Get_of_an_unknown_id_is_null()
    {
        await AddAsync(Document("a"));

        Assert.Null(await Store.GetDocumentAsync("A"));
        Assert.Null(await Store.GetDocumentAsync("missing"));
    }

    [Fact]
    public async Task Get_documents_returns_those_found_in_the_order_asked()
    {
        await AddAsync(Document("a"), Document("b"), Document("c"));

        var found = await Store.GetDocumentsAsync(["c", "missing", "a"]);

        Assert.Equal(["c", "a"], found.Select(document => document.Article.Id));
    }

    [Fact]
    public async Task Get_documents_of_thousands_of_ids_returns_each_with_its_own_fields_in_the_order_asked()
    {
        // More ids than a store reads in one statement (a relate region asks for tens of thousands): the documents come
        // back whole however the ids are split, each with its body and annotations, in the order asked, repeats included.
        const int count = 5000;
        var documents = Enumerable.Range(0, count).Select(i => Document($"doc-{i}", contentHash: (ulong)i + 1, seed: i) with
        {
            Article = new Article
            {
                Id = $"doc-{i}",
                Body = $"Body number {i} of the batch.",
                Annotations = i % 3 == 0 ? [new Annotation(AnnotationKind.ReadMore, $"READ MORE: story {i}", i % 7)] : [],
            },
        }).ToArray();
        await AddAsync(documents);
        var random = new Random(13);
        var asked = Enumerable.Range(0, count).Select(i => $"doc-{i}")
            .Concat(["missing-1", "doc-42", "missing-2", "doc-4999"])
            .OrderBy(_ => random.Next())
            .ToList();

        var found = await Store.GetDocumentsAsync(asked);

        Assert.Equal(asked.Where(id => !id.StartsWith("missing", StringComparison.Ordinal)), found.Select(document => document.Article.Id));
        Assert.All(found, document =>
        {
            var i = int.Parse(document.Article.Id["doc-".Length..], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal($"Body number {i} of the batch.", document.Article.Body);
            Assert.Equal((ulong)i + 1, document.ContentHash);
            Assert.Equal(documents[i].Signature, document.Signature);
            Assert.Equal(documents[i].Article.Annotations, document.Article.Annotations);
        });
    }

    [Fact]
    public async Task Re_adding_the_same_content_is_unchanged_and_writes_nothing()
    {
        await AddAsync(Document("a", contentHash: 7));
        var first = await Store.GetDocumentAsync("a");
        var sameHashOtherTitle = Document("a", contentHash: 7) with
        {
            Article = new Article { Id = "a", Body = "Body of a.", Title = "changed but same hash" },
        };

        var outcomes = await Store.AddDocumentsAsync([sameHashOtherTitle]);
        var after = await Store.GetDocumentAsync("a");

        Assert.Equal([new AddOutcome("a", AddStatus.Unchanged)], outcomes);
        Assert.Null(after!.Article.Title);
        Assert.Equal(first!.IngestedAt, after.IngestedAt);
        Assert.Equal(1, await Store.CountDocumentsAsync());
    }

    [Fact]
    public async Task Changed_content_updates_the_document_and_replaces_its_index_entries()
    {
        var original = Document("a", contentHash: 100, bandKeys: [10, 11]) with
        {
            Article = new Article { Id = "a", Body = "old", Annotations = [new Annotation(AnnotationKind.Promo, "Buy now", 1)] },
        };
        await AddAsync(Document("first"), original, Document("b", bandKeys: [99, 98], seed: 2));
        var before = await Store.GetDocumentAsync("a");
        await Store.AddPairsAsync([new PairScore("a", "b", 0.5, 0.6)]);
        await Store.SetGroupsAsync([new GroupAssignment("a", "family-1", "story-1")]);

        var changed = Document("a", contentHash: 200, bandKeys: [20, 21], body: "new") with
        {
            Article = new Article { Id = "a", Body = "new", Title = "New title", Annotations = [new Annotation(AnnotationKind.Caption, "Photo", 0)] },
        };
        var outcomes = await Store.AddDocumentsAsync([changed]);
        var after = await Store.GetDocumentAsync("a");

        Assert.Equal([new AddOutcome("a", AddStatus.Updated)], outcomes);
        Assert.Equal("new", after!.Article.Body);
        Assert.Equal("New title", after.Article.Title);
        Assert.Equal([new Annotation(AnnotationKind.Caption, "Photo", 0)], after.Article.Annotations);
        Assert.Equal([20UL, 21UL], after.BandKeys);
        Assert.Equal(before!.IngestedAt, after.IngestedAt);
        Assert.Empty(await Store.FindBandCandidatesAsync([10, 11]));
        Assert.Equal(["a"], await Store.FindBandCandidatesAsync([20, 0]));
        Assert.Empty(await Store.FindByContentHashAsync(100));
        Assert.Equal(["a"], await Store.FindByContentHashAsync(200));
        Assert.Empty(await Store.GetPairsAsync("a"));
        Assert.Equal(new GroupAssignment("a", "family-1", "story-1"), await Store.GetGroupAsync("a"));
        Assert.Equal(["first", "a", "b"], (await ListAllAsync()).Select(document => document.Article.Id));
        Assert.Equal(3, await Store.CountDocumentsAsync());
    }

    [Fact]
    public async Task Changing_the_input_arrays_after_adding_does_not_change_the_store()
    {
        var document = Document("a", bandKeys: [5, 6]);
        await AddAsync(document);

        document.Signature[0] = 999;
        document.BandKeys[0] = 777;
        var stored = await Store.GetDocumentAsync("a");
        stored!.BandKeys[1] = 888;

        Assert.Equal(0u, (await Store.GetDocumentAsync("a"))!.Signature[0]);
        Assert.Equal(["a"], await Store.FindBandCandidatesAsync([5, 0]));
        Assert.Empty(await Store.FindBandCandidatesAsync([777, 888]));
    }

    [Fact]
    public async Task Count_and_listing_follow_insertion_order()
    {
        Assert.Equal(0, await Store.CountDocumentsAsync());
        Assert.Empty(await ListAllAsync());

        await AddAsync(Document("zeta"), Document("alpha"));
        await AddAsync(Document("mid"));

        Assert.Equal(3, await Store.CountDocumentsAsync());
        var listed = await ListAllAsync();
        Assert.Equal(["zeta", "alpha", "mid"], listed.Select(document => document.Article.Id));
        Assert.All(listed, document => Assert.Equal($"Body of {document.Article.Id}.", document.Article.Body));
    }

    [Fact]
    public async Task Listing_returns_each_documents_own_annotations()
    {
        static StoredDocument WithNotes(string id, params string[] notes) => Document(id) with
        {
            Article = new Article { Id = id, Body = id, Annotations = [.. notes.Select((note, i) => new Annotation(AnnotationKind.Related, note, i))] },
        };

        await AddAsync(WithNotes("a", "a1", "a2"), WithNotes("b"), WithNotes("c", "c1"));

        var listed = await ListAllAsync();

        Assert.Equal(["a1", "a2"], listed[0].Article.Annotations.Select(annotation => annotation.Text));
        Assert.Empty(listed[1].Article.Annotations);
        Assert.Equal(["c1"], listed[2].Article.Annotations.Select(annotation => annotation.Text));
    }

    // ---- batches ----------------------------------------------------------------------------------------------

    [Fact]
    public async Task A_rejected_document_does_not_stop_the_rest_of_its_batch()
    {
        var outcomes = await Store.AddDocumentsAsync(
        [
            Document("ok-1"),
            Document(string.Empty),
            Document("   "),
            Document("no-signature") with { Signature = null! },
            Document("ok-2"),
        ]);

        Assert.Equal(
            [AddStatus.Added, AddStatus.Rejected, AddStatus.Rejected, AddStatus.Rejected, AddStatus.Added],
            outcomes.Select(outcome => outcome.Status));
        Assert.All(outcomes.Where(outcome => outcome.Status == AddStatus.Rejected), outcome => Assert.False(string.IsNullOrWhiteSpace(outcome.Error)));
        Assert.All(outcomes.Where(outcome => outcome.Status != AddStatus.Rejected), outcome => Assert.Null(outcome.Error));
        Assert.Equal("no-signature", outcomes[3].Id);
        Assert.Equal(2, await Store.CountDocumentsAsync());
        Assert.Null(await Store.GetDocumentAsync("no-signature"));
    }

    [Fact]
    public async Task A_repeated_id_within_one_batch_is_handled_in_order()
    {
        var outcomes = await Store.AddDocumentsAsync([Document("a", contentHash: 1), Document("a", contentHash: 1), Document("a", contentHash: 2, body: "v2", bandKeys: [77, 78])]);

        Assert.Equal([AddStatus.Added, AddStatus.Unchanged, AddStatus.Updated], outcomes.Select(outcome => outcome.Status));
        Assert.Equal("v2", (await Store.GetDocumentAsync("a"))!.Article.Body);
        Assert.Empty(await Store.FindBandCandidatesAsync([1, 2]));
        Assert.Equal(["a"], await Store.FindBandCandidatesAsync([77]));
    }

    [Fact]
    public async Task An_empty_batch_adds_nothing()
    {
        Assert.Empty(await Store.AddDocumentsAsync([]));
        Assert.Equal(0, await Store.CountDocumentsAsync());
    }

    [Fact]
    public async Task Cancellation_is_honoured_and_a_cancelled_batch_writes_nothing()
    {
        await AddAsync(Document("before"));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.AddDocumentsAsync([Document("x"), Document("y")], cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.GetDocumentAsync("before", cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.FindBandCandidatesAsync([1], cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.CountDocumentsAsync(cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.AddPairsAsync([], cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.ListStoriesAsync(new StoryQuery(), cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var document in Store.ListDocumentsAsync(cancelled.Token))
            {
                Assert.Fail($"listed {document.Article.Id} after cancellation");
            }
        });

        Assert.Equal(1, await Store.CountDocumentsAsync());
        Assert.Null(await Store.GetDocumentAsync("x"));
    }

    [Fact]
    public async Task Cancelling_while_listing_stops_the_listing()
    {
        await AddAsync(Document("a"), Document("b"), Document("c"));
        using var cancellation = new CancellationTokenSource();
        var seen = new List<string>();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var document in Store.ListDocumentsAsync(cancellation.Token))
            {
                seen.Add(document.Article.Id);
                await cancellation.CancelAsync();
            }
        });

        Assert.Equal(["a"], seen);
    }

    // ---- lookups ----------------------------------------------------------------------------------------------

    [Fact]
    public async Task Content_hash_lookup_handles_hashes_with_the_top_bit_set()
    {
        const ulong topBit = 0x8000_0000_0000_0000;
        await AddAsync(
            Document("max", contentHash: ulong.MaxValue),
            Document("top", contentHash: topBit),
            Document("low", contentHash: 1),
            Document("top-again", contentHash: topBit));

        Assert.Equal(["top", "top-again"], await Store.FindByContentHashAsync(topBit));
        Assert.Equal(["max"], await Store.FindByContentHashAsync(ulong.MaxValue));
        Assert.Equal(["low"], await Store.FindByContentHashAsync(1));
        Assert.Empty(await Store.FindByContentHashAsync(unchecked((ulong)-1L) - 1));
        Assert.Equal(ulong.MaxValue, (await Store.GetDocumentAsync("max"))!.ContentHash);
    }

    [Fact]
    public async Task Band_candidates_match_only_the_same_key_in_the_same_band()
    {
        await AddAsync(
            Document("a", bandKeys: [100, 200, 300]),
            Document("b", bandKeys: [101, 200, 301]),
            Document("c", bandKeys: [200, 100, 999]),
            Document("d", bandKeys: [ulong.MaxValue, 5, 6]));

        Assert.Equal(["a", "b"], await Store.FindBandCandidatesAsync([0, 200, 0]));
        Assert.Equal(["a"], await Store.FindBandCandidatesAsync([100, 0, 0]));
        Assert.Equal(["a", "b", "c"], await Store.FindBandCandidatesAsync([200, 200, 300]));
        Assert.Equal(["d"], await Store.FindBandCandidatesAsync([ulong.MaxValue]));
        Assert.Empty(await Store.FindBandCandidatesAsync([0, 0, 100]));
        Assert.Empty(await Store.FindBandCandidatesAsync([]));
    }

    [Fact]
    public async Task Band_candidates_are_listed_once_in_insertion_order()
    {
        await AddAsync(Document("late-id-z", bandKeys: [1, 2]), Document("early-id-a", bandKeys: [1, 2]));

        Assert.Equal(["late-id-z", "early-id-a"], await Store.FindBandCandidatesAsync([1, 2]));
    }

    [Fact]
    public async Task Band_candidates_work_with_many_bands()
    {
        var keys = Enumerable.Range(0, 150).Select(band => (ulong)band * 7).ToArray();
        var other = keys.Select(key => key + 1).ToArray();
        other[149] = keys[149];
        await AddAsync(Document("a", bandKeys: keys), Document("b", bandKeys: other));

        Assert.Equal(["a", "b"], await Store.FindBandCandidatesAsync(keys));
        Assert.Equal(["b"], await Store.FindBandCandidatesAsync([.. Enumerable.Repeat(ulong.MaxValue, 140), .. other[140..149], ulong.MaxValue]));
    }

    [Fact]
    public async Task Sketch_candidates_of_many_probes_come_in_one_call_one_list_per_probe()
    {
        // "c" shares a's content hash only, "b" shares a band key of a's only (same band), "d" holds a's key in another band.
        await AddAsync(
            Document("z-late", contentHash: 7, bandKeys: [900, 901]),
            Document("a", contentHash: 1, bandKeys: [100, 200]),
            Document("b", contentHash: 2, bandKeys: [101, 200]),
            Document("c", contentHash: 1, bandKeys: [102, 202]),
            Document("d", contentHash: 3, bandKeys: [200, 100]));

        var probes = new SketchProbe[]
        {
            new(1, [100, 200]),          // hash of a and c; band 0 of a; band 1 of a and b
            new(99, [555, 556]),         // nothing
            new(3, [ulong.MaxValue]),    // hash of d only
            new(7, [101, 200]),          // hash of z-late (inserted first); b by both bands, a by band 1: each once
            new(1, [100, 200]),          // a probe repeated gives the same answer
            new(5, []),                  // no band keys
        };
        var found = await Store.FindSketchCandidatesAsync(probes);

        Assert.Equal(probes.Length, found.Count);
        Assert.Equal(["a", "b", "c"], found[0]);
        Assert.Empty(found[1]);
        Assert.Equal(["d"], found[2]);
        Assert.Equal(["z-late", "a", "b"], found[3]);
        Assert.Equal(["a", "b", "c"], found[4]);
        Assert.Empty(found[5]);
        Assert.Empty(await Store.FindSketchCandidatesAsync([]));

        // The same as the two single look-ups merged, for every probe.
        for (var p = 0; p < probes.Length; p++)
        {
            var single = (await Store.FindByContentHashAsync(probes[p].ContentHash)).Concat(await Store.FindBandCandidatesAsync(probes[p].BandKeys)).Distinct().ToHashSet();
            Assert.Equal(single.Order(StringComparer.Ordinal), found[p].Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public async Task Sketch_candidates_work_with_many_probes_and_bands()
    {
        var keys = Enumerable.Range(0, 150).Select(band => (ulong)band * 7).ToArray();
        await AddAsync(Document("a", contentHash: ulong.MaxValue, bandKeys: keys));
        var probes = Enumerable.Range(0, 500)
            .Select(p => new SketchProbe(p == 499 ? ulong.MaxValue : (ulong)p, [.. keys.Select((key, band) => band == p % 150 && p % 2 == 0 ? key : key + 1)]))
            .ToList();

        var found = await Store.FindSketchCandidatesAsync(probes);

        Assert.Equal(500, found.Count);
        for (var p = 0; p < probes.Count; p++)
        {
            Assert.Equal(p % 2 == 0 || p == 499 ? ["a"] : (IEnumerable<string>)[], found[p]);
        }
    }

    [Fact]
    public async Task Sketch_candidates_of_more_probes_than_one_statement_takes_keep_each_probe_its_own()
    {
        // More probes than a store may send in one statement (SQLite: 8,192 keys per JSON array): every probe past a
        // chunk boundary must still get its own documents, found by its hash or one of its bands.
        await AddAsync(
            Document("even", contentHash: 2, bandKeys: [10, 20]),
            Document("odd", contentHash: 3, bandKeys: [11, 21]));
        var probes = Enumerable.Range(0, 9000)
            .Select(p => p % 3 == 0 ? new SketchProbe(p % 2 == 0 ? 2UL : 3UL, [1, 1])
                : p % 3 == 1 ? new SketchProbe(1, [p % 2 == 0 ? 10UL : 11UL, 1])
                : new SketchProbe(1, [1, p % 2 == 0 ? 20UL : 21UL]))
            .ToList();
        probes[8999] = new SketchProbe(1, [1, 1]);

        var found = await Store.FindSketchCandidatesAsync(probes);

        Assert.Equal(9000, found.Count);
        for (var p = 0; p < 8999; p++)
        {
            Assert.Equal([p % 2 == 0 ? "even" : "odd"], found[p]);
        }

        Assert.Empty(found[8999]);
    }

    // ---- pairs ------------------------------------------------------------------------------------------------

    [Fact]
    public async Task A_pair_is_stored_once_per_unordered_pair_and_overwritten()
    {
        await AddAsync(Document("a"), Document("b"), Document("c"));

        Assert.Equal(1, await Store.AddPairsAsync([new PairScore("b", "a", 0.2, 0.3)]));
        Assert.Equal(1, await Store.AddPairsAsync([new PairScore("a", "b", 0.8, 0.9, "copy", 0.85)]));

        Assert.Equal(1, await Store.CountPairsAsync());
        Assert.Equal([new PairScore("a", "b", 0.8, 0.9, "copy", 0.85)], await Store.GetPairsAsync("a"));
        Assert.Equal([new PairScore("a", "b", 0.8, 0.9, "copy", 0.85)], await Store.GetPairsAsync("b"));
        Assert.Empty(await Store.GetPairsAsync("c"));
    }

    [Fact]
    public async Task Pairs_come_back_in_canonical_order()
    {
        await AddAsync(Document("zed"), Document("abe"));

        await Store.AddPairsAsync([new PairScore("zed", "abe", 0.4, 0.5)]);

        Assert.Equal([new PairScore("abe", "zed", 0.4, 0.5)], await Store.GetPairsAsync("zed"));
    }

    [Fact]
    public async Task Pairs_are_listed_highest_similarity_first()
    {
        await AddAsync(Document("x"), Document("p"), Document("q"), Document("r"), Document("s"));

        await Store.AddPairsAsync(
        [
            new PairScore("x", "p", 0.30, 0.4),
            new PairScore("x", "q", 0.90, 0.9, "copy", 0.50),
            new PairScore("x", "r", 0.60, 0.7),
            new PairScore("s", "x", 0.20, 0.9, "excerpt", 0.95),
        ]);

        var pairs = await Store.GetPairsAsync("x");

        Assert.Equal(["s", "r", "q", "p"], pairs.Select(pair => pair.A == "x" ? pair.B : pair.A));
    }

    [Fact]
    public async Task Pairs_naming_unknown_or_identical_documents_are_skipped()
    {
        await AddAsync(Document("a"), Document("b"));

        var stored = await Store.AddPairsAsync([new PairScore("a", "ghost", 0.5, 0.5), new PairScore("a", "a", 1, 1), new PairScore("a", "b", 0.5, 0.5)]);

        Assert.Equal(1, stored);
        Assert.Equal(1, await Store.CountPairsAsync());
        Assert.Empty(await Store.GetPairsAsync("ghost"));
    }

    [Fact]
    public async Task Pairs_among_a_set_leave_out_pairs_reaching_outside_it()
    {
        await AddAsync(Document("a"), Document("b"), Document("c"), Document("d"));
        await Store.AddPairsAsync(
        [
            new PairScore("a", "b", 0.9, 0.9),
            new PairScore("b", "c", 0.5, 0.5),
            new PairScore("c", "d", 0.7, 0.7),
            new PairScore("a", "c", 0.6, 0.6),
        ]);

        var among = await Store.GetPairsAmongAsync(["c", "a", "b", "unknown"]);

        Assert.Equal([("a", "b"), ("a", "c"), ("b", "c")], among.Select(pair => (pair.A, pair.B)));
    }

    // ---- groups -----------------------------------------------------------------------------------------------

    [Fact]
    public async Task Group_assignments_replace_earlier_ones()
    {
        await AddAsync(Document("a"), Document("b"), Document("c"));
        await Store.SetGroupsAsync([new GroupAssignment("a", "f1", "s1"), new GroupAssignment("b", "f1", "s1")]);

        var stored = await Store.SetGroupsAsync([new GroupAssignment("a", "f2", "s2"), new GroupAssignment("ghost", "f2", "s2")]);

        Assert.Equal(1, stored);
        Assert.Equal(new GroupAssignment("a", "f2", "s2"), await Store.GetGroupAsync("a"));
        Assert.Equal(new GroupAssignment("b", "f1", "s1"), await Store.GetGroupAsync("b"));
        Assert.Null(await Store.GetGroupAsync("c"));
        Assert.Equal(["b"], await Store.GetFamilyMembersAsync("f1"));
        Assert.Equal(["a"], await Store.GetFamilyMembersAsync("f2"));
        Assert.Empty(await Store.GetFamilyMembersAsync("ghost-family"));
    }

    [Fact]
    public async Task Family_members_are_in_insertion_order()
    {
        await AddAsync(Document("z"), Document("a"), Document("m"), Document("other"));
        await Store.SetGroupsAsync([new GroupAssignment("m", "f", "s"), new GroupAssignment("z", "f", "s"), new GroupAssignment("a", "f", "s"), new GroupAssignment("other", "g", "s")]);

        Assert.Equal(["z", "a", "m"], await Store.GetFamilyMembersAsync("f"));
        Assert.Equal(["z", "a", "m", "other"], await Store.GetStoryMembersAsync("s"));
    }

    [Fact]
    public async Task Families_are_listed_largest_first_with_a_minimum_size()
    {
        await AddAsync(
            Dated("b1", "2024-05-02T10:00:00+00:00", "B later"),
            Dated("b2", "2024-05-01T10:00:00+02:00", "B earliest"),
            Dated("b3", null, "B undated"),
            Dated("c1", null, "C first inserted"),
            Dated("c2", null, "C second"),
            Dated("a1", "2024-01-01T00:00:00Z", "A only"),
            Dated("d1", "2024-01-01T00:00:00Z", "D same date, first"),
            Dated("d2", "2024-01-01T00:00:00Z", "D same date, second"));
        await Store.SetGroupsAsync(
        [
            new GroupAssignment("b1", "fam-b", "story-1"),
            new GroupAssignment("b2", "fam-b", "story-1"),
            new GroupAssignment("b3", "fam-b", "story-1"),
            new GroupAssignment("c1", "fam-c", "story-2"),
            new GroupAssignment("c2", "fam-c", "story-2"),
            new GroupAssignment("a1", "fam-a", "story-3"),
            new GroupAssignment("d2", "fam-d", "story-4"),
            new GroupAssignment("d1", "fam-d", "story-4"),
        ]);

        var all = await Store.ListFamiliesAsync();
        var atLeastTwo = await Store.ListFamiliesAsync(minSize: 2);

        Assert.Equal(
            [
                new FamilySummary("fam-b", "story-1", 3, "b2", "B earliest"),
                new FamilySummary("fam-c", "story-2", 2, "c1", "C first inserted"),
                new FamilySummary("fam-d", "story-4", 2, "d1", "D same date, first"),
                new FamilySummary("fam-a", "story-3", 1, "a1", "A only"),
            ],
            all);
        Assert.Equal(["fam-b", "fam-c", "fam-d"], atLeastTwo.Select(family => family.FamilyId));
        Assert.Empty(await Store.ListFamiliesAsync(minSize: 4));
    }

    // ---- stories ----------------------------------------------------------------------------------------------

    private async Task AddStoriesAsync()
    {
        await AddAsync(
            Dated("s1-a", "2024-03-01T08:00:00+01:00", "Flood hits the Élysée valley", "news.example"),
            Dated("s1-b", "2024-03-02T08:00:00Z", "Copied: flood hits valley", "copy.example"),
            Dated("s1-c", "2024-03-03T08:00:00Z", "Another copy", "copy.example"),
            Dated("s2-a", "2024-05-01T00:00:00Z", "Election results announced", "news.example"),
            Dated("s2-b", null, "Election results, excerpt", null),
            Dated("s3-a", null, "Undated story", "blog.example"),
            Dated("s4-a", "2023-12-31T23:00:00-05:00", "Year-end review", "other.example"));
        await Store.SetGroupsAsync(
        [
            new GroupAssignment("s1-a", "f1", "story-1"),
            new GroupAssignment("s1-b", "f1", "story-1"),
            new GroupAssignment("s1-c", "f1b", "story-1"),
            new GroupAssignment("s2-a", "f2", "story-2"),
            new GroupAssignment("s2-b", "f2", "story-2"),
            new GroupAssignment("s3-a", "f3", "story-3"),
            new GroupAssignment("s4-a", "f4", "story-4"),
        ]);
    }

    [Fact]
    public async Task Stories_are_summarized_and_sorted_by_size()
    {
        await AddStoriesAsync();

        var page = await Store.ListStoriesAsync(new StoryQuery());

        Assert.Equal(4, page.TotalCount);
        Assert.Equal(["story-1", "story-2", "story-3", "story-4"], page.Stories.Select(story => story.StoryId));
        Assert.Equal(
            new StorySummary(
                "story-1",
                3,
                2,
                "s1-a",
                "Flood hits the Élysée valley",
                new DateTimeOffset(2024, 3, 1, 7, 0, 0, TimeSpan.Zero),
                new DateTimeOffset(2024, 3, 3, 8, 0, 0, TimeSpan.Zero),
                2) { OriginalId = "s1-a", OriginalTitle = "Flood hits the Élysée valley" },
            page.Stories[0]);
        Assert.Equal(new StorySummary("story-3", 1, 1, "s3-a", "Undated story", null, null, 1) { OriginalId = "s3-a", OriginalTitle = "Undated story" }, page.Stories[2]);
        Assert.Equal(1, page.Stories[1].SiteCount);
    }

    [Fact]
    public async Task Stories_sort_by_date_with_undated_last()
    {
        await AddStoriesAsync();

        var newest = await Store.ListStoriesAsync(new StoryQuery { Sort = StorySort.Newest });
        var oldest = await Store.ListStoriesAsync(new StoryQuery { Sort = StorySort.Oldest });

        Assert.Equal(["story-2", "story-1", "story-4", "story-3"], newest.Stories.Select(story => story.StoryId));
        Assert.Equal(["story-4", "story-1", "story-2", "story-3"], oldest.Stories.Select(story => story.StoryId));
    }

    [Fact]
    public async Task Stories_filter_by_words_site_and_size_and_page()
    {
        await AddStoriesAsync();

        var flood = await Store.ListStoriesAsync(new StoryQuery { Search = "  VALLEY  flood " });
        var unicode = await Store.ListStoriesAsync(new StoryQuery { Search = "élysée" });
        var wordsInDifferentDocuments = await Store.ListStoriesAsync(new StoryQuery { Search = "election copy" });
        var copySite = await Store.ListStoriesAsync(new StoryQuery { Site = "COPY.example" });
        var newsSite = await Store.ListStoriesAsync(new StoryQuery { Site = "news.example", MinSize = 2, Sort = StorySort.Oldest });
        var secondPage = await Store.ListStoriesAsync(new StoryQuery { Offset = 1, Limit = 2 });
        var pastTheEnd = await Store.ListStoriesAsync(new StoryQuery { Offset = 10, Limit = 2 });
        var unlimited = await Store.ListStoriesAsync(new StoryQuery { Limit = 0 });

        Assert.Equal(["story-1"], flood.Stories.Select(story => story.StoryId));
        Assert.Equal(["story-1"], unicode.Stories.Select(story => story.StoryId));
        Assert.Empty(wordsInDifferentDocuments.Stories);
        Assert.Equal(0, wordsInDifferentDocuments.TotalCount);
        Assert.Equal(["story-1"], copySite.Stories.Select(story => story.StoryId));
        Assert.Equal(["story-1", "story-2"], newsSite.Stories.Select(story => story.StoryId));
        Assert.Equal(["story-2", "story-3"], secondPage.Stories.Select(story => story.StoryId));
        Assert.Equal(4, secondPage.TotalCount);
        Assert.Empty(pastTheEnd.Stories);
        Assert.Equal(4, pastTheEnd.TotalCount);
        Assert.Equal(4, unlimited.Stories.Count);
    }

    [Fact]
    public async Task No_groups_means_no_families_or_stories()
    {
        await AddAsync(Document("a"));

        Assert.Empty(await Store.ListFamiliesAsync());
        var page = await Store.ListStoriesAsync(new StoryQuery());
        Assert.Empty(page.Stories);
        Assert.Equal(0, page.TotalCount);
    }

    // ---- removal ----------------------------------------------------------------------------------------------

    [Fact]
    public async Task Deleting_a_document_removes_everything_attached_to_it()
    {
        await AddAsync(Document("a", contentHash: 5, bandKeys: [1, 2]), Document("b", contentHash: 5, bandKeys: [1, 3]), Document("c", bandKeys: [50, 51]));
        await Store.AddPairsAsync([new PairScore("a", "b", 0.9, 0.9), new PairScore("b", "c", 0.5, 0.5)]);
        await Store.SetGroupsAsync([new GroupAssignment("a", "f", "s"), new GroupAssignment("b", "f", "s")]);

        var removed = await Store.DeleteDocumentsAsync(["a", "ghost", "a"]);

        Assert.Equal(1, removed);
        Assert.Null(await Store.GetDocumentAsync("a"));
        Assert.Equal(["b"], await Store.FindByContentHashAsync(5));
        Assert.Equal(["b"], await Store.FindBandCandidatesAsync([1, 2]));
        Assert.Equal(1, await Store.CountPairsAsync());
        Assert.Null(await Store.GetGroupAsync("a"));
        Assert.Equal(["b"], await Store.GetFamilyMembersAsync("f"));
        Assert.Equal(2, await Store.CountDocumentsAsync());

        Assert.Equal(new AddOutcome("a", AddStatus.Added), (await Store.AddDocumentsAsync([Document("a", contentHash: 5)]))[0]);
        Assert.Equal(["b", "c", "a"], (await ListAllAsync()).Select(document => document.Article.Id));
    }

    [Fact]
    public async Task Clearing_empties_the_store_and_it_stays_usable()
    {
        await AddAsync(Document("a"), Document("b"));
        await Store.AddPairsAsync([new PairScore("a", "b", 0.9, 0.9)]);
        await Store.SetGroupsAsync([new GroupAssignment("a", "f", "s")]);

        await Store.ClearAsync();

        Assert.Equal(0, await Store.CountDocumentsAsync());
        Assert.Equal(0, await Store.CountPairsAsync());
        Assert.Empty(await Store.ListFamiliesAsync());
        Assert.Empty(await Store.FindBandCandidatesAsync([1, 2]));
        await AddAsync(Document("a"));
        Assert.Equal(1, await Store.CountDocumentsAsync());
    }

    // ---- concurrency and durability ---------------------------------------------------------------------------

    [Fact]
    public async Task Concurrent_writers_and_readers_see_consistent_results()
    {
        var writers = Enumerable.Range(0, 4).Select(writer => Task.Run(async () =>
        {
            for (var batch = 0; batch < 5; batch++)
            {
                var documents = Enumerable.Range(0, 20)
                    .Select(i => Document($"w{writer}-b{batch}-d{i}", contentHash: (ulong)i, bandKeys: [42, (ulong)(writer * 1000 + batch * 20 + i)]))
                    .ToArray();
                var outcomes = await Store.AddDocumentsAsync(documents);
                Assert.All(outcomes, outcome => Assert.Equal(AddStatus.Added, outcome.Status));
            }
        }));
        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            for (var read = 0; read < 20; read++)
            {
                var count = await Store.CountDocumentsAsync();
                var candidates = await Store.FindBandCandidatesAsync([42]);
                Assert.True(candidates.Count % 20 == 0, "a batch must become visible all at once");
                Assert.InRange(count, 0, 400);
            }
        }));

        await Task.WhenAll([.. writers, .. readers]);

        Assert.Equal(400, await Store.CountDocumentsAsync());
        Assert.Equal(400, (await Store.FindBandCandidatesAsync([42])).Count);
    }

    [Fact]
    public async Task A_durable_store_keeps_everything_after_a_restart()
    {
        await AddAsync(Document("a", contentHash: ulong.MaxValue, bandKeys: [7, 8]), Document("b"));
        await Store.AddPairsAsync([new PairScore("a", "b", 0.7, 0.8, "copy", 0.75)]);
        await Store.SetGroupsAsync([new GroupAssignment("a", "f", "s"), new GroupAssignment("b", "f", "s")]);
        var before = await Store.GetDocumentAsync("a");
        await Store.DisposeAsync();

        var reopened = await ReopenAsync();
        if (reopened is null)
        {
            Store = await CreateStoreAsync();
            return;
        }

        Store = reopened;
        var after = await Store.GetDocumentAsync("a");
        Assert.Equal(before!.Article with { Annotations = [] }, after!.Article with { Annotations = [] });
        Assert.Equal(before.IngestedAt, after.IngestedAt);
        Assert.Equal(["a"], await Store.FindByContentHashAsync(ulong.MaxValue));
        Assert.Equal(["a"], await Store.FindBandCandidatesAsync([7]));
        Assert.Equal([new PairScore("a", "b", 0.7, 0.8, "copy", 0.75)], await Store.GetPairsAsync("b"));
        Assert.Equal(["a", "b"], await Store.GetFamilyMembersAsync("f"));
        Assert.Equal(new AddOutcome("a", AddStatus.Unchanged), (await Store.AddDocumentsAsync([Document("a", contentHash: ulong.MaxValue)]))[0]);
        Assert.Equal(2, await Store.CountDocumentsAsync());
    }
}
