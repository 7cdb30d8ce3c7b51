using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;
using Stemma.Lineage;
using Stemma.Pipeline;
using Stemma.Relate;
using Stemma.Web.Pages;
using Segment = Stemma.Web.Pages.Segment;
using SpectreText = Spectre.Console.Text;

namespace Stemma.Cli;

/// <summary>
/// Short names for long ids (addresses, deep paths) so tables fit 100–160 columns; every shortened id is listed once
/// in a legend under the output. Two ids that would shorten alike get a number to tell them apart.
/// </summary>
internal sealed class IdNames(int max = 40)
{
    private readonly Dictionary<string, string> names = new(StringComparer.Ordinal);
    private readonly HashSet<string> taken = new(StringComparer.Ordinal);
    private readonly List<(string Short, string Full)> legend = [];

    public string this[string id] => Name(id);

    public string Name(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (names.TryGetValue(id, out var name))
        {
            return name;
        }

        name = Wording.ShortId(id, max);
        if (name != id)
        {
            var candidate = name;
            for (var n = 2; taken.Contains(candidate); n++)
            {
                candidate = $"{name} #{n.ToString(CultureInfo.InvariantCulture)}";
            }

            name = candidate;
            legend.Add((name, id));
        }

        taken.Add(name);
        names[id] = name;
        return name;
    }

    /// <summary>"Short ids:" and one "short = full" line per shortened id; nothing when no id was shortened.</summary>
    public void WriteLegend(CliContext context)
    {
        if (legend.Count == 0)
        {
            return;
        }

        context.Console.WriteLine();
        context.Console.WriteLine("Short ids:");
        foreach (var (shortName, full) in legend)
        {
            // Addresses are not folded at the table width: a terminal wraps them, and they stay whole for copying.
            context.Out.WriteLine($"  {shortName}");
            context.Out.WriteLine($"      = {full}");
        }
    }
}

/// <summary>How `analyze`, `story`, `lineage` and `compare` draw in a terminal or a pipe: plain words, short ids, no repeated columns.</summary>
internal static class TerminalViews
{
    /// <summary>"is an excerpt of" → "an excerpt of": the relation as a phrase after a name.</summary>
    public static string RelationOf(string? relation) => Wording.RelationPhrase(relation) is var phrase && phrase.StartsWith("is ", StringComparison.Ordinal) ? phrase[3..] : Wording.RelationPhrase(relation);

