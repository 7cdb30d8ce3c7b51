using System.Globalization;
using System.Text.RegularExpressions;
using Stemma.Index;
using Stemma.Pipeline;
using Stemma.Testing.Corpus;
using Stemma.Testing.Storage;

namespace Stemma.Storage.Sqlite.Tests;

/// <summary>
/// Relating new articles labels their stored candidates first and leaves out of the region those no new article relates
/// to (with their stories). It must never leave out a stored document a new article relates to, also when only the term
/// index finds it (a rewrite or spun copy shares no LSH band with its original): checked against the generator's truth.
/// </summary>
public class RegionPruningTests
{
    private static readonly CopyOperation[] Late = [CopyOperation.Spun, CopyOperation.Rewrite, CopyOperation.SameEvent];

    [Theory]
    [InlineData(21)]
    [InlineData(22)]
    [InlineData(23)]
    public async Task New_spun_copies_and_rewrites_join_the_stored_story_they_belong_to(int seed)
    {
        var generated = new SyntheticCorpus(seed, StoredPipelineAssert.EveryOperation with
        {
            Stories = 8,
            UnrelatedArticles = 16,
            Operations = [CopyOperation.Verbatim, CopyOperation.Spun],
            CopyOfCopyRate = 0,
        }).Generate();

        // Stored first: originals, verbatim copies and unrelated articles. Then, in a second ingest: spun copies, rewrites
        // and same-event reports, each of a story already stored.
        var first = generated.Where(d => !Late.Contains(d.Operation)).ToList();
        var second = generated.Where(d => Late.Contains(d.Operation)).ToList();
        using var folder = new TemporaryFolder();
        await using var store = await SqliteStore.OpenAsync(Path.Combine(folder.Path, "stemma.db"));
        await new StoreIngestor(store).IngestAsync(first.Select(d => d.ToArticle()));
        var log = new List<string>();
        await new StoreIngestor(store) { Log = log.Add }.IngestAsync(second.Select(d => d.ToArticle()));

        // The premise: some new article shares neither its content hash nor any LSH band with the stored documents of its
        // story, so only the term postings propose them.
        var options = new AnalyzeOptions();
        var sketcher = new DocumentSketcher(options.Sketch, StoreIngestor.LshParametersFor(options));
        var sketched = generated.ToDictionary(d => d.Id, d => sketcher.Sketch(d.ToArticle()).Document);
        bool ShareBandOrHash(string a, string b) =>
            sketched[a].ContentHash == sketched[b].ContentHash || sketched[a].BandKeys.Where((key, band) => sketched[b].BandKeys[band] == key).Any();
        var termOnly = second.Where(d => first.Where(s => s.StoryId == d.StoryId).All(s => !ShareBandOrHash(d.Id, s.Id))).ToList();
        Assert.Contains(termOnly, d => d.Operation == CopyOperation.Rewrite);
        Assert.Contains(termOnly, d => d.Operation == CopyOperation.Spun);

        // The pruning ran: stored candidates were labelled and some were left out.
        var regions = log.Select(line => Regex.Match(line, @"^region of \d+ \(\d+ pending, (\d+) stored candidates, (\d+) related")).Where(m => m.Success).ToList();
        Assert.NotEmpty(regions);
        Assert.Contains(regions, m => Number(m.Groups[2]) < Number(m.Groups[1]));

        // The generator's truth: every spun copy and rewrite is in the story of its story's original, which was stored
        // before it; a spun copy is in its parent's family.
        var placements = (await store.GetPlacementsAsync([.. generated.Select(d => d.Id)])).ToDictionary(p => p.DocumentId, StringComparer.Ordinal);
        var originals = first.Where(d => d.Operation == CopyOperation.Original).ToDictionary(d => d.StoryId, StringComparer.Ordinal);
        foreach (var document in second.Where(d => d.Operation is CopyOperation.Spun or CopyOperation.Rewrite))
        {
            var original = originals[document.StoryId];
            Assert.Equal((document.Id, placements[original.Id].StoryId), (document.Id, placements[document.Id].StoryId));
            if (document.Operation == CopyOperation.Spun)
            {
                Assert.Equal((document.Id, placements[document.ParentId!].FamilyId), (document.Id, placements[document.Id].FamilyId));
            }
        }

        // And everything as one analysis of the articles in the order they were stored.
        await StoredPipelineAssert.EqualsAnalysisAsync(store, [.. first.Concat(second).Select(d => d.ToArticle())]);
    }

