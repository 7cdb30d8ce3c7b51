using Stemma.Index;
using Stemma.Relate;
using Stemma.Sketch;
using Stemma.Storage;

namespace Stemma.Pipeline;

/// <summary>Settings of the stored pipeline beyond the analysis itself.</summary>
public sealed record StorePipelineOptions
{
    /// <summary>Documents written per transaction while adding (the least, when <see cref="BatchBytes"/> sizes batches).</summary>
    public int AddBatchSize { get; init; } = 5000;

    /// <summary>
    /// Pending documents related per region; bounds the memory of one relate step (the least, when
    /// <see cref="BatchBytes"/> sizes regions). A region that relates stale documents again always holds this many.
    /// </summary>
    public int RelateBatchSize { get; init; } = 10000;

    /// <summary>
    /// 0: add batches and regions hold <see cref="AddBatchSize"/> and <see cref="RelateBatchSize"/> documents. Otherwise
    /// what one add batch, and the pending documents of one region, may hold in memory with their texts and features, in
    /// bytes (as <see cref="ScreenedDocuments.FullBytes"/> estimates them, averaged over the documents this ingest has
    /// sketched so far): a bulk ingest then writes and relates more documents at a time, since every add transaction and
    /// every region costs something beside its documents (index pages written again; a look-up of the region's terms; in
    /// every region after the first, its probes looked up against what the earlier ones stored). Never fewer documents
    /// than the fixed sizes, never more than <see cref="MaxBatchGrowth"/>
    /// times them. The CLI's <c>ingest</c> uses <see cref="BulkBatchBytes"/> unless given <c>--batch-size</c>.
    /// </summary>
    public long BatchBytes { get; init; }

    /// <summary>What <see cref="BatchBytes"/> may make of the fixed sizes at most (a bound on the documents of a region
    /// whatever their size: a region's pairs grow with its documents, not its bytes).</summary>
    public int MaxBatchGrowth { get; init; } = 8;

    /// <summary>
    /// The <see cref="BatchBytes"/> of a bulk ingest: half of <see cref="MemoryBudget"/>'s default, so that a region's
    /// documents leave the screens at least as much (about 17,400 news articles of 19 KB).
    /// </summary>
    public const long BulkBatchBytes = 320L << 20;

    /// <summary>
    /// How many documents an add batch (<paramref name="fixedSize"/> = <see cref="AddBatchSize"/>) or a region
    /// (<see cref="RelateBatchSize"/>) takes, given the average estimated bytes of a document; 0 when not known.
    /// </summary>
    public int SizeFor(int fixedSize, double documentBytes)
    {
        if (BatchBytes <= 0 || documentBytes <= 0)
        {
            return fixedSize;
        }

        var fitting = BatchBytes / documentBytes;
        return (int)Math.Clamp(fitting, fixedSize, (double)fixedSize * Math.Max(1, MaxBatchGrowth));
    }

    /// <summary>
    /// A placement is made again when the store has grown by this factor since it was made: document frequencies move
    /// with the corpus, and this bounds how far the statistics behind any stored relation lag the current ones
    /// (see docs/storage.md). 0 turns re-labelling off.
    /// </summary>
    public double RelabelGrowth { get; init; } = 2.0;

    /// <summary>
    /// Whether a relate pass over more pending documents than one region holds takes them in the relate order (documents
    /// that likely relate together, <see cref="RelateOrder"/>) instead of insertion order. Either stores the same result;
    /// the order decides how often a story scattered over the input is loaded and analysed again.
    /// </summary>
    public bool ArrangeRegions { get; init; } = true;

    /// <summary>Stored documents taken from the term postings per probe (more than the in-memory index keeps: the
    /// region analysis decides among them).</summary>
    public int TermCandidatesPerDocument { get; init; } = 12;

    /// <summary>
    /// Documents a relate pass keeps the terms, names and shingles of (about 4 KB each, no text), so that a document
    /// read once in the pass is screened as a candidate of later regions without reading and tokenising its text again;
    /// the oldest go first. 0 keeps none.
    /// </summary>
    public int ScreenedDocuments { get; init; } = 100_000;

    /// <summary>
    /// What the screens of <see cref="ScreenedDocuments"/> may hold in all, in bytes (as <see cref="Screened.Bytes"/>
    /// counts them): a pass over a large batch keeps this much of it, not the whole batch; the screens used since they
    /// were kept stay longest.
    /// </summary>
    public long ScreenedBytes { get; init; } = 512L << 20;

    /// <summary>
    /// What the screens and the documents of the region being related may hold together, in bytes (screens as
    /// <see cref="Screened.Bytes"/> counts them, a region's documents as <see cref="ScreenedDocuments.FullBytes"/> estimates
    /// them with their texts and full features): a region larger than most (re-labelling, a large story) makes the screens
    /// give up the difference, so that it does not come on top of full screens. Never more than
    /// <see cref="ScreenedBytes"/> is screened.
    /// </summary>
    public long MemoryBudget { get; init; } = 640L << 20;

    /// <summary>
    /// Stored candidates a region reads at a time to screen them (each held with its text and full features, about 20 KB,
    /// until it is screened): the region's candidates grow with the store, this slice does not.
    /// </summary>
    public int CandidatesReadAtOnce { get; init; } = 2048;

    public static StorePipelineOptions Default { get; } = new();
}

/// <summary>What one relate pass did.</summary>
public sealed record RelateReport(int Related, int Regions, int RegionDocuments, int Pairs, int Stories, bool Cancelled);

/// <summary>
/// Runs the relate stage over a store, incrementally: pending documents (added or updated, not yet related) are related in
/// regions made of them, the stored documents they may relate to (content hash, LSH bands, term postings) and the whole
/// stories of those; each region is analysed exactly as <see cref="CorpusAnalyzer"/> analyses a corpus, with the store's
/// document frequencies, and its results replace what the store held for it in one commit.
/// </summary>
public sealed class StoreRelater
{
    private readonly IStore store;
    private readonly AnalyzeOptions options;
    private readonly StoryAnalyzerOptions relateOptions;
    private readonly StorePipelineOptions pipeline;
    private readonly Sketcher sketcher;
    private readonly LshParameters lsh;

    // Holds only the options: its filters are what the labelling of candidates applies (see Screen).
    private readonly StoryAnalyzer screen;

    public StoreRelater(IStore store, AnalyzeOptions? options = null, StorePipelineOptions? pipeline = null)
    {
        this.store = store ?? throw new ArgumentNullException(nameof(store));
        this.options = options ?? new AnalyzeOptions();
        relateOptions = this.options.Relate ?? new StoryAnalyzerOptions();
        this.pipeline = pipeline ?? StorePipelineOptions.Default;
        sketcher = new Sketcher(this.options.Sketch);
        lsh = StoreIngestor.LshParametersFor(this.options);
        screen = new StoryAnalyzer(relateOptions);
    }

