using System.Text.RegularExpressions;
using Stemma.Lineage;
using Stemma.Relate;
using Stemma.Testing.Corpus;

namespace Stemma.Tests.Lineage;

/// <summary>Copies of copies find their intermediate through what they inherit, whatever the input order.</summary>
public partial class ChainTests
{
    private static List<Article> Background(int seed) =>
        [.. new SyntheticCorpus(seed + 3000, new CorpusOptions { Stories = 6, UnrelatedArticles = 12 }).Generate().Select(d => d.ToArticle() with { Id = "bg-" + d.Id })];

    private static readonly DateTimeOffset Day = new(2026, 4, 2, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(81)]
    [InlineData(82)]
    [InlineData(83)]
    public void A_three_link_chain_through_an_edited_intermediate_is_resolved_beside_reposts_of_the_original(int seed)
    {
        // An undated original; an undated edit of it (figures changed, a sentence reworded); a dated wrapped copy of the
        // edit (its lines); an undated spun copy of that. Beside them a dated verbatim repost and a dated excerpt of the
        // original: the edit's copies must follow the edit's figures and the wrapper's lines, not their likeness to the
        // original, and the edit descends from the original rather than from its identical repost (a stated tie-break
        // that goes to the root, not to whichever came first in the input).
        var chain = new SyntheticCorpus(seed, new CorpusOptions { MinSentences = 14, MaxSentences = 16 }).GenerateChain("e", CopyOperation.Edited, CopyOperation.Wrapped, CopyOperation.Spun);
        var original = chain[0].ToArticle() with { Date = null, Site = null, Url = null };
        var edited = chain[1].ToArticle() with { Date = null, Site = null, Url = null };
        var wrapped = chain[2].ToArticle() with
        {
            Date = Day,
            Site = "wrapper.example",
            Url = null,
            Annotations = [new Annotation(AnnotationKind.ReadMore, "READ MORE: Harbour pilots vote on the new night shifts", 2), new Annotation(AnnotationKind.Caption, "(Photo: Wire Agency)", 4)],
        };
        var spun = chain[3].ToArticle() with { Date = null, Site = null, Url = null, Annotations = wrapped.Annotations };
        var repost = original with { Id = "e-repost", Date = Day.AddHours(-5), Site = "repost.example" };
        var sentences = Sentences(original.Body);
        var excerpt = original with { Id = "e-excerpt", Date = Day.AddHours(3), Site = "clips.example", Body = string.Join(' ', sentences.Take(sentences.Count / 2)) };
        Article[] family = [original, edited, wrapped, spun, repost, excerpt];

        foreach (var order in new[] { family, [.. family.Reverse()], [spun, repost, original, excerpt, wrapped, edited] })
        {
            var placed = new StoryAnalyzer().Analyze([.. Background(seed), .. order], []).Documents.ToDictionary(p => p.Id);
            Assert.Null(placed["e-0"].Parent);
            Assert.Equal("e-0", placed["e-1"].Parent);
            Assert.Equal("e-1", placed["e-2"].Parent);
            Assert.Equal("e-2", placed["e-3"].Parent);
            Assert.Equal("e-0", placed["e-repost"].Parent);
            Assert.Equal("e-0", placed["e-excerpt"].Parent);
            Assert.DoesNotContain(placed["e-2"].ParentEvidence, e => e.Kind == EdgeEvidence.TieBreak);
            Assert.DoesNotContain(placed["e-3"].ParentEvidence, e => e.Kind == EdgeEvidence.TieBreak);
        }
    }

