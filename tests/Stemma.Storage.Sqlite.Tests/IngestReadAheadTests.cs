using Stemma.Pipeline;
using Stemma.Testing.Corpus;
using Stemma.Testing.Storage;

namespace Stemma.Storage.Sqlite.Tests;

/// <summary>
/// The ingest reads its next batch while it stores the current one: the reading runs beside the store's writes, the
/// result is what reading one batch after the other stores, and a failing input still fails the run with what was
/// committed before it kept.
/// </summary>
public class IngestReadAheadTests
{
    private static readonly StorePipelineOptions SmallBatches = StorePipelineOptions.Default with { AddBatchSize = 10 };

    [Fact]
    public async Task The_next_batch_is_read_while_the_current_one_is_stored_and_the_store_equals_analyze()
    {
        var articles = new SyntheticCorpus(21, StoredPipelineAssert.EveryOperation with { Stories = 5, UnrelatedArticles = 5 }).Generate().Select(d => d.ToArticle()).ToList();
        Assert.True(articles.Count > 2 * SmallBatches.AddBatchSize, $"{articles.Count} articles");
        var yielded = 0;
        IEnumerable<Article> Source()
        {
            foreach (var article in articles)
            {
                Interlocked.Increment(ref yielded);
                yield return article;
            }
        }

        // Once the first batch is committed (and before the ingest asks for more), the second must come in on its own:
        // read one after the other, it never would, and the wait runs out.
        var secondReadDuringFirst = false;
        using var folder = new TemporaryFolder();
        await using var store = await SqliteStore.OpenAsync(Path.Combine(folder.Path, "stemma.db"));
        var ingestor = new StoreIngestor(store, pipeline: SmallBatches)
        {
            Committed = step =>
            {
                if (step == "added:1")
                {
                    secondReadDuringFirst = SpinWait.SpinUntil(() => Volatile.Read(ref yielded) >= 2 * SmallBatches.AddBatchSize, TimeSpan.FromSeconds(30));
                }
            },
        };

        var report = await ingestor.IngestAsync(Source());

        Assert.True(secondReadDuringFirst);
        Assert.Equal(articles.Count, report.Added);
        await StoredPipelineAssert.EqualsAnalysisAsync(store, articles);
    }

    [Fact]
    public async Task An_input_failing_after_the_first_batch_fails_the_run_and_the_first_batch_stays_stored()
    {
        var articles = new SyntheticCorpus(22, new CorpusOptions { Stories = 4, UnrelatedArticles = 4 }).Generate().Select(d => d.ToArticle()).ToList();
        IEnumerable<Article> Source()
        {
            foreach (var article in articles.Take(15))
            {
                yield return article;
            }

            throw new InvalidOperationException("the input changed while it was being read again");
        }

        using var folder = new TemporaryFolder();
        await using var store = await SqliteStore.OpenAsync(Path.Combine(folder.Path, "stemma.db"));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => new StoreIngestor(store, pipeline: SmallBatches).IngestAsync(Source()));

        Assert.Contains("input changed", error.Message, StringComparison.Ordinal);
        var pending = await store.GetPendingAsync(int.MaxValue);
        Assert.Equal(articles.Take(SmallBatches.AddBatchSize).Select(a => a.Id).Order(StringComparer.Ordinal), pending.Order(StringComparer.Ordinal));
    }
}