    /// <summary>Called with <c>related:N</c> after the N-th region is committed, and <c>analyzing:N</c> when its analysis starts (nothing of it written yet).</summary>
    public Action<string>? Committed { get; init; }

    /// <summary>
    /// Features and sketches the caller already computed for some documents (the ingest's add step), by id; each must be of
    /// the document as stored. Used instead of computing them again, for the region whose pending documents they are; let
    /// go after it (they are a region's worth of memory, and later regions screen those documents from what the pass kept).
    /// </summary>
    public IReadOnlyDictionary<string, (TextFeatures Features, DocumentSketch Sketch)>? Computed { get => computed; init => computed = value; }

    private IReadOnlyDictionary<string, (TextFeatures Features, DocumentSketch Sketch)>? computed;

    /// <summary>Called with one line per region saying where its time went (for <c>--verbose</c> and benchmarks).</summary>
    public Action<string>? Log { get; init; }

    /// <summary>
    /// What this process knows of the store between operations (count, document frequencies, features of stored
    /// documents). The ingest holding the writer lock passes its own, kept from one ingest to the next; null: one made for
    /// this pass.
    /// </summary>
    internal StoreStateCache? Cache { get; init; }

    /// <summary>
    /// The average estimated bytes of a pending document (<see cref="ScreenedDocuments.FullBytes"/>), as the add step
    /// measured it; sizes regions by <see cref="StorePipelineOptions.BatchBytes"/>. 0: not known, regions of
    /// <see cref="StorePipelineOptions.RelateBatchSize"/>.
    /// </summary>
    internal double DocumentBytes { get; init; }

    /// <summary>What the add step kept for ordering pending documents into regions (<see cref="RelateOrder"/>); null: insertion order.</summary>
    internal RelateOrder? Order { get; init; }

