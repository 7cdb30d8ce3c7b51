using Stemma.Ingest.Annotations;
using Stemma.Testing.Corpus;

namespace Stemma.Ingest.Tests.Annotations;

/// <summary>
/// The sentence sketch a streamed pass keeps instead of reading an article again (<see cref="InjectedSentences.Sketch"/>):
/// its family keys are those of the text, and the sentence checks run on sketches find what they find on the text, the
/// click-bait test deferred to when the text is read.
/// </summary>
public sealed class SentenceSketchTests
{
    private static readonly string[] ClickBait =
    [
        "Giant sinkhole swallows parked lorry in shocking footage you have to see.",
        "You won't believe what happened next at this bizarre wedding party.",
        "Terrifying moment a crocodile appears inside suburban swimming pool.",
    ];

    /// <summary>
    /// Generated stories with verbatim copies; some copies carry an injected sentence (click-bait or an ordinary one) in their
    /// second paragraph, some articles are undated (so one agreeing member only counts for click-bait), and some paragraphs
    /// are broken over lines.
    /// </summary>
    internal static List<Article> Corpus(int seed)
    {
        var random = new Random(seed);
        var generated = new SyntheticCorpus(seed, new CorpusOptions { Stories = 60, UnrelatedArticles = 30, Operations = [CopyOperation.Verbatim], CopyOfCopyRate = 0 }).Generate();
        var articles = new List<Article>();
        foreach (var document in generated)
        {
            var paragraphs = document.Body.Split("\n\n").ToList();
            if (document.ParentId is not null && paragraphs.Count >= 3 && random.Next(3) > 0)
            {
                var line = random.Next(2) == 0 ? ClickBait[random.Next(ClickBait.Length)] : GeneratedCorpus.Sentence(random);
                paragraphs[1] = paragraphs[1] + " " + line;
            }

            // A line break inside a paragraph is a space to the sentence tests.
            for (var p = 0; p < paragraphs.Count; p++)
            {
                if (random.Next(4) == 0)
                {
                    var spaces = paragraphs[p].Select((c, at) => (c, at)).Where(pair => pair.c == ' ').Select(pair => pair.at).ToList();
                    if (spaces.Count > 0)
                    {
                        var at = spaces[random.Next(spaces.Count)];
                        paragraphs[p] = paragraphs[p][..at] + "\n" + paragraphs[p][(at + 1)..];
                    }
                }
            }

            articles.Add(document.ToArticle() with { Body = string.Join("\n\n", paragraphs), Date = random.Next(3) == 0 ? null : document.Date });
        }

        return articles;
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    public void A_sketch_has_the_family_keys_of_the_text(int seed)
    {
        var table = new InjectedSentences.WordTable();
        var dense = new InjectedSentences.DenseWords();
        string[] odd =
        [
            "The council's plan. It's done! \"Quoted,\" she said.\n\nNext paragraph\nwith a line break. Café naïve Über résumé.\n\n\n   \n\nLast one's end'",
            "Zürich’s mayor’ s  aside\t tab. 123 456 abc1 x.",
            string.Empty,
            "   ",
        ];
        foreach (var body in Corpus(seed).Select(article => article.Body).Concat(odd))
        {
            InjectedSentences.Sketch(body, table, dense, out var keys);

            Assert.Equal(new InjectedSentences.Parsed(new Article { Id = "x", Body = body }, table).Keys, keys);
        }
    }

    [Theory]
    [InlineData(21)]
    [InlineData(22)]
    [InlineData(23)]
    public void Checks_on_sketches_find_what_checks_on_the_text_find(int seed)
    {
        var articles = Corpus(seed);
        var table = new InjectedSentences.WordTable();
        var dense = new InjectedSentences.DenseWords();
        var text = articles.Select(article => new InjectedSentences.Parsed(article, table)).ToArray();
        var sketched = articles.Select(article => new InjectedSentences.Parsed(InjectedSentences.Sketch(article.Body, table, dense, out _), article.Date)).ToArray();
        var families = InjectedSentences.FindFamilyMembers([.. text.Select(parsed => parsed.Keys)], [.. articles.Select(article => article.Id)], InjectionOptions.Default);

        var (found, deferred, deferredFound) = (0, 0, 0);
        for (var index = 0; index < articles.Count; index++)
        {
            if (families[index] is not { Length: > 0 } members)
            {
                continue;
            }

            var expected = InjectedSentences.FindInjected(text[index], [.. members.Select(member => text[member])], InjectionOptions.Default);
            var verdict = InjectedSentences.Weigh(sketched[index], [.. members.Select(member => sketched[member])], InjectionOptions.Default);
            var actual = verdict.Decide(new InjectedSentences.Parsed(articles[index]).IsClickBait, InjectionOptions.Default);

            Assert.Equal(expected, actual);
            found += expected.Count > 0 ? 1 : 0;
            deferred += verdict.NeedsText ? 1 : 0;
            deferredFound += verdict.NeedsText && actual.Count > 0 ? 1 : 0;
        }

        // Not two empty passes agreeing: injections are found, and some hang on the click-bait test either way.
        Assert.True(found >= 5, $"{found} articles with injections");
        Assert.True(deferredFound >= 1 && deferred > deferredFound, $"{deferred} deferred, {deferredFound} of them found");
    }

    [Fact]
    public void A_sketch_alone_cannot_answer_the_click_bait_test()
    {
        var sketch = InjectedSentences.Sketch("One two three. Four five six. Seven eight nine.", new InjectedSentences.WordTable(), new InjectedSentences.DenseWords(), out _);

        var parsed = new InjectedSentences.Parsed(sketch, date: null);

        Assert.Equal(3, parsed.Sentences.Length);
        Assert.Throws<InvalidOperationException>(() => parsed.IsClickBait(1));
    }

    [Fact]
    public void Click_bait_wording_broken_over_two_lines_still_counts()
    {
        string[] story =
        [
            "Storm surge flooded the promenade at Carrow Bay on Tuesday night, leaving seafront cafes under seawater.",
            "The harbour master said the tide peaked forty centimetres above the forecast because of the easterly wind.",
            "Council crews pumped out the lower streets before dawn and closed the coast road until the afternoon.",
            "Engineers will inspect the sea wall on Thursday, and the council has promised a report within a month.",
        ];
        const string line = "Viewers were caught\non camera gasping as penguins queued outside.";
        var original = new Article { Id = "a", Body = string.Join(" ", story) };
        var copy = new Article { Id = "b", Body = string.Join(" ", story[..2]) + " " + line + " " + string.Join(" ", story[2..]) };

        // Undated, so the one other member agrees only if the sentence reads as click-bait ("caught on camera").
        var result = InjectedSentences.Apply([original, copy]);

        var annotation = Assert.Single(result[1].Annotations);
        Assert.Equal((AnnotationKind.Injected, line.Replace('\n', ' ')), (annotation.Kind, annotation.Text));
    }
}