    /// <summary>
    /// A relate pass screens a candidate it read in an earlier region from what it kept of it (terms, names, shingles; no
    /// text) and reads the text only for a pair the screen cannot decide. In one pass of small regions most candidates are
    /// such; the store must equal the analysis, as a pass that keeps nothing and reads every candidate does, and as a pass
    /// whose screens hold a few documents, by bytes or by count (older screens leave while a region reads its candidates).
    /// </summary>
    [Theory]
    [InlineData(31)]
    [InlineData(32)]
    public async Task Candidates_screened_without_their_text_relate_as_candidates_read_in_full(int seed)
    {
        var articles = new SyntheticCorpus(seed, StoredPipelineAssert.EveryOperation).Generate().Select(d => d.ToArticle()).ToList();
        using var folder = new TemporaryFolder();
        var all = StorePipelineOptions.Default;
        foreach (var (kept, bytes) in new[] { (all.ScreenedDocuments, all.ScreenedBytes), (0, all.ScreenedBytes), (all.ScreenedDocuments, 30_000L), (4, all.ScreenedBytes) })
        {
            await using var store = await SqliteStore.OpenAsync(Path.Combine(folder.Path, $"kept-{kept}-{bytes}.db"));
            var log = new List<string>();
            var pipeline = new StorePipelineOptions { AddBatchSize = 16, RelateBatchSize = 8, ScreenedDocuments = kept, ScreenedBytes = bytes };
            await new StoreIngestor(store, pipeline: pipeline) { Log = log.Add }.IngestAsync(articles);

            // Stored candidates, and those of them read because the pass had not kept them.
            var regions = log.Select(line => Regex.Match(line, @"^region of \d+ \(\d+ pending, (\d+) stored candidates.* \((\d+) not screened before\)")).Where(m => m.Success).ToList();
            var candidates = regions.Sum(m => Number(m.Groups[1]));
            var unkept = regions.Sum(m => Number(m.Groups[2]));
            Assert.True(candidates > 0);
            if (kept == all.ScreenedDocuments && bytes == all.ScreenedBytes)
            {
                Assert.Equal(0, unkept);
            }
            else if (kept > 0)
            {
                // Screens pushed out: their candidates are read again.
                Assert.InRange(unkept, 1, candidates);
            }
            else
            {
                Assert.Equal(candidates, unkept);
            }

            await StoredPipelineAssert.EqualsAnalysisAsync(store, articles);
        }
    }

    /// <summary>
    /// A pass whose memory budget is smaller than its regions (the screens give way to each region's documents) and that
    /// reads its unscreened candidates a few at a time stores what the analysis gives, as an unbounded pass does: the
    /// screens only spare reads, and a candidate screened from a slice is decided as one read with all the others.
    /// </summary>
    [Theory]
    [InlineData(33)]
    [InlineData(34)]
    public async Task A_pass_under_a_tiny_memory_budget_reading_candidates_in_slices_stores_the_same_result(int seed)
    {
        var articles = new SyntheticCorpus(seed, StoredPipelineAssert.EveryOperation).Generate().Select(d => d.ToArticle()).ToList();
        using var folder = new TemporaryFolder();
        await using var store = await SqliteStore.OpenAsync(Path.Combine(folder.Path, "budget.db"));
        var log = new List<string>();
        var pipeline = new StorePipelineOptions { AddBatchSize = 16, RelateBatchSize = 8, MemoryBudget = 40_000, CandidatesReadAtOnce = 3 };
        await new StoreIngestor(store, pipeline: pipeline) { Log = log.Add }.IngestAsync(articles);

        // The screens were held below their own size by the regions, and candidates they gave up were read again.
        var allowed = log.Select(line => Regex.Match(line, @"^screens kept: (\d+) documents, \d+ MB of (\d+) MB allowed")).Where(m => m.Success).ToList();
        Assert.NotEmpty(allowed);
        Assert.All(allowed, m => Assert.Equal(0, Number(m.Groups[2])));
        var regions = log.Select(line => Regex.Match(line, @"^region of \d+ \(\d+ pending, (\d+) stored candidates.* \((\d+) not screened before\)")).Where(m => m.Success).ToList();
        Assert.InRange(regions.Sum(m => Number(m.Groups[2])), 4, regions.Sum(m => Number(m.Groups[1])));

        await StoredPipelineAssert.EqualsAnalysisAsync(store, articles);
    }

    private static int Number(Group group) => int.Parse(group.Value, CultureInfo.InvariantCulture);
}