    /// <summary>Relates every pending document, one region at a time; when cancelled, stops between regions or in a region's analysis (which then writes nothing).</summary>
    public async Task<RelateReport> RelateAsync(CancellationToken stop = default)
    {
        int related = 0, regions = 0, regionDocuments = 0, pairs = 0, stories = 0;
        var relabelling = pipeline.RelabelGrowth > 1;
        var relabelled = new HashSet<string>(StringComparer.Ordinal);
        var cache = Cache ?? new StoreStateCache(maxDocuments: 0);
        await cache.SyncAsync(store, CancellationToken.None).ConfigureAwait(false);

        // Kept for this pass only: it holds the writer lock (or is a one-shot), so no document read in it changes.
        var screens = new ScreenedDocuments(pipeline.ScreenedDocuments, pipeline.ScreenedBytes);
        var regionSize = pipeline.SizeFor(pipeline.RelateBatchSize, DocumentBytes);
        var arranged = await ArrangeAsync(regionSize).ConfigureAwait(false);
        while (true)
        {
            if (stop.IsCancellationRequested)
            {
                return new RelateReport(related, regions, regionDocuments, pairs, stories, Cancelled: true);
            }

            IReadOnlyList<string> stale = [];
            if (relabelling)
            {
                // Placements made when the corpus was much smaller: all related again with today's statistics, half a
                // region of them at a time beside pending documents, so no region holds more documents than any other.
                // Each comes back once at most (its new placement records today's count).
                var count = await cache.CountAsync(store, CancellationToken.None).ConfigureAwait(false);
                var found = await store.GetLabeledBeforeAsync((long)Math.Floor(count / pipeline.RelabelGrowth), Math.Max(1, pipeline.RelateBatchSize / 2), CancellationToken.None).ConfigureAwait(false);
                stale = [.. found.Where(relabelled.Add)];
                relabelling = stale.Count > 0;
            }

            // The arranged runs first (each region's documents leave the pending set with its commit), then whatever else
            // is pending, in insertion order. A region with stale documents keeps the fixed size: their whole stories come
            // with them, so it grows well beyond its pending documents (at a million documents, 18,000-26,000 of 10,000).
            var asked = stale.Count > 0 ? Math.Max(1, pipeline.RelateBatchSize - stale.Count) : regionSize;
            var batch = arranged.Count > 0
                ? Next(arranged, asked)
                : await store.GetPendingAsync(asked, CancellationToken.None).ConfigureAwait(false);

            if (batch.Count == 0 && stale.Count == 0)
            {
                return new RelateReport(related, regions, regionDocuments, pairs, stories, Cancelled: false);
            }

            (int RegionDocuments, int Pairs, int Stories) step;
            try
            {
                step = await RelateRegionAsync(batch, batch.Count < asked && arranged.Count == 0, stale, cache, screens, regions + 1, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // Stopped in the region's analysis, before its commit: its documents stay pending for the next run.
                return new RelateReport(related, regions, regionDocuments, pairs, stories, Cancelled: true);
            }

            Log?.Invoke(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"screens kept: {screens.Count} documents, {screens.Bytes / 1e6:F0} MB of {screens.Allowed / 1e6:F0} MB allowed"));
            related += batch.Count;
            regions++;
            regionDocuments += step.RegionDocuments;
            pairs += step.Pairs;
            stories += step.Stories;
            Committed?.Invoke(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"related:{regions}"));
        }
    }

    /// <summary>Every pending document in the order of <see cref="Order"/>; empty without one.</summary>
    private async Task<Queue<string>> ArrangeAsync(int regionSize)
    {
        if (Order is null || !pipeline.ArrangeRegions)
        {
            return [];
        }

        var clock = new StageClock();
        var pending = await store.GetPendingAsync(int.MaxValue, CancellationToken.None).ConfigureAwait(false);
        if (pending.Count <= regionSize)
        {
            // One region holds them all: nothing to arrange.
            return [];
        }

        var order = Order.Arrange(pending, out var groups, out var largest);
        Log?.Invoke($"arranged {pending.Count} pending documents: {groups} groups, the largest of {largest}, {clock.Lap()}");
        return new Queue<string>(order);
    }

    private static List<string> Next(Queue<string> arranged, int count)
    {
        var batch = new List<string>(Math.Min(count, arranged.Count));
        while (batch.Count < count && arranged.TryDequeue(out var id))
        {
            batch.Add(id);
        }

        return batch;
    }

    /// <param name="stop">Stops the region's analysis (nothing of the region is written then); reads and the commit run on.</param>
    /// <param name="wholePending">Whether <paramref name="pendingBatch"/> is every pending document (else they are read).</param>
    private async Task<(int RegionDocuments, int Pairs, int Stories)> RelateRegionAsync(IReadOnlyList<string> pendingBatch, bool wholePending, IReadOnlyList<string> stale, StoreStateCache cache, ScreenedDocuments screens, int regionNumber, CancellationToken stop)
    {
        var cancellationToken = CancellationToken.None;
        var clock = new StageClock();
        var processorTime = Environment.CpuUsage.TotalTime;
        var steps = new StageClock();
        var candidateSteps = string.Empty;
        var count = await cache.CountAsync(store, cancellationToken).ConfigureAwait(false);

        var allPending = new HashSet<string>(
            wholePending ? pendingBatch : await store.GetPendingAsync(int.MaxValue, cancellationToken).ConfigureAwait(false),
            StringComparer.Ordinal);
        var probes = await store.GetDocumentsAsync(pendingBatch, cancellationToken).ConfigureAwait(false);
        var regionIds = new HashSet<string>(probes.Select(p => p.Article.Id), StringComparer.Ordinal);
        regionIds.UnionWith(stale);

        // Documents read, and their features and sketches: the probes' serve the candidate look-up, the labelling of
        // candidates and the region's analysis; the candidates' serve the labelling and, for those kept, the analysis.
        var loaded = probes.ToDictionary(p => p.Article.Id, StringComparer.Ordinal);
        var frequencies = cache.Frequencies;

        // One statistics object for the look-up, the screening and the analysis (see IncludeAsync).
        var statistics = TermStatistics.Growing((int)Math.Min(int.MaxValue, count));
        var probeTerms = new Dictionary<string, (uint[] Terms, float[] Weights, float Norm)>(StringComparer.Ordinal);
        var work = new Dictionary<string, (TextFeatures Features, DocumentSketch Sketch)>(StringComparer.Ordinal);
        var tookComputed = computed is not null && probes.Any(p => computed.ContainsKey(p.Article.Id));
        Compute(probes, work, cache, screens);
        var probeTime = steps.Lap();
        var probeCpu = Environment.CpuUsage.TotalTime - processorTime;
        IReadOnlyList<string> formerStories = [];
        int candidateCount = 0, relatedCount = 0;

        // Stored documents the probes may relate to; pending ones are left to their own batch, which finds these.
        if (count > allPending.Count)
        {
            var chosen = new (uint[] Terms, float[] Weights, float Norm)[probes.Count];
            var lookUpSteps = new List<string>();
            // When this pass's order holds every stored document, their content hashes and band keys are matched in memory
            // (pending ones are left out here rather than below).
            Func<int[], IReadOnlyList<IReadOnlyList<string>>>? sharing = Order is { } order && order.Covers(count) && probes.All(p => order.Holds(p.Article.Id))
                ? sketched => order.SharingKeys([.. sketched.Select(i => probes[i].Article.Id)], id => !allPending.Contains(id))
                : null;
            var found = await FindCandidatesAsync([.. probes.Select(p => work[p.Article.Id].Features)], [.. probes.Select(p => work[p.Article.Id].Sketch)], count, cancellationToken, frequencies: frequencies, statistics: statistics, chosen: chosen, steps: lookUpSteps, sharing: sharing).ConfigureAwait(false);
            for (var i = 0; i < probes.Count; i++)
            {
                probeTerms[probes[i].Article.Id] = chosen[i];
            }

            var candidates = found.Select(ids => ids.Where(id => !allPending.Contains(id)).ToArray()).ToArray();
            var lookUpTime = steps.Lap();

            // Candidates this pass has read before are screened from what it kept of them; only the others are read now.
            // The kept ones are taken first: keeping the documents read now may push older ones out of the screens.
            var distinct = candidates.SelectMany(ids => ids).Distinct(StringComparer.Ordinal).ToList();
            var kept = new Dictionary<string, Screened>(distinct.Count, StringComparer.Ordinal);
            foreach (var id in distinct)
            {
                if (screens.Get(id) is { } screen)
                {
                    kept[id] = screen;
                }
            }

            // The others are read a slice at a time and kept as screens only (no text): a region's stored candidates grow
            // with the store (58,000 a region at a million documents, half of them not screened before), and held whole,
            // with texts and full features at about 20 KB each, they came on top of the screens. The few the screen cannot
            // decide, and those that join the region, are read again (RelatedCandidatesAsync, the region's load). Slices
            // are of equal size: a small one would be featured through the cache of single adds (ComputeAll).
            var unscreened = distinct.Where(id => !kept.ContainsKey(id)).ToList();
            StageTime readTime = default, featureTime = default;
            var perSlice = Math.Max(1, pipeline.CandidatesReadAtOnce);
            var slices = (unscreened.Count + perSlice - 1) / perSlice;
            for (var k = 0; k < slices; k++)
            {
                var (from, to) = ((int)((long)unscreened.Count * k / slices), (int)((long)unscreened.Count * (k + 1) / slices));
                var slice = await store.GetDocumentsAsync(unscreened.GetRange(from, to - from), cancellationToken).ConfigureAwait(false);
                readTime = Sum(readTime, steps.Lap());
                var sliceFeatures = new TextFeatures[slice.Count];
                var sliceSketches = new DocumentSketch[slice.Count];
                ComputeAll(slice, sliceFeatures, sliceSketches, cache);
                for (var i = 0; i < slice.Count; i++)
                {
                    kept[slice[i].Article.Id] = screens.Keep(slice[i], sliceFeatures[i], sliceSketches[i]);
                }

                featureTime = Sum(featureTime, steps.Lap());
            }

            var screened = kept;
            candidateCount = screened.Count;

            // Only the candidates some probe relates to join the region (see docs/storage.md): the others, and their
            // stories, keep what they hold.
            await IncludeAsync(statistics, frequencies, screened.Values.Select(c => c.Features), cancellationToken).ConfigureAwait(false);
            var (related, compared) = await RelatedCandidatesAsync(probes, candidates, screened, loaded, work, statistics, cache, screens, cancellationToken).ConfigureAwait(false);
            relatedCount = related.Count;
            regionIds.UnionWith(related);

            // The candidates no probe relates to leave memory now; weights cached on the kept screens would hold on to
            // this region's statistics.
            foreach (var (id, candidate) in screened)
            {
                candidate.Features.ForgetWeights();
                if (!related.Contains(id))
                {
                    loaded.Remove(id);
                    work.Remove(id);
                }
            }

            var labelTime = steps.Lap();

            // Whole stories: a region replaces what the store held for every story it touches.
            var placements = await store.GetPlacementsAsync([.. regionIds], cancellationToken).ConfigureAwait(false);
            formerStories = [.. placements.Select(p => p.StoryId).Distinct(StringComparer.Ordinal)];
            foreach (var members in await store.GetStoryMembersAsync(formerStories, cancellationToken).ConfigureAwait(false))
            {
                regionIds.UnionWith(members);
            }

            candidateSteps = $" [probes {probeTime}, CPU {Seconds(probeCpu)}, look-up {lookUpTime} ({string.Join(", ", lookUpSteps)}), read {readTime} ({unscreened.Count} not screened before), features {featureTime}, labels {labelTime} ({compared} pairs compared), stories {steps.Lap()}]";
        }

        var lookUp = clock.Lap();
        var others = await store.GetDocumentsAsync([.. regionIds.Where(id => !loaded.ContainsKey(id))], cancellationToken).ConfigureAwait(false);
        var documents = loaded.Values.Where(d => regionIds.Contains(d.Article.Id)).Concat(others).OrderBy(d => d.Position).ToList();
        loaded.Clear();
        var articles = documents.Select(d => d.Article).ToList();
        var sketches = new DocumentSketch[articles.Count];
        var features = new TextFeatures[articles.Count];
        ComputeAll(documents, features, sketches, cache, work);

        // The region's documents, whole, and the screens share the budget until the next region is loaded.
        long regionBytes = 0;
        for (var i = 0; i < documents.Count; i++)
        {
            regionBytes += ScreenedDocuments.FullBytes(documents[i], features[i], sketches[i]);
        }

        screens.Limit(pipeline.MemoryBudget - regionBytes);
        for (var i = 0; i < documents.Count; i++)
        {
            screens.Keep(documents[i], features[i], sketches[i]);
        }

        work.Clear();
        var load = clock.Lap();
        await IncludeAsync(statistics, frequencies, features, cancellationToken).ConfigureAwait(false);
        cache.Trim();

        // Small work runs on this thread: spreading a handful of items over the pool costs more than it saves.
        Committed?.Invoke(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"analyzing:{regionNumber}"));
        var analyzer = new StoryAnalyzer(articles.Count < ParallelFrom ? relateOptions with { MaxDegreeOfParallelism = 1 } : relateOptions);
        var nearDuplicates = NearDuplicateFinder.FindPairs(sketches, options.NearDuplicates, stop);
        var analysis = analyzer.Analyze(articles, nearDuplicates, sketches, features, statistics, stop);

        // Postings are written for the documents this region relates for the first time (or again, being stale); the
        // other members keep the postings made when they were related (the same drift bound as their placements), so
        // adding one article to a large story rewrites one document's postings, not the story's.
        var posted = new HashSet<string>(pendingBatch, StringComparer.Ordinal);
        posted.UnionWith(stale);
        var toPost = Enumerable.Range(0, articles.Count).Where(i => posted.Contains(articles[i].Id)).ToArray();
        var postings = new (string DocumentId, PostedTerm[] Terms)[toPost.Length];
        For(toPost.Length, k => postings[k] = (articles[toPost[k]].Id, Posted(
            probeTerms.TryGetValue(articles[toPost[k]].Id, out var terms) ? terms : TermIndex.ChooseTerms(features[toPost[k]], statistics, relateOptions))));
        var commit = new RelateCommit(
            [.. regionIds],
            [.. analysis.Documents.Select(d => new StoredPlacement(d.Id, d.Family, d.Story, d.Parent, d.Relation, d.Origin, count))],
            [.. analysis.Pairs.Select(p => new PairScore(p.A, p.B, p.Jaccard ?? 0, p.Containment ?? 0, p.Relation, p.Similarity, p))],
            analysis.Trees,
            postings,
            pendingBatch)
        {
            FormerStories = formerStories,
        };

        var analyzed = clock.Lap();
        var before = cache.Version;
        var commitCpu = Environment.CpuUsage.TotalTime;
        cache.Committed(before, await store.CommitRelateAsync(commit, cancellationToken).ConfigureAwait(false));
        commitCpu = Environment.CpuUsage.TotalTime - commitCpu;
        if (tookComputed)
        {
            computed = null;
        }
        var none = candidateCount > 0 && relatedCount == 0 ? ", related to none" : string.Empty;
        Log?.Invoke($"region of {articles.Count} ({pendingBatch.Count} pending, {candidateCount} stored candidates, {relatedCount} related{none}): candidates {lookUp}{candidateSteps}, load {load}, analysis {analyzed} [{analysis.Timings}], commit {clock.Lap()}, CPU {Seconds(commitCpu)}; CPU {Seconds(Environment.CpuUsage.TotalTime - processorTime)}");
        return (commit.Region.Count, analysis.Pairs.Count, analysis.Documents.Select(d => d.Story).Distinct(StringComparer.Ordinal).Count());
    }

    private static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("0.00 s", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// The stored candidates that some probe may relate to, each pair decided as the region's analysis would decide it; a
    /// candidate found related is not labelled again with another probe. Pairs are first screened from terms, names and
    /// shingles (<see cref="Screen"/>, no text needed); only the few the screen cannot decide are labelled
    /// (<see cref="Relates"/>), and only their candidates' texts are read (those this pass screened from what it kept).
    /// Returns the related candidates and how many pairs were labelled in full.
    /// </summary>
    private async Task<(HashSet<string> Related, int Compared)> RelatedCandidatesAsync(
        IReadOnlyList<StoredDocument> probes,
        string[][] candidates,
        Dictionary<string, Screened> screened,
        Dictionary<string, StoredDocument> loaded,
        Dictionary<string, (TextFeatures Features, DocumentSketch Sketch)> work,
        TermStatistics statistics,
        StoreStateCache cache,
        ScreenedDocuments screens,
        CancellationToken cancellationToken)
    {
        var related = new System.Collections.Concurrent.ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        var undecided = new System.Collections.Concurrent.ConcurrentBag<(int Probe, string Candidate, double Cosine, bool MayShareText)>();
        For(probes.Count, i =>
        {
            var probe = probes[i];
            var (probeFeatures, probeSketch) = work[probe.Article.Id];
            foreach (var id in candidates[i])
            {
                if (related.ContainsKey(id) || !screened.TryGetValue(id, out var candidate))
                {
                    continue;
                }

                var (verdict, cosine, mayShareText) = candidate.Position < probe.Position
                    ? Screen(candidate.Features, candidate.Sketch, probeFeatures, probeSketch, statistics)
                    : Screen(probeFeatures, probeSketch, candidate.Features, candidate.Sketch, statistics);
                if (verdict == PairVerdict.Relates)
                {
                    related.TryAdd(id, true);
                }
                else if (verdict == PairVerdict.Compare)
                {
                    undecided.Add((i, id, cosine, mayShareText));
                }
            }
        });

        var pairs = undecided.Where(p => !related.ContainsKey(p.Candidate)).OrderBy(p => p.Probe).ThenBy(p => p.Candidate, StringComparer.Ordinal).ToList();
        var unread = pairs.Select(p => p.Candidate).Where(id => !loaded.ContainsKey(id)).Distinct(StringComparer.Ordinal).ToList();
        if (unread.Count > 0)
        {
            var read = await store.GetDocumentsAsync(unread, cancellationToken).ConfigureAwait(false);
            foreach (var document in read)
            {
                loaded[document.Article.Id] = document;
            }

            Compute(read, work, cache, screens);
        }

        For(pairs.Count, k =>
        {
            var (i, id, cosine, mayShareText) = pairs[k];
            if (related.ContainsKey(id) || !loaded.TryGetValue(id, out var candidate))
            {
                return;
            }

            var probe = probes[i];
            var probeFeatures = work[probe.Article.Id].Features;
            var candidateFeatures = work[id].Features;
            var relates = candidate.Position < probe.Position
                ? Relates(candidate.Article, candidateFeatures, probe.Article, probeFeatures, statistics, cosine, mayShareText)
                : Relates(probe.Article, probeFeatures, candidate.Article, candidateFeatures, statistics, cosine, mayShareText);
            if (relates)
            {
                related.TryAdd(id, true);
            }
        });

        return (new HashSet<string>(related.Keys, StringComparer.Ordinal), pairs.Count);
    }

    /// <summary>What <see cref="Screen"/> can tell of a pair without its texts.</summary>
    private enum PairVerdict
    {
        /// <summary>A near duplicate: related.</summary>
        Relates,

        /// <summary>Dropped by the analysis's filters: never related.</summary>
        Unrelated,

        /// <summary>Passes the filters: the label decides (<see cref="Relates"/>), which reads both texts.</summary>
        Compare,
    }

    /// <summary>
    /// The first half of the pair decision: whether the region's analysis (<see cref="StoryAnalyzer"/>) may give two
    /// documents, <paramref name="featuresA"/> inserted before <paramref name="featuresB"/>, a relation, decided as it
    /// decides. A near duplicate (same content, or accepted by the near-duplicate test: always compared there, and it
    /// changes which document of its group is indexed) relates; any other pair is compared unless the analysis's own
    /// filters (weighted cosine or shared names; shared text or a topical cosine) would drop it, whether or not its term
    /// index would propose it, and then relates when its label (<see cref="Relates"/>) is not unrelated. Unrelated means
    /// the analysis of any region holding both leaves the pair without a relation. This half reads no text (content
    /// hashes and shingles, weighted terms and names): features without their text (<see cref="TextFeatures.WithoutText"/>)
    /// and sketches without their signature give the same answer as the full ones.
    /// </summary>
    private (PairVerdict Verdict, double Cosine, bool MayShareText) Screen(TextFeatures featuresA, DocumentSketch sketchA, TextFeatures featuresB, DocumentSketch sketchB, TermStatistics statistics)
    {
        var sketched = !sketchA.IsEmpty && !sketchB.IsEmpty;
        if (sketched && sketchA.ContentHash == sketchB.ContentHash)
        {
            return (PairVerdict.Relates, 1, true);
        }

        // Most candidates fail the filters: then only a near duplicate relates, and the shingles are counted only as far
        // as that needs (the same answer as the full count below, at a fraction of the merge).
        var cosine = PairComparer.Cosine(featuresA, featuresB, statistics);
        if (!screen.WorthComparing(featuresA, featuresB, cosine))
        {
            return sketched && IsNearDuplicate(sketchA.Shingles, sketchB.Shingles) ? (PairVerdict.Relates, 1, true) : (PairVerdict.Unrelated, cosine, false);
        }

        // One overlap of the shingles serves the near-duplicate test and the shared-text test.
        var (jaccard, containment, shared) = sketchA.Shingles.Compare(sketchB.Shingles);
        if (sketched && options.NearDuplicates.Accepts(jaccard, containment, shared))
        {
            return (PairVerdict.Relates, 1, true);
        }

        var mayShareText = PairComparer.MayShareText(containment, shared);
        return !mayShareText && cosine < relateOptions.Relations.MinStoryCosine
            ? (PairVerdict.Unrelated, cosine, false)
            : (PairVerdict.Compare, cosine, mayShareText);
    }

    /// <summary>
    /// The near-duplicate test of <see cref="ShingleSet.Compare"/>'s overlap, deciding on the count of shared shingles
    /// alone: with both sizes fixed, Jaccard and containment grow with that count, so the test passes from a least count
    /// on (found by the test itself), and <see cref="ShingleSet.SharesAtLeast"/> answers without counting them all.
    /// </summary>
    private bool IsNearDuplicate(ShingleSet a, ShingleSet b)
    {
        if (a.Count == 0 || b.Count == 0)
        {
            return options.NearDuplicates.Accepts(0, 0, 0);
        }

        var smaller = Math.Min(a.Count, b.Count);
        bool Accepts(int shared) => options.NearDuplicates.Accepts((double)shared / (a.Count + b.Count - shared), (double)shared / smaller, shared);
        if (!Accepts(smaller))
        {
            return false;
        }

        int low = 0, high = smaller;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (Accepts(middle))
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }

        return a.SharesAtLeast(b, low);
    }

    /// <summary>The label of a pair that passed <see cref="Screen"/>: related unless it is unrelated.</summary>
    private bool Relates(Article a, TextFeatures featuresA, Article b, TextFeatures featuresB, TermStatistics statistics, double cosine, bool mayShareText) =>
        PairComparer.Compare(a, featuresA, b, featuresB, statistics, allChanges: false, mayShareText, cosine, relateOptions.Relations).Relation != Relations.Unrelated;

    /// <summary>Features and sketches of <paramref name="documents"/> into <paramref name="work"/> (see <see cref="ComputeAll"/>).</summary>
    private void Compute(IReadOnlyList<StoredDocument> documents, Dictionary<string, (TextFeatures Features, DocumentSketch Sketch)> work, StoreStateCache cache, ScreenedDocuments screens)
    {
        var features = new TextFeatures[documents.Count];
        var sketches = new DocumentSketch[documents.Count];
        ComputeAll(documents, features, sketches, cache);
        for (var i = 0; i < documents.Count; i++)
        {
            work[documents[i].Article.Id] = (features[i], sketches[i]);
            screens.Keep(documents[i], features[i], sketches[i]);
        }
    }

    private static StageTime Sum(StageTime a, StageTime b) => new(a.Wall + b.Wall, a.GcPause + b.GcPause);

    /// <summary>Below this many items work runs on the calling thread.</summary>
    private const int ParallelFrom = 64;

    /// <summary>A loop over <paramref name="count"/> items, in parallel only when there are many.</summary>
    internal static void For(int count, Action<int> body)
    {
        if (count < ParallelFrom)
        {
            for (var i = 0; i < count; i++)
            {
                body(i);
            }
        }
        else
        {
            Parallel.For(0, count, body);
        }
    }

    /// <summary>
    /// Features and sketches of <paramref name="documents"/>: taken from <paramref name="known"/>, from what the add step
    /// computed, or from the cache when made from the same text; the rest computed (in parallel when many), with the
    /// stored signature instead of computing it again. Small regions (one article added) keep theirs in the cache for the
    /// next add; bulk regions do not fill it.
    /// </summary>
    private void ComputeAll(
        IReadOnlyList<StoredDocument> documents,
        TextFeatures[] features,
        DocumentSketch[] sketches,
        StoreStateCache cache,
        Dictionary<string, (TextFeatures Features, DocumentSketch Sketch)>? known = null)
    {
        var small = documents.Count < ParallelFrom;
        var missing = new List<int>();
        for (var i = 0; i < documents.Count; i++)
        {
            var article = documents[i].Article;
            if (known is not null && known.TryGetValue(article.Id, out var done))
            {
                (features[i], sketches[i]) = done;
            }
            else if (computed is not null && computed.TryGetValue(article.Id, out var given))
            {
                (features[i], sketches[i]) = given;
                if (small)
                {
                    cache.Keep(article, given.Features, given.Sketch);
                }
            }
            else if (small)
            {
                (features[i], sketches[i]) = cache.FeaturesOf(documents[i], sketcher);
            }
            else
            {
                missing.Add(i);
            }
        }

        Parallel.For(0, missing.Count, k =>
        {
            var document = documents[missing[k]];
            (sketches[missing[k]], features[missing[k]]) = StoryAnalyzer.SketchAndFeatures(sketcher, document.Article, document.Signature);
        });
    }

    /// <summary>
    /// The store's document frequencies of every term the given documents hold, over <paramref name="documents"/> stored
    /// documents; <paramref name="unstored"/> documents (a checked article) count as if they were stored too.
    /// </summary>
    public async Task<TermStatistics> StatisticsAsync(IReadOnlyList<TextFeatures> features, long documents, CancellationToken cancellationToken, bool unstored = false) =>
        (await StatisticsAndFrequenciesAsync(features, documents, cancellationToken, unstored).ConfigureAwait(false)).Statistics;

    internal async Task<TermStatistics> StatisticsAsync(IReadOnlyList<TextFeatures> features, long documents, CancellationToken cancellationToken, StoredFrequencies frequencies) =>
        (await StatisticsAndFrequenciesAsync(features, documents, cancellationToken, unstored: false, frequencies).ConfigureAwait(false)).Statistics;

    /// <summary>
    /// Gives <paramref name="statistics"/> (a region's, <see cref="TermStatistics.Growing"/>) the stored document frequency
    /// of every term of <paramref name="features"/> it does not hold yet, reading from the store only the terms
    /// <paramref name="known"/> has not asked. A term's frequency does not move within a region (the pass holds the writer
    /// lock), so one object serves the probes' look-up, the screening of candidates and the region's analysis, and the
    /// weights a probe caches from it serve all three: with a statistics object per step, every probe computed its
    /// weights three times, and the distinct terms of each step were gathered and tabled again.
    /// </summary>
    private async Task IncludeAsync(TermStatistics statistics, StoredFrequencies known, IEnumerable<TextFeatures> features, CancellationToken cancellationToken)
    {
        var terms = new HashSet<uint>();
        foreach (var feature in features)
        {
            foreach (var term in feature.TermHashes)
            {
                if (!statistics.Holds(term))
                {
                    terms.Add(term);
                }
            }
        }

        await AskAsync(known, terms, cancellationToken).ConfigureAwait(false);
        foreach (var term in terms)
        {
            statistics.Include(term, known.Found.TryGetValue(term, out var frequency) ? frequency.DocumentFrequency : 0);
        }
    }

    /// <summary>Reads from the store the frequencies of the <paramref name="terms"/> <paramref name="known"/> has not asked yet, and keeps them there.</summary>
    private async Task AskAsync(StoredFrequencies known, IEnumerable<uint> terms, CancellationToken cancellationToken)
    {
        var missing = terms.Where(term => !known.Asked.Contains(term)).ToList();
        if (missing.Count == 0)
        {
            return;
        }

        foreach (var frequency in await store.GetTermFrequenciesAsync(missing, cancellationToken).ConfigureAwait(false))
        {
            known.Found[frequency.Term] = frequency;
        }

        known.Asked.UnionWith(missing);
    }

    private async Task<(TermStatistics Statistics, Dictionary<uint, TermFrequency> Stored)> StatisticsAndFrequenciesAsync(
        IReadOnlyList<TextFeatures> features, long documents, CancellationToken cancellationToken, bool unstored, StoredFrequencies? known = null)
    {
        known ??= new StoredFrequencies();
        var terms = new HashSet<uint>();
        foreach (var feature in features)
        {
            terms.UnionWith(feature.TermHashes);
        }

        await AskAsync(known, terms, cancellationToken).ConfigureAwait(false);
        var stored = new Dictionary<uint, TermFrequency>(terms.Count);
        foreach (var term in terms)
        {
            if (known.Found.TryGetValue(term, out var frequency))
            {
                stored[term] = frequency;
            }
        }

        var frequencies = stored.ToDictionary(f => f.Key, f => f.Value.DocumentFrequency);
        if (unstored)
        {
            foreach (var feature in features)
            {
                foreach (var term in feature.TermHashes)
                {
                    frequencies[term] = frequencies.GetValueOrDefault(term) + 1;
                }
            }

            documents += features.Count;
        }

        return (TermStatistics.FromFrequencies(frequencies.Select(f => (f.Key, f.Value)), (int)Math.Min(int.MaxValue, documents)), stored);
    }

    /// <summary>
    /// For each probe, the stored documents it may relate to: the same content, shared LSH bands, the strongest overlaps of
    /// its index terms with the stored postings, and the first holder of each rare term it shares (a term that was unique
    /// when that document was related was not posted for it).
    /// </summary>
    /// <param name="probeFeatures">The probes' features.</param>
    /// <param name="probeSketches">The probes' sketches (same order).</param>
    /// <param name="storedDocuments">How many documents the store holds.</param>
    /// <param name="cancellationToken">Stops the look-ups.</param>
    /// <param name="unstored">The probes are not stored (a checked article): their terms are counted on top of the store's.</param>
    /// <param name="frequencies">Document frequencies already read from the store in this step (and where to keep those read now).</param>
    /// <param name="statistics">The region's statistics (<see cref="IncludeAsync"/>), given the probes' terms here; null: made for the probes.</param>
    /// <param name="chosen">Filled with each probe's index terms when given (one place per probe).</param>
    /// <param name="steps">Where the time went, appended when given.</param>
    /// <param name="sharing">Finds the stored documents sharing a content hash or band key with the probes of the given
    /// indexes without the store (<see cref="RelateOrder.SharingKeys"/>); null: the store's look-up.</param>
    internal async Task<List<HashSet<string>>> FindCandidatesAsync(
        IReadOnlyList<TextFeatures> probeFeatures,
        IReadOnlyList<DocumentSketch> probeSketches,
        long storedDocuments,
        CancellationToken cancellationToken,
        bool unstored = false,
        StoredFrequencies? frequencies = null,
        TermStatistics? statistics = null,
        (uint[] Terms, float[] Weights, float Norm)[]? chosen = null,
        List<string>? steps = null,
        Func<int[], IReadOnlyList<IReadOnlyList<string>>>? sharing = null)
    {
        var n = probeFeatures.Count;
        var clock = new StageClock();
        var cpu = Environment.CpuUsage.TotalTime;
        string Lap()
        {
            var now = Environment.CpuUsage.TotalTime;
            var lap = $"{clock.Lap()}, CPU {Seconds(now - cpu)}";
            cpu = now;
            return lap;
        }

        IReadOnlyDictionary<uint, TermFrequency> stored;
        if (statistics is not null && frequencies is not null && !unstored)
        {
            await IncludeAsync(statistics, frequencies, probeFeatures, cancellationToken).ConfigureAwait(false);
            stored = frequencies.Found;
        }
        else
        {
            (statistics, stored) = await StatisticsAndFrequenciesAsync(probeFeatures, storedDocuments, cancellationToken, unstored, frequencies).ConfigureAwait(false);
        }

        steps?.Add($"frequencies {Lap()}");
        var probeStatistics = statistics;
        var chosenTerms = chosen ?? new (uint[] Terms, float[] Weights, float Norm)[n];
        For(n, i => chosenTerms[i] = TermIndex.ChooseTerms(probeFeatures[i], probeStatistics, relateOptions));
        steps?.Add($"terms {Lap()}");
        var queryTerms = chosenTerms.SelectMany(c => c.Terms).Distinct().ToList();
        var maxPerTerm = Math.Max(1, relateOptions.PostingsBudget / Math.Max(1, relateOptions.IndexTermsPerDocument));
        // Each document found under a term gets a number once for the whole batch, so a probe's scores add up in an array
        // instead of a dictionary keyed by id (a batch of probes scores millions of postings).
        var postedIds = new List<string>();
        var numberOf = new Dictionary<string, int>(StringComparer.Ordinal);
        var postings = new Dictionary<uint, List<(int Document, float Weight)>>();
        foreach (var posting in await store.GetPostingsAsync(queryTerms, maxPerTerm, cancellationToken).ConfigureAwait(false))
        {
            if (!numberOf.TryGetValue(posting.DocumentId, out var number))
            {
                numberOf[posting.DocumentId] = number = postedIds.Count;
                postedIds.Add(posting.DocumentId);
            }

            if (!postings.TryGetValue(posting.Term, out var list))
            {
                postings[posting.Term] = list = [];
            }

            list.Add((number, posting.Weight));
        }

        steps?.Add($"postings {Lap()} ({queryTerms.Count} terms)");

        var firstHolders = queryTerms
            .Select(term => stored.GetValueOrDefault(term))
            .Where(f => f is not null && f.DocumentFrequency <= (unstored ? 1 : TermFrequency.FirstDocumentUpTo) && f.FirstDocument is not null)
            .ToDictionary(f => f!.Term, f => f!.FirstDocument!);

        // Content hashes and bands of every probe in one look-up.
        var sketched = Enumerable.Range(0, n).Where(i => !probeSketches[i].IsEmpty).ToArray();
        var near = sharing is not null
            ? sharing(sketched)
            : await store.FindSketchCandidatesAsync(
                [.. sketched.Select(i => new SketchProbe(probeSketches[i].ContentHash, LshIndex.BandKeys(probeSketches[i].Signature, lsh)))],
                cancellationToken).ConfigureAwait(false);
        var nearOf = new Dictionary<int, IReadOnlyList<string>>(sketched.Length);
        for (var k = 0; k < sketched.Length; k++)
        {
            nearOf[sketched[k]] = near[k];
        }

        steps?.Add($"hashes and bands {Lap()}");

        var found = new HashSet<string>[n];
        var minScore = relateOptions.MinCandidateScore / 2;
        void Score(int i, Scratch scratch)
        {
            var (scores, touched, best) = (scratch.Scores, scratch.Touched, scratch.Best);
            var ids = new HashSet<string>(nearOf.GetValueOrDefault(i) ?? [], StringComparer.Ordinal);
            var (terms, weights, norm) = chosenTerms[i];
            if (norm > 0)
            {
                for (var k = 0; k < terms.Length; k++)
                {
                    if (postings.TryGetValue(terms[k], out var list))
                    {
                        // The probe's share of the term once per term (the same product as per posting).
                        var share = weights[k] / norm;
                        foreach (var (document, weight) in System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list))
                        {
                            ref var score = ref scores[document];
                            if (score == 0)
                            {
                                touched.Add(document);
                            }

                            score += share * weight;
                        }
                    }

                    if (firstHolders.TryGetValue(terms[k], out var holder))
                    {
                        ids.Add(holder);
                    }
                }

                // The strongest few, best first, kept in a short sorted array rather than by sorting every document scored.
                best.Clear();
                foreach (var document in touched)
                {
                    if (scores[document] >= minScore)
                    {
                        best.Offer(new ScoredId(scores[document], postedIds[document]));
                    }

                    scores[document] = 0;
                }

                touched.Clear();
                for (var k = 0; k < best.Count; k++)
                {
                    ids.Add(best[k].Id);
                }
            }

            found[i] = ids;
        }

        // One score array per thread, cleared through the documents each probe touched.
        Scratch NewScratch() => new(new float[postedIds.Count], [], new Best<ScoredId>(Math.Max(0, pipeline.TermCandidatesPerDocument)));
        if (n < ParallelFrom)
        {
            var scratch = NewScratch();
            for (var i = 0; i < n; i++)
            {
                Score(i, scratch);
            }
        }
        else
        {
            Parallel.For(0, n, NewScratch, (i, _, scratch) =>
            {
                Score(i, scratch);
                return scratch;
            }, _ => { });
        }

        steps?.Add($"scores {Lap()}");
        return [.. found];
    }

    /// <summary>What one thread of the candidate scoring reuses from probe to probe.</summary>
    private sealed record Scratch(float[] Scores, List<int> Touched, Best<ScoredId> Best);

    /// <summary>A document's index terms (<see cref="TermIndex.ChooseTerms"/>) with weights of unit length, as postings store them.</summary>
    private static PostedTerm[] Posted((uint[] Terms, float[] Weights, float Norm) chosen)
    {
        var (terms, weights, norm) = chosen;
        var posted = new PostedTerm[terms.Length];
        for (var k = 0; k < terms.Length; k++)
        {
            posted[k] = new PostedTerm(terms[k], norm > 0 ? weights[k] / norm : 0);
        }

        return posted;
    }
}

