namespace Stemma.Stories;

/// <summary>Disjoint sets over item indexes 0..n-1 with path halving and union by size.</summary>
public sealed class UnionFind
{
    private readonly int[] parent;
    private readonly int[] size;

    public UnionFind(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        parent = new int[count];
        size = new int[count];
        for (var i = 0; i < count; i++)
        {
            parent[i] = i;
            size[i] = 1;
        }
    }

    public int Count => parent.Length;

    public int Find(int item)
    {
        while (parent[item] != item)
        {
            parent[item] = parent[parent[item]];
            item = parent[item];
        }

        return item;
    }

    /// <summary>Joins the sets of <paramref name="a"/> and <paramref name="b"/>; returns false when they were already one.</summary>
    public bool Union(int a, int b)
    {
        var rootA = Find(a);
        var rootB = Find(b);
        if (rootA == rootB)
        {
            return false;
        }

        if (size[rootA] < size[rootB])
        {
            (rootA, rootB) = (rootB, rootA);
        }

        parent[rootB] = rootA;
        size[rootA] += size[rootB];
        return true;
    }

    public int SizeOf(int item) => size[Find(item)];

    /// <summary>
    /// Names every set by its smallest member id (ordinal), so a group's id does not depend on input order
    /// and does not change when unrelated documents are added.
    /// </summary>
    public string[] GroupIds(IReadOnlyList<string> itemIds)
    {
        ArgumentNullException.ThrowIfNull(itemIds);
        if (itemIds.Count != parent.Length)
        {
            throw new ArgumentException("one id per item is needed", nameof(itemIds));
        }

        var smallest = new Dictionary<int, string>();
        for (var i = 0; i < itemIds.Count; i++)
        {
            var root = Find(i);
            if (!smallest.TryGetValue(root, out var current) || string.CompareOrdinal(itemIds[i], current) < 0)
            {
                smallest[root] = itemIds[i];
            }
        }

        var ids = new string[itemIds.Count];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = smallest[Find(i)];
        }

        return ids;
    }
}
