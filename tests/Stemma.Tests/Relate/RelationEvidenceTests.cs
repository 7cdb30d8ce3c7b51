using Stemma.Relate;
using Stemma.Testing.Corpus;

namespace Stemma.Tests.Relate;

/// <summary>Rewrite against independent report against shared passages; restated figures; summarised tails; stories that do not chain.</summary>
public class RelationEvidenceTests
{
    // Fictional news: a town on one theme (its harbour), three separate events.
    private const string FerryOriginal =
        "Ferry crews at Brackwater walked off the job on Tuesday, halting the 6:40 crossing to Orrin Isle for the first time in 19 years.\n\n" +
        "The Maritime Workers Guild said 212 deckhands and engineers joined the strike after talks over a 4.5 percent pay offer collapsed late on Monday.\n\n" +
        "Guild secretary Ines Farrow said crews had worked \"double shifts all summer with nothing to show for it\" and would stay out until Friday.\n\n" +
        "Tidewater Lines, which runs the route, said 3,800 passengers a day would have to use the coastal road, adding about 90 minutes to the journey.\n\n" +
        "The company's operations chief, Marcus Pell, called the walkout premature and said a revised offer would be tabled by Thursday.";

    private const string FerryRewrite =
        "For the first time in nineteen years the early crossing to Orrin Isle did not sail: Brackwater's ferry staff stopped work on Tuesday.\n\n" +
        "Some 212 crew members, among them engineers and deck hands, backed the action once negotiations on a 4.5 percent wage proposal broke down on Monday night, according to their union, the Maritime Workers Guild.\n\n" +
        "Speaking for the union, Ines Farrow complained of months of back-to-back shifts without reward and promised the stoppage would last to Friday.\n\n" +
        "Operator Tidewater Lines warned that roughly 3,800 daily travellers now face a detour by road that lengthens their trip by around 90 minutes.\n\n" +
        "Marcus Pell, in charge of operations there, described the strike as too early and promised an improved proposal on Thursday.";

    private const string FerryIndependent =
        "Commuters queued at the Brackwater ferry terminal on Tuesday morning only to find the gates shut as the crew strike began.\n\n" +
        "Shopkeeper Dana Quill, who crosses to Orrin Isle daily, said she had lost a day of trade and feared the stoppage could run into the weekend.\n\n" +
        "Buses laid on by the county were full by 8 a.m., and police reported long tailbacks on the coastal road near Saltgate.\n\n" +
        "Tidewater Lines apologised to passengers and said it remained in contact with the Maritime Workers Guild, whose members voted 168 to 41 for action.\n\n" +
        "Ines Farrow of the guild said the crews regretted the disruption.";

    private const string SeawallOriginal =
        "Brackwater council voted 7 to 2 on Wednesday to spend $14 million rebuilding the north seawall, which storms breached twice last winter.\n\n" +
        "Engineers told councillors the 1930s wall had lost a third of its height along a 600-metre stretch beside Cobble Lane.\n\n" +
        "Councillor Ruth Amesbury said homes on the lane had flooded \"four times in eighteen months\" and residents could not wait another season.\n\n" +
        "Work is due to start in March and take 22 months, with the state paying $9 million of the cost through its coastal resilience fund.\n\n" +
        "Opponents, led by councillor Tobias Renn, argued the money should go to moving the most exposed households inland.";

    private const string SeawallRewrite =
        "By seven votes to two, Brackwater's councillors on Wednesday approved a $14 million rebuild of the north seawall, twice breached by last winter's storms.\n\n" +
        "According to engineers, a 600-metre section of the 1930s structure next to Cobble Lane has shrunk by a third in height.\n\n" +
        "Ruth Amesbury, a councillor, told the meeting that the lane's houses had been flooded on four occasions in a year and a half, and that residents could not hold out for another season.\n\n" +
        "Construction should begin in March and last 22 months; $9 million will come from the state's coastal resilience fund.\n\n" +
        "Tobias Renn led the opposition, saying the funds would be better spent relocating the households most at risk further inland.";