/// <summary>A stored document scored for a probe: a higher score ranks first, then the id first in ordinal order.</summary>
internal readonly record struct ScoredId(float Score, string Id) : IComparable<ScoredId>
{
    public int CompareTo(ScoredId other) => Score != other.Score ? Score.CompareTo(other.Score) : string.CompareOrdinal(other.Id, Id);
}

/// <summary>Document frequencies read from the store during one relate step: terms asked (found or not) are not asked again.</summary>
internal sealed class StoredFrequencies
{
    public HashSet<uint> Asked { get; } = [];

    public Dictionary<uint, TermFrequency> Found { get; } = [];
}

/// <summary>What a relate pass keeps of a document it has read, to screen it as a candidate without its text.</summary>
/// <param name="Position">The document's insertion position (which side of a pair it is).</param>
/// <param name="Features">Its features, without the text when kept between regions (<see cref="TextFeatures.WithoutText"/>).</param>
/// <param name="Sketch">Its content hash and shingles.</param>
internal sealed record Screened(long Position, TextFeatures Features, DocumentSketch Sketch)
{
    /// <summary>About what one kept screen holds in memory: its arrays and objects, its id and its place in the screens.</summary>
    internal long Bytes(string id)
    {
        var features = Features;
        long hashes = features.TermHashes.Length + features.EntityHashes.Length + features.NumberHashes.Length
            + features.DateHashes.Length + features.QuoteHashes.Length + features.FactHashes.Length + Sketch.Shingles.Count;

        // A term is a hash, a count and a flag.
        return (4 * hashes) + (2L * features.TermHashes.Length) + (2L * id.Length) + ScreenOverhead;
    }

