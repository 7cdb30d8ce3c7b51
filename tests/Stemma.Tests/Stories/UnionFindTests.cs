using FsCheck;
using FsCheck.Fluent;
using Stemma.Stories;

namespace Stemma.Tests.Stories;

public class UnionFindTests
{
    [Fact]
    public void Unions_are_transitive_and_group_ids_are_the_smallest_member()
    {
        var sets = new UnionFind(6);
        Assert.True(sets.Union(4, 1));
        Assert.True(sets.Union(1, 5));
        Assert.False(sets.Union(5, 4));
        Assert.Equal(sets.Find(4), sets.Find(5));
        Assert.NotEqual(sets.Find(0), sets.Find(4));
        Assert.Equal(3, sets.SizeOf(5));
        Assert.Equal(["a", "e", "c", "d", "e", "e"], sets.GroupIds(["a", "f", "c", "d", "e", "g"]));
    }

    [Fact]
    public void Group_ids_do_not_depend_on_union_order()
    {
        Prop.ForAll(
            Gen.Choose(0, 29).Two().ListOf().ToArbitrary(),
            edges =>
            {
                var ids = Enumerable.Range(0, 30).Select(i => $"doc{i:D2}").ToArray();
                var forward = new UnionFind(30);
                var backward = new UnionFind(30);
                foreach (var (a, b) in edges)
                {
                    forward.Union(a, b);
                }

                foreach (var (a, b) in Enumerable.Reverse(edges))
                {
                    backward.Union(b, a);
                }

                return forward.GroupIds(ids).SequenceEqual(backward.GroupIds(ids));
            }).QuickCheckThrowOnFailure();
    }
}