    private const string MarketOriginal =
        "Fire tore through the Brackwater fish market early on Saturday, destroying 31 stalls and the old ice house on Quay Street.\n\n" +
        "Fire chief Olu Barrington said the blaze was reported at 3:15 a.m. and took 60 firefighters more than four hours to bring under control.\n\n" +
        "Nobody was hurt, but traders estimated their losses at $2.3 million, much of it in stock and refrigeration equipment.\n\n" +
        "Investigators believe a faulty compressor in the ice house started the fire, Barrington said.\n\n" +
        "Market manager Hal Severin said a temporary market would open in the car park on Monday.";

    private const string MarketRewrite =
        "Thirty-one stalls and Quay Street's old ice house were lost when a blaze swept the Brackwater fish market in the early hours of Saturday.\n\n" +
        "The alarm was raised at 3:15 a.m., according to fire chief Olu Barrington, and it took some 60 firefighters over four hours to contain the flames.\n\n" +
        "There were no injuries; traders put the damage at about $2.3 million, mostly stock and cold-storage machinery.\n\n" +
        "A broken compressor inside the ice house is thought to have caused the fire, the chief added.\n\n" +
        "From Monday a stopgap market will trade in the car park, said Hal Severin, who manages the market.";

    [Fact]
    public void A_rewrite_and_an_independent_report_of_one_event_are_labelled_apart()
    {
        var comparisons = PairComparer.CompareAll([(FerryOriginal, FerryRewrite), (FerryOriginal, FerryIndependent), (SeawallOriginal, SeawallRewrite), (MarketOriginal, MarketRewrite)]);
        string[] expected = [Relations.Rewrite, Relations.SameEvent, Relations.Rewrite, Relations.Rewrite];
        for (var k = 0; k < expected.Length; k++)
        {
            Assert.True(expected[k] == comparisons[k].Relation, $"pair {k}: {comparisons[k].Relation}, evidence {comparisons[k].Evidence}");
        }
    }

    [Fact]
    public void A_currency_conversion_beside_the_old_amount_is_a_restatement_shown_whole()
    {
        const string before = "The Lakeside Water Authority approved a $2 billion plan on Friday to replace ageing pipes under Marlow, its chair said.";
        var after = before.Replace("$2 billion", "A$2.5b ($US2 billion)", StringComparison.Ordinal);
        var change = Assert.Single(ChangeDetector.Detect(before, after), c => c.Kind == ChangeKind.Figure);
        Assert.Equal("$2 billion", change.Before);
        Assert.Equal("A$2.5b ($US2 billion)", change.After);
        Assert.Equal("currency conversion", change.Restatement);
        Assert.False(change.ChangesFact);
    }

    [Theory]
    [InlineData("$2 billion", "two billion dollars", "number in words")]
    [InlineData("2.03 million", "2 million", "rounding")]
    [InlineData("$2 billion", "$2.5 billion", null)]
    [InlineData("30 percent", "35 percent", null)]
    public void Figures_restated_in_another_form_are_told_from_changed_ones(string before, string after, string? expected) =>
        Assert.Equal(expected, FigureValues.Restatement(before, after));

    [Fact]
    public void A_long_dropped_tail_is_summarised_with_its_paragraphs_and_words()
    {
        var generator = new SyntheticCorpus(81, new CorpusOptions { MinSentences = 16, MaxSentences = 16 });
        var original = generator.GenerateChain("tail", CopyOperation.Verbatim)[0].Body;
        var paragraphs = original.Split("\n\n");
        var kept = string.Join("\n\n", paragraphs.Take(2));
        var dropped = paragraphs.Skip(2).ToArray();
        var change = Assert.Single(ChangeDetector.Detect(original, kept), c => c.Kind == ChangeKind.Dropped);
        var words = dropped.Sum(p => Stemma.Text.WordTokenizer.Count(p));
        Assert.Equal($"dropped the last {dropped.Length} paragraphs, {words} words", change.Summary);

        // A short drop in the middle is shown as it is.
        var middle = string.Join("\n\n", paragraphs.Where((_, k) => k != 1));
        Assert.All(ChangeDetector.Detect(original, middle).Where(c => c.Kind == ChangeKind.Dropped), c => Assert.Null(c.Summary));
    }