    // Nine array headers, the record, the features, the sketch and its shingle set, the id's string header, a dictionary
    // entry and a queue slot.
    private const int ScreenOverhead = 500;
}

/// <summary>
/// The documents one relate pass has read, by id, as <see cref="Screened"/>: at most a given number and a given size in
/// bytes, so that a pass over a large batch holds a bounded part of it. When full, the oldest screen goes, unless it was
/// used since it was kept or last passed over (it then goes to the back once): the documents many regions find as
/// candidates stay. A pass holds the writer lock, so what it read stays true until it ends. Used by one thread.
/// </summary>
internal sealed class ScreenedDocuments(int capacity, long maxBytes = long.MaxValue)
{
    private readonly Dictionary<string, Entry> documents = new(StringComparer.Ordinal);
    private readonly Queue<string> order = new();

    // What the screens may hold at most, and now: less while a large region is in memory (Limit).
    private readonly long maxBytes = maxBytes;
    private long limit = maxBytes;

    /// <summary>
    /// About what a document read in full holds in memory: its text (two bytes a character), its words (a start and a
    /// hash each, and a trigram hash once the analysis aligns it), its signature, and what its screen holds.
    /// </summary>
    internal static long FullBytes(StoredDocument document, TextFeatures features, DocumentSketch sketch)
    {
        var article = document.Article;
        var screen = new Screened(document.Position, features, sketch);
        return (2L * (article.Body.Length + (article.Title?.Length ?? 0))) + (16L * features.Words.Count)
            + (4L * document.Signature.Length) + (8L * document.BandKeys.Length) + screen.Bytes(article.Id);
    }

