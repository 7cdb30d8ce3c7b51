using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Xml;
using Stemma.Present;
using Stemma.Relate;

namespace Stemma.Lineage;

/// <summary>Writes lineage trees as JSON, Graphviz DOT, GraphML, or an indented tree for the terminal.</summary>
public static class LineageFormats
{
    /// <summary>One JSON document: {"trees":[{"family","story","root","nodes":[...],"edges":[...]}]}, each tree in its wire shape (<see cref="TreeResult"/>).</summary>
    public static string ToJson(IEnumerable<LineageTree> trees, bool indented = false)
    {
        ArgumentNullException.ThrowIfNull(trees);
        return WireJson.Write(new LineageResult([.. trees.Select(TreeResult.From)]), indented);
    }

    public static string ToJson(LineageTree tree, bool indented = false) => ToJson([tree], indented);

    /// <summary>
    /// A Graphviz digraph with one cluster per tree; outside origins drawn as dashed boxes. Edges whose direction is
    /// unknown are drawn without arrowheads and dashed; tie-breaks and confidence are in the edge label.
    /// </summary>
    public static string ToDot(IEnumerable<LineageTree> trees)
    {
        ArgumentNullException.ThrowIfNull(trees);
        var dot = new StringBuilder();
        dot.Append("digraph lineage {\n  rankdir=TB;\n  node [shape=box, fontsize=10];\n");
        var clusterIndex = 0;
        foreach (var tree in trees)
        {
            dot.Append(CultureInfo.InvariantCulture, $"  subgraph cluster_{clusterIndex++} {{\n    label={DotString("family " + tree.Family)};\n");
            foreach (var node in tree.Nodes)
            {
                var label = node.IsOutside ? node.Id + "\\n(outside origin)" : node.Site is null ? node.Id : node.Id + "\\n" + node.Site;
                dot.Append(CultureInfo.InvariantCulture, $"    {DotString(NodeKey(tree, node.Id))} [label={DotString(label, keepNewlines: true)}{(node.IsOutside ? ", style=dashed" : string.Empty)}];\n");
            }

            foreach (var edge in tree.Edges)
            {
                // DOT reads "\n" inside a quoted label as a line break: the relation, then each changed figure.
                var lines = edge.Changes.Where(c => c.Kind == ChangeKind.Figure).Select(c => EscapeDot(ChangeText(c)))
                    .Prepend(EscapeDot(EdgeSummary(edge))).Prepend(EscapeDot(edge.Relation));
                var style = edge.IsDirectionUnknown ? ", dir=none, style=dashed" : edge.IsTieBreak ? ", style=dashed" : string.Empty;
                dot.Append(CultureInfo.InvariantCulture, $"    {DotString(NodeKey(tree, edge.Parent))} -> {DotString(NodeKey(tree, edge.Child))} [label=\"{string.Join("\\n", lines)}\"{style}];\n");
            }

            dot.Append("  }\n");
        }

        dot.Append("}\n");
        return dot.ToString();
    }

    public static string ToDot(LineageTree tree) => ToDot([tree]);

    // Outside origins may be shared by several trees; keep each tree's nodes separate.
    private static string NodeKey(LineageTree tree, string id) => tree.Family + "/" + id;

    private static string DotString(string value, bool keepNewlines = false) =>
        "\"" + (keepNewlines ? string.Join("\\n", value.Split("\\n").Select(EscapeDot)) : EscapeDot(value)) + "\"";

