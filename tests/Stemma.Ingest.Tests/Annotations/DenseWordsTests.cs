using Stemma.Ingest.Annotations;

namespace Stemma.Ingest.Tests.Annotations;

/// <summary><see cref="InjectedSentences.DenseWords"/>: equal codes get equal numbers and different codes different ones, 0, 1, 2...</summary>
public sealed class DenseWordsTests
{
    [Fact]
    public void Codes_get_one_number_each_from_several_threads_while_the_table_grows()
    {
        var random = new Random(11);

        // ASCII word codes (length in the low bits) and table codes (bit 62), about 200,000 distinct: the table doubles
        // several times while four threads ask, each in its own order, with repeats.
        var distinct = Enumerable.Range(0, 200_000)
            .Select(i => i % 3 == 0 ? (1L << 62) | (uint)random.Next() : ((long)random.Next() << 13) | (long)(3 + random.Next(4)))
            .Distinct()
            .ToArray();
        var asked = Enumerable.Range(0, 4).Select(_ => Enumerable.Range(0, 300_000).Select(_ => distinct[random.Next(distinct.Length)]).ToArray()).ToArray();
        var dense = new InjectedSentences.DenseWords();
        var numbers = asked.Select(codes => new int[codes.Length]).ToArray();

        Parallel.For(0, asked.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, thread =>
        {
            for (var i = 0; i < asked[thread].Length; i++)
            {
                numbers[thread][i] = dense.Id(asked[thread][i]);
            }
        });

        var byCode = new Dictionary<long, int>();
        for (var thread = 0; thread < asked.Length; thread++)
        {
            for (var i = 0; i < asked[thread].Length; i++)
            {
                Assert.Equal(byCode.TryAdd(asked[thread][i], numbers[thread][i]) ? numbers[thread][i] : byCode[asked[thread][i]], numbers[thread][i]);
            }
        }

        // Different codes, different numbers, and the numbers are 0..n-1 with none skipped.
        Assert.Equal(byCode.Count, byCode.Values.Distinct().Count());
        Assert.Equal(Enumerable.Range(0, byCode.Count), byCode.Values.Order());
        Assert.Equal(byCode.Count, dense.Count);

        // Asked again on one thread: the same numbers.
        Assert.All(byCode, entry => Assert.Equal(entry.Value, dense.Id(entry.Key)));
    }
}
