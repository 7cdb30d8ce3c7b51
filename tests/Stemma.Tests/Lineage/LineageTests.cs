using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Stemma.Lineage;
using Stemma.Relate;
using Stemma.Testing.Corpus;

namespace Stemma.Tests.Lineage;

public partial class LineageTests
{
    // Other articles around the chain (another seed: the same seed would regenerate the chain's own story), so term weights and candidates behave as in a real collection.
    private static List<Article> Background(int seed) =>
        [.. new SyntheticCorpus(seed + 1000, new CorpusOptions { Stories = 6, UnrelatedArticles = 12 }).Generate().Select(d => d.ToArticle() with { Id = "bg-" + d.Id })];

    [Theory]
    [InlineData(51)]
    [InlineData(52)]
    [InlineData(53)]
    public void A_spun_copy_of_an_edited_copy_descends_from_the_edited_copy(int seed)
    {
        var chain = new SyntheticCorpus(seed).GenerateChain("chain", CopyOperation.Edited, CopyOperation.Spun);
        var articles = Background(seed).Concat(chain.Select(d => d.ToArticle())).ToList();
        var analysis = new StoryAnalyzer().Analyze(articles, []);
        var placed = analysis.Documents.ToDictionary(p => p.Id);

        Assert.Null(placed["chain-0"].Parent);
        Assert.Equal("chain-0", placed["chain-1"].Parent);
        Assert.Equal(Relations.Edited, placed["chain-1"].Relation);
        Assert.Equal("chain-1", placed["chain-2"].Parent);
        Assert.Equal(Relations.Spun, placed["chain-2"].Relation);
        Assert.All(chain, d => Assert.Equal("chain-0", placed[d.Id].Family));

        var tree = analysis.Trees.Single(t => t.Family == "chain-0");
        Assert.Equal("chain-0", tree.Root);
        var edited = tree.ParentEdgeOf("chain-1")!;
        foreach (var (from, to) in chain[1].ChangedFigures.Where(c => c.From != c.To))
        {
            Assert.Contains(edited.Changes, c => c.Kind == ChangeKind.Figure && c.Before!.Contains(from.TrimStart('$'), StringComparison.Ordinal) && c.After!.Contains(to.TrimStart('$'), StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Without_dates_the_original_is_the_member_that_adds_nothing_of_its_own()
    {
        var chain = new SyntheticCorpus(54).GenerateChain("w", CopyOperation.Wrapped, CopyOperation.Verbatim);
        var articles = Background(54).Concat(chain.Select(d => d.ToArticle() with { Date = null })).ToList();
        var placed = new StoryAnalyzer().Analyze(articles, []).Documents.ToDictionary(p => p.Id);
        Assert.Null(placed["w-0"].Parent);
        Assert.Equal("w-0", placed["w-1"].Parent);
        Assert.Equal(Relations.Copy, placed["w-1"].Relation);
        Assert.Equal("w-1", placed["w-2"].Parent);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_copy_repeating_another_copys_inserted_line_descends_from_that_copy(bool dated)
    {
        // Ingest takes "READ MORE" lines out of the body but keeps them as annotations: the bodies are the same, the
        // inherited line is the only trace of who copied whom.
        var original = new SyntheticCorpus(57).GenerateChain("r", CopyOperation.Verbatim)[0].ToArticle();
        Annotation[] readMore = [new(AnnotationKind.ReadMore, "READ MORE: Lighthouse keepers return to Skerry Point", 3)];
        Annotation[] stockCaption = [new(AnnotationKind.Caption, "(Photo: Wire Agency)", 1)];
        var copies = new[]
        {
            original with { Id = "r-1", Annotations = [.. readMore, .. stockCaption], Date = original.Date!.Value.AddHours(1) },
            original with { Id = "r-2", Annotations = [.. stockCaption], Date = original.Date!.Value.AddHours(2) },
            original with { Id = "r-3", Annotations = readMore, Date = original.Date!.Value.AddHours(3) },
        };
        // The stock caption turns up in another story too: a copier's habit, not an inheritance.
        var background = Background(57);
        background[0] = background[0] with { Annotations = stockCaption };
        IEnumerable<Article> family = [original, .. copies];
        var articles = background.Concat(family.Select(a => dated ? a : a with { Date = null })).ToList();

        var analysis = new StoryAnalyzer().Analyze(articles, []);
        var placed = analysis.Documents.ToDictionary(p => p.Id);
        Assert.Null(placed[original.Id].Parent);
        Assert.Equal(original.Id, placed["r-1"].Parent);
        Assert.Equal(original.Id, placed["r-2"].Parent);
        Assert.Equal("r-1", placed["r-3"].Parent);

        // What the copies' wrapping changed is listed on their edges, though the bodies are the same.
        var tree = analysis.Trees.Single(t => t.Family == placed[original.Id].Family);
        Assert.Contains(tree.ParentEdgeOf("r-1")!.Changes, c => c.Kind == ChangeKind.Inserted && c.After == readMore[0].Text);
        Assert.Contains(tree.ParentEdgeOf("r-3")!.Changes, c => c.Kind == ChangeKind.Dropped && c.Before == stockCaption[0].Text);
        Assert.DoesNotContain(tree.ParentEdgeOf("r-3")!.Changes, c => c.Kind == ChangeKind.Inserted);
    }

    [Fact]
    public void A_credited_original_missing_from_the_corpus_becomes_an_outside_origin()
    {
        var chain = new SyntheticCorpus(55).GenerateChain("o", CopyOperation.Wrapped, CopyOperation.Verbatim);
        var credited = chain[1].CreditedSource!;
        Assert.NotNull(credited);
        var copies = chain.Skip(1).Select(d => d.ToArticle() with { Attribution = credited, Site = "reposter.example" });
        var analysis = new StoryAnalyzer().Analyze([.. Background(55), .. copies], []);
        var placed = analysis.Documents.ToDictionary(p => p.Id);

        var tree = analysis.Trees.Single(t => t.Family == "o-1");
        Assert.Equal(credited, tree.Root);
        Assert.True(tree.Nodes.Single(n => n.Id == credited).IsOutside);
        var creditEdge = Assert.Single(tree.ChildrenOf(credited));
        Assert.Equal("o-1", creditEdge.Child);
        Assert.Equal(LineageTree.CreditedRelation, creditEdge.Relation);
        Assert.Equal(credited, placed["o-1"].Origin);
        Assert.Equal(credited, placed["o-2"].Origin);
        Assert.Null(placed["o-1"].Parent);
        Assert.Equal("o-1", placed["o-2"].Parent);
        Assert.Null(placed["bg-u0000"].Origin);
    }

    /// <summary>
    /// A lone article (a family of one) has a tree only when it credits a source other than its own site: the credited
    /// source above it, as for a family. Its origin is its own credit, trimmed; an empty or blank credit is none.
    /// </summary>
    [Fact]
    public void A_lone_article_has_its_own_credit_as_origin_and_a_tree_only_for_an_outside_source()
    {
        var bodies = new SyntheticCorpus(57, new CorpusOptions { Stories = 0, UnrelatedArticles = 6 }).Generate().Select(d => d.Body).ToList();
        Article Lone(int k, string? attribution, string? site = null, string? url = null) =>
            new() { Id = $"lone-{k}", Body = bodies[k], Attribution = attribution, Site = site, Url = url };
        var articles = new List<Article>
        {
            Lone(0, null, "a.example"),
            Lone(1, "   ", "b.example"),
            Lone(2, " https://www.C.example/news ", "c.example"),
            Lone(3, "d.example", url: "https://d.example/story/1"),
            Lone(4, "  Wire Service ", "e.example"),
            Lone(5, "https://other.example/x", url: "https://f.example/1"),
        };
        var analysis = new StoryAnalyzer().Analyze(articles, []);
        var placed = analysis.Documents.ToDictionary(p => p.Id);

        Assert.All(placed.Values, p => Assert.Null(p.Parent));
        Assert.Null(placed["lone-0"].Origin);
        Assert.Null(placed["lone-1"].Origin);
        Assert.Equal("https://www.C.example/news", placed["lone-2"].Origin);
        Assert.Equal("d.example", placed["lone-3"].Origin);
        Assert.Equal("Wire Service", placed["lone-4"].Origin);
        Assert.Equal("https://other.example/x", placed["lone-5"].Origin);

        // Trees: only the two crediting another site, each the credited source over the article.
        Assert.Equal(["lone-4", "lone-5"], analysis.Trees.Select(t => t.Nodes.Single(n => !n.IsOutside).Id).Order());
        var wire = analysis.Trees.Single(t => t.Nodes.Any(n => n.Id == "lone-4"));
        Assert.Equal("Wire Service", wire.Root);
        Assert.Equal("lone-4", Assert.Single(wire.ChildrenOf("Wire Service")).Child);
    }

    private static LineageTree ChainTree()
    {
        var chain = new SyntheticCorpus(56).GenerateChain("t", CopyOperation.Edited, CopyOperation.Spun, CopyOperation.Wrapped);
        var articles = chain.Select(d => d.ToArticle()).Append(new Article { Id = "x \"quoted\" <id>", Body = chain[0].Body + "\n\nOne more line & a <tag> \"quote\".", Site = "odd.example", Attribution = "Origin \"Wire\" & Co" });
        return new StoryAnalyzer().Analyze([.. Background(56), .. articles], []).Trees.Single(t => t.Family == "t-0");
    }

    [Fact]
    public void Dot_output_is_a_well_formed_digraph_naming_every_node_and_edge()
    {
        var tree = ChainTree();
        var dot = LineageFormats.ToDot([tree]);
        Assert.StartsWith("digraph lineage {", dot, StringComparison.Ordinal);
        Assert.Equal('}', dot.TrimEnd()[^1]);
        Assert.Equal(dot.Count(c => c == '{'), dot.Count(c => c == '}'));

        // Every statement line: a node or an edge with quoted, escaped ids.
        var quoted = "\"(?:[^\"\\\\]|\\\\.)*\"";
        var nodeLine = new Regex($"^\\s*({quoted}) \\[label={quoted}(, style=dashed)?\\];$");
        var edgeLine = new Regex($"^\\s*({quoted}) -> ({quoted}) \\[label={quoted}\\];$");
        var nodes = new HashSet<string>();
        var edges = 0;
        foreach (var line in dot.Split('\n').Where(l => l.TrimStart().StartsWith('"')))
        {
            if (edgeLine.Match(line) is { Success: true } edge)
            {
                Assert.Contains(edge.Groups[1].Value, nodes);
                Assert.Contains(edge.Groups[2].Value, nodes);
                edges++;
            }
            else
            {
                var node = nodeLine.Match(line);
                Assert.True(node.Success, line);
                nodes.Add(node.Groups[1].Value);
            }
        }

        Assert.Equal(tree.Nodes.Count, nodes.Count);
        Assert.Equal(tree.Edges.Count, edges);
    }

    [Fact]
    public void GraphMl_output_parses_and_every_edge_joins_declared_nodes()
    {
        var tree = ChainTree();
        var document = XDocument.Parse(LineageFormats.ToGraphMl([tree]));
        XNamespace ns = "http://graphml.graphdrawing.org/xmlns";
        Assert.Equal(ns + "graphml", document.Root!.Name);
        var keys = document.Root.Elements(ns + "key").Select(k => (string)k.Attribute("id")!).ToHashSet();
        var graph = document.Root.Element(ns + "graph")!;
        var nodeIds = graph.Elements(ns + "node").Select(n => (string)n.Attribute("id")!).ToList();
        Assert.Equal(tree.Nodes.Count, nodeIds.Distinct().Count());
        var edges = graph.Elements(ns + "edge").ToList();
        Assert.Equal(tree.Edges.Count, edges.Count);
        Assert.All(edges, e =>
        {
            Assert.Contains((string)e.Attribute("source")!, nodeIds);
            Assert.Contains((string)e.Attribute("target")!, nodeIds);
        });
        Assert.All(graph.Descendants(ns + "data"), d => Assert.Contains((string)d.Attribute("key")!, keys));
        Assert.Contains(edges, e => e.Elements(ns + "data").Any(d => (string)d.Attribute("key")! == "relation" && d.Value == Relations.Spun));
    }

    [Fact]
    public void Json_output_parses_with_the_tree_structure()
    {
        var tree = ChainTree();
        using var json = JsonDocument.Parse(LineageFormats.ToJson([tree]));
        var written = json.RootElement.GetProperty("trees")[0];
        Assert.Equal(tree.Root, written.GetProperty("root").GetString());
        Assert.Equal(tree.Nodes.Count, written.GetProperty("nodes").GetArrayLength());
        var edges = written.GetProperty("edges").EnumerateArray().ToList();
        Assert.Equal(tree.Edges.Count, edges.Count);
        Assert.Contains(edges, e => e.GetProperty("child").GetString() == "t-2" && e.GetProperty("parent").GetString() == "t-1" && e.GetProperty("relation").GetString() == Relations.Spun);
    }

    [Fact]
    public void Text_tree_puts_each_node_once_and_children_below_their_parent()
    {
        var tree = ChainTree();
        var lines = LineageFormats.ToTextTree(tree).TrimEnd('\n').Split('\n');
        Assert.Equal(tree.Nodes.Count, lines.Length);
        int Line(string id) => Array.FindIndex(lines, l => l.TrimStart(' ', '│', '├', '└', '─').StartsWith(id + " ", StringComparison.Ordinal) || l.TrimStart(' ', '│', '├', '└', '─') == id);
        int Depth(string id) => lines[Line(id)].IndexOf(id, StringComparison.Ordinal);
        foreach (var edge in tree.Edges)
        {
            Assert.True(Line(edge.Parent) < Line(edge.Child), $"{edge.Parent} above {edge.Child}");
            Assert.Equal(Depth(edge.Parent) + 4, Depth(edge.Child));
        }

        Assert.Contains("[spun]", lines[Line("t-2")], StringComparison.Ordinal);
    }
}
