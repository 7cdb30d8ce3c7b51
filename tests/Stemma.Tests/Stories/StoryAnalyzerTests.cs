using Stemma.Index;
using Stemma.Relate;
using Stemma.Testing.Corpus;

namespace Stemma.Tests.Stories;

public class StoryAnalyzerTests
{
    private static readonly CorpusOptions EveryOperation = new()
    {
        Stories = 50,
        UnrelatedArticles = 50,
        MaxCopies = 6,
        CopyOfCopyRate = 0.3,
        RewritesPerStory = 1,
        SameEventReportsPerStory = 1,
        Operations = [CopyOperation.Verbatim, CopyOperation.Wrapped, CopyOperation.Excerpt, CopyOperation.Edited, CopyOperation.SentenceDrop, CopyOperation.Spun],
    };

    [Theory]
    [InlineData(41)]
    [InlineData(42)]
    public void Families_stories_and_parents_match_the_generator_ground_truth(int seed)
    {
        var documents = new SyntheticCorpus(seed, EveryOperation).Generate();
        var analysis = new StoryAnalyzer().Analyze([.. documents.Select(d => d.ToArticle())], []);

        Assert.Equal(documents.Select(d => d.Id), analysis.Documents.Select(p => p.Id));
        var placed = analysis.Documents.ToDictionary(p => p.Id);
        var familyAri = ClusteringMetrics.AdjustedRandIndex(documents.ToDictionary(d => d.Id, d => d.FamilyId), placed.ToDictionary(p => p.Key, p => p.Value.Family));
        var storyAri = ClusteringMetrics.AdjustedRandIndex(documents.ToDictionary(d => d.Id, d => d.StoryId), placed.ToDictionary(p => p.Key, p => p.Value.Story));
        var copies = documents.Where(d => d.ParentId is not null).ToList();
        var parentsRight = copies.Count(d => placed[d.Id].Parent == d.ParentId);

        Assert.True(familyAri >= 0.95, $"family ARI {familyAri:F3}");
        Assert.True(storyAri >= 0.90, $"story ARI {storyAri:F3}");
        Assert.True(parentsRight >= 0.85 * copies.Count, $"parent right for {parentsRight}/{copies.Count}");
        Assert.All(documents.Where(d => d.ParentId is null), d => Assert.Null(placed[d.Id].Parent));
    }

    [Fact]
    public void Near_duplicate_pairs_passed_in_are_labeled_and_keep_their_shingle_scores()
    {
        var documents = new SyntheticCorpus(43, EveryOperation with { Stories = 15, UnrelatedArticles = 15 }).Generate();
        var articles = documents.Select(d => d.ToArticle()).ToList();
        var nearDuplicates = ShingleJaccard.AllPairs(articles, minimumJaccard: 0.3);
        Assert.NotEmpty(nearDuplicates);

        var analysis = new StoryAnalyzer().Analyze(articles, nearDuplicates);
        foreach (var pair in nearDuplicates)
        {
            var related = analysis.Pairs.Single(p => p.A == articles[pair.A].Id && p.B == articles[pair.B].Id);
            Assert.Equal(pair.Jaccard, related.Jaccard);
            Assert.Equal(documents[pair.A].FamilyId, documents[pair.B].FamilyId);
            Assert.Contains(related.Relation, new[] { Relations.Identical, Relations.Copy, Relations.Excerpt, Relations.Edited, Relations.Spun });
        }
    }

    [Fact]
    public void An_independent_report_outside_the_time_window_starts_its_own_story()
    {
        var documents = new SyntheticCorpus(44, EveryOperation with { Stories = 6, UnrelatedArticles = 6 }).Generate();
        var late = documents.First(d => d.Operation == CopyOperation.SameEvent);
        var articles = documents.Select(d => d.Id == late.Id ? d.ToArticle() with { Date = d.Date.AddDays(30) } : d.ToArticle()).ToList();
        var analysis = new StoryAnalyzer(new StoryAnalyzerOptions { StoryWindow = TimeSpan.FromDays(7) }).Analyze(articles, []);
        var placed = analysis.Documents.ToDictionary(p => p.Id);
        Assert.NotEqual(placed[late.StoryId + "-0"].Story, placed[late.Id].Story);

        var onTime = documents.First(d => d.Operation == CopyOperation.SameEvent && d.StoryId != late.StoryId);
        Assert.Equal(placed[onTime.StoryId + "-0"].Story, placed[onTime.Id].Story);
    }

    [Fact]
    public void Empty_and_tiny_bodies_do_not_fail_and_empty_ones_stay_alone()
    {
        Article[] articles =
        [
            new() { Id = "empty-1", Body = string.Empty },
            new() { Id = "empty-2", Body = string.Empty },
            new() { Id = "one-word", Body = "Hello." },
            new() { Id = "one-word-again", Body = "hello" },
            new() { Id = "credited", Body = "Short note.", Attribution = "https://www.Example.com/story" },
        ];
        var analysis = new StoryAnalyzer().Analyze(articles, [new Stemma.Index.CandidatePair(0, 1, 1, 1)]);
        Assert.Equal(articles.Select(a => a.Id), analysis.Documents.Select(d => d.Id));
        Assert.Equal("empty-1", analysis.Documents[0].Family);
        Assert.Equal("empty-2", analysis.Documents[1].Family);
        Assert.Equal("https://www.Example.com/story", analysis.Documents[4].Origin);
        Assert.Equal(["credited", "one-word"], analysis.Trees.Select(t => t.Family));
        Assert.Equal("one-word", analysis.Documents[3].Family);
        Assert.Equal(Relations.Identical, analysis.Documents[3].Relation);
    }

    [Fact]
    public void Empty_input_gives_an_empty_analysis()
    {
        var analysis = new StoryAnalyzer().Analyze([], []);
        Assert.Empty(analysis.Documents);
        Assert.Empty(analysis.Pairs);
        Assert.Empty(analysis.Trees);
    }
}

/// <summary>Exact word 5-shingle Jaccard over all pairs: a slow stand-in for the near-duplicate engine in small tests.</summary>
internal static class ShingleJaccard
{
    public static List<CandidatePair> AllPairs(IReadOnlyList<Article> articles, double minimumJaccard)
    {
        var sets = articles.Select(a => Shingles(a.Body)).ToList();
        var pairs = new List<CandidatePair>();
        for (var i = 0; i < sets.Count; i++)
        {
            for (var j = i + 1; j < sets.Count; j++)
            {
                var shared = sets[i].Count(sets[j].Contains);
                var jaccard = (double)shared / (sets[i].Count + sets[j].Count - shared);
                if (jaccard >= minimumJaccard)
                {
                    pairs.Add(new CandidatePair(i, j, jaccard, (double)shared / Math.Min(sets[i].Count, sets[j].Count)));
                }
            }
        }

        return pairs;
    }

    private static HashSet<string> Shingles(string text)
    {
        var words = text.ToLowerInvariant().Split([' ', '\n', '.', ','], StringSplitOptions.RemoveEmptyEntries);
        return [.. Enumerable.Range(0, Math.Max(0, words.Length - 4)).Select(i => string.Join(' ', words, i, 5))];
    }
}
