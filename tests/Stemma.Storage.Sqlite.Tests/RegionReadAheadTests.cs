using System.Reflection;
using Stemma.Pipeline;
using Stemma.Storage;
using Stemma.Testing.Corpus;
using Stemma.Testing.Storage;

namespace Stemma.Storage.Sqlite.Tests;

/// <summary>
/// The relate pass reads the next region's pending documents while the current region commits: the read runs beside the
/// commit, the store ends as relating one region after the other leaves it, and a failing commit still fails the run.
/// </summary>
public class RegionReadAheadTests
{
    // Regions of 70: the read ahead takes regions of 64 documents or more (smaller ones go through the cache of single adds).
    private static readonly StorePipelineOptions Regions = StorePipelineOptions.Default with { AddBatchSize = 100, RelateBatchSize = 70 };

    private static List<Article> Corpus(int seed) =>
        new SyntheticCorpus(seed, StoredPipelineAssert.EveryOperation with { Stories = 50, UnrelatedArticles = 20 }).Generate().Select(d => d.ToArticle()).ToList();

    [Fact]
    public async Task The_next_region_is_read_while_the_current_one_commits_and_the_store_equals_analyze()
    {
        var articles = Corpus(31);
        Assert.True(articles.Count > 3 * Regions.RelateBatchSize, $"{articles.Count} articles");
        using var folder = new TemporaryFolder();
        await using var inner = await SqliteStore.OpenAsync(Path.Combine(folder.Path, "stemma.db"));

        // The first region's commit waits, once written, for a read of documents that started after the region's analysis
        // did (the region reads nothing from then on): read one region after the other, none comes until the commit
        // returns, and the wait runs out.
        var recorder = RecordingStore.Wrap(inner, out var calls);
        calls.AfterCommit = region => region == 1 && SpinWait.SpinUntil(() => Volatile.Read(ref calls.ReadsSinceAnalysis) > 0, TimeSpan.FromSeconds(30));
        var ingestor = new StoreIngestor(recorder, pipeline: Regions)
        {
            Committed = step =>
            {
                if (step == "analyzing:1")
                {
                    Volatile.Write(ref calls.ReadsSinceAnalysis, 0);
                }
            },
        };

        var report = await ingestor.IngestAsync(articles);

        Assert.True(calls.ReadDuringFirstCommit);
        Assert.True(calls.Commits >= 3, $"{calls.Commits} regions");
        Assert.Equal(articles.Count, report.Added);
        await StoredPipelineAssert.EqualsAnalysisAsync(inner, articles);
    }

    [Fact]
    public async Task A_commit_failing_while_the_next_region_is_read_fails_the_run_and_leaves_that_region_pending()
    {
        var articles = Corpus(32);
        using var folder = new TemporaryFolder();
        await using var inner = await SqliteStore.OpenAsync(Path.Combine(folder.Path, "stemma.db"));
        var recorder = RecordingStore.Wrap(inner, out var calls);
        calls.FailCommit = 2;

        var error = await Assert.ThrowsAsync<IOException>(() => new StoreIngestor(recorder, pipeline: Regions).IngestAsync(articles));

        Assert.Contains("region 2", error.Message, StringComparison.Ordinal);
        var pending = await inner.GetPendingAsync(int.MaxValue);
        Assert.Equal(articles.Count - calls.FirstRegionSize, pending.Count);
    }

    /// <summary>Forwards every call to a store, counting reads of documents; a commit can be made to wait after writing, or to fail.</summary>
    public class RecordingStore : DispatchProxy
    {
        public sealed class Calls
        {
            public int ReadsSinceAnalysis;

            public int Commits;

            public int FirstRegionSize;

            public bool ReadDuringFirstCommit;

            public int FailCommit;

            public Func<int, bool>? AfterCommit;
        }

        private IStore inner = null!;
        private Calls calls = null!;

        public static IStore Wrap(IStore store, out Calls calls)
        {
            var proxy = Create<IStore, RecordingStore>();
            var recording = (RecordingStore)(object)proxy;
            recording.inner = store;
            recording.calls = calls = new Calls();
            return proxy;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            ArgumentNullException.ThrowIfNull(targetMethod);
            if (targetMethod.Name == nameof(IStore.GetDocumentsAsync))
            {
                Interlocked.Increment(ref calls.ReadsSinceAnalysis);
            }

            if (targetMethod.Name != nameof(IStore.CommitRelateAsync))
            {
                return Forward(targetMethod, args);
            }

            var region = Interlocked.Increment(ref calls.Commits);
            var commit = (RelateCommit)args![0]!;
            if (region == 1)
            {
                calls.FirstRegionSize = commit.Processed.Count;
            }

            if (region == calls.FailCommit)
            {
                return Task.FromException<long>(new IOException($"disk full while committing region {region}"));
            }

            return CommitAsync(region, (Task<long>)Forward(targetMethod, args)!);
        }

        private async Task<long> CommitAsync(int region, Task<long> committing)
        {
            var version = await committing.ConfigureAwait(false);
            if (calls.AfterCommit?.Invoke(region) == true)
            {
                calls.ReadDuringFirstCommit = true;
            }

            return version;
        }

        private object? Forward(MethodInfo method, object?[]? args)
        {
            try
            {
                return method.Invoke(inner, args);
            }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ex.InnerException);
                throw;
            }
        }
    }
}