    private static string EscapeDot(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    /// <summary>GraphML with node attributes (outside, site, date, family) and edge attributes (relation, similarity, changes).</summary>
    public static string ToGraphMl(IEnumerable<LineageTree> trees)
    {
        ArgumentNullException.ThrowIfNull(trees);
        // Written as UTF-8 bytes: an XmlWriter over a StringBuilder declares encoding="utf-16", which parsers then reject.
        using var buffer = new MemoryStream();
        var settings = new XmlWriterSettings { Indent = true, OmitXmlDeclaration = false, Encoding = new UTF8Encoding(false) };
        using (var xml = XmlWriter.Create(buffer, settings))
        {
            const string ns = "http://graphml.graphdrawing.org/xmlns";
            xml.WriteStartDocument();
            xml.WriteStartElement("graphml", ns);
            Key(xml, "outside", "node", "boolean");
            Key(xml, "site", "node", "string");
            Key(xml, "date", "node", "string");
            Key(xml, "family", "node", "string");
            Key(xml, "relation", "edge", "string");
            Key(xml, "similarity", "edge", "double");
            Key(xml, "changes", "edge", "string");
            Key(xml, "direction", "edge", "string");
            Key(xml, "confidence", "edge", "double");
            Key(xml, "evidence", "edge", "string");
            xml.WriteStartElement("graph", ns);
            xml.WriteAttributeString("id", "lineage");
            xml.WriteAttributeString("edgedefault", "directed");
            var edgeIndex = 0;
            foreach (var tree in trees)
            {
                foreach (var node in tree.Nodes)
                {
                    xml.WriteStartElement("node", ns);
                    xml.WriteAttributeString("id", NodeKey(tree, node.Id));
                    Data(xml, "outside", node.IsOutside ? "true" : "false");
                    Data(xml, "site", node.Site);
                    Data(xml, "date", node.Date?.ToString("O", CultureInfo.InvariantCulture));
                    Data(xml, "family", tree.Family);
                    xml.WriteEndElement();
                }

                foreach (var edge in tree.Edges)
                {
                    xml.WriteStartElement("edge", ns);
                    xml.WriteAttributeString("id", "e" + (edgeIndex++).ToString(CultureInfo.InvariantCulture));
                    xml.WriteAttributeString("source", NodeKey(tree, edge.Parent));
                    xml.WriteAttributeString("target", NodeKey(tree, edge.Child));
                    Data(xml, "relation", edge.Relation);
                    Data(xml, "similarity", edge.Similarity.ToString("0.####", CultureInfo.InvariantCulture));
                    Data(xml, "changes", edge.Changes.Count == 0 ? null : string.Join("; ", edge.Changes.Where(c => c.Kind is not (ChangeKind.Inserted or ChangeKind.Dropped)).Select(c => $"{c.Kind.ToName()}: {ChangeText(c)}")));
                    Data(xml, "direction", edge.Direction);
                    Data(xml, "confidence", edge.Confidence.ToString("0.###", CultureInfo.InvariantCulture));
                    Data(xml, "evidence", edge.Evidence.Count == 0 ? null : string.Join("; ", edge.Evidence.Select(e => $"{e.Kind}: {e.Detail}")));
                    xml.WriteEndElement();
                }
            }

            xml.WriteEndElement();
            xml.WriteEndElement();
            xml.WriteEndDocument();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static string ToGraphMl(LineageTree tree) => ToGraphMl([tree]);

    private static void Key(XmlWriter xml, string name, string domain, string type)
    {
        xml.WriteStartElement("key", "http://graphml.graphdrawing.org/xmlns");
        xml.WriteAttributeString("id", name);
        xml.WriteAttributeString("for", domain);
        xml.WriteAttributeString("attr.name", name);
        xml.WriteAttributeString("attr.type", type);
        xml.WriteEndElement();
    }

    private static void Data(XmlWriter xml, string key, string? value)
    {
        if (value is null)
        {
            return;
        }

        xml.WriteStartElement("data", "http://graphml.graphdrawing.org/xmlns");
        xml.WriteAttributeString("key", key);
        xml.WriteString(value);
        xml.WriteEndElement();
    }

    /// <summary>
    /// The tree drawn with box-drawing characters, one node a line: id, site, date, relation to the parent, changed figures.
    /// </summary>
    public static string ToTextTree(LineageTree tree)
    {
        ArgumentNullException.ThrowIfNull(tree);
        var text = new StringBuilder();
        var nodes = tree.Nodes.ToDictionary(n => n.Id, StringComparer.Ordinal);
        var children = tree.Edges.ToLookup(e => e.Parent, StringComparer.Ordinal);
        text.Append(Describe(tree.Root, nodes, null)).Append('\n');
        Draw(tree.Root, string.Empty, children, nodes, text, []);
        return text.ToString();
    }

    public static string ToTextTree(IEnumerable<LineageTree> trees) =>
        string.Join("\n", (trees ?? throw new ArgumentNullException(nameof(trees))).Select(ToTextTree));

    private static void Draw(string id, string indent, ILookup<string, LineageEdge> children, Dictionary<string, LineageNode> nodes, StringBuilder text, HashSet<string> seen)
    {
        if (!seen.Add(id))
        {
            return;
        }

        var edges = children[id].ToList();
        for (var i = 0; i < edges.Count; i++)
        {
            var last = i == edges.Count - 1;
            text.Append(indent).Append(last ? "└── " : "├── ").Append(Describe(edges[i].Child, nodes, edges[i])).Append('\n');
            Draw(edges[i].Child, indent + (last ? "    " : "│   "), children, nodes, text, seen);
        }
    }

    /// <summary>"$2 billion -> A$2.5b ($US2 billion) (restated: currency conversion)": a restatement is not shown as a changed fact.</summary>
    private static string ChangeText(Change change) =>
        change.Summary ?? (change.Restatement is null ? $"{change.Before} -> {change.After}" : $"{change.Before} -> {change.After} (restated: {change.Restatement})");

    /// <summary>"direction unknown, tie-break, confidence 0.25" or "date-order, text, confidence 0.93": never a guess shown as fact.</summary>
    public static string EdgeSummary(LineageEdge edge)
    {
        ArgumentNullException.ThrowIfNull(edge);
        var parts = new List<string>();
        if (edge.IsDirectionUnknown)
        {
            parts.Add("direction unknown");
        }

        parts.AddRange(edge.Evidence.Select(e => e.Kind).Distinct(StringComparer.Ordinal));
        parts.Add("confidence " + edge.Confidence.ToString("0.00", CultureInfo.InvariantCulture));
        return string.Join(", ", parts);
    }

    private static string Describe(string id, Dictionary<string, LineageNode> nodes, LineageEdge? edge)
    {
        var line = new StringBuilder(id);
        if (nodes.TryGetValue(id, out var node))
        {
            if (node.IsOutside)
            {
                line.Append(" (outside origin)");
            }
            else
            {
                if (node.Site is not null && node.Site != id)
                {
                    line.Append("  ").Append(node.Site);
                }

                if (node.Date is { } date)
                {
                    line.Append("  ").Append(date.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
                }
            }
        }

        if (edge is not null)
        {
            line.Append("  [").Append(edge.Relation).Append(']');
            if (edge.Relation != LineageTree.CreditedRelation)
            {
                line.Append("  ").Append(EdgeSummary(edge));
            }

            foreach (var change in edge.Changes.Where(c => c.Kind is ChangeKind.Figure or ChangeKind.Date or ChangeKind.Entity or ChangeKind.Quote).Take(5))
            {
                line.Append("  ").Append(ChangeText(change));
            }
        }

        return line.ToString();
    }
}
