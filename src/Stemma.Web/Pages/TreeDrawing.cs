using System.Globalization;
using Stemma.Lineage;

namespace Stemma.Web.Pages;

/// <summary>A node placed on the drawing: box top-left corner, its size and the lines of text it shows (each fitted to the box).</summary>
public sealed record PlacedNode(LineageNode Node, double X, double Y, double Width, double Height, IReadOnlyList<string> Lines, bool IsRoot)
{
    public string Label => Lines.Count > 0 ? Lines[0] : string.Empty;

    public string Detail => Lines.Count > 1 ? Lines[1] : string.Empty;
}

/// <summary>A connector from a parent to a child, ending in an arrowhead at the child, labeled with the relation.</summary>
public sealed record PlacedEdge(LineageEdge Edge, string Path, double LabelX, double LabelY, bool ShowLabel);

/// <summary>
/// Lays a lineage tree out, in one of two shapes. <see cref="Layout"/> goes left to right (the original in the first
/// column, each copy one column right of what it copied), for wide screens; <see cref="LayoutTall"/> goes top to
/// bottom as an indented list, one box per row, narrow enough for a phone. An outside origin stands apart from the
/// stored documents (its own column or row, with a gap). Text is fitted to the boxes with an estimate of glyph widths
/// that errs on the wide side; the page script shortens any label the browser still finds too long.
/// </summary>
public sealed record TreeDrawing(double Width, double Height, IReadOnlyList<PlacedNode> Nodes, IReadOnlyList<PlacedEdge> Edges)
{
    public const double NodeWidth = 248;
    public const double NodeHeight = 58;
    public const double TallNodeWidth = 300;
    public const double TallNodeHeight = 58;
    public const double TextPadding = 8;
    public const double LabelFontSize = 12;
    public const double DetailFontSize = 11;
    private const double ColumnGap = 96;
    private const double OutsideGap = 40;
    private const double RowHeight = 72;
    private const double TallRowHeight = 70;
    private const double Indent = 26;
    private const double Margin = 8;

