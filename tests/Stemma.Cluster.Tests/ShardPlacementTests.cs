namespace Stemma.Cluster.Tests;

public sealed class ShardPlacementTests
{
    /// <summary>Whatever the store, the shard count and the silo count, a store's shards are spread evenly: silo loads differ by one at most.</summary>
    [Fact]
    public void A_stores_shards_go_round_the_silos_evenly()
    {
        var random = new Random(9);
        for (var trial = 0; trial < 500; trial++)
        {
            var store = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".db");
            var (shards, silos) = (random.Next(1, 65), random.Next(1, 8));
            var load = new int[silos];
            for (var s = 0; s < shards; s++)
            {
                load[Shards.SiloOf(Shards.Key(store, s, shards), silos)]++;
            }

            Assert.True(load.Max() - load.Min() <= 1, $"{shards} shards on {silos} silos: {string.Join(", ", load)}");
        }

        // The start depends on the store, so the first shards of many stores do not all pile on the first silo.
        var firsts = Enumerable.Range(0, 300).Select(i => Shards.SiloOf(Shards.Key("store-" + i, 0, 4), 3)).GroupBy(s => s).Select(g => g.Count()).ToList();
        Assert.Equal(3, firsts.Count);
        Assert.All(firsts, count => Assert.InRange(count, 60, 140));
    }
}
