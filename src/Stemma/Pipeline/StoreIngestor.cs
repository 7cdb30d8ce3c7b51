using Stemma.Index;
using Stemma.Relate;
using Stemma.Sketch;
using Stemma.Storage;

namespace Stemma.Pipeline;

/// <summary>What one ingest run did.</summary>
/// <param name="PairsStored">Related pairs written by this run's relate step.</param>
/// <param name="FamiliesTouched">Stories whose members this run related (re)placed.</param>
public sealed record IngestReport(int Added, int Unchanged, int Updated, IReadOnlyList<AddOutcome> Rejected, int PairsStored, int FamiliesTouched)
{
    /// <summary>Pending documents related by this run (its own and any an interrupted run left).</summary>
    public int Related { get; init; }

    /// <summary>Documents still pending: the run was stopped before relating them; the next ingest finishes them.</summary>
    public int Pending { get; init; }

    /// <summary>The run was stopped (Ctrl+C) at a batch boundary; everything committed so far is kept.</summary>
    public bool Cancelled { get; init; }
}

/// <summary>
/// The stored pipeline: reads articles into the store in batches (each one transaction; every added or updated document
/// is pending until related), then relates the pending documents against everything stored (<see cref="StoreRelater"/>):
/// near duplicates, term-index candidates, labels, families, stories and lineage, all written to the store. An ingest
/// holds the store's writer lock, so concurrent ingests run one after the other and never miss each other's documents;
/// an interrupted ingest leaves documents pending, and the next ingest (even of nothing new) relates them.
/// </summary>
public sealed class StoreIngestor
{
    private readonly IStore store;
    private readonly AnalyzeOptions options;
    private readonly StorePipelineOptions pipeline;
    private readonly SketchOptions sketch;
    private readonly LshParameters lsh;
    private readonly DocumentSketcher sketcher;

    // Kept between runs of this ingestor: adding one article at a time to a large store then reads only what changed.
    private readonly StoreStateCache cache = new();

    public StoreIngestor(IStore store, AnalyzeOptions? options = null, StorePipelineOptions? pipeline = null)
    {
        this.store = store ?? throw new ArgumentNullException(nameof(store));
        this.options = options ?? new AnalyzeOptions();
        this.pipeline = pipeline ?? StorePipelineOptions.Default;
        sketch = this.options.Sketch;
        lsh = LshParametersFor(this.options);
        sketcher = new DocumentSketcher(sketch, lsh);
        Sketching = store as IRemoteSketching;
    }

    /// <summary>
    /// Where batches are sketched: by default the store's own workers when it has them (a cluster), else null: in this
    /// process, in parallel, keeping what the relate step can reuse.
    /// </summary>
    public IRemoteSketching? Sketching { get; init; }

    /// <summary>Called once when the ingest has to wait for another writer of the same store.</summary>
    public Action? Waiting { get; init; }

    /// <summary>
    /// Called after each commit with where the run stands: <c>added:N</c> after the N-th batch of documents,
    /// <c>related:N</c> after the N-th related region; also <c>analyzing:N</c> when the N-th region's analysis starts, before
    /// anything of it is written (for progress logs and fault-injection tests).
    /// </summary>
    public Action<string>? Committed { get; init; }

    /// <summary>Called with lines saying where the time went (for <c>--verbose</c> and benchmarks).</summary>
    public Action<string>? Log { get; init; }

    /// <summary>The banding used for stored band keys: fixed by the sketch size and the LSH threshold.</summary>
    public static LshParameters LshParametersFor(AnalyzeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return LshParameters.Optimal(options.NearDuplicates.LshThreshold, options.Sketch.SignatureSize);
    }

    /// <param name="articles">What to add; read lazily, one batch at a time.</param>
    /// <param name="progress">Articles read so far.</param>
    /// <param name="stop">Stops the run at the next batch boundary (what was committed stays; pending documents are
    /// related by the next run). It does not abort a batch half-way.</param>
    public async Task<IngestReport> IngestAsync(IEnumerable<Article> articles, IProgress<int>? progress = null, CancellationToken stop = default)
    {
        ArgumentNullException.ThrowIfNull(articles);
        var none = CancellationToken.None;
        await store.InitializeAsync(none).ConfigureAwait(false);
        await using var writer = await store.AcquireWriterLockAsync(Waiting, stop).ConfigureAwait(false);

        // Holding the writer lock, this run is the only writer: what the cache knows stays true except for this run's own
        // writes, which it applies (another writer in between shows as a version it did not make, and drops the cache).
        return await cache.LendAsync(known => IngestLockedAsync(articles, known, progress, stop)).ConfigureAwait(false);
    }

