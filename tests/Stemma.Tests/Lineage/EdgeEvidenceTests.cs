using System.Text.Json;
using Stemma.Lineage;
using Stemma.Relate;
using Stemma.Testing.Corpus;

namespace Stemma.Tests.Lineage;

public class EdgeEvidenceTests
{
    private static List<Article> Background(int seed) =>
        [.. new SyntheticCorpus(seed + 2000, new CorpusOptions { Stories = 6, UnrelatedArticles = 12 }).Generate().Select(d => d.ToArticle() with { Id = "bg-" + d.Id })];

    [Fact]
    public void Identical_undated_texts_get_an_edge_of_unknown_direction_marked_as_a_tie_break()
    {
        var original = new SyntheticCorpus(61).GenerateChain("i", CopyOperation.Verbatim)[0].ToArticle() with { Date = null, Site = null, Url = null };
        var twin = original with { Id = "i-twin" };
        var analysis = new StoryAnalyzer().Analyze([.. Background(61), original, twin], []);

        var tree = analysis.Trees.Single(t => t.Nodes.Any(n => n.Id == original.Id));
        var edge = Assert.Single(tree.Edges);
        Assert.Equal(LineageTree.DirectionUnknown, edge.Direction);
        Assert.True(edge.IsTieBreak);
        Assert.True(edge.Confidence <= 0.5);
        var child = analysis.Documents.Single(d => d.Id == edge.Child);
        Assert.Equal(LineageTree.DirectionUnknown, child.ParentDirection);

        // Every writer says so: JSON, DOT (no arrowhead), GraphML and the terminal tree.
        using var json = JsonDocument.Parse(LineageFormats.ToJson(tree));
        var written = json.RootElement.GetProperty("trees")[0].GetProperty("edges")[0];
        Assert.Equal("unknown", written.GetProperty("direction").GetString());
        Assert.True(written.GetProperty("tieBreak").GetBoolean());
        Assert.Contains(written.GetProperty("evidence").EnumerateArray(), e => e.GetProperty("kind").GetString() == EdgeEvidence.TieBreak);
        Assert.Contains("dir=none", LineageFormats.ToDot(tree), StringComparison.Ordinal);
        Assert.Contains(">unknown<", LineageFormats.ToGraphMl(tree), StringComparison.Ordinal);
        Assert.Contains("direction unknown", LineageFormats.ToTextTree(tree), StringComparison.Ordinal);
    }

    [Fact]
    public void A_dated_copy_with_a_date_order_gets_a_known_direction_and_date_evidence()
    {
        var original = new SyntheticCorpus(62).GenerateChain("d", CopyOperation.Verbatim)[0].ToArticle();
        var copy = original with { Id = "d-copy", Date = original.Date!.Value.AddHours(5), Site = "other.example", Url = null };
        var analysis = new StoryAnalyzer().Analyze([.. Background(62), copy, original], []);
        var edge = analysis.Trees.Single(t => t.Root == original.Id).ParentEdgeOf("d-copy")!;
        Assert.Equal(LineageTree.DirectionKnown, edge.Direction);
        Assert.Contains(edge.Evidence, e => e.Kind == EdgeEvidence.DateOrder && e.Detail.Contains("5 h", StringComparison.Ordinal));
        Assert.False(edge.IsTieBreak);
        Assert.True(edge.Confidence >= 0.9);
    }

    [Fact]
    public void A_dated_excerpt_of_an_undated_original_does_not_become_the_root()
    {
        // The undated original is read from a plain-text file; the excerpt, published on a dated page, is a part of it.
        var original = new SyntheticCorpus(63, new CorpusOptions { MinSentences = 14, MaxSentences = 16 }).GenerateChain("x", CopyOperation.Verbatim)[0].ToArticle() with { Date = null };
        var paragraphs = original.Body.Split("\n\n");
        var excerpt = original with { Id = "x-excerpt", Body = string.Join("\n\n", paragraphs.Take(Math.Max(2, paragraphs.Length / 2))), Date = new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero), Site = "clips.example", Url = null };
        var placed = new StoryAnalyzer().Analyze([.. Background(63), excerpt, original], []).Documents.ToDictionary(p => p.Id);

