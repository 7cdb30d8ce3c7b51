using Stemma.Index;

namespace Stemma.Tests.Index;

public class LshTests
{
    [Theory]
    [InlineData(0.3)]
    [InlineData(0.5)]
    [InlineData(0.8)]
    public void Optimal_banding_puts_the_s_curve_steepest_near_the_threshold(double threshold)
    {
        var parameters = LshParameters.Optimal(threshold, 128);
        Assert.True(parameters.Bands * parameters.Rows <= 128);
        Assert.True(parameters.CandidateProbability(Math.Min(1, threshold + 0.2)) > 0.9);
        Assert.True(parameters.CandidateProbability(Math.Max(0, threshold - 0.2)) < 0.5);

        // No other banding has a smaller weighted error: compare against every alternative's error on a fine grid.
        static double Error(LshParameters p, double t)
        {
            double fp = 0, fn = 0;
            const int Steps = 2000;
            for (var i = 0; i < Steps; i++)
            {
                var s = (i + 0.5) / Steps;
                var probability = p.CandidateProbability(s);
                if (s < t)
                {
                    fp += probability / Steps;
                }
                else
                {
                    fn += (1 - probability) / Steps;
                }
            }

            return fp + fn;
        }

        var chosen = Error(parameters, threshold);
        for (var b = 1; b <= 128; b++)
        {
            for (var r = 1; b * r <= 128; r++)
            {
                Assert.True(chosen <= Error(new LshParameters(b, r), threshold) + 1e-3, $"b={b} r={r} beats {parameters}");
            }
        }
    }

    [Fact]
    public void Query_returns_each_item_sharing_a_band_once_and_only_in_the_same_band()
    {
        var parameters = new LshParameters(4, 2);
        var index = new LshIndex(parameters);
        var first = index.Add([1, 2, 3, 4]);
        var second = index.Add([9, 9, 3, 9]);
        var third = index.Add([4, 3, 2, 1]);
        var results = new List<int>();
        index.Query([1, 2, 3, 4], results);
        Assert.Equal([first, second], results.Order());
        results.Clear();
        index.Query([1, 2, 3, 4], results);
        Assert.Equal(2, results.Count);
        results.Clear();
        index.Query([7, 7, 7, 8], results);
        Assert.Empty(results);
        results.Clear();
        index.Query([4, 0, 0, 0], results);
        Assert.Equal([third], results);
    }

    [Fact]
    public void Query_and_add_in_one_step_finds_what_query_then_add_finds_in_the_same_order()
    {
        var parameters = new LshParameters(5, 2);
        var random = new Random(41);
        var apart = new LshIndex(parameters);
        var together = new LshIndex(parameters);
        var added = new List<ulong[]>();
        var found = new List<int>();
        var foundTogether = new List<int>();
        for (var item = 0; item < 3_000; item++)
        {
            // Few distinct keys per band, so chains grow long and items share several bands.
            var keys = Enumerable.Range(0, parameters.Bands).Select(_ => (ulong)random.Next(40)).ToArray();
            found.Clear();
            apart.Query(keys, found);
            Assert.Equal(item, apart.Add(keys));
            foundTogether.Clear();
            Assert.Equal(item, together.QueryAndAdd(keys, foundTogether));
            Assert.Equal(found, foundTogether);

            // And both are every earlier item that shares a band, each once.
            var expected = Enumerable.Range(0, added.Count).Where(earlier => Enumerable.Range(0, parameters.Bands).Any(band => added[earlier][band] == keys[band]));
            Assert.Equal(expected, foundTogether.Order());
            added.Add(keys);
        }

        Assert.Equal(apart.Count, together.Count);
    }

    [Fact]
    public void Band_keys_are_equal_exactly_when_the_band_rows_are_equal()
    {
        var parameters = new LshParameters(3, 2);
        var a = LshIndex.BandKeys([1, 2, 3, 4, 5, 6], parameters);
        var b = LshIndex.BandKeys([1, 2, 0, 4, 5, 6], parameters);
        Assert.Equal(a[0], b[0]);
        Assert.NotEqual(a[1], b[1]);
        Assert.Equal(a[2], b[2]);
    }
}

public class HashTableTests
{
    [FsCheck.Xunit.Property(MaxTest = 200)]
    public bool Counts_like_a_dictionary_through_growth_and_clears(int seed)
    {
        var random = new Random(seed);
        var table = new Stemma.Index.HashTable(random.Next(0, 8));
        var reference = new Dictionary<ulong, int>();
        for (var step = 0; step < 2000; step++)
        {
            if (random.Next(500) == 0)
            {
                table.Clear(random.Next(0, 64));
                reference.Clear();
            }

            // Few distinct keys, some sharing low bits, so probing and collisions are exercised.
            var key = (ulong)random.Next(300) << random.Next(0, 40);
            table.GetValueRefOrAdd(key) += 1;
            reference[key] = reference.GetValueOrDefault(key) + 1;
        }

        const ulong probe = 601; // odd and above every unshifted key, so never added
        return table.Count == reference.Count
            && reference.All(p => table.TryGetValue(p.Key, out var v) && v == p.Value)
            && table.Entries().Count() == reference.Count
            && !table.TryGetValue(probe, out _) && table.GetValueOrDefault(probe) == 0;
    }
}
