using Stemma.Lineage;
using Stemma.Relate;
using Stemma.Web.Pages;
using Stemma.Web.Services;

namespace Stemma.Web.Tests.Pages;

/// <summary>The server-side layouts behind the compare page and the SVG copy tree.</summary>
public sealed class LayoutTests
{
    private const string Original =
        "The council voted 7 to 2 on Tuesday to rebuild the seawall, approving a $4.2 million plan after a long debate in the town hall.\n\n" +
        "The wall, built in 1962, gave way along a 140-metre stretch near the ferry terminal when storm waves pushed seawater into the street.\n\n" +
        "Shop owners welcomed the vote and said they hoped the work would finish before the next winter storms arrive on the coast.";

    [Fact]
    public void Compare_rows_pair_shared_paragraphs_and_mark_changed_figures_and_insertions()
    {
        var edited = Original.Replace("$4.2 million", "$4.8 million", StringComparison.Ordinal) +
                     "\n\nRead more: our full coverage of the storms and the clean-up that followed in every harbour town along the coast.";
        var rows = CompareLayout.Rows(View(Original, edited));

        var shared = rows.Where(r => r.Kind == RowKind.Shared).ToList();
        Assert.Equal(3, shared.Count);
        Assert.All(shared, r => Assert.NotEmpty(r.Left));
        Assert.Contains(shared[0].Left, s => s.Mark == "fact" && s.Text == "$4.2 million");
        Assert.Contains(shared[0].Right, s => s.Mark == "fact" && s.Text == "$4.8 million");
        var inserted = Assert.Single(rows, r => r.Kind == RowKind.Inserted);
        Assert.Empty(inserted.Left);
        Assert.StartsWith("Read more", string.Concat(inserted.Right.Select(s => s.Text)), StringComparison.Ordinal);

        // Nothing of either text is lost: the rows hold every word.
        Assert.Equal(Words(edited), Words(string.Join(" ", rows.SelectMany(r => r.Right).Select(s => s.Text))));
        Assert.Equal(Words(Original), Words(string.Join(" ", rows.SelectMany(r => r.Left).Select(s => s.Text))));
    }

    [Fact]
    public void Compare_rows_show_dropped_text_on_the_left_only()
    {
        var excerpt = Original[..Original.IndexOf("\n\nShop", StringComparison.Ordinal)];
        var rows = CompareLayout.Rows(View(Original, excerpt));
        var dropped = Assert.Single(rows, r => r.Kind == RowKind.Dropped);
        Assert.Empty(dropped.Right);
        Assert.StartsWith("Shop owners", dropped.Left[0].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Segments_prefer_facts_over_word_changes_and_keep_the_text_whole()
    {
        var text = "approving a $4.2 million plan";
        var segments = CompareLayout.Segments(text, new Align.TextRange(0, text.Length), [(new Align.TextRange(10, 24), 1), (new Align.TextRange(12, 16), 2)]);
        Assert.Equal(text, string.Concat(segments.Select(s => s.Text)));
        Assert.Equal(["approving ", "a ", "$4.2", " million", " plan"], segments.Select(s => s.Text));
        Assert.Equal([null, "diff", "fact", "diff", null], segments.Select(s => s.Mark));
    }

    [Fact]
    public void The_tree_puts_the_root_first_and_each_copy_right_of_its_parent()
    {
        var tree = new LineageTree("f", "s", "outside.example",
            [new LineageNode("outside.example", true, "outside.example", null, null), Node("a"), Node("b"), Node("c")],
            [Edge("outside.example", "a", "credited"), Edge("a", "b", "copy"), Edge("a", "c", "edited")]);
        var drawing = TreeDrawing.Layout(tree);
        var x = drawing.Nodes.ToDictionary(n => n.Node.Id, n => n.X);
        Assert.True(x["outside.example"] < x["a"] && x["a"] < x["b"] && x["b"] == x["c"]);
        Assert.Equal(3, drawing.Edges.Count);
        Assert.All(drawing.Edges, e => Assert.StartsWith("M", e.Path, StringComparison.Ordinal));
        Assert.True(drawing.Width >= drawing.Nodes.Max(n => n.X) + TreeDrawing.NodeWidth);
        Assert.StartsWith("outside:", drawing.Nodes.Single(n => n.Node.IsOutside).Label, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_tree_with_a_cycle_still_lays_out()
    {
        var tree = new LineageTree("f", "s", "a", [Node("a"), Node("b")], [Edge("a", "b", "copy"), Edge("b", "a", "copy")]);
        var drawing = TreeDrawing.Layout(tree);
        Assert.Equal(2, drawing.Nodes.Count);
    }

    private static CompareView View(string a, string b)
    {
        var first = new Article { Id = "a", Body = a };
        var second = new Article { Id = "b", Body = b };
        return new CompareView(first, second, PairComparer.Compare(first, second));
    }

    private static LineageNode Node(string id) => new(id, false, id + ".example", null, "Title " + id);

    private static LineageEdge Edge(string parent, string child, string relation) => new(parent, child, relation, 0.9, []);

    private static string[] Words(string text) => text.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
}
