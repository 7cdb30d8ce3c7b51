using System.Collections.Concurrent;
using System.Threading.Channels;
using Stemma.Index;
using Stemma.Lineage;
using Stemma.Pipeline;
using Stemma.Present;
using Stemma.Relate;
using Stemma.Storage;

namespace Stemma.Web.Services;

/// <summary>One stored article after an upload: where it landed and what it joined.</summary>
public sealed record IngestedDocument(string Id, string Status, string? Error, string? Family, string? Story, int StorySize);

public sealed record IngestSummary(IReadOnlyList<IngestedDocument> Documents, int Added, int Updated, int Unchanged, int Rejected, int PairsStored);

/// <summary>A stored document the checked article copies or is copied by, with how they relate.</summary>
public sealed record CheckMatch(Article Stored, string? Story, double Jaccard, double Containment, string Relation, double Similarity, IReadOnlyList<Change> Changes);

public sealed record CheckResult(Article Article, IReadOnlyList<CheckMatch> Matches);

/// <summary>A member of a story with its place in the copy tree.</summary>
public sealed record StoryMember(Article Article, string Family, string? Parent, string? Relation, double? Similarity, string? Origin);

/// <summary>A change a copier made, on the edge from <paramref name="Parent"/> to <paramref name="Child"/>.</summary>
public sealed record StoryChange(string Parent, string Child, Change Change);

public sealed record StoryView(string StoryId, IReadOnlyList<StoryMember> Members, IReadOnlyList<LineageTree> Trees, IReadOnlyList<StoryChange> Changes, bool Truncated)
{
    /// <summary>The labeled pairs among the members, as the relate stage stored them.</summary>
    public IReadOnlyList<RelatedPair> Pairs { get; init; } = [];

    /// <summary>The stored analysis the view was made from (placements in the order of <see cref="Articles"/>).</summary>
    public StoryAnalysis Analysis { get; init; } = new([], [], []);

    /// <summary>The members in insertion order, as read from the store.</summary>
    public IReadOnlyList<Article> Articles { get; init; } = [];

    /// <summary>The story in the wire shape every host writes (the API returns it; `story --format json` prints it).</summary>
    public StoryResult ToResult() => StoryResult.From(StoryId, Articles, Analysis, Truncated, PendingMembers);

    /// <summary>Documents that joined after this analysis was made and are being analysed now (0 when current).</summary>
    public int PendingMembers { get; init; }

    public Article? First => Members.Count == 0 ? null : Members[0].Article;

    public StoryMember? Member(string id) => Members.FirstOrDefault(m => m.Article.Id == id);
}

public sealed record CompareView(Article A, Article B, Comparison Comparison);

/// <summary>
/// The web layer's access to the store: reads go straight through (the store allows concurrent readers), writes pass
/// one gate so ingests never interleave, and story analyses are cached until the next write.
/// </summary>
internal sealed class StemmaCatalog : IAsyncDisposable
{
    /// <summary>Stories larger than this are analysed on their first members only, to keep pages fast.</summary>
    public const int MaxAnalyzedMembers = 400;

    private const int MaxCachedStories = 256;

    /// <summary>Smaller stories analyse in a few milliseconds on demand; only larger ones are worth analysing ahead.</summary>
    private const int PrewarmMinStorySize = 8;
    private readonly SemaphoreSlim ingestGate = new(1, 1);
    private static readonly TimeSpan StaleAfter = TimeSpan.FromMilliseconds(60);
    private readonly ConcurrentDictionary<string, StoryEntry> storyCache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, StoryView> lastCompleted = new(StringComparer.Ordinal);
    private readonly Channel<string> prewarmQueue = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly HashSet<string> prewarmPending = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource stopping = new();
    private readonly CancellationToken stoppingToken;
    private readonly Task prewarmer;
    private int prewarmBusy;
    private long storeVersion = -1;

    // Kept for the server's life: what each ingest and check knows of the store carries over to the next (see StoreStateCache).
    private readonly StoreIngestor ingestor;
    private readonly StoreStateCache checkCache = new();

    public StemmaCatalog(IStore store)
    {
        Store = store ?? throw new ArgumentNullException(nameof(store));
        ingestor = new StoreIngestor(store);
        stoppingToken = stopping.Token;
        prewarmer = Task.Run(() => PrewarmLoopAsync(stoppingToken));
    }

    public IStore Store { get; }