    /// <summary>
    /// How one member came to be, for a table cell. When nothing tells which of the member and its parent came first
    /// (identical undated texts), the parent is named rather than called the original, and the cell says so.
    /// </summary>
    public static string HowMade(DocumentResult document, string? familyRoot, IdNames names, bool directionUnknown = false)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(names);
        return document switch
        {
            { Parent: { } parent, Relation: { } relation } when directionUnknown => $"{RelationOf(relation)} {names[parent]}; {WhichCameFirst}",
            { Parent: { } parent, Relation: { } relation } => $"{RelationOf(relation)} {(parent == familyRoot ? "the original" : names[parent])}",
            { Parent: null, Origin: { } origin } => $"earliest stored copy; credits {origin}",
            _ => "original",
        };
    }

    private const string WhichCameFirst = "which came first is unknown";

    /// <summary>Whether the copy trees say nothing tells which of <paramref name="id"/> and its parent came first.</summary>
    private static bool DirectionUnknown(IEnumerable<LineageTree> trees, string id) =>
        trees.Select(t => t.ParentEdgeOf(id)).FirstOrDefault(e => e is not null) is { IsDirectionUnknown: true };

    public static void WriteAnalyzeTable(CliContext context, CorpusAnalysis analysis, int rejected)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(analysis);
        var names = new IdNames();
        var families = analysis.Documents
            .Select((document, i) => (Document: document, Article: analysis.Articles[i]))
            .GroupBy(m => m.Document.Family, StringComparer.Ordinal)
            .OrderByDescending(f => f.Count())
            .ThenBy(f => f.Key, StringComparer.Ordinal)
            .ToList();
        var withCopies = families.Where(f => f.Count() > 1).ToList();
        var trees = analysis.Stories?.Trees ?? [];

        // A story column only when some story holds more than one family; otherwise it repeats the family.
        var showStory = withCopies.Any(f => f.First().Document.Story != f.Key);
        var table = new Table().Border(TableBorder.Rounded).Title("Copy families");
        table.AddColumn(new TableColumn("Original (and its title)"));
        if (showStory)
        {
            table.AddColumn(new TableColumn("Story").NoWrap());
        }

        table.AddColumn(new TableColumn("Size").RightAligned());
        table.AddColumn(new TableColumn("Copies (how each was made)").NoWrap());
        foreach (var family in withCopies)
        {
            var root = family.FirstOrDefault(m => m.Document.Parent is null);
            root = root.Document is null ? family.First() : root;
            var copies = family
                .Where(m => m.Document.Id != root.Document.Id)
                .OrderBy(m => m.Article.Date ?? DateTimeOffset.MaxValue)
                .ThenBy(m => m.Document.Id, StringComparer.Ordinal)
                .Select(m => (Id: names[m.Document.Id], How: (m.Document.Parent == root.Document.Id || m.Document.Parent is null ? m.Document.Relation ?? "original" : $"{m.Document.Relation} of {names[m.Document.Parent]}")
                    + (DirectionUnknown(trees, m.Document.Id) ? $" ({WhichCameFirst})" : string.Empty)))
                .ToList();
            var idWidth = copies.Max(c => c.Id.Length);
            var first = names[root.Document.Id] + (root.Document.Origin is { } origin ? $"\n(credits {origin})" : string.Empty);
            var cells = new List<IRenderable> { new Rows(new SpectreText(first), new SpectreText(root.Article.Title ?? string.Empty, new Style(decoration: Decoration.Italic))) };
            if (showStory)
            {
                cells.Add(new SpectreText(names[family.First().Document.Story]));
            }

            cells.Add(new SpectreText(family.Count().ToString(CultureInfo.InvariantCulture)));
            cells.Add(new SpectreText(string.Join("\n", copies.Select(c => c.Id.PadRight(idWidth) + "  " + c.How))));
            table.AddRow(cells);
        }

        context.Console.Write(table);
        var single = families.Count - withCopies.Count;
        context.Console.WriteLine(
            $"{Show.Count(analysis.Documents.Count, "document", "documents")}, {Show.Count(families.Count, "family", "families")} " +
            $"({withCopies.Count.ToString(CultureInfo.InvariantCulture)} with copies, {single.ToString(CultureInfo.InvariantCulture)} single), " +
            $"{Show.Count(analysis.NearDuplicates.Count, "copy pair", "copy pairs")}, {Show.Count(rejected, "input rejected", "inputs rejected")}");
        names.WriteLegend(context);
    }

    /// <summary>The story: its original's title, the copies, the related coverage, the copy trees and what each copy changed.</summary>
    public static void WriteStory(CliContext context, string storyId, IReadOnlyList<(DocumentResult Document, Article Article)> members, IReadOnlyList<LineageTree> trees, IReadOnlyList<RelatedPair> pairs)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(trees);
        ArgumentNullException.ThrowIfNull(pairs);
        var names = new IdNames();

        // The original the story is named after: the root of the largest tree (past an outside origin), else the earliest root.
        var mainTree = trees.OrderByDescending(t => t.Nodes.Count).ThenBy(t => t.Root, StringComparer.Ordinal).FirstOrDefault();
        var originalId = mainTree is null ? null
            : mainTree.Nodes.FirstOrDefault(n => n.Id == mainTree.Root) is { IsOutside: true } ? mainTree.ChildrenOf(mainTree.Root).Select(e => e.Child).FirstOrDefault() : mainTree.Root;
        var original = members.FirstOrDefault(m => m.Document.Id == originalId);
        if (original.Article is null)
        {
            original = members.Where(m => m.Document.Parent is null).OrderBy(m => m.Article.Date ?? DateTimeOffset.MaxValue).ThenBy(m => m.Document.Id, StringComparer.Ordinal).FirstOrDefault();
        }

        var title = original.Article?.Title ?? original.Document?.Id ?? storyId;
        context.Console.Write(new SpectreText(title + "\n", new Style(decoration: Decoration.Bold)));
        var families = members.Select(m => m.Document.Family).Distinct(StringComparer.Ordinal).Count();
        var sites = members.Select(m => m.Article.Site).Where(s => s is not null).Distinct(StringComparer.Ordinal).Count();
        WriteIndented(
            context,
            $"Story {names[storyId]}: {Show.Count(members.Count, "document", "documents")}, {Show.Count(families, "copy family", "copy families")}, {Show.Count(sites, "known site", "known sites")}" +
            (original.Document is { } o ? $"; titled after the original, {names[o.Id]}" : string.Empty),
            0,
            "  ");

        var originalFamily = original.Document?.Family;
        var copies = members.Where(m => m.Document.Family == originalFamily).ToList();
        var related = members.Where(m => m.Document.Family != originalFamily).ToList();
        var headline = original.Article?.Title;
        WriteMembers(context, "Copies", copies, m => HowMade(m.Document, originalId, names, DirectionUnknown(trees, m.Document.Id)), names, headline);
        if (related.Count > 0)
        {
            string Related((DocumentResult Document, Article Article) member)
            {
                var pair = pairs.FirstOrDefault(p => (p.A == originalId && p.B == member.Document.Id) || (p.B == originalId && p.A == member.Document.Id));
                var own = member.Document.Parent is { } parent ? $"; {RelationOf(member.Document.Relation)} {names[parent]}" : string.Empty;
                return (pair is null ? "same story, no text shared with the original" : $"{RelationOf(pair.Relation)} the original") + own;
            }

            WriteMembers(context, "Related coverage (the same news without the original's text)", related, Related, names, headline);
        }

        foreach (var tree in trees.OrderByDescending(t => t.Nodes.Count).ThenBy(t => t.Root, StringComparer.Ordinal))
        {
            context.Console.WriteLine();
            context.Console.WriteLine($"Copy tree of family {names[tree.Family]} (arrows point from a source to its copy):");
            WriteTree(context, tree, names);
        }

        var edges = trees.SelectMany(t => t.Edges).Where(e => e.Changes.Any(c => c.Matters)).ToList();
        if (edges.Count > 0)
        {
            context.Console.WriteLine();
            context.Console.WriteLine("What changed:");
            foreach (var edge in edges)
            {
                context.Console.WriteLine($"  {names[edge.Child]}, from {names[edge.Parent]}:");
                foreach (var change in edge.Changes.Where(c => c.Matters))
                {
                    WriteIndented(context, $"{ChangeName(change)}: {ChangeText(change)}", 4);
                }
            }
        }

        names.WriteLegend(context);
    }

    /// <summary>Every copy tree, with short ids and each edge's evidence and confidence in words.</summary>
    public static void WriteLineage(CliContext context, IReadOnlyList<LineageTree> trees)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(trees);
        var names = new IdNames();
        if (trees.Count == 0)
        {
            context.Console.WriteLine("No copy trees: no document copies another.");
            return;
        }

        context.Console.WriteLine($"{Show.Count(trees.Count, "copy tree", "copy trees")}; arrows point from a source to its copy.");
        foreach (var tree in trees)
        {
            context.Console.WriteLine();
            WriteTree(context, tree, names);
        }

        names.WriteLegend(context);
    }

    /// <summary>
    /// One tree as indented lines: "└─▶ child  relation · site · date" and under it the edge's evidence and confidence.
    /// </summary>
    public static void WriteTree(CliContext context, LineageTree tree, IdNames names)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(tree);
        ArgumentNullException.ThrowIfNull(names);
        var nodes = tree.Nodes.ToDictionary(n => n.Id, StringComparer.Ordinal);
        var children = tree.Edges.ToLookup(e => e.Parent, StringComparer.Ordinal);
        var root = nodes.GetValueOrDefault(tree.Root);
        context.Console.WriteLine(root is { IsOutside: true } ? $"{tree.Root}  (outside source the copies credit; not stored)" : $"{names[tree.Root]}  original{Where(root)}");
        var seen = new HashSet<string>(StringComparer.Ordinal) { tree.Root };
        void Draw(string id, string indent)
        {
            var edges = children[id].Where(e => seen.Add(e.Child)).ToList();
            for (var i = 0; i < edges.Count; i++)
            {
                var edge = edges[i];
                var last = i == edges.Count - 1;
                var node = nodes.GetValueOrDefault(edge.Child);
                context.Console.WriteLine($"{indent}{(last ? "└─▶ " : "├─▶ ")}{names[edge.Child]}  {edge.Relation}{Where(node)}");
                var below = indent + (last ? "    " : "│   ");
                var words = StoryLayout.Describe(tree, edge);
                WriteIndented(context, words.Evidence, below.Length, below);
                WriteIndented(context, $"confidence {words.Confidence}: {words.Direction}", below.Length, below);
                Draw(edge.Child, below);
            }
        }

        Draw(tree.Root, string.Empty);
    }

    /// <summary>
    /// Two versions: by default compact (passages both share collapsed, changed words marked inline as [-old-]{+new+},
    /// long drops summarised); with <paramref name="full"/> every passage side by side.
    /// </summary>
    public static void WriteCompare(CliContext context, Article a, Article b, Comparison comparison, CompareOrder order, bool full)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(comparison);
        ArgumentNullException.ThrowIfNull(order);
        var names = new IdNames(48);
        context.Console.WriteLine($"left:  {names[a.Id]}{Where(a)}");
        context.Console.WriteLine($"right: {names[b.Id]}{Where(b)}");
        WriteIndented(context, $"The right version {Wording.RelationPhrase(comparison.Relation)} the left one (similarity {Show.Percent(comparison.Similarity)}, {Show.Count(comparison.Alignment.Spans.Count, "shared passage", "shared passages")}).", 0);
        WriteIndented(context, order.Reason, 0);
        context.Console.WriteLine("Evidence:");
        foreach (var line in Wording.Evidence(comparison))
        {
            WriteIndented(context, line, 2);
        }

        context.Console.WriteLine();

        var rows = CompareLayout.Rows(new Web.Services.CompareView(a, b, comparison));
        if (full)
        {
            WriteSideBySide(context, rows, names[a.Id], names[b.Id]);
        }
        else
        {
            WriteCompact(context, rows);
        }

        var changes = comparison.Changes.Where(c => c.Matters).ToList();
        var added = CompareLayout.WrappingLines(b, a);
        var dropped = CompareLayout.WrappingLines(a, b);
        if (changes.Count + added.Count + dropped.Count > 0)
        {
            context.Console.WriteLine();
            context.Console.WriteLine("What changed:");
            foreach (var change in changes)
            {
                WriteIndented(context, $"{ChangeName(change)}: {ChangeText(change)}", 2);
            }

            foreach (var line in added)
            {
                WriteIndented(context, $"inserted {line.Kind.ToKebabCase()} line: \"{line.Text}\"", 2);
            }

            foreach (var line in dropped)
            {
                WriteIndented(context, $"dropped {line.Kind.ToKebabCase()} line: \"{line.Text}\"", 2);
            }
        }

        names.WriteLegend(context);
    }

    private static void WriteCompact(CliContext context, IReadOnlyList<CompareRow> rows)
    {
        var same = 0;
        void Flush()
        {
            if (same > 0)
            {
                context.Console.WriteLine($"  = {Show.Count(same, "paragraph", "paragraphs")} the same on both sides");
                same = 0;
            }
        }

        foreach (var row in rows)
        {
            switch (row.Kind)
            {
                case RowKind.Shared when row.Left.All(s => s.Mark is null) && row.Right.All(s => s.Mark is null):
                    same++;
                    break;
                case RowKind.Shared:
                    Flush();
                    WriteIndented(context, "~ " + Inline(row.Left, row.Right), 2, "    ");
                    break;
                case RowKind.Inserted:
                    Flush();
                    var inserted = string.Concat(row.Right.Select(s => s.Text));
                    WriteIndented(context, row.IsWrapping ? $"+ [{row.Line!.Value.ToKebabCase()}] {inserted}" : "+ only on the right: " + Wording.Summarize(inserted, 40), 2, "    ");
                    break;
                case RowKind.Dropped:
                    Flush();
                    var droppedText = string.Concat(row.Left.Select(s => s.Text));
                    WriteIndented(context, row.IsWrapping ? $"- [{row.Line!.Value.ToKebabCase()}] {droppedText}" : "- only on the left: " + Wording.Summarize(droppedText, 40), 2, "    ");
                    break;
            }
        }

        Flush();
        context.Console.WriteLine("Key: = same on both sides, ~ changed [-left-]{+right+}, + only right, - only left (--full: all)");
    }

    /// <summary>A shared paragraph once, with each changed stretch as [-left-]{+right+}; both sides in full when they do not pair up.</summary>
    private static string Inline(IReadOnlyList<Segment> left, IReadOnlyList<Segment> right)
    {
        if (left.Count == right.Count && left.Select((s, i) => s.Mark is null == (right[i].Mark is null) && (s.Mark is not null || s.Text == right[i].Text)).All(x => x))
        {
            // A marked change is never split over two lines: its spaces do not break.
            return string.Concat(left.Select((s, i) => s.Mark is null ? s.Text : $"[-{Unbroken(s.Text)}-]{{+{Unbroken(right[i].Text)}+}}"));
        }

        return "left: " + string.Concat(left.Select(s => s.Mark is null ? s.Text : $"[-{s.Text}-]")) + " | right: " + string.Concat(right.Select(s => s.Mark is null ? s.Text : $"{{+{s.Text}+}}"));
    }

    private static string Unbroken(string text) => text.Replace(' ', '\u00A0');

    private static void WriteSideBySide(CliContext context, IReadOnlyList<CompareRow> rows, string left, string right)
    {
        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn(left);
        table.AddColumn(right);
        foreach (var row in rows)
        {
            table.AddRow(Marked(row.Left, row, left: true), Marked(row.Right, row, left: false));
        }

        context.Console.Write(table);
    }

    private static Markup Marked(IReadOnlyList<Segment> segments, CompareRow row, bool left)
    {
        var prefix = row.IsWrapping && segments.Count > 0 ? $"[[{row.Line!.Value.ToKebabCase()}]] " : string.Empty;
        var colour = row.Kind switch { RowKind.Inserted => "blue", RowKind.Dropped => "red", _ => "green" };
        var text = string.Concat(segments.Select(s => s.Mark is null
            ? Markup.Escape(s.Text)
            : left ? $"[bold red][[-{Markup.Escape(s.Text)}-]][/]" : $"[bold green]{{+{Markup.Escape(s.Text)}+}}[/]"));
        return new Markup(segments.Count == 0 ? string.Empty : $"[{colour}]{prefix}{text}[/]");
    }

    /// <summary>
    /// One entry per member: its short id and how it was made, then where and when it appeared, and its headline only
    /// when it differs from the story's (a copy that changed the headline says so).
    /// </summary>
    private static void WriteMembers(CliContext context, string heading, IReadOnlyList<(DocumentResult Document, Article Article)> members, Func<(DocumentResult Document, Article Article), string> how, IdNames names, string? headline)
    {
        context.Console.WriteLine();
        context.Console.WriteLine($"{heading}:");
        foreach (var member in members)
        {
            WriteIndented(context, $"{names[member.Document.Id]}: {how(member)}", 2, "      ");
            var title = member.Article.Title is { } t && t != headline ? $" · headline \"{t}\"" : string.Empty;
            WriteIndented(context, $"{member.Article.Site ?? "unknown site"} · {Show.Date(member.Article.Date)}{title}", 6);
        }
    }

    private static string Where(LineageNode? node) => node is null ? string.Empty : Where(node.Site, node.Date);

    private static string Where(Article article) => Where(article.Site, article.Date);

    private static string Where(string? site, DateTimeOffset? date) =>
        $" · {site ?? "unknown site"} · {Show.Date(date)}";

    private static string ChangeName(Change change) => change.Kind switch
    {
        ChangeKind.Inserted when change.InB is null => "inserted line",
        ChangeKind.Dropped when change.InA is null => "dropped line",
        _ => change.Kind.ToName(),
    };

    private static string ChangeText(Change change) => change.Kind switch
    {
        ChangeKind.Inserted => Quote(Wording.Summarize(change.After ?? string.Empty, 30)),
        ChangeKind.Dropped => Quote(Wording.Summarize(change.Before ?? string.Empty, 30)),
        _ => $"{Quote(change.Before)} → {Quote(change.After)}",
    };

    private static string Quote(string? text) => text is null ? "(none)" : $"\"{text}\"";

    /// <summary>Writes text wrapped at the console's width, continuation lines indented by <paramref name="indent"/> spaces (or <paramref name="prefix"/>).</summary>
    private static void WriteIndented(CliContext context, string text, int indent, string? prefix = null)
    {
        var first = prefix is null ? new string(' ', indent) : (indent == prefix.Length ? prefix : new string(' ', indent));
        var rest = prefix ?? new string(' ', indent);
        var width = Math.Max(40, context.Columns);
        var line = new System.Text.StringBuilder(first);
        var lineHasWord = false;
        foreach (var word in text.Split([' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (lineHasWord && line.Length + 1 + word.Length > width)
            {
                context.Console.WriteLine(line.ToString().TrimEnd());
                line.Clear().Append(rest);
                lineHasWord = false;
            }

            if (lineHasWord)
            {
                line.Append(' ');
            }

            line.Append(word);
            lineHasWord = true;
        }

        context.Console.WriteLine(line.ToString().TrimEnd());
    }
}
