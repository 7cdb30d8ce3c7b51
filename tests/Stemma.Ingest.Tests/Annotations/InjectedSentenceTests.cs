using Stemma.Ingest.Annotations;
using Stemma.Ingest.Tests.Support;
using Stemma.Testing.Corpus;

namespace Stemma.Ingest.Tests.Annotations;

/// <summary>Sentences injected into a spun copy, found with the evidence of the family (fictional text throughout).</summary>
public sealed class InjectedSentenceTests
{
    private static readonly string[] Original =
    [
        "Storm surge flooded the promenade at Carrow Bay on Tuesday night, leaving seafront cafes under half a metre of seawater.",
        "The harbour master said the tide peaked forty centimetres above the forecast because of the strong easterly wind.",
        "Council crews pumped out the lower streets before dawn and closed the coast road until the afternoon.",
        "Shop owners on the promenade said the new flood barriers had held but the drains behind them backed up.",
        "Engineers will inspect the sea wall on Thursday, and the council has promised a report on the drains within a month.",
        "Residents were told to keep sandbags at their doors until the end of the week.",
    ];

    /// <summary>The original with a quarter of its words swapped for synonyms, as a spinner would.</summary>
    private static readonly string[] Spun =
    [
        "Storm surge inundated the promenade at Carrow Bay on Tuesday evening, leaving seafront cafes under half a metre of seawater.",
        "The harbour master stated the tide peaked forty centimetres above the prediction due to the powerful easterly wind.",
        "Council crews pumped out the lower streets before daybreak and shut the coast road until the afternoon.",
        "Shop owners on the promenade stated the new flood barriers had held but the drains behind them backed up.",
        "Engineers will examine the sea wall on Thursday, and the council has pledged a report on the drains within a month.",
        "Residents were told to keep sandbags at their doors until the end of the week.",
    ];

    private const string ClickBait = "Giant wall of water swallows beach town in shocking video you have to see.";

    [Fact]
    public void A_click_bait_sentence_injected_mid_paragraph_in_a_spun_copy_is_set_apart()
    {
        using var folder = new TempFolder();
        folder.Write("original.txt", "Promenade flooded by storm surge\n\n" + string.Join("\n\n", Original[..3]) + "\n\n" + string.Join(" ", Original[3..]) + "\n");
        folder.Write("spun.txt", "\n\n\n\n" + string.Join(" ", Spun[..2]) + " " + ClickBait + " " + string.Join(" ", Spun[2..]) + "\n");

        var (articles, errors) = ArticleReader.ReadCorpus([folder.Path]);

        Assert.Empty(errors);
        var original = articles.Single(article => article.Id == "original.txt");
        Assert.Empty(original.Annotations);
        var spun = articles.Single(article => article.Id == "spun.txt");
        Assert.Null(spun.Title);
        Assert.DoesNotContain("Giant wall", spun.Body, StringComparison.Ordinal);
        Assert.Equal(string.Join(" ", Spun[..2]) + "\n\n" + string.Join(" ", Spun[2..]), spun.Body);
        var annotation = Assert.Single(spun.Annotations);
        Assert.Equal((AnnotationKind.Injected, ClickBait, 1), (annotation.Kind, annotation.Text, annotation.Position));
    }

    [Fact]
    public void A_sentence_one_copy_dropped_stays_in_the_original()
    {
        var original = new Article { Id = "a", Body = string.Join("\n\n", Original) };
        var dropped = new Article { Id = "b", Body = string.Join("\n\n", Original.Where((_, index) => index != 2)) };

        var result = InjectedSentences.Apply([original, dropped]);

        Assert.Equal(original, result[0]);
        Assert.Equal(dropped, result[1]);
    }

    [Fact]
    public void An_on_topic_sentence_added_to_a_copy_stays_in_its_body()
    {
        const string added = "Some cafes on the promenade reopened on Wednesday after the seawater was pumped out.";
        var original = new Article { Id = "a", Body = string.Join("\n\n", Original) };
        var updated = new Article { Id = "b", Body = string.Join("\n\n", [.. Original[..3], added, .. Original[3..]]) };

        Assert.Equal(updated, InjectedSentences.Apply([original, updated])[1]);
    }

    [Fact]
    public void A_sentence_missing_from_two_earlier_members_is_injected_even_without_click_bait_words()
    {
        const string foreign = "Bond yields in distant markets edged lower as traders awaited quarterly pension statistics.";
        var first = new Article { Id = "a", Body = string.Join("\n\n", Original) };
        var second = new Article { Id = "b", Body = string.Join("\n\n", Spun) };
        var copy = new Article { Id = "c", Body = string.Join("\n\n", [.. Original[..4], foreign, .. Original[4..]]) };

        var result = InjectedSentences.Apply([first, second, copy]);

        Assert.Equal(string.Join("\n\n", Original), result[2].Body);
        Assert.Equal([(AnnotationKind.Injected, foreign, 4)], result[2].Annotations.Select(a => (a.Kind, a.Text, a.Position)));
    }

    [Fact]
    public void In_a_generated_corpus_of_copies_only_inserted_lines_are_called_injected()
    {
        var documents = new SyntheticCorpus(seed: 1515, new CorpusOptions
        {
            Stories = 40,
            UnrelatedArticles = 30,
            Operations = [CopyOperation.Verbatim, CopyOperation.Wrapped, CopyOperation.Excerpt, CopyOperation.Edited, CopyOperation.SentenceDrop, CopyOperation.Spun],
            RewritesPerStory = 1,
            SameEventReportsPerStory = 1,
        }).Generate();
        var result = InjectedSentences.Apply([.. documents.Select(document => document.ToArticle())]);
        // Wrapped copies carry inserted lines (read-more, credits) in these raw bodies: those may be set apart, nothing else.
        var byId = documents.ToDictionary(document => document.Id);
        Assert.Empty(result.SelectMany(article => article.Annotations
            .Where(annotation => annotation.Kind == AnnotationKind.Injected && !byId[article.Id].InsertedLines.Contains(annotation.Text))
            .Select(annotation => $"{article.Id} ({byId[article.Id].Operation}): {annotation.Text}")));
    }

    [Fact]
    public void The_pass_gives_each_article_the_same_result_whatever_the_order_of_the_corpus()
    {
        // The pass runs in parallel; what it sets apart must not depend on the schedule or on the input order. Wrapped
        // copies give it inserted lines to find, so there is something to agree on.
        var documents = new SyntheticCorpus(seed: 1616, new CorpusOptions
        {
            Stories = 30,
            UnrelatedArticles = 20,
            Operations = [CopyOperation.Wrapped, CopyOperation.Spun, CopyOperation.Edited],
        }).Generate();
        var articles = documents.Select(document => document.ToArticle()).ToList();
        static Dictionary<string, string> Outcome(IEnumerable<Article> result) => result.ToDictionary(
            article => article.Id,
            article => article.Body + "\u0001" + string.Join("\u0002", article.Annotations.Select(a => $"{a.Kind}:{a.Position}:{a.Text}")));

        var first = Outcome(InjectedSentences.Apply(articles));
        Assert.Contains(first.Values, outcome => outcome.Contains("Injected:", StringComparison.Ordinal));
        for (var round = 0; round < 3; round++)
        {
            var shuffled = articles.OrderBy(article => HashCode.Combine(article.Id, round)).ToList();
            Assert.Equal(first, Outcome(InjectedSentences.Apply(shuffled)));
        }
    }
}