    /// <summary>
    /// Sets what the screens may hold from now on to <paramref name="bytes"/> (never more than the size they were made
    /// with, never less than nothing), giving up screens at once as <see cref="Keep"/> does when full.
    /// </summary>
    public void Limit(long bytes)
    {
        limit = Math.Clamp(bytes, 0, maxBytes);
        Evict();
    }

    /// <summary>Screens kept now.</summary>
    public int Count => documents.Count;

    /// <summary>What the screens may hold now (see <see cref="Limit"/>).</summary>
    public long Allowed => limit;

    /// <summary>What the kept screens hold, by <see cref="Screened.Bytes"/>.</summary>
    public long Bytes { get; private set; }

    public Screened? Get(string id)
    {
        if (!documents.TryGetValue(id, out var entry))
        {
            return null;
        }

        entry.Used = true;
        return entry.Screen;
    }

    /// <summary>
    /// Keeps what screening needs of a document whose features and sketch were made from its stored text; returns it (made
    /// even when nothing is kept).
    /// </summary>
    public Screened Keep(StoredDocument document, TextFeatures features, DocumentSketch sketch)
    {
        var screen = new Screened(document.Position, features.WithoutText(), sketch with { Signature = [] });
        if (capacity <= 0)
        {
            return screen;
        }

        var id = document.Article.Id;
        var bytes = screen.Bytes(id);
        if (documents.TryGetValue(id, out var entry))
        {
            Bytes += bytes - entry.Bytes;
            (entry.Screen, entry.Bytes) = (screen, bytes);
        }
        else
        {
            documents[id] = new Entry { Screen = screen, Bytes = bytes };
            order.Enqueue(id);
            Bytes += bytes;
        }

        Evict();
        return screen;
    }

    private void Evict()
    {
        while (documents.Count > capacity || (Bytes > limit && documents.Count > 1))
        {
            var oldest = order.Dequeue();
            var old = documents[oldest];
            if (old.Used)
            {
                // A second chance: the flag is cleared, so this loop ends after one round at most.
                old.Used = false;
                order.Enqueue(oldest);
                continue;
            }

            documents.Remove(oldest);
            Bytes -= old.Bytes;
        }
    }

    private sealed class Entry
    {
        public required Screened Screen { get; set; }

        public long Bytes { get; set; }

        public bool Used { get; set; }
    }
}
