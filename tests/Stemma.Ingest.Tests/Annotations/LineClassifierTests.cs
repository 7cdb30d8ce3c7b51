using FsCheck;
using FsCheck.Fluent;
using Stemma.Ingest.Annotations;

namespace Stemma.Ingest.Tests.Annotations;

public sealed class LineClassifierTests
{
    [Theory]
    [InlineData("READ MORE: Storm closes the ferry for a week", AnnotationKind.ReadMore)]
    [InlineData("Read more", AnnotationKind.ReadMore)]
    [InlineData("Read more »", AnnotationKind.ReadMore)]
    [InlineData("Lesen Sie auch: Neue Brücke eröffnet", AnnotationKind.ReadMore)]
    [InlineData("À lire aussi : le pont rouvre", AnnotationKind.ReadMore)]
    [InlineData("Related: Council approves budget", AnnotationKind.Related)]
    [InlineData("Related article: Council approves budget", AnnotationKind.Related)]
    [InlineData("Related Articles", AnnotationKind.Related)]
    [InlineData("See also: the 2024 flood report", AnnotationKind.Related)]
    [InlineData("You may also like", AnnotationKind.Related)]
    [InlineData("(Jane Doe/Harbour Agency via Newsline)", AnnotationKind.Caption)]
    [InlineData("Jane Doe / AP", AnnotationKind.Caption)]
    [InlineData("Photo: Jane Doe", AnnotationKind.Caption)]
    [InlineData("Image credit: Harbour Gazette", AnnotationKind.Caption)]
    [InlineData("The new pier at dusk. Photo: Jane Doe", AnnotationKind.Caption)]
    [InlineData("Volunteers sort donations. (Getty Images)", AnnotationKind.Caption)]
    [InlineData("Foto: dpa", AnnotationKind.Caption)]
    [InlineData("Leave a Reply", AnnotationKind.CommentForm)]
    [InlineData("Leave a Reply Cancel reply", AnnotationKind.CommentForm)]
    [InlineData("Your email address will not be published. Required fields are marked *", AnnotationKind.CommentForm)]
    [InlineData("Save my name, email, and website in this browser for the next time I comment.", AnnotationKind.CommentForm)]
    [InlineData("Source link", AnnotationKind.SourceLink)]
    [InlineData("Share this:", AnnotationKind.Promo)]
    [InlineData("Subscribe to our newsletter for daily updates", AnnotationKind.Promo)]
    [InlineData("Follow us on Twitter and Facebook", AnnotationKind.Promo)]
    [InlineData("Editor's note: This story has been updated with new figures.", AnnotationKind.EditorNote)]
    [InlineData("Editor’s Note: An earlier version misspelled a name.", AnnotationKind.EditorNote)]
    [InlineData("This post appeared first on example.com", AnnotationKind.Attribution)]
    [InlineData("via CNN Newsource", AnnotationKind.Attribution)]
    [InlineData("By Jane Doe, CNN via CNN Newsource", AnnotationKind.Attribution)]
    [InlineData("Click here to read more about the ferry", AnnotationKind.ReadMore)]
    [InlineData("WATCH: Kittiwake leaves the harbour", AnnotationKind.ReadMore)]
    [InlineData("Trending now", AnnotationKind.Related)]
    [InlineData("Featured Image via Pixabay", AnnotationKind.Caption)]
    [InlineData("The ferry leaves the slipway at dawn. (Tom Brennick/Harbour Gazette)", AnnotationKind.Caption)]
    [InlineData("(AP Photo/Jane Doe, File)", AnnotationKind.Caption)]
    [InlineData("Story continues below advertisement", AnnotationKind.Promo)]
    [InlineData("Like this:", AnnotationKind.Promo)]
    [InlineData("Copyright 2026 Nexstar Media Inc. All rights reserved. This material may not be published, broadcast, rewritten, or redistributed.", AnnotationKind.Boilerplate)]
    [InlineData("© 2026 The Harbour Gazette", AnnotationKind.Boilerplate)]
    [InlineData("Tags: ferry, Saltmere, Gull Island", AnnotationKind.Boilerplate)]
    [InlineData("Posted in News", AnnotationKind.Boilerplate)]
    public void Classifies_inserted_lines(string line, AnnotationKind expected) =>
        Assert.Equal(expected, LineClassifier.Classify(line, "Some unrelated title")?.Kind);

    [Theory]
    [InlineData("This post appeared first on example.com", "example.com")]
    [InlineData("This post appeared first on https://www.Example.com/news/story.", "example.com")]
    [InlineData("The post Harbour ferry returns appeared first on Harbour Gazette.", "Harbour Gazette")]
    [InlineData("via CNN Newsource", "CNN Newsource")]
    [InlineData("This article was originally published by The Valley Wire.", "The Valley Wire")]
    [InlineData("This article is republished from The Conversation under a Creative Commons license.", "The Conversation")]
    [InlineData("Dieser Artikel erschien zuerst auf talblatt.example.de", "talblatt.example.de")]
    [InlineData("This article was originally published by Valley Wire and is republished here with permission.", "Valley Wire")]
    [InlineData("By Jane Doe, CNN via CNN Newsource", "CNN Newsource")]
    [InlineData("Cet article est paru d'abord sur Le Courrier du Lac.", "Le Courrier du Lac")]
    [InlineData("L’article est publié initialement dans La Gazette des Monts", "La Gazette des Monts")]
    [InlineData("Artículo publicado originalmente en Diario del Valle.", "Diario del Valle")]
    [InlineData("Esta historia apareció primero en Noticias del Puerto", "Noticias del Puerto")]
    [InlineData("Articolo pubblicato originariamente su Il Faro", "Il Faro")]
    [InlineData("THIS STORY FIRST APPEARED ON HARBOUR GAZETTE.", "HARBOUR GAZETTE")]
    [InlineData("Der Bericht ist ursprünglich erschienen bei Talblatt", "Talblatt")]
    [InlineData("The ferry service returned on Monday after a three-week pause for repairs to the pier, and the council said the timetable would stay as it was before the storm. This article first appeared on harbourgazette.example.com", "harbourgazette.example.com")]
    public void Attribution_names_the_credited_source(string line, string source)
    {
        var result = LineClassifier.Classify(line);
        Assert.Equal(AnnotationKind.Attribution, result?.Kind);
        Assert.Equal(source, result?.Source);
    }

