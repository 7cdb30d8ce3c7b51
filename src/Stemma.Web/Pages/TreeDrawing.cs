using Stemma.Lineage;

namespace Stemma.Web.Pages;

/// <summary>A node placed on the drawing: box top-left corner and the two lines of text it shows.</summary>
public sealed record PlacedNode(LineageNode Node, double X, double Y, string Label, string Detail, bool IsRoot);

/// <summary>An elbow connector from a parent's right side to a child's left side, labeled near the child.</summary>
public sealed record PlacedEdge(LineageEdge Edge, string Path, double LabelX, double LabelY);

/// <summary>
/// Lays a lineage tree out left to right: the original in the first column, each copy one column to the right of
/// what it copied, one row per leaf. Stars of many copies stay narrow enough for a phone.
/// </summary>
public sealed record TreeDrawing(double Width, double Height, IReadOnlyList<PlacedNode> Nodes, IReadOnlyList<PlacedEdge> Edges)
{
    public const double NodeWidth = 196;
    public const double NodeHeight = 44;
    private const double ColumnGap = 92;
    private const double RowHeight = 58;
    private const double Margin = 8;
    private const int MaxLabelChars = 27;

    public static TreeDrawing Layout(LineageTree tree)
    {
        ArgumentNullException.ThrowIfNull(tree);
        var children = tree.Nodes.ToDictionary(n => n.Id, _ => new List<LineageEdge>(), StringComparer.Ordinal);
        foreach (var edge in tree.Edges)
        {
            if (children.TryGetValue(edge.Parent, out var list) && children.ContainsKey(edge.Child))
            {
                list.Add(edge);
            }
        }

        var byId = tree.Nodes.ToDictionary(n => n.Id, StringComparer.Ordinal);
        foreach (var list in children.Values)
        {
            list.Sort((x, y) =>
            {
                var byDate = (byId[x.Child].Date ?? DateTimeOffset.MaxValue).CompareTo(byId[y.Child].Date ?? DateTimeOffset.MaxValue);
                return byDate != 0 ? byDate : string.CompareOrdinal(x.Child, y.Child);
            });
        }

        var positions = new Dictionary<string, (int Depth, double Row)>(StringComparer.Ordinal);
        var nextRow = 0;
        double Place(string id, int depth)
        {
            // Guards against a malformed tree with a cycle: each node is placed once.
            positions[id] = (depth, -1);
            var rows = new List<double>();
            foreach (var edge in children[id])
            {
                if (!positions.ContainsKey(edge.Child))
                {
                    rows.Add(Place(edge.Child, depth + 1));
                }
            }

            var row = rows.Count == 0 ? nextRow++ : (rows[0] + rows[^1]) / 2;
            positions[id] = (depth, row);
            return row;
        }

        var roots = new List<string>();
        if (byId.ContainsKey(tree.Root))
        {
            roots.Add(tree.Root);
        }

        roots.AddRange(tree.Nodes.Select(n => n.Id).Where(id => id != tree.Root && !tree.Edges.Any(e => e.Child == id)));
        foreach (var root in roots)
        {
            if (!positions.ContainsKey(root))
            {
                Place(root, 0);
            }
        }

        foreach (var node in tree.Nodes.Where(n => !positions.ContainsKey(n.Id)))
        {
            Place(node.Id, 0);
        }

        double X(int depth) => Margin + (depth * (NodeWidth + ColumnGap));
        double Y(double row) => Margin + (row * RowHeight);

        var nodes = tree.Nodes.Select(n =>
        {
            var (depth, row) = positions[n.Id];
            return new PlacedNode(n, X(depth), Y(row), LabelOf(n), DetailOf(n), n.Id == tree.Root);
        }).ToList();
        var edges = new List<PlacedEdge>();
        foreach (var edge in tree.Edges)
        {
            if (!positions.TryGetValue(edge.Parent, out var from) || !positions.TryGetValue(edge.Child, out var to))
            {
                continue;
            }

            var x1 = X(from.Depth) + NodeWidth;
            var y1 = Y(from.Row) + (NodeHeight / 2);
            var x2 = X(to.Depth);
            var y2 = Y(to.Row) + (NodeHeight / 2);
            var elbow = x1 + 16;
            var path = FormattableString.Invariant($"M{x1:0.#},{y1:0.#} H{elbow:0.#} V{y2:0.#} H{x2:0.#}");
            edges.Add(new PlacedEdge(edge, path, elbow + 8, y2 - 6));
        }

        var width = nodes.Count == 0 ? 0 : nodes.Max(n => n.X) + NodeWidth + Margin;
        var height = nodes.Count == 0 ? 0 : nodes.Max(n => n.Y) + NodeHeight + Margin;
        return new TreeDrawing(width, height, nodes, edges);
    }

    private static string LabelOf(LineageNode node)
    {
        var label = node.IsOutside ? $"outside: {node.Site ?? node.Id}" : node.Site ?? node.Id;
        return Shorten(label);
    }

    private static string DetailOf(LineageNode node)
    {
        var date = node.Date?.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        var detail = node.IsOutside ? "credited source, not stored" : date is null ? node.Title ?? node.Id : $"{date} · {node.Title ?? node.Id}";
        return Shorten(detail);
    }

    private static string Shorten(string text) => text.Length <= MaxLabelChars ? text : string.Concat(text.AsSpan(0, MaxLabelChars - 1), "…");
}
