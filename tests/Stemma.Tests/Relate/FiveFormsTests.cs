using Stemma.Relate;

namespace Stemma.Tests.Relate;

/// <summary>
/// One fictional story in five forms, written for this test: original, verbatim repost, syndicated copy with an inserted
/// line and one changed figure, spun copy of the syndicated copy, AI-style rewrite, independent report; plus unrelated news.
/// </summary>
public class FiveFormsTests
{
    private const string OriginalBody =
        "The Lakeside Water Authority approved a $2 billion plan on Tuesday to replace the ageing pipes under the city of Marlow, its chair Helen Okafor said.\n\n" +
        "The programme will run for eight years and replace 1,200 kilometres of mains, some of which were laid in 1898. Okafor told reporters the work would \"end the summer shortages for good\".\n\n" +
        "Engineers estimate that 30 percent of treated water is lost through leaks before it reaches homes. Residents in the northern districts have faced hosepipe bans for three summers in a row.\n\n" +
        "The authority will borrow most of the money through green bonds, with the rest coming from a rise in water bills of about 4 percent a year. Council leader Tomas Brennan welcomed the decision but warned that the roadworks would cause disruption in the city centre.\n\n" +
        "Work on the first section, beneath Harbour Street, is due to start in September.";

    private static readonly string RepostBody = OriginalBody + "\n\nThis post appeared first on Harbour View News.";

    private static readonly string SyndicatedBody = OriginalBody
        .Replace("$2 billion", "$2.5 billion", StringComparison.Ordinal)
        .Replace("for good\".\n\n", "for good\".\n\nREAD MORE: Marlow council backs new bus lanes on the seafront\n\n", StringComparison.Ordinal);

    // The syndicated copy run through a synonym spinner: a quarter of the words swapped, the new figure and the inserted line kept.
    private const string SpunBody =
        "The Lakeside Water Authority endorsed a $2.5 billion scheme on Tuesday to substitute the aging pipes beneath the town of Marlow, its chair Helen Okafor stated.\n\n" +
        "The programme will operate for eight years and swap 1,200 kilometres of mains, some of which were put down in 1898. Okafor informed journalists the work would \"end the summer shortages for good\".\n\n" +
        "READ MORE: Marlow council supports fresh bus lanes on the seafront\n\n" +
        "Engineers reckon that 30 percent of treated water is wasted through leaks before it arrives at homes. Inhabitants in the northern areas have confronted hosepipe bans for three summers in a row.\n\n" +
        "The authority will borrow the majority of the cash through green bonds, with the remainder coming from an increase in water bills of roughly 4 percent a year. Council chief Tomas Brennan welcomed the choice but cautioned that the roadworks would bring disruption in the city centre.\n\n" +
        "Work on the initial section, under Harbour Street, is scheduled to begin in September.";

    // The syndicated copy machine-translated there and back, then spun: words reordered, articles and prepositions
    // changed, synonyms swapped; the changed figure, the names and the inserted line survive.
    private const string TranslatedBody =
        "The Water Authority of Lakeside has approved on Tuesday a plan of $2.5 billion for replacing the old pipes under the city Marlow, said its president Helen Okafor.\n\n" +
        "The programme shall last eight years and will replace 1,200 kilometres of the mains, some of them laid already in 1898. Okafor said to the journalists that the works would \"end the shortages of summer for always\".\n\n" +
        "READ MORE: Council of Marlow supports new lanes for buses on the sea front\n\n" +
        "The engineers estimate that 30 percent of the treated water gets lost by leaks before it arrives to the houses. The inhabitants of the districts in the north have had bans of hosepipes for three summers one after the other.\n\n" +
        "The authority will borrow the most part of the money with green bonds, and the rest comes from an increase of the water bills of about 4 percent per year. The leader of the council Tomas Brennan has welcomed the decision but he warned that the road works would cause disturbances in the centre of the city.\n\n" +
        "The works on the first section, under the Harbour Street, must begin in September.";

    private const string RewriteBody =
        "Marlow is set for a major overhaul of its water network after the Lakeside Water Authority signed off on a $2 billion investment on Tuesday, according to chair Helen Okafor.\n\n" +
        "Spread across eight years, the project covers 1,200 kilometres of pipework, parts of it dating back to 1898. Okafor said the upgrade would \"end the summer shortages for good\".\n\n" +
        "Roughly 30 percent of cleaned water currently escapes through cracks in the network, engineers believe, and households in the north of Marlow have lived with hosepipe bans three years running.\n\n" +
        "Funding will come mainly from green bonds, topped up by bills rising around 4 percent annually. Tomas Brennan, who leads the council, backed the move while cautioning about traffic chaos downtown.\n\n" +
        "Diggers are expected on Harbour Street from September.";

    private const string IndependentBody =
        "Households in Marlow face higher water bills after the Lakeside Water Authority voted on Tuesday to spend $2 billion on new mains.\n\n" +
        "Priya Desai of the Marlow Residents Association said families in the northern districts had waited years for a fix. \"We have carried buckets every August,\" she said at a meeting in the Corn Exchange.\n\n" +
        "Helen Okafor, who chairs the authority, defended the green bond borrowing and said the 4 percent yearly rise was the smallest possible. Opposition councillors asked why the plan had taken a decade to reach a vote.\n\n" +
        "Tomas Brennan, the council leader, said traffic would be diverted around Harbour Street once digging begins.";

