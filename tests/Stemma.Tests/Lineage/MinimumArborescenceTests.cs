using Stemma.Lineage;

namespace Stemma.Tests.Lineage;

public class MinimumArborescenceTests
{
    // Every parent assignment that forms a tree from the root, the cheapest total: the reference for small graphs.
    private static double BruteForce(double[,] cost, int root)
    {
        var n = cost.GetLength(0);
        var best = double.PositiveInfinity;
        var parents = new int[n];
        void Assign(int node)
        {
            if (node == n)
            {
                for (var v = 0; v < n; v++)
                {
                    var steps = 0;
                    for (var u = v; u != root; u = parents[u])
                    {
                        if (++steps > n)
                        {
                            return;
                        }
                    }
                }

                best = Math.Min(best, Enumerable.Range(0, n).Where(v => v != root).Sum(v => cost[parents[v], v]));
                return;
            }

            if (node == root)
            {
                Assign(node + 1);
                return;
            }

            for (var p = 0; p < n; p++)
            {
                if (p != node && !double.IsPositiveInfinity(cost[p, node]))
                {
                    parents[node] = p;
                    Assign(node + 1);
                }
            }
        }

        Assign(0);
        return best;
    }

    [FsCheck.Xunit.Property(MaxTest = 300)]
    public bool Finds_a_cheapest_tree_from_the_root(int seed)
    {
        var random = new Random(seed);
        var n = random.Next(1, 7);
        var cost = new double[n, n];
        for (var p = 0; p < n; p++)
        {
            for (var c = 0; c < n; c++)
            {
                // Small integer costs make ties and cycles of cheapest edges common; some edges are missing.
                cost[p, c] = p == c || random.Next(6) == 0 ? double.PositiveInfinity : random.Next(10);
            }
        }

        var root = random.Next(n);
        var expected = BruteForce(cost, root);
        var parents = MinimumArborescence.Parents(cost, root);
        if (parents is null)
        {
            return double.IsPositiveInfinity(expected);
        }

        var total = Enumerable.Range(0, n).Where(v => v != root).Sum(v => cost[parents[v], v]);
        var reachesRoot = Enumerable.Range(0, n).All(v =>
        {
            var steps = 0;
            for (var u = v; u != root; u = parents[u])
            {
                if (++steps > n || parents[u] < 0)
                {
                    return false;
                }
            }

            return true;
        });
        return parents[root] == -1 && reachesRoot && Math.Abs(total - expected) < 1e-9;
    }
}