    private async Task<IngestReport> IngestLockedAsync(IEnumerable<Article> articles, StoreStateCache known, IProgress<int>? progress, CancellationToken stop)
    {
        var none = CancellationToken.None;
        await known.SyncAsync(store, none).ConfigureAwait(false);

        var rejected = new List<AddOutcome>();

        // What the add step computed for the first documents it stored: the relate step takes it instead of computing it
        // again for those in its first region. Bounded by the region size.
        Dictionary<string, (TextFeatures Features, DocumentSketch Sketch)>? computed = new(StringComparer.Ordinal);

        // What the relate step needs to take related documents into the same region, whatever their input order.
        var order = new RelateOrder(lsh);
        int added = 0, unchanged = 0, updated = 0, done = 0, batches = 0;
        var cancelled = false;

        // What the documents sketched so far hold in memory, for sizing batches and regions by bytes (BatchBytes).
        var sizing = new DocumentBytes();
        using var source = articles.GetEnumerator();

        // The next batch is read while this one is stored: the store writes on one thread, and the reading (for a streamed
        // input, its last pass over the files) would otherwise wait for it. It is read once this batch is sketched, at the
        // size the sketches so far give, as it was when read after the store; one batch at most is read ahead.
        var batch = Next(source, pipeline.SizeFor(pipeline.AddBatchSize, sizing.Average));
        Task<Article[]>? reading = null;
        try
        {
            while (batch.Length > 0)
            {
                if (stop.IsCancellationRequested)
                {
                    cancelled = true;
                    break;
                }

                var clock = new StageClock();
                IReadOnlyList<StoredDocument> documents;
                (TextFeatures Features, DocumentSketch Sketch)[]? work = null;
                if (Sketching is { } remote)
                {
                    // Sketched where the store lives; the relate step computes features and shingles again for its region.
                    documents = await remote.SketchAsync(batch, sketch, lsh, none).ConfigureAwait(false);
                }
                else
                {
                    var local = new StoredDocument[batch.Length];
                    var made = new (TextFeatures Features, DocumentSketch Sketch)[batch.Length];
                    StoreRelater.For(batch.Length, i =>
                    {
                        var (document, features, documentSketch) = sketcher.Sketch(batch[i]);
                        local[i] = document;
                        made[i] = (features, documentSketch);
                    });
                    (documents, work) = (local, made);
                    sizing.Add(local, made);
                }

                var sketched = clock.Lap();
                var nextSize = pipeline.SizeFor(pipeline.AddBatchSize, sizing.Average);
                reading = Task.Run(() => Next(source, nextSize));
                var before = known.Version;
                var outcomes = await store.AddDocumentsAsync(documents, none).ConfigureAwait(false);
                await known.AddedAsync(store, before, documents, outcomes, none).ConfigureAwait(false);
                Log?.Invoke($"batch of {batch.Length}: sketch {sketched}, store {clock.Lap()}");
                var regionSize = pipeline.SizeFor(pipeline.RelateBatchSize, sizing.Average);
                for (var i = 0; i < outcomes.Count; i++)
                {
                    var outcome = outcomes[i];
                    switch (outcome.Status)
                    {
                        case AddStatus.Added:
                            added++;
                            Keep(computed, order, outcome.Id, work, i, isNew: true, regionSize);
                            break;
                        case AddStatus.Updated:
                            updated++;
                            Keep(computed, order, outcome.Id, work, i, isNew: false, regionSize);
                            break;
                        case AddStatus.Unchanged:
                            unchanged++;
                            break;
                        default:
                            rejected.Add(outcome);
                            break;
                    }
                }

                done += batch.Length;
                progress?.Report(done);
                Committed?.Invoke(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"added:{++batches}"));
                batch = await reading.ConfigureAwait(false);
                reading = null;
            }
        }
        finally
        {
            // Failed or stopped mid-batch: the read ahead finishes before the input is let go (its own failure, if any, is
            // not the one to report).
            if (reading is not null)
            {
                await Task.WhenAny(reading).ConfigureAwait(false);
            }
        }

        // The relater lets go of what the add step computed once it has served; so does this method.
        var relater = new StoreRelater(store, options, pipeline) { Committed = Committed, Log = Log, Computed = computed, Cache = known, Order = order.Count > 0 ? order : null, DocumentBytes = sizing.Average };
        computed = null;
        var relate = cancelled
            ? new RelateReport(0, 0, 0, 0, 0, Cancelled: true)
            : await relater.RelateAsync(stop).ConfigureAwait(false);
        var pending = (await store.GetPendingAsync(int.MaxValue, none).ConfigureAwait(false)).Count;
        return new IngestReport(added, unchanged, updated, rejected, relate.Pairs, relate.Stories)
        {
            Related = relate.Related,
            Pending = pending,
            Cancelled = cancelled || relate.Cancelled,
        };
    }

    /// <summary>The next <paramref name="count"/> articles (fewer at the end; none when all are read).</summary>
    private static Article[] Next(IEnumerator<Article> source, int count)
    {
        var batch = new List<Article>(Math.Min(count, 8192));
        while (batch.Count < count && source.MoveNext())
        {
            batch.Add(source.Current);
        }

        return [.. batch];
    }

    private static void Keep(Dictionary<string, (TextFeatures Features, DocumentSketch Sketch)> computed, RelateOrder order, string id, (TextFeatures Features, DocumentSketch Sketch)[]? work, int index, bool isNew, int regionSize)
    {
        if (work is null)
        {
            return;
        }

        order.Add(id, work[index].Features, work[index].Sketch, isNew);

        // Outcomes come one per document in input order; only a region's worth is kept.
        if (computed.Count < regionSize)
        {
            computed[id] = work[index];
        }
    }
}

/// <summary>The average of what documents sketched by an ingest hold in memory (<see cref="ScreenedDocuments.FullBytes"/>).</summary>
internal sealed class DocumentBytes
{
    private long bytes;
    private long count;

    /// <summary>The average so far; 0 before any document.</summary>
    public double Average => count == 0 ? 0 : (double)bytes / count;

    public void Add(IReadOnlyList<StoredDocument> documents, (TextFeatures Features, DocumentSketch Sketch)[] made)
    {
        for (var i = 0; i < documents.Count; i++)
        {
            bytes += ScreenedDocuments.FullBytes(documents[i], made[i].Features, made[i].Sketch);
        }

        count += documents.Count;
    }
}
