using Stemma.Ingest.Annotations;
using Stemma.Ingest.Tests.Support;

namespace Stemma.Ingest.Tests.Annotations;

/// <summary>Material inserted in blocks by rewrite sites and copiers: kept as annotations with positions, out of the body.</summary>
public sealed class InsertedBlockTests
{
    private static readonly string[] Story =
    [
        "Volunteers on Lisle Island counted 412 nesting terns on the north shingle this summer, almost twice the number recorded five years ago.",
        "The island wildlife group credits the rise to a rope fence that keeps walkers and dogs away from the nests between April and August.",
        "Group secretary Wenna Tallis said the fence cost less than a new ferry timetable and had been built in a single weekend.",
        "The group now hopes the council will pay for a second fence on the south beach, where a smaller colony nests every year.",
        "A decision is expected at the council meeting in October.",
    ];

    [Fact]
    public void Editors_ps_block_at_the_end_is_an_editor_note_with_its_paragraphs()
    {
        var text = "\n" + string.Join("\n\n", Story) + "\n\nEditor's P/S:\n\nThe count shows how a cheap measure can protect a fragile colony.\n\nReaders who want to help can join the autumn beach clean.\n";
        var article = Reading.Single(Reading.ReadText("rewrite.txt", text));
        Assert.Null(article.Title);
        Assert.Equal(string.Join("\n\n", Story), article.Body);
        Assert.Equal(
            [(AnnotationKind.EditorNote, "Editor's P/S:", 5), (AnnotationKind.EditorNote, "The count shows how a cheap measure can protect a fragile colony.", 6), (AnnotationKind.EditorNote, "Readers who want to help can join the autumn beach clean.", 7)],
            article.Annotations.Select(a => (a.Kind, a.Text, a.Position)));
    }

    [Theory]
    [InlineData("Summary:")]
    [InlineData("Key points:")]
    [InlineData("Editor's note:")]
    public void A_label_at_the_head_governs_its_list_items_only(string label)
    {
        var text = label + "\n\n- Tern numbers nearly doubled\n\n- A rope fence kept walkers away\n\n" + string.Join("\n\n", Story) + "\n";
        var article = Reading.Single(Reading.ReadText("summary.txt", text));
        Assert.Equal(string.Join("\n\n", Story), article.Body);
        Assert.Equal([0, 1, 2], article.Annotations.Select(a => a.Position));
        Assert.All(article.Annotations, a => Assert.Equal(AnnotationKind.EditorNote, a.Kind));
    }

    [Fact]
    public void A_summary_word_inside_a_sentence_is_body()
    {
        var text = "Tern count doubles\n\nSummary figures from the count were sent to the council on Monday.\n\n" + string.Join("\n\n", Story) + "\n";
        var article = Reading.Single(Reading.ReadText("body.txt", text));
        Assert.StartsWith("Summary figures from the count", article.Body, StringComparison.Ordinal);
        Assert.Empty(article.Annotations);
    }

    [Fact]
    public void The_headline_after_a_bare_related_marker_is_related()
    {
        var text = string.Join("\n\n", Story[..3]) + "\n\nRelated article\n\nSeal pups return to the harbour wall\n\n" + string.Join("\n\n", Story[3..]) + "\n";
        var article = Reading.Single(Reading.ReadText("related.txt", text));
        Assert.Equal(string.Join("\n\n", Story), article.Body);
        Assert.Equal([(AnnotationKind.Related, 3), (AnnotationKind.Related, 4)], article.Annotations.Select(a => (a.Kind, a.Position)));
    }

    [Fact]
    public void A_sentence_after_a_related_marker_is_body()
    {
        var text = string.Join("\n\n", Story[..3]) + "\n\nRelated:\n\n" + string.Join("\n\n", Story[3..]) + "\n";
        var article = Reading.Single(Reading.ReadText("related.txt", text));
        Assert.Equal(string.Join("\n\n", Story), article.Body);
        Assert.Equal(AnnotationKind.Related, Assert.Single(article.Annotations).Kind);
    }

    [Fact]
    public void A_caption_twice_in_a_row_is_a_caption()
    {
        const string caption = "Terns nesting behind the rope fence on the north shingle";
        var text = "Tern count doubles\n\n" + Story[0] + "\n\n" + caption + "\n\n" + caption + "\n\n" + string.Join("\n\n", Story[1..]) + "\n";
        var article = Reading.Single(Reading.ReadText("caption.txt", text));
        Assert.Equal(string.Join("\n\n", Story), article.Body);
        Assert.Equal([(AnnotationKind.Caption, caption, 1), (AnnotationKind.Caption, caption, 2)], article.Annotations.Select(a => (a.Kind, a.Text, a.Position)));
    }

    [Theory]
    [InlineData(" (Photo: Wenna Tallis/Island Post)")]
    [InlineData(" Photo credit: Lisle Wildlife Group")]
    [InlineData(" [Image: Harbour Trust]")]
    public void An_inline_photo_credit_leaves_the_paragraph(string credit)
    {
        var text = "Tern count doubles\n\n" + Story[0] + credit + "\n\n" + string.Join("\n\n", Story[1..]) + "\n";
        var article = Reading.Single(Reading.ReadText("credit.txt", text));
        Assert.Equal(string.Join("\n\n", Story), article.Body);
        var annotation = Assert.Single(article.Annotations);
        Assert.Equal((AnnotationKind.Caption, 1), (annotation.Kind, annotation.Position));
        Assert.Contains(credit.Trim().Trim('(', ')', '[', ']'), annotation.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Parentheses_about_credit_cards_are_not_a_photo_credit()
    {
        Assert.Null(InsertedBlocks.SplitInlineCredit("Visitors paid for the fence by card (credit cards and phones were accepted at the stall) on Saturday morning."));
    }
}
