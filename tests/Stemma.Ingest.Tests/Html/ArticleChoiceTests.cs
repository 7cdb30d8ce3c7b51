using Stemma.Ingest.Html;

namespace Stemma.Ingest.Tests.Html;

/// <summary>
/// The general rules that decide which part of a page is the article (issue 15): never nothing when the page has
/// article-like paragraphs, grow from a fragment to the coherent text around it, cut trailing teaser and comment
/// sections, take the lead between the headline and the body, and leave photo captions out. Pages are fictional.
/// </summary>
public class ArticleChoiceTests
{
    private static readonly string[] Story =
    [
        "The harbour board of Wellmouth voted on Tuesday to close the old ferry pier for two years while engineers rebuild its timber piles, which divers found rotten below the tide line.",
        "Ferry passengers will board from a floating pontoon near the fish market instead, the board said, and the crossing to Saltholm will take about four minutes longer than before.",
        "Local traders had asked for the works to wait until after the summer season, but the chief engineer told the meeting that the pier could not carry another winter of storms safely.",
        "The rebuilt pier is due to open in the spring of the year after next, with a wider deck, lighting for the evening crossings and a shelter for passengers waiting in the rain.",
    ];

    [Fact]
    public void A_page_whose_paragraphs_sit_in_link_heavy_markup_still_yields_its_article_paragraphs()
    {
        // Every paragraph carries a few links and the page has a long menu, so no element scores as an article on its own.
        var menu = string.Concat(Enumerable.Range(1, 40).Select(i => $"<a href=\"/section/{i}\">Section number {i}</a> "));
        var paragraphs = string.Concat(Story.Select(p => $"<div><span>{p}</span> <a href=\"/more\">more</a></div>"));
        var html = Page($"<div>{menu}</div>{paragraphs}<div>{menu}</div>");

        var extracted = HtmlArticleExtractor.Extract(html).Paragraphs;

        foreach (var paragraph in Story)
        {
            Assert.Contains(extracted, p => p.Contains(paragraph[..60], StringComparison.Ordinal));
        }
    }

    [Fact]
    public void A_chosen_fragment_grows_to_the_coherent_text_around_it()
    {
        // One paragraph sits in a "content" box; the rest of the same story follows in plain wrappers of the same parent.
        var html = Page("<div class=\"story\"><div class=\"insert\"><div class=\"content\"><p>" + Story[0] + "</p></div></div>"
            + string.Concat(Story.Skip(1).Select(p => $"<div class=\"insert\"><p>{p}</p></div>"))
            + "</div><aside class=\"sidebar\"><a href=\"/a\">Weather</a> <a href=\"/b\">Tides</a></aside>");

        var extracted = HtmlArticleExtractor.Extract(html).Paragraphs;

        Assert.Equal(Story, extracted);
    }

    [Theory]
    [InlineData("Related articles")]
    [InlineData("Weitere Artikel zum Thema")]
    [InlineData("Lesen Sie auch:")]
    [InlineData("About the author")]
    [InlineData("Explore further")]
    [InlineData("Czytaj też:")]
    public void A_trailing_teaser_section_after_its_label_is_cut(string label)
    {
        var teaser = "Saltholm lighthouse keeper retires after forty years of service on the rock, and the island plans a party in his honour.";
        var html = Page("<article>" + string.Concat(Story.Select(p => $"<p>{p}</p>")) + $"<p>{label}</p><p>{teaser}</p></article>");

        var extracted = HtmlArticleExtractor.Extract(html).Paragraphs;

        Assert.Equal(Story, extracted);
    }

    [Fact]
    public void A_label_early_in_the_text_is_not_a_trailing_section()
    {
        // "Sources" before most of the text is a heading of the article itself, so nothing after it is cut.
        var html = Page("<article><p>" + Story[0] + "</p><h2>Sources</h2>" + string.Concat(Story.Skip(1).Select(p => $"<p>{p}</p>")) + "</article>");

        var extracted = HtmlArticleExtractor.Extract(html).Paragraphs;

        Assert.Equal(Story.Length + 1, extracted.Count);
        Assert.Equal(Story[^1], extracted[^1]);
    }

