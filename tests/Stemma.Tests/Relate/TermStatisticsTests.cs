using FsCheck.Xunit;
using Stemma.Relate;

namespace Stemma.Tests.Relate;

/// <summary>
/// IDF is a function of a term's document frequency and the collection size only, whatever statistics were made before
/// (statistics over the same number of documents share one lazily filled table).
/// </summary>
public class TermStatisticsTests
{
    private static double Expected(int frequency, int documents) =>
        (float)Math.Log(1 + ((documents + TermStatistics.PseudoDocuments - frequency + 0.5) / (frequency + 0.5)));

    [Property(MaxTest = 200)]
    public bool Idf_follows_the_formula_in_any_order_of_construction(ushort[] frequencies, ushort[] others, ushort documentsSeed)
    {
        var documents = Math.Max(1, (int)documentsSeed);
        var first = TermStatistics.FromFrequencies(frequencies.Select((f, i) => ((uint)i, Math.Min((int)f, documents))), documents);
        var second = TermStatistics.FromFrequencies(others.Select((f, i) => ((uint)i, Math.Min((int)f, documents))), documents);
        var elsewhere = TermStatistics.FromFrequencies(others.Select((f, i) => ((uint)i, Math.Min((int)f, documents))), documents + 1);

        bool Matches(TermStatistics statistics, ushort[] given, int count) =>
            given.Select((f, i) => statistics.Idf((uint)i) == Expected(Math.Min((int)f, documents), count)).All(ok => ok)
            && statistics.Idf(uint.MaxValue) == Expected(0, count);

        return Matches(first, frequencies, documents) && Matches(second, others, documents) && Matches(elsewhere, others, documents + 1);
    }

    [Property(MaxTest = 200)]
    public bool Growing_statistics_weigh_every_term_as_statistics_made_at_once_and_keep_a_held_frequency(ushort[] frequencies, ushort documentsSeed)
    {
        // Terms arrive in two steps, the second naming some terms again with another frequency (which must not move
        // them: weights cached from the statistics would go stale). Frequencies run past the first IDF table's length.
        var documents = Math.Max(1, (int)documentsSeed);
        var growing = TermStatistics.Growing(documents);
        var half = frequencies.Length / 2;
        for (var i = 0; i < half; i++)
        {
            growing.Include((uint)i, Math.Min((int)frequencies[i], documents));
        }

        var before = Enumerable.Range(0, half).Select(i => growing.Idf((uint)i)).ToList();
        for (var i = 0; i < frequencies.Length; i++)
        {
            growing.Include((uint)i, i < half ? documents - Math.Min((int)frequencies[i], documents) + 1 : Math.Min((int)frequencies[i], documents));
        }

        var atOnce = TermStatistics.FromFrequencies(frequencies.Select((f, i) => ((uint)i, Math.Min((int)f, documents))), documents);
        return Enumerable.Range(0, frequencies.Length).All(i => growing.Idf((uint)i) == atOnce.Idf((uint)i) && growing.Holds((uint)i))
            && Enumerable.Range(0, half).All(i => growing.Idf((uint)i) == before[i])
            && growing.Idf(uint.MaxValue) == atOnce.Idf(uint.MaxValue) && !growing.Holds(uint.MaxValue);
    }

    [Fact]
    public void Statistics_over_the_same_count_with_a_higher_frequency_get_a_table_that_covers_it()
    {
        var small = TermStatistics.FromFrequencies([(1u, 3)], 50_000);
        var large = TermStatistics.FromFrequencies([(1u, 3), (2u, 40_000)], 50_000);
        Assert.Equal(Expected(3, 50_000), small.Idf(1));
        Assert.Equal(Expected(40_000, 50_000), large.Idf(2));
        Assert.Equal(Expected(3, 50_000), large.Idf(1));
        Assert.True(large.Idf(2) < large.Idf(1));
    }
}
