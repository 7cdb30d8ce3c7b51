using Stemma.Lineage;
using Stemma.Relate;
using Stemma.Sketch;
using Stemma.Storage;

namespace Stemma.Pipeline;

/// <summary>A story as the store keeps it: its members with their placements, its labeled pairs and its copy trees.</summary>
/// <param name="StoryId">The story's current id.</param>
/// <param name="Articles">Members in insertion order (the first <see cref="StoryReader"/> was asked for when truncated).</param>
/// <param name="Analysis">Placements (same order as <paramref name="Articles"/>), pairs among the members and trees, as the relate stage stored them.</param>
/// <param name="Truncated">The story has more members than were read.</param>
/// <param name="PendingMembers">Members added but not yet related (an ingest is running or was interrupted).</param>
public sealed record StoredStory(string StoryId, IReadOnlyList<Article> Articles, StoryAnalysis Analysis, bool Truncated, int PendingMembers)
{
    /// <summary>The same story in the shape of an in-memory analysis, for views shared with `analyze`.</summary>
    public CorpusAnalysis ToCorpusAnalysis() =>
        new(Articles, [], [], [.. Analysis.Documents.Select(d => new DocumentResult(d.Id, d.Family, d.Story, d.Parent, d.Relation, d.Origin))], Analysis);
}

/// <summary>A stored document that a checked article relates to.</summary>
/// <param name="Jaccard">Word-shingle Jaccard similarity of the two bodies (1 for the same text).</param>
/// <param name="Containment">The share of the smaller body's shingles found in the other.</param>
public sealed record CheckedMatch(Article Stored, StoredPlacement? Placement, Comparison Comparison, double Jaccard, double Containment);

/// <summary>
/// Reads what the stored pipeline decided, the same way for every host (CLI, web, API): a story by its id or a member's
/// id, and "how does this article relate to what is stored" (check) through the same candidates ingest uses.
/// </summary>
public sealed class StoryReader
{
    private readonly IStore store;
    private readonly AnalyzeOptions options;
    private readonly StoreStateCache? cache;
    private readonly Sketcher sketcher;

    /// <param name="store">What to read.</param>
    /// <param name="options">The analysis settings the store was built with.</param>
    /// <param name="cache">What a long-lived host keeps between checks (document frequencies for the store's current
    /// version, features of stored documents); null reads everything each time.</param>
    public StoryReader(IStore store, AnalyzeOptions? options = null, StoreStateCache? cache = null)
    {
        this.store = store ?? throw new ArgumentNullException(nameof(store));
        this.options = options ?? new AnalyzeOptions();
        this.cache = cache;
        sketcher = new Sketcher(this.options.Sketch);
    }

    /// <summary>
    /// The story named by <paramref name="id"/>: a story id, or the id of a document (its story), or an old story id that
    /// is still a member's id (stories are named after their smallest member id, which changes when a smaller one joins).
    /// Null when nothing is stored under that name.
    /// </summary>
    public async Task<StoredStory?> ReadStoryAsync(string id, int maxMembers = int.MaxValue, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        var storyId = id;
        var memberIds = await store.GetStoryMembersAsync(storyId, cancellationToken).ConfigureAwait(false);
        if (memberIds.Count == 0)
        {
            var group = await store.GetGroupAsync(id, cancellationToken).ConfigureAwait(false);
            if (group is null)
            {
                // A stored document not related yet is a story of its own for now.
                return await store.GetDocumentAsync(id, cancellationToken).ConfigureAwait(false) is { } alone
                    ? new StoredStory(id, [alone.Article], new StoryAnalysis([new DocumentPlacement(id, id, id, null, null, alone.Article.Attribution)], [], []), false, 1)
                    : null;
            }

            storyId = group.StoryId;
            memberIds = await store.GetStoryMembersAsync(storyId, cancellationToken).ConfigureAwait(false);
        }

        var truncated = memberIds.Count > maxMembers;
        var ids = truncated ? [.. memberIds.Take(maxMembers)] : memberIds;
        var documents = (await store.GetDocumentsAsync(ids, cancellationToken).ConfigureAwait(false)).OrderBy(d => d.Position).ToList();
        var placements = (await store.GetPlacementsAsync(ids, cancellationToken).ConfigureAwait(false)).ToDictionary(p => p.DocumentId, StringComparer.Ordinal);
        var pending = new HashSet<string>(await store.GetPendingAsync(int.MaxValue, cancellationToken).ConfigureAwait(false), StringComparer.Ordinal);
        var articles = documents.Select(d => d.Article).ToList();
        var documentPlacements = articles.Select(a => placements.TryGetValue(a.Id, out var p)
            ? new DocumentPlacement(a.Id, p.FamilyId, p.StoryId, p.Parent, p.Relation, p.Origin)
            : new DocumentPlacement(a.Id, a.Id, storyId, null, null, a.Attribution)).ToList();
        var pairs = (await store.GetPairsAmongAsync(ids, cancellationToken).ConfigureAwait(false))
            .Select(p => p.Details ?? new RelatedPair(p.A, p.B, p.Relation ?? Relations.Copy, p.Similarity ?? p.Jaccard, p.Jaccard, p.Containment, 0, 0, 0, 0, []))
            .ToList();
        var trees = await store.GetTreesAsync(storyId, cancellationToken).ConfigureAwait(false);
        return new StoredStory(storyId, articles, new StoryAnalysis(documentPlacements, pairs, trees), truncated, articles.Count(a => pending.Contains(a.Id)));
    }

