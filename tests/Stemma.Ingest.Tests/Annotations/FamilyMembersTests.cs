using Stemma.Ingest.Annotations;

namespace Stemma.Ingest.Tests.Annotations;

/// <summary>
/// <see cref="InjectedSentences.FindFamilyMembers"/> (postings sorted in buckets on all cores) against its plain definition:
/// two articles are of one family when the keys they share, among keys held by 2 to 64 articles, are at least 20% of the
/// smaller one's keys; each article keeps its 4 closest, the closest first, ties to the smaller id.
/// </summary>
public sealed class FamilyMembersTests
{
    [Theory]
    [InlineData(1, 300)]
    [InlineData(2, 1500)]
    [InlineData(3, 6000)] // past 4,096 articles: spread into buckets in parts on all cores
    public void Families_are_those_of_every_pair_counted_plainly(int seed, int articles)
    {
        var random = new Random(seed);

        // Groups of articles drawing most of their keys from a pool of their own (so that groups share keys), some keys drawn
        // from everywhere, and a few keys every article holds (more than 64 holders: they say nothing).
        var common = Enumerable.Range(0, 3).Select(_ => (ulong)random.NextInt64()).ToArray();
        var pools = Enumerable.Range(0, articles / 6).Select(_ => Enumerable.Range(0, 60).Select(_ => (ulong)random.NextInt64() ^ ((ulong)random.Next() << 63)).ToArray()).ToArray();
        var keys = new ulong[articles][];
        var ids = new string[articles];
        for (var index = 0; index < articles; index++)
        {
            var pool = pools[random.Next(pools.Length)];
            var count = random.Next(1, 80);
            keys[index] = [.. Enumerable.Range(0, count)
                .Select(_ => random.Next(4) == 0 ? (ulong)random.NextInt64() : pool[random.Next(pool.Length)])
                .Concat(common)
                .Distinct()
                .Order()];
            ids[index] = $"a{random.Next(1000):D3}-{index}";
        }

        var found = InjectedSentences.FindFamilyMembers(keys, ids, InjectionOptions.Default);

        var holders = new Dictionary<ulong, List<int>>();
        for (var index = 0; index < articles; index++)
        {
            foreach (var key in keys[index])
            {
                (holders.TryGetValue(key, out var list) ? list : holders[key] = []).Add(index);
            }
        }

        var shared = new Dictionary<(int, int), int>();
        foreach (var list in holders.Values.Where(list => list.Count is > 1 and <= 64))
        {
            foreach (var a in list)
            {
                foreach (var b in list.Where(b => b != a))
                {
                    shared[(a, b)] = shared.GetValueOrDefault((a, b)) + 1;
                }
            }
        }

        var families = 0;
        for (var index = 0; index < articles; index++)
        {
            var expected = shared.Where(pair => pair.Key.Item1 == index)
                .Select(pair => (Other: pair.Key.Item2, Overlap: pair.Value / (double)Math.Max(1, Math.Min(keys[index].Length, keys[pair.Key.Item2].Length))))
                .Where(pair => pair.Overlap >= InjectionOptions.Default.MinFamilyOverlap)
                .OrderByDescending(pair => pair.Overlap).ThenBy(pair => ids[pair.Other], StringComparer.Ordinal)
                .Take(InjectionOptions.Default.MaxMembers)
                .Select(pair => pair.Other)
                .ToArray();
            if (expected.Length == 0)
            {
                Assert.Null(found[index]);
                continue;
            }

            families++;
            Assert.Equal(expected, found[index]);
        }

        Assert.True(families > articles / 2, $"only {families} of {articles} articles have a family");
    }
}