    private const string FootballBody =
        "Marlow Rovers came from behind to beat Eastgate United 3-2 on Saturday, with striker Jonas Pike scoring twice in the final ten minutes.\n\n" +
        "Eastgate had led through a first-half header from captain Leo Farrant, and doubled their advantage soon after the break.\n\n" +
        "Rovers manager Anna Kowalski said her side \"never stopped believing\" and praised the 6,400 supporters who travelled to the match.";

    private const string MuseumBody =
        "A museum of maritime history opened in Portwell on Friday after a seven-year restoration of the old customs house.\n\n" +
        "The collection includes ship models, navigation charts and letters from sailors who worked the northern trade routes in the nineteenth century.\n\n" +
        "Director Samuel Reyes said entry would be free for schoolchildren until the end of the year.";

    private static DateTimeOffset At(int day, int hour) => new(2026, 5, day, hour, 0, 0, TimeSpan.Zero);

    private static List<Article> Articles() =>
    [
        new() { Id = "original", Body = OriginalBody, Site = "harbourview.example", Date = At(5, 9) },
        new() { Id = "repost", Body = RepostBody, Site = "waterwatch.example", Date = At(5, 11), Attribution = "Harbour View News", Format = "wordpress" },
        new() { Id = "syndicated", Body = SyndicatedBody, Site = "regionalwire.example", Date = At(5, 13) },
        new() { Id = "spun", Body = SpunBody, Site = "newsfeedhub.example", Date = At(6, 8) },
        new() { Id = "rewrite", Body = RewriteBody, Site = "quickdigest.example", Date = At(5, 15) },
        new() { Id = "independent", Body = IndependentBody, Site = "marlowtimes.example", Date = At(6, 10) },
        new() { Id = "football", Body = FootballBody, Site = "marlowtimes.example", Date = At(5, 18) },
        new() { Id = "museum", Body = MuseumBody, Site = "coastgazette.example", Date = At(5, 12) },
    ];

    [Fact]
    public void Five_forms_of_one_story_are_grouped_labeled_and_traced()
    {
        var analysis = new StoryAnalyzer().Analyze(Articles(), []);
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
        var paraphrased = OriginalBody
            .Replace("The programme will run for eight years and replace 1,200 kilometres of mains, some of which were laid in 1898.", "Over eight years the programme is to renew 1,200 kilometres of water mains, a few of them put in during 1898.", StringComparison.Ordinal)
            .Replace("Engineers estimate that 30 percent of treated water is lost through leaks before it reaches homes.", "According to engineers, leaks waste some 30 percent of treated water before it gets to households.", StringComparison.Ordinal)
            .Replace("Residents in the northern districts have faced hosepipe bans for three summers in a row.", "People living in the northern districts have had hosepipe bans three summers running.", StringComparison.Ordinal)
            .Replace("Work on the first section, beneath Harbour Street, is due to start in September.", "Digging on the first stretch, under Harbour Street, should begin in September.", StringComparison.Ordinal);
        Assert.NotEqual(OriginalBody, paraphrased);
        var articles = Articles();
        articles.Add(new Article { Id = "paraphrased", Body = paraphrased, Site = "digestdaily.example", Date = At(5, 20) });
        var placed = new StoryAnalyzer().Analyze(articles, []).Documents.ToDictionary(p => p.Id);
        Assert.Equal(placed["original"].Family, placed["paraphrased"].Family);
        Assert.Contains(placed["paraphrased"].Relation, new[] { Relations.Edited, Relations.Spun });
    }

    [Fact]
    public void A_machine_translated_spun_copy_of_the_syndicated_copy_joins_the_family_under_it()
    {
        var articles = Articles();
        articles.RemoveAll(a => a.Id == "spun");
        articles.Add(new Article { Id = "translated", Body = TranslatedBody, Site = "newsfeedhub.example", Date = At(6, 8) });
        var placed = new StoryAnalyzer().Analyze(articles, []).Documents.ToDictionary(p => p.Id);
        Assert.Equal(placed["original"].Family, placed["translated"].Family);
        Assert.Equal("syndicated", placed["translated"].Parent);
        Assert.Equal(Relations.Spun, placed["translated"].Relation);
        Assert.NotEqual(placed["original"].Family, placed["rewrite"].Family);
    }

    [Fact]
    public void Pair_labels_of_the_five_forms()
    {
        var articles = Articles().ToDictionary(a => a.Id);
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
        var articles = Articles().ToDictionary(a => a.Id);
        double Similarity(string b) => PairComparer.Compare(articles["original"], articles[b]).Similarity;
        Assert.True(Similarity("repost") > Similarity("spun"));
        Assert.True(Similarity("spun") > Similarity("rewrite"));
        Assert.True(Similarity("rewrite") > Similarity("football") + 0.2);
        Assert.True(Similarity("independent") > Similarity("football") + 0.2);
        Assert.True(Similarity("museum") < 0.2);
    }
}