        Assert.Null(placed[original.Id].Parent);
        Assert.Equal(original.Id, placed["x-excerpt"].Parent);
        Assert.Contains(placed["x-excerpt"].ParentEvidence, e => e.Kind == EdgeEvidence.Excerpt);
        Assert.Equal(LineageTree.DirectionKnown, placed["x-excerpt"].ParentDirection);
    }

    [Fact]
    public void A_dated_copy_that_adds_an_inserted_line_does_not_become_the_root_above_its_undated_original()
    {
        var original = new SyntheticCorpus(64).GenerateChain("y", CopyOperation.Verbatim)[0].ToArticle() with { Date = null };
        var copy = original with
        {
            Id = "y-copy",
            Date = new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero),
            Site = "aggregator.example",
            Url = null,
            Annotations = [new Annotation(AnnotationKind.ReadMore, "READ MORE: Tidal pools at Gullhaven closed for the season", 2)],
        };
        var placed = new StoryAnalyzer().Analyze([.. Background(64), copy, original], []).Documents.ToDictionary(p => p.Id);

        Assert.Null(placed[original.Id].Parent);
        Assert.Equal(original.Id, placed["y-copy"].Parent);
        Assert.Equal(LineageTree.DirectionKnown, placed["y-copy"].ParentDirection);
    }

    [Theory]
    [InlineData(71)]
    [InlineData(72)]
    public void A_three_link_chain_is_resolved_link_by_link_whatever_the_input_order(int seed)
    {
        // original -> edited (figures changed) -> wrapped copy of the edit -> spun copy of that: each copy of a copy
        // must find its intermediate, not the original it still resembles.
        var chain = new SyntheticCorpus(seed).GenerateChain("c", CopyOperation.Edited, CopyOperation.SentenceDrop, CopyOperation.Spun);
        var articles = Background(seed).Concat(chain.Reverse().Select(d => d.ToArticle())).ToList();
        var analysis = new StoryAnalyzer().Analyze(articles, []);
        var placed = analysis.Documents.ToDictionary(p => p.Id);

        Assert.Null(placed["c-0"].Parent);
        Assert.Equal("c-0", placed["c-1"].Parent);
        Assert.Equal("c-1", placed["c-2"].Parent);
        Assert.Equal("c-2", placed["c-3"].Parent);
        foreach (var id in new[] { "c-1", "c-2", "c-3" })
        {
            Assert.Equal(LineageTree.DirectionKnown, placed[id].ParentDirection);
            Assert.NotEmpty(placed[id].ParentEvidence);
            Assert.DoesNotContain(placed[id].ParentEvidence, e => e.Kind == EdgeEvidence.TieBreak);
        }
    }

    [Theory]
    [InlineData(73)]
    [InlineData(74)]
    public void A_three_link_chain_mixing_undated_and_dated_members_is_resolved_by_what_each_copy_inherits(int seed)
    {
        // An undated original (a text file); a dated repost that adds a read-more line; an undated spun copy of the repost
        // whose spinner reworded that line too; a dated excerpt of the spun copy that kept the reworded line in its
        // text. Each copy of a copy must find its intermediate through what it inherited, and the original stays the root.
        var chain = new SyntheticCorpus(seed, new CorpusOptions { MinSentences = 14, MaxSentences = 16 }).GenerateChain("m", CopyOperation.Verbatim, CopyOperation.Spun, CopyOperation.Excerpt);
        var day = new DateTimeOffset(2026, 4, 2, 9, 0, 0, TimeSpan.Zero);
        var original = chain[0].ToArticle() with { Date = null, Site = null };
        var repost = chain[1].ToArticle() with
        {
            Date = day,
            Site = "repost.example",
            Annotations = [new Annotation(AnnotationKind.ReadMore, "READ MORE: Ferry timetable for the Ostrava lakes changes in June", 3)],
        };
        var spun = chain[2].ToArticle() with
        {
            Date = null,
            Site = null,
            Annotations = [new Annotation(AnnotationKind.ReadMore, "READ ALSO: Ostrava lakes ferry timetable changes in June", 3)],
        };
        var excerpt = chain[3].ToArticle() with
        {
            Date = day.AddHours(30),
            Site = "clips.example",
            Body = chain[3].Body + "\n\nSee also: the Ostrava lakes ferry timetable changes in June.",
        };
        var analysis = new StoryAnalyzer().Analyze([.. Background(seed), excerpt, spun, repost, original], []);
        var placed = analysis.Documents.ToDictionary(p => p.Id);

        Assert.Null(placed["m-0"].Parent);
        Assert.Equal("m-0", placed["m-1"].Parent);
        Assert.Equal("m-1", placed["m-2"].Parent);
        Assert.Equal("m-2", placed["m-3"].Parent);
        Assert.Contains(placed["m-1"].ParentEvidence, e => e.Kind == EdgeEvidence.Text && e.Detail.Contains("adds an inserted line", StringComparison.Ordinal));
        Assert.Contains(placed["m-2"].ParentEvidence, e => e.Kind == EdgeEvidence.InheritedLines);
        Assert.All(new[] { "m-1", "m-2", "m-3" }, id => Assert.DoesNotContain(placed[id].ParentEvidence, e => e.Kind == EdgeEvidence.TieBreak));
    }

    [Fact]
    public void An_edge_confidence_is_read_from_the_options_table_by_what_decided_it()
    {
        var original = new SyntheticCorpus(66).GenerateChain("k", CopyOperation.Verbatim)[0].ToArticle();
        var copy = original with { Id = "k-copy", Date = original.Date!.Value.AddHours(5), Site = "other.example", Url = null };
        var articles = Background(66).Append(original).Append(copy).ToList();

        var fitted = new StoryAnalyzer().Analyze(articles, []).Documents.Single(d => d.Id == "k-copy");
        Assert.Equal(LineageConfidence.Cell(LineageConfidence.ByDate, LineageConfidence.Only), fitted.ParentConfidenceBasis);
        Assert.Equal(LineageConfidence.Default.Of(LineageConfidence.ByDate, LineageConfidence.Only, 0.95), fitted.ParentConfidence!.Value, 3);

        var table = new LineageConfidence { Cells = new Dictionary<string, double> { [LineageConfidence.Cell(LineageConfidence.ByDate, LineageConfidence.Only)] = 0.42 } };
        var own = new StoryAnalyzer(new StoryAnalyzerOptions { LineageConfidence = table }).Analyze(articles, []).Documents.Single(d => d.Id == "k-copy");
        Assert.Equal(0.42, own.ParentConfidence!.Value, 3);

        // Without a fitted cell, the reasoned value: date order (0.95) times a sure choice.
        var reasoned = new StoryAnalyzer(new StoryAnalyzerOptions { LineageConfidence = LineageConfidence.Reasoned }).Analyze(articles, []).Documents.Single(d => d.Id == "k-copy");
        Assert.Equal(0.95, reasoned.ParentConfidence!.Value, 3);
    }

    [Fact]
    public void A_copy_of_a_verbatim_repost_is_a_stated_tie_between_the_two_identical_candidates()
    {
        // Two identical earlier members explain the copy equally: the parent is a 1-in-2 tie-break, said as such.
        var chain = new SyntheticCorpus(65).GenerateChain("t", CopyOperation.Verbatim, CopyOperation.Edited);
        var articles = Background(65).Concat(chain.Select(d => d.ToArticle())).ToList();
        var placed = new StoryAnalyzer().Analyze(articles, []).Documents.ToDictionary(p => p.Id);
        Assert.Contains(placed["t-2"].ParentEvidence, e => e.Kind == EdgeEvidence.TieBreak);
        // Its confidence is the tie cell's observed rate (about a coin flip for dated ties), not that of a clear choice.
        Assert.Equal(LineageConfidence.Cell(LineageConfidence.ByDate, LineageConfidence.Tie), placed["t-2"].ParentConfidenceBasis);
        Assert.True(placed["t-2"].ParentConfidence < 0.6);
        Assert.True(placed["t-2"].ParentConfidence < LineageConfidence.Default.Of(LineageConfidence.ByDate, LineageConfidence.Clear, 1));
    }
}
