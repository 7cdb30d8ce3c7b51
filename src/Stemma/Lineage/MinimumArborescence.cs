namespace Stemma.Lineage;

/// <summary>
/// The cheapest tree of directed edges reaching every node from a given root (Chu–Liu/Edmonds): each node takes its
/// cheapest incoming edge; a cycle among those is contracted into one node, with the edges into it re-priced by what
/// entering the cycle there saves, and the problem is solved again on the smaller graph. A copy family without dates
/// has no order to pick parents in, so its copy tree is the cheapest one that explains every member from the original.
/// </summary>
internal static class MinimumArborescence
{
    /// <summary>Each node's parent (−1 for the root) in a cheapest arborescence, or null when some node cannot be reached.</summary>
    /// <param name="cost">cost[from, to]; <see cref="double.PositiveInfinity"/> where there is no edge.</param>
    /// <param name="root">The root node.</param>
    public static int[]? Parents(double[,] cost, int root)
    {
        ArgumentNullException.ThrowIfNull(cost);
        var n = cost.GetLength(0);
        var edges = new List<(int From, int To, double Cost, int Original)>();
        var originals = new List<(int From, int To)>();
        for (var from = 0; from < n; from++)
        {
            for (var to = 0; to < n; to++)
            {
                if (from != to && to != root && !double.IsPositiveInfinity(cost[from, to]))
                {
                    edges.Add((from, to, cost[from, to], originals.Count));
                    originals.Add((from, to));
                }
            }
        }

        var chosen = Solve(n, root, edges);
        if (chosen is null)
        {
            return null;
        }

        var parents = new int[n];
        Array.Fill(parents, -1);
        foreach (var edge in chosen)
        {
            parents[originals[edge].To] = originals[edge].From;
        }

        return parents;
    }

    // Returns the ids (Original) of the chosen edges.
    private static List<int>? Solve(int n, int root, List<(int From, int To, double Cost, int Original)> edges)
    {
        // Cheapest edge into every node but the root.
        var best = new int[n];
        Array.Fill(best, -1);
        for (var e = 0; e < edges.Count; e++)
        {
            var (from, to, cost, _) = edges[e];
            if (from != to && (best[to] < 0 || cost < edges[best[to]].Cost))
            {
                best[to] = e;
            }
        }

        for (var v = 0; v < n; v++)
        {
            if (v != root && best[v] < 0)
            {
                return null;
            }
        }

        // Find a cycle among the chosen edges.
        var cycleOf = new int[n];
        Array.Fill(cycleOf, -1);
        var visited = new int[n];
        Array.Fill(visited, -1);
        var cycles = 0;
        for (var start = 0; start < n; start++)
        {
            var v = start;
            while (v != root && visited[v] < 0 && cycleOf[v] < 0)
            {
                visited[v] = start;
                v = edges[best[v]].From;
            }

            if (v != root && cycleOf[v] < 0 && visited[v] == start)
            {
                // v is on a cycle found from this start.
                for (var u = edges[best[v]].From; u != v; u = edges[best[u]].From)
                {
                    cycleOf[u] = cycles;
                }

                cycleOf[v] = cycles;
                cycles++;
            }
        }

        if (cycles == 0)
        {
            return [.. Enumerable.Range(0, n).Where(v => v != root).Select(v => edges[best[v]].Original)];
        }

        // Contract every cycle into one node; other nodes keep their own.
        var component = new int[n];
        var next = cycles;
        for (var v = 0; v < n; v++)
        {
            component[v] = cycleOf[v] >= 0 ? cycleOf[v] : next++;
        }

        var contracted = new List<(int From, int To, double Cost, int Original)>();
        var entering = new Dictionary<int, int>();
        for (var e = 0; e < edges.Count; e++)
        {
            var (from, to, cost, original) = edges[e];
            var (cf, ct) = (component[from], component[to]);
            if (cf == ct)
            {
                continue;
            }

            // Entering a cycle at `to` replaces the cycle edge into `to`.
            var price = cycleOf[to] >= 0 ? cost - edges[best[to]].Cost : cost;
            entering[contracted.Count] = e;
            contracted.Add((cf, ct, price, contracted.Count));
        }

        var inner = Solve(next, component[root], contracted);
        if (inner is null)
        {
            return null;
        }

        var result = new List<int>();
        var enteredAt = new HashSet<int>();
        foreach (var id in inner)
        {
            var edge = edges[entering[id]];
            result.Add(edge.Original);
            if (cycleOf[edge.To] >= 0)
            {
                enteredAt.Add(edge.To);
            }
        }

        // Inside each cycle keep every edge but the one into the node the cycle is entered at.
        for (var v = 0; v < n; v++)
        {
            if (cycleOf[v] >= 0 && !enteredAt.Contains(v))
            {
                result.Add(edges[best[v]].Original);
            }
        }

        return result;
    }
}
