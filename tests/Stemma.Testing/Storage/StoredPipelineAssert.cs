using Stemma.Pipeline;
using Stemma.Storage;
using Stemma.Testing.Corpus;

namespace Stemma.Testing.Storage;

/// <summary>Checks that what a store holds after ingesting equals one in-memory analysis of the same articles.</summary>
public static class StoredPipelineAssert
{
    /// <summary>A small corpus with every copy operation, copies of copies, rewrites and same-event reports: what stored
    /// pipelines (a store, a cluster) are checked against analyze on.</summary>
    public static CorpusOptions EveryOperation { get; } = new()
    {
        Stories = 10,
        MinCopies = 2,
        MaxCopies = 4,
        UnrelatedArticles = 8,
        MinSentences = 10,
        MaxSentences = 20,
        CopyOfCopyRate = 0.4,
        Operations = [CopyOperation.Verbatim, CopyOperation.Wrapped, CopyOperation.Excerpt, CopyOperation.Edited, CopyOperation.SentenceDrop, CopyOperation.Spun],
        RewritesPerStory = 1,
        SameEventReportsPerStory = 1,
    };

    /// <summary>
    /// Every article is placed in the family and story, under the parent and relation, that <see cref="CorpusAnalyzer"/>
    /// gives for the articles in <paramref name="articlesInIngestOrder"/>; nothing is pending; the stored pairs and their
    /// relations are the analysis's pairs.
    /// </summary>
    public static async Task EqualsAnalysisAsync(IStore store, IReadOnlyList<Article> articlesInIngestOrder)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(articlesInIngestOrder);
        var expected = CorpusAnalyzer.Analyze(articlesInIngestOrder);
        var placements = (await store.GetPlacementsAsync([.. articlesInIngestOrder.Select(a => a.Id)])).ToDictionary(p => p.DocumentId, StringComparer.Ordinal);
        Assert.Equal(articlesInIngestOrder.Count, placements.Count);
        Assert.Empty(await store.GetPendingAsync(int.MaxValue));
        foreach (var document in expected.Documents)
        {
            var stored = placements[document.Id];
            Assert.Equal((document.Id, document.Family, document.Story), (document.Id, stored.FamilyId, stored.StoryId));
            Assert.Equal((document.Id, document.Parent, document.Relation), (document.Id, stored.Parent, stored.Relation));
        }

        var expectedPairs = expected.Stories!.Pairs.Select(p => Canonical(p.A, p.B, p.Relation)).Order().ToList();
        var storedPairs = new HashSet<(string, string, string)>();
        foreach (var id in articlesInIngestOrder.Select(a => a.Id))
        {
            foreach (var pair in await store.GetPairsAsync(id))
            {
                storedPairs.Add(Canonical(pair.A, pair.B, pair.Relation!));
            }
        }

        Assert.Equal(expectedPairs, storedPairs.Order().ToList());
    }

    private static (string, string, string) Canonical(string a, string b, string relation) =>
        string.CompareOrdinal(a, b) < 0 ? (a, b, relation) : (b, a, relation);
}
