using System.Globalization;
using Stemma.Pipeline;
using Stemma.Testing.Corpus;
using Stemma.Testing.Storage;

namespace Stemma.Storage.Sqlite.Tests;

/// <summary>
/// The stored pipeline is the whole pipeline: a corpus ingested in random batches, in a random order, holds the same
/// families, stories, relations and parents as one in-memory analysis of the same articles in the same order.
/// </summary>
public class IngestEqualsAnalyzeTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Ingest_in_random_batches_equals_analyze_of_the_whole_corpus(int seed)
    {
        var random = new Random(seed);
        var articles = new SyntheticCorpus(seed, StoredPipelineAssert.EveryOperation).Generate().Select(d => d.ToArticle()).OrderBy(_ => random.Next()).ToList();
        var batches = RandomSplit(articles, random, parts: 1 + random.Next(2, 5));

        using var folder = new TemporaryFolder();
        await using (var store = await SqliteStore.OpenAsync(Path.Combine(folder.Path, "stemma.db")))
        {
            foreach (var batch in batches)
            {
                await new StoreIngestor(store).IngestAsync(batch);
            }

            await StoredPipelineAssert.EqualsAnalysisAsync(store, articles);
        }
    }

    /// <summary>
    /// Many small regions over a shuffled corpus: every story is scattered over the input, so regions are taken in the
    /// relate order (related documents together) or, with it off, in insertion order; both store what one analysis finds.
    /// </summary>
    [Theory]
    [InlineData(4, true)]
    [InlineData(5, true)]
    [InlineData(4, false)]
    public async Task Ingest_in_small_regions_equals_analyze_whichever_order_regions_take(int seed, bool arrange)
    {
        var random = new Random(seed);
        var articles = new SyntheticCorpus(seed, StoredPipelineAssert.EveryOperation).Generate().Select(d => d.ToArticle()).OrderBy(_ => random.Next()).ToList();
        var pipeline = new StorePipelineOptions { AddBatchSize = 9, RelateBatchSize = 12, ArrangeRegions = arrange };
        var regions = new List<string>();

        using var folder = new TemporaryFolder();
        await using var store = await SqliteStore.OpenAsync(Path.Combine(folder.Path, "stemma.db"));
        await new StoreIngestor(store, pipeline: pipeline) { Log = regions.Add }.IngestAsync(articles);

        Assert.Equal(arrange, regions.Any(line => line.StartsWith("arranged ", StringComparison.Ordinal)));
        Assert.True(regions.Count(line => line.StartsWith("region ", StringComparison.Ordinal)) >= articles.Count / 12, string.Join('\n', regions));
        await StoredPipelineAssert.EqualsAnalysisAsync(store, articles);
    }

    [Fact]
    public async Task Ingest_one_article_at_a_time_equals_analyze()
    {
        var articles = new SyntheticCorpus(7, StoredPipelineAssert.EveryOperation with { Stories = 5, UnrelatedArticles = 4 }).Generate().Select(d => d.ToArticle()).ToList();
        await using var store = new InMemoryStore();
        foreach (var article in articles)
        {
            await new StoreIngestor(store).IngestAsync([article]);
        }

        await StoredPipelineAssert.EqualsAnalysisAsync(store, articles);
    }

    /// <summary>
    /// The statistics-drift bound (docs/storage.md): after the store more than doubles, every placement made before is
    /// made again with today's frequencies, whatever their number, half a region of them at a time; and the result
    /// is still what one analysis of everything finds.
    /// </summary>
    [Fact]
    public async Task A_store_that_more_than_doubles_relates_every_older_placement_again_in_bounded_regions()
    {
        var articles = new SyntheticCorpus(8, StoredPipelineAssert.EveryOperation).Generate().Select(d => d.ToArticle()).ToList();
        var first = articles.Take(articles.Count / 3).ToList();
        var pipeline = new StorePipelineOptions { AddBatchSize = 3, RelateBatchSize = 4 };
        await using var store = new InMemoryStore();
        await new StoreIngestor(store, pipeline: pipeline).IngestAsync(first);
        Assert.Empty(await store.GetLabeledBeforeAsync(first.Count, int.MaxValue));

        await new StoreIngestor(store, pipeline: pipeline).IngestAsync(articles.Skip(first.Count));

        // Far more than one region's worth were stale (half a region of them at a time); none is left.
        Assert.True(first.Count > 4 * pipeline.RelateBatchSize, $"{first.Count} articles first");
        Assert.Empty(await store.GetLabeledBeforeAsync(articles.Count / 2, int.MaxValue));
        await StoredPipelineAssert.EqualsAnalysisAsync(store, articles);
    }

    /// <summary>
    /// Batches and regions sized by bytes (what the CLI's ingest does by default): from the second batch on, as many
    /// documents as the byte budget holds, within the fixed sizes and <see cref="StorePipelineOptions.MaxBatchGrowth"/>
    /// times them; the stored result is still what one analysis finds.
    /// </summary>
    [Theory]
    [InlineData(long.MaxValue / 4, 15, 20)]
    [InlineData(1L, 3, 4)]
    public async Task Batches_and_regions_sized_by_bytes_stay_within_their_bounds_and_equal_analyze(long bytes, int addBatch, int region)
    {
        var random = new Random(6);
        var articles = new SyntheticCorpus(6, StoredPipelineAssert.EveryOperation).Generate().Select(d => d.ToArticle()).OrderBy(_ => random.Next()).ToList();
        var pipeline = new StorePipelineOptions { AddBatchSize = 3, RelateBatchSize = 4, BatchBytes = bytes, MaxBatchGrowth = 5 };
        var log = new List<string>();

        await using var store = new InMemoryStore();
        await new StoreIngestor(store, pipeline: pipeline) { Log = log.Add }.IngestAsync(articles);

        // The first batch has no estimate yet: the fixed size.
        var expected = new List<int> { 3 };
        for (var left = articles.Count - 3; left > 0; left -= addBatch)
        {
            expected.Add(Math.Min(addBatch, left));
        }

        Assert.Equal(expected, Sizes(log, "batch of "));
        var pending = log.Where(line => line.StartsWith("region of ", StringComparison.Ordinal)).Select(line => int.Parse(line.Split('(', ' ')[4], CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(articles.Count, pending.Sum());
        Assert.Equal(region, pending.Max());
        Assert.Equal((articles.Count + region - 1) / region, pending.Count);
        await StoredPipelineAssert.EqualsAnalysisAsync(store, articles);
    }

    /// <summary>A region that relates stale documents again keeps the fixed size when regions are sized by bytes: their
    /// whole stories come with them.</summary>
    [Fact]
    public async Task Regions_that_relabel_keep_the_fixed_size_when_sized_by_bytes()
    {
        var articles = new SyntheticCorpus(8, StoredPipelineAssert.EveryOperation).Generate().Select(d => d.ToArticle()).ToList();
        var first = articles.Take(articles.Count / 3).ToList();
        await using var store = new InMemoryStore();
        const int fixedRegion = 4;
        await new StoreIngestor(store, pipeline: new StorePipelineOptions { AddBatchSize = 3, RelateBatchSize = fixedRegion }).IngestAsync(first);

        var log = new List<string>();
        var sized = new StorePipelineOptions { AddBatchSize = 3, RelateBatchSize = fixedRegion, BatchBytes = long.MaxValue / 4, MaxBatchGrowth = 5 };
        await new StoreIngestor(store, pipeline: sized) { Log = log.Add }.IngestAsync(articles.Skip(first.Count));

        // While stale documents are left: half a region of them (2) and pending ones up to the fixed 4 (fewer such
        // regions than pairs of stale documents: a region relabels the stale documents' whole stories); then regions of 20.
        var pending = log.Where(line => line.StartsWith("region of ", StringComparison.Ordinal)).Select(line => int.Parse(line.Split('(', ' ')[4], CultureInfo.InvariantCulture)).ToList();
        var relabelling = pending.TakeWhile(count => count < fixedRegion).Count();
        Assert.True(relabelling > 0, string.Join('\n', log));
        Assert.Equal(2, pending[0]);
        Assert.All(pending.Skip(relabelling).SkipLast(1), count => Assert.Equal(20, count));
        Assert.Empty(await store.GetLabeledBeforeAsync(articles.Count / 2, int.MaxValue));
        await StoredPipelineAssert.EqualsAnalysisAsync(store, articles);
    }

    private static List<int> Sizes(IEnumerable<string> log, string prefix) =>
        [.. log.Where(line => line.StartsWith(prefix, StringComparison.Ordinal)).Select(line => int.Parse(line[prefix.Length..].Split(':')[0], CultureInfo.InvariantCulture))];

    private static List<List<Article>> RandomSplit(List<Article> articles, Random random, int parts)
    {
        var cuts = Enumerable.Range(0, parts - 1).Select(_ => random.Next(1, articles.Count)).Distinct().Order().ToList();
        var batches = new List<List<Article>>();
        var start = 0;
        foreach (var cut in cuts.Append(articles.Count))
        {
            batches.Add(articles.GetRange(start, cut - start));
            start = cut;
        }

        return batches;
    }
}