    public async Task<IngestSummary> IngestAsync(IReadOnlyList<Article> articles, CancellationToken cancellationToken)
    {
        IngestReport report;
        await ingestGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            report = await ingestor.IngestAsync(articles, null, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ingestGate.Release();
        }

        if (report.Updated > 0)
        {
            // Changed text under a known id: cached analyses cannot tell, so none is trusted.
            storyCache.Clear();
            lastCompleted.Clear();
        }

        var rejected = report.Rejected.ToDictionary(r => r.Id, r => r.Error, StringComparer.Ordinal);
        var documents = new List<IngestedDocument>(articles.Count);
        var storySizes = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var article in articles)
        {
            if (rejected.TryGetValue(article.Id, out var error))
            {
                documents.Add(new IngestedDocument(article.Id, "rejected", error, null, null, 0));
                continue;
            }

            var group = await Store.GetGroupAsync(article.Id, cancellationToken).ConfigureAwait(false);
            var size = 1;
            if (group is not null && !storySizes.TryGetValue(group.StoryId, out size))
            {
                size = (await Store.GetStoryMembersAsync(group.StoryId, cancellationToken).ConfigureAwait(false)).Count;
                storySizes[group.StoryId] = size;
            }

            documents.Add(new IngestedDocument(article.Id, "stored", null, group?.FamilyId, group?.StoryId, size));
        }