    /// <summary>
    /// Every story the store holds, members in insertion order: the whole stored corpus as one analysis (for `lineage`
    /// over a database). Streams story by story; the result holds them all.
    /// </summary>
    public async Task<CorpusAnalysis> ReadAllAsync(CancellationToken cancellationToken = default)
    {
        var page = await store.ListStoriesAsync(new StoryQuery { Limit = 0 }, cancellationToken).ConfigureAwait(false);
        var articles = new List<Article>();
        var placements = new List<DocumentPlacement>();
        var pairs = new List<RelatedPair>();
        var trees = new List<LineageTree>();
        foreach (var summary in page.Stories)
        {
            if (await ReadStoryAsync(summary.StoryId, int.MaxValue, cancellationToken).ConfigureAwait(false) is not { } story)
            {
                continue;
            }

            articles.AddRange(story.Articles);
            placements.AddRange(story.Analysis.Documents);
            pairs.AddRange(story.Analysis.Pairs);
            trees.AddRange(story.Analysis.Trees);
        }

        var analysis = new StoryAnalysis(placements, pairs, trees);
        return new StoredStory(string.Empty, articles, analysis, false, 0).ToCorpusAnalysis();
    }

    /// <summary>
    /// How <paramref name="article"/> relates to the stored documents: the candidates ingest would take (same content, LSH
    /// bands, term postings), each compared with the store's term statistics; related ones only, most similar first.
    /// Stores nothing. The article is an outsider: a stored document with the same id is still found.
    /// </summary>
    public async Task<IReadOnlyList<CheckedMatch>> CheckAsync(Article article, int top, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(article);
        return await (cache ?? new StoreStateCache(maxDocuments: 0)).LendAsync(known => CheckAsync(article, top, known, cancellationToken)).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<CheckedMatch>> CheckAsync(Article article, int top, StoreStateCache known, CancellationToken cancellationToken)
    {
        var relater = new StoreRelater(store, options);
        var features = StoryAnalyzer.Features(article);
        var sketch = sketcher.Sketch(article.Body);
        await known.SyncAsync(store, cancellationToken).ConfigureAwait(false);
        var count = await known.CountAsync(store, cancellationToken).ConfigureAwait(false);
        var frequencies = known.Frequencies;
        var candidates = (await relater.FindCandidatesAsync([features], [sketch], count, cancellationToken, unstored: true, frequencies).ConfigureAwait(false))[0];
        var documents = await store.GetDocumentsAsync([.. candidates], cancellationToken).ConfigureAwait(false);
        var storedFeatures = documents.Select(d => known.FeaturesOf(d.Article)).ToArray();
        var statistics = await relater.StatisticsAsync([features, .. storedFeatures], count, cancellationToken, frequencies).ConfigureAwait(false);
        known.Trim();
        var placements = (await store.GetPlacementsAsync([.. documents.Select(d => d.Article.Id)], cancellationToken).ConfigureAwait(false))
            .ToDictionary(p => p.DocumentId, StringComparer.Ordinal);
        // Labeled as ingest labels a pair (what changed is not worked out: for most candidates the answer is "unrelated"),
        // then the related ones compared again with every change listed, for the answer.
        var matches = new List<CheckedMatch>();
        for (var i = 0; i < documents.Count; i++)
        {
            var stored = documents[i].Article;
            if (PairComparer.Compare(stored, storedFeatures[i], article, features, statistics, allChanges: false).Relation == Relations.Unrelated)
            {
                continue;
            }

            var comparison = PairComparer.Compare(stored, storedFeatures[i], article, features, statistics, allChanges: true);
            if (comparison.Relation != Relations.Unrelated)
            {
                // Shingle overlap for the few related ones only: the answer shows how much text they share.
                var storedSketch = known.FeaturesOf(documents[i], sketcher).Sketch;
                var (jaccard, containment, _) = sketch.IsEmpty || storedSketch.IsEmpty ? (0.0, 0.0, 0) : sketch.Overlap(storedSketch);
                matches.Add(new CheckedMatch(stored, placements.GetValueOrDefault(stored.Id), comparison, jaccard, containment));
            }
        }

        return [.. matches.OrderByDescending(m => m.Comparison.Similarity).ThenBy(m => m.Stored.Id, StringComparer.Ordinal).Take(Math.Max(1, top))];
    }
}