    [Fact]
    public void The_lead_between_the_headline_and_the_body_element_is_part_of_the_article()
    {
        var lead = "Wellmouth's ferry pier closes for two years of repairs after divers found its timber piles rotten below the tide line.";
        // The standfirst sits in a header that is no sibling of the body element, so only the headline ties it to the article.
        var html = Page("<div class=\"top\"><header class=\"page-head\"><h1>Wellmouth ferry pier to close</h1><p class=\"standfirst\">" + lead + "</p>"
            + "<p class=\"byline\">By A. Writer</p></header></div>"
            + "<div class=\"columns\"><div class=\"main-column\"><div class=\"article-body\">" + string.Concat(Story.Select(p => $"<p>{p}</p>")) + "</div></div>"
            + "<aside><a href=\"/weather\">Weather</a></aside></div>"
            + "<footer><a href=\"/imprint\">Imprint</a></footer>");

        var extracted = HtmlArticleExtractor.Extract(html).Paragraphs;

        Assert.Equal([lead, .. Story], extracted);
    }

    [Fact]
    public void Prose_before_the_headline_is_not_taken_as_the_lead()
    {
        var notice = "This site uses small text files to remember your settings between visits, as most sites in the harbour district do.";
        var html = Page("<div class=\"notice\"><p>" + notice + "</p></div><div class=\"columns\"><h1>Wellmouth ferry pier to close</h1>"
            + "<div class=\"main-column\"><div class=\"article-body\">" + string.Concat(Story.Select(p => $"<p>{p}</p>")) + "</div></div>"
            + "<aside><a href=\"/weather\">Weather</a></aside></div>");

        var extracted = HtmlArticleExtractor.Extract(html).Paragraphs;

        Assert.DoesNotContain(notice, extracted);
        Assert.Equal(Story, extracted);
    }

    [Fact]
    public void Photo_captions_and_credits_are_left_out_but_a_long_text_in_caption_markup_stays()
    {
        var caption = "The old ferry pier at low tide on Monday. Photo: Harbour Board";
        var credit = "Image: J. Smith / Wellmouth Gazette";
        var germanCredit = "Hafenamt Wellmouth / M. Muster";
        var longText = "In a long feature the caption element is sometimes used for a whole paragraph of the story, as here, where the engineer explains at length why the timber piles could not be saved and had to be replaced.";
        var html = Page("<article><p>" + Story[0] + "</p><figure><img src=\"pier.jpg\"><figcaption>" + caption + "</figcaption></figure>"
            + "<p>" + Story[1] + "</p><div class=\"image-caption\">" + credit + "</div><p class=\"bildunterschrift\">" + germanCredit + "</p>"
            + "<figure><figcaption>" + longText + "</figcaption></figure>"
            + string.Concat(Story.Skip(2).Select(p => $"<p>{p}</p>")) + "</article>");

        var extracted = HtmlArticleExtractor.Extract(html).Paragraphs;

        Assert.DoesNotContain(caption, extracted);
        Assert.DoesNotContain(credit, extracted);
        Assert.DoesNotContain(germanCredit, extracted);
        Assert.Equal([Story[0], Story[1], longText, Story[2], Story[3]], extracted);
    }

    [Fact]
    public void Link_lines_after_the_last_paragraph_are_teasers_but_a_source_link_stays()
    {
        var html = Page("<article>" + string.Concat(Story.Select(p => $"<p>{p}</p>"))
            + "<p><a href=\"/saltholm-lighthouse\">Saltholm lighthouse keeper retires after forty years</a></p>"
            + "<p><a href=\"https://harbour.example/pier\">Source link</a></p></article>");

        var extracted = HtmlArticleExtractor.Extract(html).Paragraphs;

        Assert.Equal([.. Story, "Source link"], extracted);
    }

    [Fact]
    public void An_affiliate_disclosure_box_inside_the_article_is_left_out()
    {
        var disclosure = "This article contains affiliate links: if you buy through them, the Gazette may earn a small commission at no cost to you.";
        var html = Page("<article><div class=\"affiliate-disclosure\"><p>" + disclosure + "</p></div>"
            + string.Concat(Story.Select(p => $"<p>{p}</p>")) + "</article>");

        var extracted = HtmlArticleExtractor.Extract(html).Paragraphs;

        Assert.Equal(Story, extracted);
    }

    private static string Page(string body)
        => "<!DOCTYPE html><html><head><title>Wellmouth ferry pier to close | Wellmouth Gazette</title></head><body>"
            + "<nav class=\"menu\"><a href=\"/\">Home</a> <a href=\"/news\">News</a> <a href=\"/sport\">Sport</a></nav>"
            + body + "</body></html>";
}