        Prewarm(documents.Where(d => d.Story is not null && d.StorySize >= PrewarmMinStorySize).Select(d => d.Story!).Distinct(StringComparer.Ordinal));
        return new IngestSummary(documents, report.Added, report.Updated, report.Unchanged, report.Rejected.Count, report.PairsStored);
    }

    /// <summary>Which stored documents the article copies or is copied by, how each relates and what changed; stores nothing.</summary>
    public async Task<CheckResult> CheckAsync(Article article, int top, CancellationToken cancellationToken)
    {
        // The candidates ingest would take (copies by shingles, spun copies, rewrites and same-event reports by terms),
        // each labeled with the store's statistics, with the shingle overlap of each related one.
        var related = await new StoryReader(Store, cache: checkCache).CheckAsync(article, top, cancellationToken).ConfigureAwait(false);
        var matches = related
            .Select(m => new CheckMatch(m.Stored, m.Placement?.StoryId, m.Jaccard, m.Containment, m.Comparison.Relation, m.Comparison.Similarity, [.. m.Comparison.Changes.Where(c => c.Matters)]))
            .ToList();
        return new CheckResult(article, matches);
    }

    public async Task<Article?> GetArticleAsync(string id, CancellationToken cancellationToken) =>
        (await Store.GetDocumentAsync(id, cancellationToken).ConfigureAwait(false))?.Article;

    public async Task<CompareView?> CompareAsync(string a, string b, CancellationToken cancellationToken)
    {
        var documents = await Store.GetDocumentsAsync([a, b], cancellationToken).ConfigureAwait(false);
        var first = documents.FirstOrDefault(d => d.Article.Id == a)?.Article;
        var second = documents.FirstOrDefault(d => d.Article.Id == b)?.Article;
        return first is null || second is null ? null : new CompareView(first, second, PairComparer.Compare(first, second));
    }

    /// <summary>The story with its members placed in copy trees; null when no such story is stored.</summary>
    /// <param name="storyId">The story id, or the id of one of its members.</param>
    /// <param name="allowStale">Pages may show the previous analysis when a new one takes long (the API always waits).</param>
    /// <param name="cancellationToken">Stops waiting; the analysis itself carries on for other callers.</param>
    public async Task<StoryView?> GetStoryAsync(string storyId, bool allowStale, CancellationToken cancellationToken)
    {
        // Another process (a CLI ingest) may have changed the store: every commit raises its version.
        var version = await Store.GetVersionAsync(cancellationToken).ConfigureAwait(false);
        if (Interlocked.Exchange(ref storeVersion, version) != version)
        {
            storyCache.Clear();
            lastCompleted.Clear();
        }

        var (resolvedId, memberIds) = await ResolveStoryAsync(storyId, cancellationToken).ConfigureAwait(false);
        if (memberIds.Count == 0)
        {
            return null;
        }

        if (allowStale
            && storyCache.TryGetValue(resolvedId, out var running)
            && running.View.IsValueCreated
            && !running.View.Value.IsCompleted
            && !running.MemberIds.SequenceEqual(memberIds, StringComparer.Ordinal)
            && lastCompleted.TryGetValue(resolvedId, out var latest))
        {
            // One analysis per story at a time: while one runs for an older member list, pages show the last result.
            return latest with { PendingMembers = Math.Max(1, memberIds.Count - latest.Members.Count) };
        }

        var fresh = CachedAnalysis(resolvedId, memberIds).View.Value;
        if (allowStale && !fresh.IsCompleted && lastCompleted.TryGetValue(resolvedId, out var previous))
        {
            // A large story that keeps growing would otherwise be re-analysed on every view: show the last analysis,
            // saying how many documents it lacks, while the new one finishes in the background.
            var first = await Task.WhenAny(fresh, Task.Delay(StaleAfter, cancellationToken)).ConfigureAwait(false);
            if (first != fresh)
            {
                return previous with { PendingMembers = Math.Max(1, memberIds.Count - previous.Members.Count) };
            }
        }

        return await fresh.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A story is named after its smallest member id, so the name changes when a smaller id joins. An old name is still a
    /// member's id: follow that member to its story, so links and bookmarks keep working.
    /// </summary>
    private async Task<(string StoryId, IReadOnlyList<string> MemberIds)> ResolveStoryAsync(string storyId, CancellationToken cancellationToken)
    {
        var memberIds = await Store.GetStoryMembersAsync(storyId, cancellationToken).ConfigureAwait(false);
        if (memberIds.Count > 0)
        {
            return (storyId, memberIds);
        }

        var group = await Store.GetGroupAsync(storyId, cancellationToken).ConfigureAwait(false);
        if (group is null || group.StoryId == storyId)
        {
            return (storyId, []);
        }

        return (group.StoryId, await Store.GetStoryMembersAsync(group.StoryId, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The cached analysis when the story still has exactly the members it was made from; a fresh one otherwise.</summary>
    private StoryEntry CachedAnalysis(string storyId, IReadOnlyList<string> memberIds)
    {
        if (storyCache.Count > MaxCachedStories)
        {
            storyCache.Clear();
        }

        StoryEntry Create() => new(memberIds, new Lazy<Task<StoryView?>>(() => AnalyzeAsync(storyId, memberIds)));
        return storyCache.AddOrUpdate(storyId, _ => Create(), (_, existing) => existing.MemberIds.SequenceEqual(memberIds, StringComparer.Ordinal) ? existing : Create());
    }

    private async Task<StoryView?> AnalyzeAsync(string storyId, IReadOnlyList<string> memberIds)
    {
        try
        {
            // Not bound to one request's cancellation (other requests and the prewarmer may await the same analysis),
            // only to the server stopping, so no analysis outlives it.
            var view = await AnalyzeStoryUncachedAsync(storyId, memberIds, stoppingToken).ConfigureAwait(false);
            if (view is not null)
            {
                if (lastCompleted.Count > MaxCachedStories)
                {
                    lastCompleted.Clear();
                }

                lastCompleted[storyId] = view;
            }

            return view;
        }
        catch
        {
            storyCache.TryRemove(storyId, out _);
            throw;
        }
    }

    /// <summary>Analyses the stories an ingest touched in the background, one at a time, so their pages are ready when first opened.</summary>
    private void Prewarm(IEnumerable<string> storyIds)
    {
        foreach (var storyId in storyIds)
        {
            lock (prewarmPending)
            {
                if (!prewarmPending.Add(storyId))
                {
                    continue;
                }
            }

            prewarmQueue.Writer.TryWrite(storyId);
        }
    }

    private async Task PrewarmLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var storyId in prewarmQueue.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                Volatile.Write(ref prewarmBusy, 1);
                lock (prewarmPending)
                {
                    prewarmPending.Remove(storyId);
                }

                try
                {
                    await GetStoryAsync(storyId, allowStale: false, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // A page view retries the analysis and reports the error there.
                }
                finally
                {
                    Volatile.Write(ref prewarmBusy, 0);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
    }

    /// <summary>Completes when no background analysis is queued or running (for tests and benchmarks).</summary>
    internal async Task WaitForPrewarmAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            bool pending;
            lock (prewarmPending)
            {
                pending = prewarmPending.Count > 0;
            }

            if (!pending && Volatile.Read(ref prewarmBusy) == 0)
            {
                return;
            }

            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<StoryView?> AnalyzeStoryUncachedAsync(string storyId, IReadOnlyList<string> memberIds, CancellationToken cancellationToken)
    {
        // What the stored pipeline decided, read the same way the CLI reads it: no host re-derives relations.
        var story = await new StoryReader(Store).ReadStoryAsync(storyId, MaxAnalyzedMembers, cancellationToken).ConfigureAwait(false);
        if (story is null)
        {
            return null;
        }

        var analysis = story.Analysis;
        var members = StoryMembers.InReadingOrder(story.Articles, analysis)
            .Select(m => new StoryMember(m.Article, m.Placement.Family, m.Parent, m.Relation, m.Edge?.Similarity, m.Placement.Origin))
            .ToList();
        var changes = analysis.Trees
            .SelectMany(t => t.Edges)
            .SelectMany(e => e.Changes.Where(c => c.Kind is ChangeKind.Figure or ChangeKind.Quote or ChangeKind.Date or ChangeKind.Entity).Select(c => new StoryChange(e.Parent, e.Child, c)))
            .ToList();
        return new StoryView(story.StoryId, members, StoryMembers.TreesInOrder(analysis.Trees), changes, story.Truncated) { PendingMembers = story.PendingMembers, Pairs = analysis.Pairs, Analysis = analysis, Articles = story.Articles };
    }

    public async ValueTask DisposeAsync()
    {
        prewarmQueue.Writer.TryComplete();
        await stopping.CancelAsync().ConfigureAwait(false);
        await prewarmer.ConfigureAwait(false);
        stopping.Dispose();
        ingestGate.Dispose();
        await Store.DisposeAsync().ConfigureAwait(false);
    }
}

/// <summary>A cached analysis and the member list it was made from (valid while the story has exactly those members).</summary>
internal sealed record StoryEntry(IReadOnlyList<string> MemberIds, Lazy<Task<StoryView?>> View);
