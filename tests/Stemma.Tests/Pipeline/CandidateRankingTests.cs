using Stemma.Pipeline;
using Stemma.Relate;

namespace Stemma.Tests.Pipeline;

/// <summary>
/// The stored candidates a probe takes from the term postings are its strongest few, best first: a higher score, and
/// among equal scores the id first in ordinal order, whatever order the scored documents come in. The relate step keeps
/// them in a short sorted array (<see cref="Best{T}"/> of <see cref="ScoredId"/>); a full sort of every scored document
/// by the same rule is the reference.
/// </summary>
public class CandidateRankingTests
{
    [Theory]
    [InlineData(12, 500, 7)]
    [InlineData(12, 500, 500)]
    [InlineData(12, 5, 3)]
    [InlineData(1, 200, 4)]
    [InlineData(0, 50, 4)]
    public void The_strongest_are_kept_best_first_with_ties_by_ordinal_id(int capacity, int documents, int distinctScores)
    {
        var random = new Random(capacity * 1000 + documents + distinctScores);
        for (var trial = 0; trial < 20; trial++)
        {
            // Few distinct scores make many ties; ids of mixed case and length make ordinal order differ from others.
            var scored = Enumerable.Range(0, documents)
                .Select(d => new ScoredId(0.06f + random.Next(distinctScores) * 0.01f, Id(random, d)))
                .ToList();

            var best = new Best<ScoredId>(capacity);
            foreach (var item in scored)
            {
                best.Offer(item);
            }

            var expected = scored
                .OrderByDescending(s => s.Score)
                .ThenBy(s => s.Id, StringComparer.Ordinal)
                .Take(capacity)
                .Select(s => s.Id)
                .ToList();
            var kept = Enumerable.Range(0, best.Count).Select(k => best[k].Id).ToList();
            Assert.Equal(expected, kept);
        }
    }

    [Fact]
    public void A_cleared_ranking_starts_again()
    {
        var best = new Best<ScoredId>(2);
        best.Offer(new ScoredId(0.9f, "b"));
        best.Offer(new ScoredId(0.9f, "a"));
        best.Offer(new ScoredId(0.5f, "c"));
        Assert.Equal(["a", "b"], [best[0].Id, best[1].Id]);

        best.Clear();
        best.Offer(new ScoredId(0.1f, "z"));
        Assert.Equal(1, best.Count);
        Assert.Equal("z", best[0].Id);
    }

    // Distinct per document (the index), with a random prefix of mixed case.
    private static string Id(Random random, int document)
    {
        var letters = "aAbBzZ_-";
        var prefix = new string([.. Enumerable.Range(0, random.Next(0, 4)).Select(_ => letters[random.Next(letters.Length)])]);
        return $"{prefix}doc{document}";
    }
}