    /// <summary>Left to right, for wide screens.</summary>
    public static TreeDrawing Layout(LineageTree tree)
    {
        ArgumentNullException.ThrowIfNull(tree);
        var (children, byId, roots) = Structure(tree);
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

        foreach (var root in roots)
        {
            if (!positions.ContainsKey(root))
            {
                Place(root, 0);
            }
        }

        var outsideRoot = byId.TryGetValue(tree.Root, out var rootNode) && rootNode.IsOutside;
        double X(int depth) => Margin + (depth * (NodeWidth + ColumnGap)) + (outsideRoot && depth > 0 ? OutsideGap : 0);
        double Y(double row) => Margin + (row * RowHeight);

        var nodes = tree.Nodes.Select(n =>
        {
            var (depth, row) = positions[n.Id];
            return new PlacedNode(n, X(depth), Y(row), NodeWidth, NodeHeight, [Fit(LabelOf(n), NodeWidth, LabelFontSize, bold: true), .. DetailOf(n, tree).Select(d => Fit(d, NodeWidth, DetailFontSize, bold: false))], n.Id == tree.Root);
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
            var x2 = X(to.Depth) - 2;
            var y2 = Y(to.Row) + (NodeHeight / 2);
            var elbow = x1 + 16;
            var path = FormattableString.Invariant($"M{x1:0.#},{y1:0.#} H{elbow:0.#} V{y2:0.#} H{x2:0.#}");
            edges.Add(new PlacedEdge(edge, path, elbow + 8, y2 - 6, ShowLabel: true));
        }

        var width = nodes.Count == 0 ? 0 : nodes.Max(n => n.X) + NodeWidth + Margin;
        var height = nodes.Count == 0 ? 0 : nodes.Max(n => n.Y) + NodeHeight + Margin;
        return new TreeDrawing(width, height, nodes, edges);
    }

    /// <summary>Top to bottom, one box per row, each copy indented under what it copied: fits a phone.</summary>
    public static TreeDrawing LayoutTall(LineageTree tree)
    {
        ArgumentNullException.ThrowIfNull(tree);
        var (children, byId, roots) = Structure(tree);
        var order = new List<(string Id, int Depth)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Visit(string id, int depth)
        {
            if (!seen.Add(id))
            {
                return;
            }

            order.Add((id, depth));
            foreach (var edge in children[id])
            {
                Visit(edge.Child, depth + 1);
            }
        }

        foreach (var root in roots)
        {
            Visit(root, 0);
        }

        var outsideRoot = byId.TryGetValue(tree.Root, out var rootNode) && rootNode.IsOutside;
        var parentEdge = tree.Edges.GroupBy(e => e.Child, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var placed = new Dictionary<string, PlacedNode>(StringComparer.Ordinal);
        var nodes = new List<PlacedNode>();
        for (var row = 0; row < order.Count; row++)
        {
            var (id, depth) = order[row];
            var node = byId[id];
            // The outside origin stands apart: its box sits a gap above the stored documents and is not indented into them.
            var x = Margin + (Math.Max(0, depth - (outsideRoot ? 1 : 0)) * Indent);
            var y = Margin + (row * TallRowHeight) + (outsideRoot && row > 0 ? OutsideGap / 2 : 0);
            parentEdge.TryGetValue(id, out var edge);
            var relation = edge?.Relation ?? "original";
            var date = Show.Date(node.Date);
            var placedNode = new PlacedNode(
                node,
                x,
                y,
                TallNodeWidth,
                TallNodeHeight,
                [
                    Fit(LabelOf(node), TallNodeWidth, LabelFontSize, bold: true),
                    Fit(node.IsOutside ? "outside source the copies credit" : $"{relation} · {date}", TallNodeWidth, DetailFontSize, bold: false),
                    Fit(node.IsOutside ? "not stored" : node.Title ?? string.Empty, TallNodeWidth, DetailFontSize, bold: false),
                ],
                id == tree.Root);
            placed[id] = placedNode;
            nodes.Add(placedNode);
        }

        var edges = new List<PlacedEdge>();
        foreach (var edge in tree.Edges)
        {
            if (!placed.TryGetValue(edge.Parent, out var from) || !placed.TryGetValue(edge.Child, out var to))
            {
                continue;
            }

            // Down from under the parent's box, then right into the child's box.
            var x1 = Math.Min(from.X + 12, to.X - 6);
            var y1 = from.Y + TallNodeHeight;
            var y2 = to.Y + (TallNodeHeight / 2);
            var x2 = to.X - 2;
            var path = to.X - x1 >= 8
                ? FormattableString.Invariant($"M{x1:0.#},{y1:0.#} V{y2:0.#} H{x2:0.#}")
                : FormattableString.Invariant($"M{to.X + 12:0.#},{y1:0.#} V{to.Y - 2:0.#}");
            edges.Add(new PlacedEdge(edge, path, 0, 0, ShowLabel: false));
        }

        var width = nodes.Count == 0 ? 0 : nodes.Max(n => n.X) + TallNodeWidth + Margin;
        var height = nodes.Count == 0 ? 0 : nodes.Max(n => n.Y) + TallNodeHeight + Margin;
        return new TreeDrawing(width, height, nodes, edges);
    }

    /// <summary>
    /// The text shortened with "…" until its estimated width fits the box less its padding. The estimate takes each
    /// glyph at the wide end of common sans-serif fonts, so what fits here fits in the browser.
    /// </summary>
    public static string Fit(string text, double boxWidth, double fontSize, bool bold)
    {
        ArgumentNullException.ThrowIfNull(text);
        var room = boxWidth - (2 * TextPadding);
        if (EstimateWidth(text, fontSize, bold) <= room)
        {
            return text;
        }

        var length = text.Length;
        while (length > 1 && EstimateWidth(string.Concat(text.AsSpan(0, length), "…"), fontSize, bold) > room)
        {
            length--;
        }

        return string.Concat(text.AsSpan(0, length).TrimEnd(), "…");
    }

    /// <summary>Estimated width in pixels of <paramref name="text"/> at <paramref name="fontSize"/>.</summary>
    public static double EstimateWidth(string text, double fontSize, bool bold)
    {
        ArgumentNullException.ThrowIfNull(text);
        double em = 0;
        foreach (var c in text)
        {
            em += c switch
            {
                'i' or 'l' or 'j' or '\'' or '|' or '!' or '.' or ',' or ':' or ';' or 'I' => 0.34,
                'f' or 't' or 'r' or ' ' or '(' or ')' or '[' or ']' or '/' or '-' => 0.48,
                'm' or 'w' or 'M' or 'W' or '@' or '%' or '…' or '—' => 1.0,
                >= 'A' and <= 'Z' => 0.76,
                >= '0' and <= '9' => 0.66,
                _ when char.IsAscii(c) => 0.64,
                _ => 1.0,
            };
        }

        return em * fontSize * (bold ? 1.1 : 1.0);
    }

    private static (Dictionary<string, List<LineageEdge>> Children, Dictionary<string, LineageNode> ById, List<string> Roots) Structure(LineageTree tree)
    {
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

        var roots = new List<string>();
        if (byId.ContainsKey(tree.Root))
        {
            roots.Add(tree.Root);
        }

        var hasParent = tree.Edges.Select(e => e.Child).ToHashSet(StringComparer.Ordinal);
        roots.AddRange(tree.Nodes.Select(n => n.Id).Where(id => id != tree.Root && !hasParent.Contains(id)));

        // Nodes only reachable through a cycle are still drawn, as roots of their own.
        var reachable = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>(roots);
        while (stack.Count > 0)
        {
            var id = stack.Pop();
            if (reachable.Add(id))
            {
                foreach (var edge in children[id])
                {
                    stack.Push(edge.Child);
                }
            }
        }

        roots.AddRange(tree.Nodes.Select(n => n.Id).Where(id => !reachable.Contains(id)));
        return (children, byId, roots);
    }

    private static string LabelOf(LineageNode node) => node.IsOutside ? node.Site ?? node.Id : Wording.ShortId(node.Id, 60);

    /// <summary>The lines under the label: the site, then the date (or what an outside origin is).</summary>
    private static string[] DetailOf(LineageNode node, LineageTree tree)
    {
        if (node.IsOutside)
        {
            return ["outside source, credited", "not stored"];
        }

        var date = node.Date?.ToUniversalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        return [node.Site ?? (node.Id == tree.Root ? "original" : "unknown site"), date ?? "undated"];
    }
}