    [Theory]
    [InlineData(84, true)]
    [InlineData(84, false)]
    [InlineData(85, true)]
    [InlineData(85, false)]
    public void A_copy_of_one_of_two_overlapping_excerpts_descends_from_the_excerpt_that_holds_it(int seed, bool dated)
    {
        // The first two thirds and the last two thirds of an original: the middle third is in both. A copy of a part of
        // the first excerpt that reaches into the shared middle, and a copy of a part of the second, each descend from
        // the excerpt whose boundary holds them, not from the original (which holds them too) nor the other excerpt.
        var original = new SyntheticCorpus(seed, new CorpusOptions { MinSentences = 15, MaxSentences = 15 }).GenerateChain("x", CopyOperation.Verbatim)[0].ToArticle() with { Date = null, Site = null, Url = null };
        var s = Sentences(original.Body);
        var third = s.Count / 3;
        Article Part(string id, int from, int to, int hours) => original with
        {
            Id = id,
            Body = string.Join(' ', s.Skip(from).Take(to - from)),
            Date = dated ? Day.AddHours(hours) : null,
            Site = id + ".example",
        };

        var first = Part("x-first", 0, 2 * third, 1);
        var second = Part("x-second", third, s.Count, 2);
        var fromFirst = Part("x-from-first", 1, third + 2, 5);
        var fromSecond = Part("x-from-second", (2 * third) - 2, s.Count - 1, 6);
        var placed = new StoryAnalyzer().Analyze([.. Background(seed), fromSecond, second, fromFirst, original, first], []).Documents.ToDictionary(p => p.Id);

        Assert.Equal(placed["x-0"].Family, placed["x-from-second"].Family);
        Assert.Null(placed["x-0"].Parent);
        Assert.Equal("x-0", placed["x-first"].Parent);
        Assert.Equal("x-0", placed["x-second"].Parent);
        Assert.Equal("x-first", placed["x-from-first"].Parent);
        Assert.Equal("x-second", placed["x-from-second"].Parent);
    }

    [Fact]
    public void A_read_more_line_two_families_carry_still_leads_a_copy_to_the_copy_it_took_the_line_from()
    {
        // A site promoting one article beside its reposts puts the same read-more line into two families. Within the
        // family the line is still what the wrapper's copy inherited: it descends from the wrapper, not the original.
        // A photo credit found in two families stays a copier's habit and leads nowhere.
        var chain = new SyntheticCorpus(86).GenerateChain("w", CopyOperation.Verbatim);
        var original = chain[0].ToArticle() with { Date = null, Site = null, Url = null };
        Annotation readMore = new(AnnotationKind.ReadMore, "READ MORE: Pilots vote on the night shifts at Wendle quay", 3);
        Annotation credit = new(AnnotationKind.Caption, "(Photo: Wire Agency)", 1);
        var wrapper = original with { Id = "w-wrapper", Date = Day, Site = "wrapper.example", Annotations = [readMore] };
        var captioned = original with { Id = "w-captioned", Date = Day.AddHours(1), Site = "caption.example", Annotations = [credit] };
        var taker = original with { Id = "w-taker", Date = Day.AddHours(2), Site = "taker.example", Annotations = [readMore] };
        var habit = original with { Id = "w-habit", Date = Day.AddHours(3), Site = "habit.example", Annotations = [credit] };
        var background = Background(86);
        // The same lines in another story's copy.
        background[0] = background[0] with { Annotations = [readMore, credit] };

        var placed = new StoryAnalyzer().Analyze([.. background, habit, taker, captioned, wrapper, original], []).Documents.ToDictionary(p => p.Id);
        Assert.Null(placed["w-0"].Parent);
        Assert.Equal("w-0", placed["w-wrapper"].Parent);
        Assert.Equal("w-wrapper", placed["w-taker"].Parent);
        Assert.Contains(placed["w-taker"].ParentEvidence, e => e.Kind == EdgeEvidence.InheritedLines);
        Assert.NotEqual("w-captioned", placed["w-habit"].Parent);
    }

    private static List<string> Sentences(string body) => [.. SentenceEnd().Split(body.Trim()).Where(x => x.Length > 0)];

    [GeneratedRegex(@"(?<=[.!?])\s+")]
    private static partial Regex SentenceEnd();
}
