using Stemma.Relate;
using Stemma.Testing.Corpus;

namespace Stemma.Tests.Relate;

/// <summary>
/// One fictional story in five forms, written for this test: original, verbatim repost, syndicated copy with an inserted
/// line and one changed figure, spun copy of the syndicated copy, AI-style rewrite, independent report; plus unrelated news.
/// </summary>
public class FiveFormsTests
{
    [Fact]
    public void Five_forms_of_one_story_are_grouped_labeled_and_traced()
    {
        var analysis = new StoryAnalyzer().Analyze(FiveForms.Articles(), []);
        var placed = analysis.Documents.ToDictionary(p => p.Id);

        // One story holds all five forms and the original; the unrelated articles stay apart.
        var story = placed["original"].Story;
        Assert.All(new[] { "repost", "syndicated", "spun", "rewrite", "independent" }, id => Assert.Equal(story, placed[id].Story));
        Assert.NotEqual(story, placed["football"].Story);
        Assert.NotEqual(story, placed["museum"].Story);

        // The repost and the syndicated copy are one family with the original, labeled copy / edited.
        var family = placed["original"].Family;
        Assert.Equal(family, placed["repost"].Family);
        Assert.Equal(family, placed["syndicated"].Family);
        Assert.Equal("original", placed["repost"].Parent);
        Assert.Contains(placed["repost"].Relation, new[] { Relations.Copy, Relations.Identical });
        Assert.Equal("original", placed["syndicated"].Parent);
        Assert.Equal(Relations.Edited, placed["syndicated"].Relation);

        // The spun copy descends from the syndicated copy (it repeats its changed figure and inserted line).
        Assert.Equal(family, placed["spun"].Family);
        Assert.Equal("syndicated", placed["spun"].Parent);
        Assert.Equal(Relations.Spun, placed["spun"].Relation);

        // The rewrite and the independent report are in the story but not the family.
        Assert.NotEqual(family, placed["rewrite"].Family);
        Assert.NotEqual(family, placed["independent"].Family);
        Assert.Null(placed["rewrite"].Parent);

        // The changed figure is listed on the syndicated copy's lineage edge.
        var tree = analysis.Trees.Single(t => t.Family == family);
        var edge = tree.ParentEdgeOf("syndicated")!;
        Assert.Contains(edge.Changes, c => c.Kind == ChangeKind.Figure && c.Before == "$2 billion" && c.After == "$2.5 billion");
        Assert.Contains(edge.Changes, c => c.Kind == ChangeKind.Inserted && c.After!.StartsWith("READ MORE", StringComparison.Ordinal));
        Assert.Equal("Harbour View News", placed["repost"].Origin);
    }

    [Fact]
    public void A_copy_with_half_its_sentences_paraphrased_stays_in_the_family()
    {
        var paraphrased = FiveForms.OriginalBody
            .Replace("The programme will run for eight years and replace 1,200 kilometres of mains, some of which were laid in 1898.", "Over eight years the programme is to renew 1,200 kilometres of water mains, a few of them put in during 1898.", StringComparison.Ordinal)
            .Replace("Engineers estimate that 30 percent of treated water is lost through leaks before it reaches homes.", "According to engineers, leaks waste some 30 percent of treated water before it gets to households.", StringComparison.Ordinal)
            .Replace("Residents in the northern districts have faced hosepipe bans for three summers in a row.", "People living in the northern districts have had hosepipe bans three summers running.", StringComparison.Ordinal)
            .Replace("Work on the first section, beneath Harbour Street, is due to start in September.", "Digging on the first stretch, under Harbour Street, should begin in September.", StringComparison.Ordinal);
        Assert.NotEqual(FiveForms.OriginalBody, paraphrased);
        var articles = FiveForms.Articles();
        articles.Add(new Article { Id = "paraphrased", Body = paraphrased, Site = "digestdaily.example", Date = FiveForms.At(5, 20) });
        var placed = new StoryAnalyzer().Analyze(articles, []).Documents.ToDictionary(p => p.Id);
        Assert.Equal(placed["original"].Family, placed["paraphrased"].Family);
        Assert.Contains(placed["paraphrased"].Relation, new[] { Relations.Edited, Relations.Spun });
    }

    [Fact]
    public void A_machine_translated_spun_copy_of_the_syndicated_copy_joins_the_family_under_it()
    {
        var articles = FiveForms.Articles();
        articles.RemoveAll(a => a.Id == "spun");
        articles.Add(new Article { Id = "translated", Body = FiveForms.TranslatedBody, Site = "newsfeedhub.example", Date = FiveForms.At(6, 8) });
        var placed = new StoryAnalyzer().Analyze(articles, []).Documents.ToDictionary(p => p.Id);
        Assert.Equal(placed["original"].Family, placed["translated"].Family);
        Assert.Equal("syndicated", placed["translated"].Parent);
        Assert.Equal(Relations.Spun, placed["translated"].Relation);
        Assert.NotEqual(placed["original"].Family, placed["rewrite"].Family);
    }

    [Fact]
    public void Pair_labels_of_the_five_forms()
    {
        var articles = FiveForms.Articles().ToDictionary(a => a.Id);
        string Label(string a, string b) => PairComparer.Compare(articles[a], articles[b]).Relation;
        Assert.Equal(Relations.Copy, Label("original", "repost"));
        Assert.Equal(Relations.Edited, Label("original", "syndicated"));
        Assert.Equal(Relations.Spun, Label("syndicated", "spun"));
        Assert.Equal(Relations.Rewrite, Label("original", "rewrite"));
        Assert.Equal(Relations.SameEvent, Label("original", "independent"));
        Assert.Equal(Relations.Unrelated, Label("original", "football"));
        Assert.Equal(Relations.Unrelated, Label("original", "museum"));
    }

    [Fact]
    public void Story_similarity_orders_the_forms_from_copy_to_unrelated()
    {
        var articles = FiveForms.Articles().ToDictionary(a => a.Id);
        double Similarity(string b) => PairComparer.Compare(articles["original"], articles[b]).Similarity;
        Assert.True(Similarity("repost") > Similarity("spun"));
        Assert.True(Similarity("spun") > Similarity("rewrite"));
        Assert.True(Similarity("rewrite") > Similarity("football") + 0.2);
        Assert.True(Similarity("independent") > Similarity("football") + 0.2);
        Assert.True(Similarity("museum") < 0.2);
    }
}
