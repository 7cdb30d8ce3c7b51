namespace Stemma.Testing.Corpus;

/// <summary>
/// One fictional story in five forms, written for Stemma's tests: original, verbatim repost, syndicated copy with an
/// inserted line and one changed figure, spun copy of the syndicated copy, AI-style rewrite, independent report; plus
/// unrelated news and a machine-translated spun copy to add.
/// </summary>
public static class FiveForms
{
    public const string OriginalBody =
        "The Lakeside Water Authority approved a $2 billion plan on Tuesday to replace the ageing pipes under the city of Marlow, its chair Helen Okafor said.\n\n" +
        "The programme will run for eight years and replace 1,200 kilometres of mains, some of which were laid in 1898. Okafor told reporters the work would \"end the summer shortages for good\".\n\n" +
        "Engineers estimate that 30 percent of treated water is lost through leaks before it reaches homes. Residents in the northern districts have faced hosepipe bans for three summers in a row.\n\n" +
        "The authority will borrow most of the money through green bonds, with the rest coming from a rise in water bills of about 4 percent a year. Council leader Tomas Brennan welcomed the decision but warned that the roadworks would cause disruption in the city centre.\n\n" +
        "Work on the first section, beneath Harbour Street, is due to start in September.";

    public static readonly string RepostBody = OriginalBody + "\n\nThis post appeared first on Harbour View News.";

    public static readonly string SyndicatedBody = OriginalBody
        .Replace("$2 billion", "$2.5 billion", StringComparison.Ordinal)
        .Replace("for good\".\n\n", "for good\".\n\nREAD MORE: Marlow council backs new bus lanes on the seafront\n\n", StringComparison.Ordinal);

    // The syndicated copy run through a synonym spinner: a quarter of the words swapped, the new figure and the inserted line kept.
    public const string SpunBody =
        "The Lakeside Water Authority endorsed a $2.5 billion scheme on Tuesday to substitute the aging pipes beneath the town of Marlow, its chair Helen Okafor stated.\n\n" +
        "The programme will operate for eight years and swap 1,200 kilometres of mains, some of which were put down in 1898. Okafor informed journalists the work would \"end the summer shortages for good\".\n\n" +
        "READ MORE: Marlow council supports fresh bus lanes on the seafront\n\n" +
        "Engineers reckon that 30 percent of treated water is wasted through leaks before it arrives at homes. Inhabitants in the northern areas have confronted hosepipe bans for three summers in a row.\n\n" +
        "The authority will borrow the majority of the cash through green bonds, with the remainder coming from an increase in water bills of roughly 4 percent a year. Council chief Tomas Brennan welcomed the choice but cautioned that the roadworks would bring disruption in the city centre.\n\n" +
        "Work on the initial section, under Harbour Street, is scheduled to begin in September.";

    // The syndicated copy machine-translated there and back, then spun: words reordered, articles and prepositions
    // changed, synonyms swapped; the changed figure, the names and the inserted line survive.
    public const string TranslatedBody =
        "The Water Authority of Lakeside has approved on Tuesday a plan of $2.5 billion for replacing the old pipes under the city Marlow, said its president Helen Okafor.\n\n" +
        "The programme shall last eight years and will replace 1,200 kilometres of the mains, some of them laid already in 1898. Okafor said to the journalists that the works would \"end the shortages of summer for always\".\n\n" +
        "READ MORE: Council of Marlow supports new lanes for buses on the sea front\n\n" +
        "The engineers estimate that 30 percent of the treated water gets lost by leaks before it arrives to the houses. The inhabitants of the districts in the north have had bans of hosepipes for three summers one after the other.\n\n" +
        "The authority will borrow the most part of the money with green bonds, and the rest comes from an increase of the water bills of about 4 percent per year. The leader of the council Tomas Brennan has welcomed the decision but he warned that the road works would cause disturbances in the centre of the city.\n\n" +
        "The works on the first section, under the Harbour Street, must begin in September.";

    public const string RewriteBody =
        "Marlow is set for a major overhaul of its water network after the Lakeside Water Authority signed off on a $2 billion investment on Tuesday, according to chair Helen Okafor.\n\n" +
        "Spread across eight years, the project covers 1,200 kilometres of pipework, parts of it dating back to 1898. Okafor said the upgrade would \"end the summer shortages for good\".\n\n" +
        "Roughly 30 percent of cleaned water currently escapes through cracks in the network, engineers believe, and households in the north of Marlow have lived with hosepipe bans three years running.\n\n" +
        "Funding will come mainly from green bonds, topped up by bills rising around 4 percent annually. Tomas Brennan, who leads the council, backed the move while cautioning about traffic chaos downtown.\n\n" +
        "Diggers are expected on Harbour Street from September.";

    public const string IndependentBody =
        "Households in Marlow face higher water bills after the Lakeside Water Authority voted on Tuesday to spend $2 billion on new mains.\n\n" +
        "Priya Desai of the Marlow Residents Association said families in the northern districts had waited years for a fix. \"We have carried buckets every August,\" she said at a meeting in the Corn Exchange.\n\n" +
        "Helen Okafor, who chairs the authority, defended the green bond borrowing and said the 4 percent yearly rise was the smallest possible. Opposition councillors asked why the plan had taken a decade to reach a vote.\n\n" +
        "Tomas Brennan, the council leader, said traffic would be diverted around Harbour Street once digging begins.";

    public const string FootballBody =
        "Marlow Rovers came from behind to beat Eastgate United 3-2 on Saturday, with striker Jonas Pike scoring twice in the final ten minutes.\n\n" +
        "Eastgate had led through a first-half header from captain Leo Farrant, and doubled their advantage soon after the break.\n\n" +
        "Rovers manager Anna Kowalski said her side \"never stopped believing\" and praised the 6,400 supporters who travelled to the match.";

    public const string MuseumBody =
        "A museum of maritime history opened in Portwell on Friday after a seven-year restoration of the old customs house.\n\n" +
        "The collection includes ship models, navigation charts and letters from sailors who worked the northern trade routes in the nineteenth century.\n\n" +
        "Director Samuel Reyes said entry would be free for schoolchildren until the end of the year.";

    public static DateTimeOffset At(int day, int hour) => new(2026, 5, day, hour, 0, 0, TimeSpan.Zero);

    public static List<Article> Articles() =>
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
}
