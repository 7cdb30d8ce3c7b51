using FsCheck;
using FsCheck.Fluent;
using Stemma.Index;

namespace Stemma.Tests.Index;

public class SortedSetsTests
{
    /// <summary>The branch-free search answers as the library's binary search: the index of a value present, the complement of its insertion point otherwise.</summary>
    [Fact]
    public void Index_of_answers_as_array_binary_search()
    {
        Prop.ForAll<uint[], uint>((values, probe) =>
        {
            var sorted = values.Distinct().Order().ToArray();
            return sorted.Append(probe).Append(0u).Append(uint.MaxValue).Concat(sorted.Select(v => v + 1)).Concat(sorted.Select(v => v - 1))
                .All(value => SortedSets.IndexOf(sorted, value) == Array.BinarySearch(sorted, value));
        }).QuickCheckThrowOnFailure();

        // Every length from empty to a few hundred (odd and even halvings), every item and every gap between items.
        var random = new Random(11);
        for (var length = 0; length <= 300; length++)
        {
            var sorted = Enumerable.Range(0, length).Select(_ => (uint)random.NextInt64(1, 1L << 32) & ~1u).Distinct().Order().ToArray();
            foreach (var value in sorted.SelectMany(v => new[] { v, v + 1, v - 1 }).Append(0u).Append(uint.MaxValue))
            {
                Assert.Equal(Array.BinarySearch(sorted, value), SortedSets.IndexOf(sorted, value));
            }
        }
    }

    /// <summary>The distinct values of a sorted span end up at its front, in order, each once: what Distinct gives.</summary>
    [Fact]
    public void Keep_distinct_leaves_each_value_once_in_order()
    {
        Prop.ForAll<uint[]>(values =>
        {
            var sorted = values.Select(v => v % 16).Order().ToArray();
            var count = SortedSets.KeepDistinct(sorted.AsSpan());
            return sorted[..count].SequenceEqual(values.Select(v => v % 16).Distinct().Order());
        }).QuickCheckThrowOnFailure();

        long[] longs = [-3, -3, 0, 7, 7, 7, long.MaxValue];
        Assert.Equal([-3L, 0, 7, long.MaxValue], longs[..SortedSets.KeepDistinct(longs.AsSpan())]);
        Assert.Equal(0, SortedSets.KeepDistinct(Span<uint>.Empty));
    }

    /// <summary>The merge gives what union, order and take give, for every size of destination.</summary>
    [Fact]
    public void Union_smallest_is_the_first_values_of_the_sorted_union()
    {
        Prop.ForAll<uint[], uint[], byte>((x, y, size) =>
        {
            // Small values, so the two sets share some.
            var a = x.Select(v => v % 64).Distinct().Order().ToArray();
            var b = y.Select(v => v % 64).Distinct().Order().ToArray();
            var destination = new uint[size % 40];
            var count = SortedSets.UnionSmallest(a, b, destination);
            return destination[..count].SequenceEqual(a.Union(b).Order().Take(destination.Length));
        }).QuickCheckThrowOnFailure();

        uint[] destination = new uint[4];
        Assert.Equal(4, SortedSets.UnionSmallest([1u, 5, 9, uint.MaxValue], [0u, 5, 6], destination));
        Assert.Equal([0u, 1, 5, 6], destination);
        Assert.Equal(0, SortedSets.UnionSmallest([], [], destination));
        Assert.Equal(2, SortedSets.UnionSmallest([], [uint.MaxValue - 1, uint.MaxValue], destination));
        Assert.Equal([uint.MaxValue - 1, uint.MaxValue], destination[..2]);
    }
}