    [Fact]
    public void Source_link_credits_the_linked_site()
    {
        var result = LineClassifier.Classify("Source link", link: "https://www.origin.example/story/1");
        Assert.Equal((AnnotationKind.SourceLink, "origin.example"), (result!.Kind, result.Source));
    }

    [Fact]
    public void Repeated_title_is_found_despite_case_and_punctuation()
    {
        Assert.Equal(AnnotationKind.RepeatedTitle, LineClassifier.Classify("FERRY RETURNS TO THE HARBOUR.", "Ferry returns to the harbour")?.Kind);
    }

    [Fact]
    public void Repeated_title_is_found_when_the_page_title_carries_the_site_name()
    {
        Assert.Equal(AnnotationKind.RepeatedTitle, LineClassifier.Classify("Ferry returns to the harbour", "Ferry returns to the harbour | The Harbour Gazette")?.Kind);
    }

    [Theory]
    [InlineData("The council said it would read more reports before deciding.")]
    [InlineData("Related to the vote, the mayor said the bridge would reopen in May.")]
    [InlineData("She asked readers to share their memories of the old mill with the museum.")]
    [InlineData("Photographers gathered at the pier before dawn to catch the first sailing.")]
    [InlineData("The ferry, which first appeared on the route in 1962, was rebuilt over the winter.")]
    [InlineData("Via the new road, the trip takes twenty minutes.")]
    [InlineData("Source: the council's own figures show a rise of 12 percent in passengers, the mayor said at a meeting that lasted three hours and ended with a vote.")]
    [InlineData("Subscribers to the local water scheme will see lower bills this year, the utility said in a statement on Tuesday morning to all of its customers across the valley.")]
    [InlineData("1/2 of the residents voted.")]
    [InlineData("They arrived via Dover.")]
    [InlineData("The post office appeared first on the council's list of closures last year.")]
    [InlineData("This story appeared in print on March 3.")]
    [InlineData("She showed me the photo: a small boat on a grey sea.")]
    [InlineData("Donate blood at the town hall on Friday, organisers urged.")]
    [InlineData("By noon the ferry left via the harbour mouth.")]
    [InlineData("Via the harbour mouth, the crossing takes ten minutes.")]
    [InlineData("More than 200 people attended the open day.")]
    [InlineData("Watch parties were held in three pubs on the quay.")]
    [InlineData("Listen carefully, the guide told the group of visitors.")]
    [InlineData("Video footage shows the boat leaving the slipway.")]
    [InlineData("Credit card payments will be accepted on board from May.")]
    [InlineData("Pictured here in 1987, the boat had just arrived from Falmouth.")]
    [InlineData("Update your details online, the council said.")]
    [InlineData("Leave was cancelled for harbour staff during the storm.")]
    [InlineData("Comments made at the meeting will be published next week.")]
    [InlineData("Follow-up checks found no further damage.")]
    [InlineData("Sharing the cost with the county, the council will pay half.")]
    [InlineData("Watching the ferry leave, she said: \"It is like a weight lifted.\"")]
    [InlineData("Tagging along were the mayor and two councillors.")]
    [InlineData("Copyright lawyers said the case could take years.")]
    [InlineData("The crew (Tom, Daniel and Mei) worked through the night.")]
    [InlineData("Posted in the window of the shop was a hand-written thank-you note.")]
    public void Leaves_body_sentences_alone(string line) => Assert.Null(LineClassifier.Classify(line, "Ferry returns to the harbour"));

    [Fact]
    public void Same_words_agrees_with_comparing_word_keys()
    {
        // Letters in both cases (some outside ASCII), digits, word breaks and punctuation; the second text is often the
        // first with its case or punctuation changed, so both answers occur.
        var pieces = new[] { "a", "B", "é", "É", "ß", "İ", "7", " ", "  ", "-", "—", "–", ".", ",", "'", "\"", "\n", "x" };
        var text = Gen.ArrayOf(Gen.Elements(pieces)).Select(parts => string.Concat(parts));
        var pair = text.SelectMany(a => Gen.OneOf(
            Gen.Constant(a.ToUpperInvariant()),
            Gen.Constant(a.Replace(".", string.Empty, StringComparison.Ordinal) + "."),
            Gen.Constant(a.Replace(" ", " - ", StringComparison.Ordinal)),
            text).Select(b => (a, b)));
        Prop.ForAll(pair.ToArbitrary(), p => LineClassifier.SameWords(p.a, p.b) == (LineClassifier.WordKey(p.a) == LineClassifier.WordKey(p.b)))
            .QuickCheckThrowOnFailure();
    }
}
