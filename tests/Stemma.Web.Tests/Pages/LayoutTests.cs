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
        var outside = drawing.Nodes.Single(n => n.Node.IsOutside);
        Assert.Equal("outside.example", outside.Label);
        Assert.Contains("outside source", outside.Detail, StringComparison.Ordinal);
        Assert.True(x["a"] - (x["outside.example"] + TreeDrawing.NodeWidth) > x["b"] - (x["a"] + TreeDrawing.NodeWidth), "the outside origin stands further apart than a copy from its source");
    }

    [Fact]
    public void The_tall_tree_puts_each_copy_on_its_own_row_indented_under_its_source_and_fits_a_phone()
    {
        var nodes = new List<LineageNode> { new("outside.example", true, "outside.example", null, null), Node("a") };
        var edges = new List<LineageEdge> { Edge("outside.example", "a", "credited") };
        for (var i = 0; i < 12; i++)
        {
            nodes.Add(Node("copy" + i));
            edges.Add(Edge(i < 6 ? "a" : "copy" + (i - 6), "copy" + i, "copy"));
        }

        var drawing = TreeDrawing.LayoutTall(new LineageTree("f", "s", "outside.example", nodes, edges));
        Assert.Equal(nodes.Count, drawing.Nodes.Select(n => n.Y).Distinct().Count());
        var placed = drawing.Nodes.ToDictionary(n => n.Node.Id);
        Assert.Equal(placed["outside.example"].X, placed["a"].X);
        Assert.True(placed["copy0"].X > placed["a"].X && placed["copy6"].X > placed["copy0"].X);
        Assert.True(placed["copy6"].Y > placed["copy0"].Y);

        // Three levels deep: still narrower than a 390-px phone less the page's margins, before any scaling.
        Assert.True(drawing.Width <= 370, $"width {drawing.Width}");
        Assert.Equal(edges.Count, drawing.Edges.Count);
    }

    [Theory]
    [InlineData("seeds/001_7a59e8b7050577c0c1f4d2e9a8b7c6d5e4f3a2b1c0d9e8f7.txt", true)]
    [InlineData("WWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWW", true)]
    [InlineData("short.txt", false)]
    public void Labels_are_shortened_to_fit_their_box(string text, bool shortened)
    {
        var fitted = TreeDrawing.Fit(text, TreeDrawing.NodeWidth, TreeDrawing.LabelFontSize, bold: true);
        Assert.True(TreeDrawing.EstimateWidth(fitted, TreeDrawing.LabelFontSize, bold: true) <= TreeDrawing.NodeWidth - (2 * TreeDrawing.TextPadding));
        Assert.Equal(shortened, fitted.EndsWith('…'));
        Assert.Equal(shortened, fitted != text);
    }

    [Fact]
    public void Short_ids_keep_an_address_site_and_the_end_of_its_path()
    {
        Assert.Equal("coastnewsdaily.example.net/…/kittiwake-ferry-returns", Wording.ShortId("https://www.coastnewsdaily.example.net/2026/03/14/kittiwake-ferry-returns/", 60));
        Assert.Equal("seawall/original.txt", Wording.ShortId("seawall/original.txt", 36));
        var deep = Wording.ShortId("seeds/001_7a59e8b7050577c0c1f4d2e9a8b7c6d5e4f3a2b1c0d9e8f7.txt", 24);
        Assert.Equal(24, deep.Length);
        Assert.StartsWith("seeds/001_", deep, StringComparison.Ordinal);
        Assert.EndsWith("f7.txt", deep, StringComparison.Ordinal);
    }

    [Fact]
    public void Relations_read_as_english()
    {
        Assert.Equal("is identical to", Wording.RelationPhrase("identical"));
        Assert.Equal("is an excerpt of", Wording.RelationPhrase("excerpt"));
        Assert.Equal("reports the same event as", Wording.RelationPhrase("same-event"));
    }

    [Fact]
    public void Compare_puts_the_whole_left_of_its_excerpt_and_the_earlier_date_left()
    {
        var whole = new Article { Id = "whole", Body = Original };
        var part = new Article { Id = "part", Body = Original[..(Original.Length / 3)] };
        var asked = PairComparer.Compare(part, whole);
        Assert.True(CompareLayout.Order(part, whole, asked).Swap);
        Assert.False(CompareLayout.Order(whole, part, PairComparer.Compare(whole, part)).Swap);

        var early = whole with { Id = "early", Date = new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero) };
        var late = part with { Id = "late", Date = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero) };
        Assert.True(CompareLayout.Order(late, early, PairComparer.Compare(late, early)).Swap);
    }

    [Fact]
    public void Lines_a_copy_added_around_the_text_stand_where_they_were_on_its_side()
    {
        var paragraphs = Original.Split("\n\n");
        var first = new Article { Id = "a", Body = Original };
        var second = new Article
        {
            Id = "b",
            Body = Original,
            Annotations = [new Annotation(AnnotationKind.ReadMore, "READ MORE: Gulls return to the pier", 1), new Annotation(AnnotationKind.CommentForm, "Leave a Reply", paragraphs.Length + 1)],
        };
        var rows = CompareLayout.Rows(new CompareView(first, second, PairComparer.Compare(first, second)));
        var readMore = rows.ToList().FindIndex(r => r.Line == AnnotationKind.ReadMore);
        Assert.True(readMore > 0, "after the first paragraph");
        Assert.Equal(RowKind.Inserted, rows[readMore].Kind);
        Assert.Empty(rows[readMore].Left);
        Assert.StartsWith(paragraphs[1][..20], string.Concat(rows[readMore + 1].Right.Select(s => s.Text)), StringComparison.Ordinal);
        Assert.Equal(AnnotationKind.CommentForm, rows[^1].Line);
    }

    [Fact]
    public void A_malformed_tree_with_a_cycle_still_lays_out()
    {
        var tree = new LineageTree("f", "s", "a", [Node("a"), Node("b")], [Edge("a", "b", "copy"), Edge("b", "a", "copy")]);
        var drawing = TreeDrawing.Layout(tree);
        Assert.Equal(2, drawing.Nodes.Count);
    }

    [Fact]
    public void A_story_is_titled_after_its_original_and_keeps_related_coverage_apart_with_its_relation()
    {
        var day = new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);
        Article Doc(string id, string title, int hours) => new() { Id = id, Title = title, Body = Original, Date = day.AddHours(hours) };
        var original = Doc("a/original", "Council backs seawall, 38 votes", 0);
        var edited = Doc("a/edited", "Council backs seawall, 45 votes", 2);
        var rewrite = Doc("b/rewrite", "Town to rebuild its sea wall", 5);
        var tree = new LineageTree("a/edited", "a/edited", "a/original",
            [new LineageNode("a/original", false, null, original.Date, original.Title), new LineageNode("a/edited", false, null, edited.Date, edited.Title)],
            [new LineageEdge("a/original", "a/edited", "edited", 0.93, [new Change(ChangeKind.Figure, "38", "45", null, null)])]);
        var view = new StoryView("a/edited",
            [new StoryMember(edited, "a/edited", "a/original", "edited", 0.93, null), new StoryMember(original, "a/edited", null, null, null, null), new StoryMember(rewrite, "b/rewrite", null, null, null, null)],
            [tree], [], false);

        var layout = StoryLayout.Build(view, id => id == "b/rewrite" ? "rewrite" : null);
        Assert.Equal("Council backs seawall, 38 votes", layout.Title);
        Assert.Equal(["a/edited", "a/original"], layout.Copies.Select(m => m.Member.Article.Id).Order());
        var related = Assert.Single(layout.Related);
        Assert.Equal("rewrite", related.Relation);
        var copy = layout.Copies.Single(m => m.Member.Article.Id == "a/edited");
        Assert.Equal("copy", copy.Role);
        Assert.Equal("high", copy.Edge!.Confidence);
        Assert.Contains("published 2 h later", copy.Edge.Direction, StringComparison.Ordinal);
        Assert.Contains("1 figure, name or quote changed", copy.Edge.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void Identical_undated_texts_say_the_direction_is_unknown()
    {
        var edge = new LineageEdge("x", "y", "identical", 1, [])
        {
            Direction = LineageTree.DirectionUnknown,
            Confidence = 0.25,
            Evidence = [new EdgeEvidence(EdgeEvidence.TieBreak, "direction unknown: the same text")],
        };
        var tree = new LineageTree("f", "s", "x", [new LineageNode("x", false, null, null, "T"), new LineageNode("y", false, null, null, "T")], [edge]);
        var words = StoryLayout.Describe(tree, tree.Edges[0]);
        Assert.False(words.DirectionKnown);
        Assert.Equal("low", words.Confidence);
        Assert.StartsWith("direction unknown: identical texts, no dates", words.Direction, StringComparison.Ordinal);
    }

    [Fact]
    public void The_page_states_the_edges_own_direction_and_confidence_instead_of_working_them_out_again()
    {
        // Identical undated bodies, but the child carries the parent's inserted line: the lineage knows the direction,
        // which the bodies alone (same text, no dates, no inserted line in the changes) would not tell.
        var known = new LineageEdge("x", "y", "identical", 1, [])
        {
            Confidence = 0.62,
            Evidence = [new EdgeEvidence(EdgeEvidence.Text, "the child adds 2 inserted lines the parent lacks")],
        };
        var nodes = new[] { new LineageNode("x", false, null, null, "T"), new LineageNode("y", false, null, null, "T") };
        var words = StoryLayout.Describe(new LineageTree("f", "s", "x", nodes, [known]), known);
        Assert.True(words.DirectionKnown);
        Assert.Equal("medium", words.Confidence);
        Assert.Contains("adds lines around the text", words.Direction, StringComparison.Ordinal);

        // Dated members one hour apart whose edge the lineage still marks unknown (and 0.3 sure): the page says so too.
        var hour = new DateTimeOffset(2026, 5, 1, 8, 0, 0, TimeSpan.Zero);
        var unknown = new LineageEdge("x", "y", "copy", 0.97, []) { Direction = LineageTree.DirectionUnknown, Confidence = 0.3 };
        var dated = new[] { nodes[0] with { Date = hour }, nodes[1] with { Date = hour.AddHours(1) } };
        words = StoryLayout.Describe(new LineageTree("f", "s", "x", dated, [unknown]), unknown);
        Assert.False(words.DirectionKnown);
        Assert.Equal("low", words.Confidence);
        Assert.StartsWith("direction unknown", words.Direction, StringComparison.Ordinal);

        // A stated tie-break on the parent is said, not hidden.
        var tie = new LineageEdge("x", "y", "copy", 0.97, []) { Confidence = 0.45, Evidence = [new EdgeEvidence(EdgeEvidence.TieBreak, "parent is a tie-break")] };
        words = StoryLayout.Describe(new LineageTree("f", "s", "x", dated, [tie]), tie);
        Assert.True(words.DirectionKnown);
        Assert.Equal("low", words.Confidence);
        Assert.Contains("tie-break", words.Direction, StringComparison.Ordinal);
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