    [Fact]
    public void Two_different_articles_reusing_background_passages_share_passages_and_stay_separate_families()
    {
        var first = new SyntheticCorpus(82, new CorpusOptions { MinSentences = 40, MaxSentences = 40 }).GenerateChain("p", CopyOperation.Verbatim)[0].ToArticle();
        var second = new SyntheticCorpus(182, new CorpusOptions { MinSentences = 16, MaxSentences = 16 }).GenerateChain("q", CopyOperation.Verbatim)[0].ToArticle();
        var background = first.Body.Split("\n\n");
        var own = second.Body.Split("\n\n");
        // The second story keeps its own lead and adds two of the first's background paragraphs (the first article is long).
        var reusing = second with { Body = string.Join("\n\n", own.Take(2).Concat(background.Skip(background.Length / 2).Take(2))) };

        var comparison = PairComparer.Compare(first, reusing);
        Assert.True(comparison.Relation == Relations.SharesPassages, $"{comparison.Relation}: {comparison.Evidence}");
        Assert.False(Relations.IsCopyFamily(comparison.Relation));
        Assert.False(Relations.IsSameStory(comparison.Relation));

        var analysis = new StoryAnalyzer().Analyze([first, reusing], []);
        var placed = analysis.Documents.ToDictionary(p => p.Id);
        Assert.NotEqual(placed[first.Id].Family, placed[reusing.Id].Family);
        Assert.Contains(analysis.Pairs, p => p.Relation == Relations.SharesPassages);
    }

    // A block many sites append to every article: written here, no story's names or figures in it.
    private const string SharedFooter =
        "Disclaimer: the information in this article is for general information only and is not financial, legal or medical "
        + "advice. Readers should ask a qualified professional before acting on anything they read here. The publisher makes "
        + "no promise of any kind, stated or implied, about the completeness, accuracy or reliability of what is printed, and "
        + "accepts no liability for any loss or damage that comes from its use. Views of contributors are their own and are "
        + "not those of the editors or of any advertiser. Letters to the editor may be shortened for length and clarity.";

    private static Article ShortStory(int seed, string id) =>
        new SyntheticCorpus(seed, new CorpusOptions { MinSentences = 4, MaxSentences = 5 }).GenerateChain(id, CopyOperation.Verbatim)[0].ToArticle();

    [Fact]
    public void Different_short_stories_ending_in_one_long_footer_share_passages_and_are_no_copies()
    {
        for (var seed = 0; seed < 12; seed++)
        {
            var first = ShortStory(300 + seed, "f");
            var second = ShortStory(600 + seed, "g");
            var a = first with { Body = first.Body + "\n\n" + SharedFooter };
            var b = second with { Body = second.Body + "\n\n" + SharedFooter };

            var comparison = PairComparer.Compare(a, b);
            Assert.True(comparison.Relation == Relations.SharesPassages, $"seed {seed}: {comparison.Relation}: {comparison.Evidence}");

            var analysis = new StoryAnalyzer().Analyze([a, b], []);
            var placed = analysis.Documents.ToDictionary(p => p.Id);
            Assert.NotEqual(placed[a.Id].Family, placed[b.Id].Family);
            Assert.Null(placed[a.Id].Parent);
            Assert.Null(placed[b.Id].Parent);
        }
    }

