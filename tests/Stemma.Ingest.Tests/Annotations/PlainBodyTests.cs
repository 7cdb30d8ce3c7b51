using FsCheck;
using FsCheck.Fluent;
using Stemma.Ingest.Annotations;

namespace Stemma.Ingest.Tests.Annotations;

/// <summary>
/// Plain text built in one piece (<see cref="ArticleAssembler.BuildPlainText"/>) gives the article that splitting it into
/// paragraph strings and building those gives, whatever lines it holds; and the one-piece body is really made for text
/// that holds nothing but body.
/// </summary>
public sealed class PlainBodyTests
{
    private const string Title = "Terns return to Lisle Island";

    private const string LongBody = "Volunteers on Lisle Island counted 412 nesting terns on the north shingle this summer, almost twice the number recorded five years ago, and the island wildlife group credits a rope fence for the rise.";

    private const string LongBodyWithAppeared = "The colony first appeared on the north shingle in 1998, when a storm moved the gravel bar, and it has grown every year since then according to the island wildlife group and its volunteers.";

    /// <summary>Every kind of line the rules look at, and body lines long and short, with and without a trigger word.</summary>
    private static readonly string[] Lines =
    [
        LongBody,
        LongBodyWithAppeared,
        "Group secretary Wenna Tallis said the fence cost less than a new ferry timetable and had been built in a single weekend by nine people with borrowed tools and a van.",
        "A decision is expected in October.",
        "Café owners on the quay said trade was up.",
        Title,
        Title + " | Island Post",
        "READ MORE: Storm closes harbour road",
        "Related:",
        "Ferry fares rise again",
        "This post appeared first on Island Post.",
        "The post Terns return appeared first on Island Post.",
        "Editor's note: this story was updated on Friday.",
        "Editor's note: an earlier version of this story gave the wrong date for the council vote, which is in October and not in September as the first version said, and named the wrong ward.",
        "Summary:",
        "- Tern numbers nearly doubled",
        "Key points: the fence works",
        "The group now hopes the council will pay for a second fence on the south beach (Photo: Jane Doe/Island Post) where a smaller colony nests every year and the shingle is wider.",
        "The fence went up in April with the help of nine volunteers and the harbour trust, who lent a van and two rolls of rope. Photo: Jane Doe/Island Post",
        "Leave a Reply",
        "Share this:",
        "© 2026 Island Post",
        "Source: Harbour Trust",
        "via Reuters",
        "(Jane Doe/Reuters)",
        "  padded line with spaces around it  ",
        "a line with a\rcarriage return inside",
        "a line with a\0NUL inside",
        "\u00A0",
    ];

    private static readonly string[] Separators = ["\n", "\n\n", "\n \n", "\n\n\n", "\n\t\n"];

    [Fact]
    public void Building_in_one_piece_gives_the_article_that_paragraph_strings_give()
    {
        // A text: lines drawn from the pool (the same line twice in a row now and then, for the repeated-caption rule),
        // joined by line breaks that keep a paragraph together or start a new one.
        var piece = Gen.Elements(Lines).SelectMany(line => Gen.Elements(Separators).SelectMany(separator => Gen.Choose(0, 5).Select(
            twice => twice == 0 ? line + separator + line + separator : line + separator)));
        var cases = Gen.ListOf(piece).Select(string.Concat).SelectMany(text => Gen.Elements<string?>(null, Title).Select(title => (text, title)));

        Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var (text, title) = c;
            var draft = new ArticleDraft { Id = "a", Title = title, Paragraphs = [], Format = "txt" };
            var expected = ArticleAssembler.Build(draft with { Paragraphs = ArticleAssembler.PlainTextParagraphs(text, title) });
            return Same(expected, ArticleAssembler.BuildPlainText(draft, text)) && Same(expected, ArticleAssembler.BuildPlainText(draft, text, whole: text));
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(2000));
    }

    [Fact]
    public void Body_only_text_is_made_in_one_piece_and_kept_as_it_is_when_nothing_changes()
    {
        var paragraphs = new[] { LongBody, LongBodyWithAppeared, "A decision is expected in October.", "Café owners on the quay said trade was up." };
        var normalized = string.Join("\n\n", paragraphs);
        Assert.Same(normalized, ArticleAssembler.PlainBody(normalized, Title, normalized));

        // Padding, blank lines of spaces and a paragraph over two lines: the body is made, the lines trimmed and kept together.
        var untidy = "  " + paragraphs[0] + "  \n \n\n" + paragraphs[1] + "\n" + paragraphs[2] + "\n\n\n" + paragraphs[3] + "\n";
        Assert.Equal(paragraphs[0] + "\n\n" + paragraphs[1] + "\n" + paragraphs[2] + "\n\n" + paragraphs[3], ArticleAssembler.PlainBody(untidy, Title, untidy));
    }

    [Fact]
    public void A_line_certainly_body_is_one_the_rules_leave_in_the_body()
    {
        // Every line of the pool and of generated copies (datelines, read-more lines, captions, credits, repeated titles),
        // with and without a title: a line called certainly body is one Classify leaves alone, and a short line no rule
        // touches is called so (the short lines are tested where they lie now, no longer classified as strings).
        var generated = new Stemma.Testing.Corpus.SyntheticCorpus(41, new Stemma.Testing.Corpus.CorpusOptions { Stories = 40, UnrelatedArticles = 10 }).Generate();
        var lines = Lines.Select(line => line.Trim())
            .Concat(generated.SelectMany(d => d.Body.Split('\n')).Select(line => line.Trim()))
            .Concat(generated.Select(d => d.Title.Trim()))
            .Where(line => line.Length > 0)
            .Distinct()
            .ToList();
        var (certain, shortLeft, shortCertain) = (0, 0, 0);
        foreach (var line in lines)
        {
            foreach (var title in new[] { null, Title, generated[0].Title })
            {
                var classified = LineClassifier.Classify(line, title) is not null;
                var isCertain = LineClassifier.IsCertainlyBody(line, title);
                Assert.False(isCertain && classified, $"'{line}' (title '{title}') is certainly body, yet classified");
                certain += isCertain ? 1 : 0;
                if (!classified && LineClassifier.CountWords(line) <= LineClassifier.ShortLineWords)
                {
                    // A pattern that matches without classifying ("via the harbour mouth") may leave a line uncertain.
                    shortLeft++;
                    shortCertain += isCertain ? 1 : 0;
                }
            }
        }

        Assert.True(shortLeft >= 20 && shortCertain >= 0.9 * shortLeft && certain > shortCertain, $"{certain} certain; of {shortLeft} short lines left in the body, {shortCertain} certain");
    }

    [Theory]
    [InlineData("READ MORE: Storm closes harbour road")]
    [InlineData("Summary:")]
    [InlineData(Title)]
    [InlineData("This post appeared first on Island Post.")]
    [InlineData("A decision is expected in October.\n\nA decision is expected in October.")]
    [InlineData("with a\rcarriage return")]
    public void Text_with_anything_but_body_in_it_is_left_to_the_paragraph_rules(string inserted)
    {
        var text = LongBody + "\n\n" + inserted + "\n\n" + LongBodyWithAppeared;
        Assert.Null(ArticleAssembler.PlainBody(text, Title, text));
    }

    private static bool Same(Article expected, Article actual) =>
        expected.Body == actual.Body
        && expected.Title == actual.Title
        && expected.Attribution == actual.Attribution
        && expected.Annotations.Select(a => (a.Kind, a.Text, a.Position)).SequenceEqual(actual.Annotations.Select(a => (a.Kind, a.Text, a.Position)));
}
