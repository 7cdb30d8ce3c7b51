namespace Stemma.Ingest.Tests.Annotations;

/// <summary>
/// Synthetic news stories with a known truth: body paragraphs built from templates (including sentences that
/// start like insertions do: "Photographs...", "Related work...", "Sources said..."), and a pool of inserted lines per kind.
/// </summary>
public static class GeneratedCorpus
{
    private static readonly string[] Places = ["Millbrook", "the harbour district", "Eastfield", "the old quarter", "Riverside", "the valley", "Northgate", "the county"];
    private static readonly string[] Actors = ["The council", "Local traders", "The ferry operator", "Residents", "The school board", "Police", "The hospital trust", "Volunteers", "The mayor", "Fishermen"];
    private static readonly string[] Actions = ["approved a plan to", "voted against a proposal to", "raised money to", "asked the state to", "announced it would", "warned that it might", "agreed to", "refused to"];
    private static readonly string[] Objects = ["rebuild the pier", "close the library on Mondays", "extend the bus route", "repair the flood wall", "open a night market", "hire four more nurses", "replace the old bridge", "plant trees along the canal"];
    private static readonly string[] Tails = ["before the summer", "by the end of the year", "after months of debate", "despite objections from neighbours", "at a cost of {0} million", "within {0} weeks", "once funding arrives", "in time for the festival"];
    private static readonly string[] TrickyOpeners =
    [
        "Photographs from the {1} archive show the site as it looked in {2}.",
        "Related work on the drains in {1} will start in {0} weeks, engineers said.",
        "Sources close to the council said the vote in {1} could be delayed again.",
        "Via the new ring road, the trip from {1} takes about {0} minutes.",
        "Share prices of the ferry company rose {0} percent after the announcement.",
        "Subscribers to the district heating scheme in {1} will pay less this winter.",
        "Follow-up inspections in {1} found {0} more cracks in the wall.",
        "Read the full report, the mayor told critics, before judging the plan for {1}.",
        "More than {0}0 people attended the meeting in {1} on Tuesday evening.",
        "Editors of the school paper in {1} interviewed the head teacher about the plan.",
        "Credit unions in {1} offered loans to shop owners hit by the flood.",
        "Image matters, said one trader in {1}, who asked not to be named.",
        "\"We have waited {0} years for this,\" said a resident of {1}.",
        "Comments from the public will be accepted until {2}, the council said.",
        "Source material for the exhibition in {1} came from {0} families.",
        "Posted in the window of a shop in {1} was a hand-written note thanking {0} volunteers.",
        "Watching the ferry leave {1}, one pensioner said it felt like {2} again.",
        "Copyright lawyers advising the council in {1} said the dispute could take {0} months.",
        "Tagging along with the inspectors in {1} were {0} pupils from the primary school.",
        "Leave for council staff in {1} was cancelled for {0} days during the floods.",
        "Required repairs to the sea wall in {1} will cost about {0} million, engineers said.",
    ];

    private static readonly string[] Headlines = ["Storm closes the coastal road", "School budget cut by a third", "New bakery opens on Mill Street", "Bridge repairs delayed to spring", "Council tax to rise next year", "Marathon route announced"];

    /// <summary>Inserted lines by kind; {0} is a headline, {1} a name.</summary>
    public static readonly (AnnotationKind Kind, string Template)[] Insertions =
    [
        (AnnotationKind.ReadMore, "READ MORE: {0}"),
        (AnnotationKind.ReadMore, "Read more: {0}"),
        (AnnotationKind.ReadMore, "Also read: {0}"),
        (AnnotationKind.Related, "Related: {0}"),
        (AnnotationKind.Related, "Related article: {0}"),
        (AnnotationKind.Related, "See also: {0}"),
        (AnnotationKind.Caption, "({1}/Harbour Agency via Newsline)"),
        (AnnotationKind.Caption, "{1} / AP"),
        (AnnotationKind.Caption, "Photo: {1}"),
        (AnnotationKind.Caption, "Image credit: {1}/Getty Images"),
        (AnnotationKind.CommentForm, "Leave a Reply"),
        (AnnotationKind.CommentForm, "Your email address will not be published. Required fields are marked *"),
        (AnnotationKind.SourceLink, "Source link"),
        (AnnotationKind.Attribution, "This post appeared first on harbourgazette.example.com."),
        (AnnotationKind.Attribution, "The post {0} appeared first on Valley Wire."),
        (AnnotationKind.Attribution, "via CNN Newsource"),
        (AnnotationKind.Promo, "Share this:"),
        (AnnotationKind.Promo, "Subscribe to our newsletter for the latest local news"),
        (AnnotationKind.Promo, "Follow us on Facebook"),
        (AnnotationKind.EditorNote, "Editor's note: This story was updated with comments from the council."),
        (AnnotationKind.ReadMore, "Click here to read more: {0}"),
        (AnnotationKind.Caption, "(AP Photo/{1}, File)"),
        (AnnotationKind.Boilerplate, "Copyright 2026 Example Media Inc. All rights reserved."),
        (AnnotationKind.Boilerplate, "Tags: council, harbour, budget"),
        (AnnotationKind.Attribution, "By {1}, CNN via CNN Newsource"),
    ];

    private static readonly string[] Names = ["Jane Doe", "Omar Haddad", "Li Wei", "Maria Santos", "Tom O'Neill", "Anna-Lena Berg"];

    /// <summary>Stories as lists of paragraphs; each paragraph holds one to three sentences.</summary>
    public static List<List<string>> Stories(int seed, int count, int minParagraphs = 5, int maxParagraphs = 9)
    {
        var random = new Random(seed);
        var stories = new List<List<string>>();
        for (var story = 0; story < count; story++)
        {
            var paragraphs = new List<string>();
            var paragraphCount = random.Next(minParagraphs, maxParagraphs + 1);
            for (var paragraph = 0; paragraph < paragraphCount; paragraph++)
            {
                paragraphs.Add(string.Join(" ", Enumerable.Range(0, random.Next(1, 4)).Select(_ => Sentence(random))));
            }

            stories.Add(paragraphs);
        }

        return stories;
    }

    public static string Headline(Random random) => Pick(random, Headlines);

    public static (AnnotationKind Kind, string Text) Insertion(Random random)
    {
        var (kind, template) = Pick(random, Insertions);
        return (kind, string.Format(System.Globalization.CultureInfo.InvariantCulture, template, Pick(random, Headlines), Pick(random, Names)));
    }

    public static string Sentence(Random random)
    {
        if (random.Next(4) == 0)
        {
            return Fill(random, Pick(random, TrickyOpeners));
        }

        var tail = Fill(random, Pick(random, Tails));
        return $"{Pick(random, Actors)} in {Pick(random, Places)} {Pick(random, Actions)} {Pick(random, Objects)} {tail}.";
    }

    private static string Fill(Random random, string template) =>
        string.Format(System.Globalization.CultureInfo.InvariantCulture, template, random.Next(2, 60), Pick(random, Places), 1950 + random.Next(70));

    private static T Pick<T>(Random random, T[] items) => items[random.Next(items.Length)];
}