    [Fact]
    public void A_copy_of_a_short_story_with_the_footer_stays_a_copy_whatever_it_changed_or_put_before_it()
    {
        for (var seed = 0; seed < 12; seed++)
        {
            var story = ShortStory(900 + seed, "h");
            var original = story with { Body = story.Body + "\n\n" + SharedFooter };
            var paragraphs = original.Body.Split("\n\n");

            // The copy keeps the lead: its own introduction before it, or a sentence of the story dropped after it.
            var introduced = original with { Id = "intro", Body = "Our correspondent sends this report from the regional desk, where the editors have followed the matter closely for several weeks and spoken to many of the people involved in it.\n\n" + original.Body };
            var shortened = original with { Id = "dropped", Body = string.Join("\n\n", paragraphs.Where((_, k) => k != paragraphs.Length - 2)) };
            foreach (var copy in new[] { introduced, shortened })
            {
                var comparison = PairComparer.Compare(original, copy);
                Assert.True(Relations.IsCopyFamily(comparison.Relation), $"seed {seed}, {copy.Id}: {comparison.Relation}: {comparison.Evidence}");
            }
        }
    }

    [Fact]
    public void Two_copies_of_one_story_that_each_replaced_the_lead_stay_copies_of_each_other()
    {
        for (var seed = 0; seed < 12; seed++)
        {
            var story = new SyntheticCorpus(1200 + seed, new CorpusOptions { MinSentences = 14, MaxSentences = 18 }).GenerateChain("k", CopyOperation.Verbatim)[0].ToArticle();
            var paragraphs = story.Body.Split("\n\n");
            string WithLead(int leadSeed) => string.Join("\n\n", new[] { string.Join(" ", ShortStory(leadSeed, "lead").Body.Split("\n\n")) }.Concat(paragraphs.Skip(1)));
            var first = story with { Id = "first", Body = WithLead(1500 + seed) };
            var second = story with { Id = "second", Body = WithLead(1800 + seed) };

            var comparison = PairComparer.Compare(first, second);
            Assert.True(Relations.IsCopyFamily(comparison.Relation), $"seed {seed}: {comparison.Relation}: {comparison.Evidence}");
        }
    }

    [Fact]
    public void Three_events_on_one_theme_each_with_copies_and_a_rewrite_stay_three_stories()
    {
        var start = new DateTimeOffset(2026, 6, 2, 8, 0, 0, TimeSpan.Zero);
        var articles = new List<Article>();
        var truth = new Dictionary<string, string>(StringComparer.Ordinal);
        var events = new[] { ("ferry", FerryOriginal, FerryRewrite), ("seawall", SeawallOriginal, SeawallRewrite), ("market", MarketOriginal, MarketRewrite) };
        foreach (var (name, original, rewrite) in events)
        {
            Article Make(string id, string body, int hours, string site) =>
                new() { Id = id, Title = null, Body = body, Date = start.AddHours(hours), Site = site };
            articles.Add(Make(name, original, 0, "brackwater-mercury.example"));
            articles.Add(Make(name + "-repost", original, 3, "coastwire.example"));
            articles.Add(Make(name + "-edited", original.Replace("Tuesday", "Tuesday morning", StringComparison.Ordinal).Replace("Wednesday", "Wednesday night", StringComparison.Ordinal).Replace("Saturday", "Saturday morning", StringComparison.Ordinal), 5, "harbourdaily.example"));
            articles.Add(Make(name + "-rewrite", rewrite, 8, "newsbot.example"));
            foreach (var id in new[] { name, name + "-repost", name + "-edited", name + "-rewrite" })
            {
                truth[id] = name;
            }
        }

        articles.Add(new Article { Id = "ferry-street", Body = FerryIndependent, Date = start.AddHours(2), Site = "islandvoice.example" });
        truth["ferry-street"] = "ferry";
        var corpus = new SyntheticCorpus(83, new CorpusOptions { Stories = 8, UnrelatedArticles = 10 }).Generate().Select(d => d.ToArticle() with { Id = "bg-" + d.Id });
        var analysis = new StoryAnalyzer().Analyze([.. articles, .. corpus], []);
        var stories = analysis.Documents.Where(d => truth.ContainsKey(d.Id)).GroupBy(d => d.Story).ToList();

        Assert.Equal(3, stories.Count);
        Assert.All(stories, s => Assert.Single(s.Select(d => truth[d.Id]).Distinct()));
        Assert.All(stories, s => Assert.True(analysis.Stories.Single(x => x.Id == s.Key).Cohesion >= 0.1));
    }
}
