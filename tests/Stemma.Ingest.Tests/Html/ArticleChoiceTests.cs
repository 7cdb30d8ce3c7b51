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

    /// <summary>A longer story, for rules that weigh a part against the whole text.</summary>
    private static readonly string[] LongStory =
    [
        .. Story,
        "The board also approved a survey of the breakwater, whose concrete blocks have shifted since the January storm, and asked the council to share the cost of the divers' inspection.",
        "Fishermen who moor along the pier have been offered berths in the inner basin, where the board will dredge a channel in the autumn so that the larger boats can enter at low water.",
        "A temporary footbridge will link the pontoon to the promenade, and the board promised signs in the car park so that visitors arriving for the crossing can find the new landing.",
        "The last time the pier was rebuilt, in the nineteen-sixties, the works took three years and the ferry ran from the lifeboat slipway, which the harbour master called a risk not worth repeating.",
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

    [Fact]
    public void A_heading_that_repeats_the_title_anchors_the_lead_when_the_page_has_no_h1()
    {
        var lead = "Wellmouth's ferry pier closes for two years of repairs after divers found its timber piles rotten below the tide line.";
        // The headline is styled as an h3; the standfirst sits in a teaser box beside the body element.
        var html = Page("<div class=\"frame\"><div class=\"header\"><h3>Wellmouth ferry pier to close</h3></div>"
            + "<div class=\"teaser-text\"><p>" + lead + "</p></div>"
            + "<div class=\"news-text-wrap\">" + string.Concat(LongStory.Select(p => $"<p>{p}</p>")) + "</div></div>"
            + "<aside><a href=\"/weather\">Weather</a></aside>");

        var extracted = HtmlArticleExtractor.Extract(html).Paragraphs;

        Assert.Equal([lead, .. LongStory], extracted);
    }

    [Fact]
    public void A_teaser_headline_that_repeats_the_title_is_no_anchor_for_a_lead()
    {
        var teaser = "Saltholm lighthouse keeper retires after forty years of service on the rock, and the island plans a party in his honour.";
        // A teaser list repeats the title as a link just before the body: the prose between it and the body is not a lead.
        var html = Page("<div class=\"teasers\"><h3><a href=\"/pier\">Wellmouth ferry pier to close</a></h3><p>" + teaser + "</p></div>"
            + "<div class=\"article-body\">" + string.Concat(Story.Select(p => $"<p>{p}</p>")) + "</div>");

        var extracted = HtmlArticleExtractor.Extract(html).Paragraphs;

        Assert.Equal(Story, extracted);
    }

    [Fact]
    public void The_lead_is_taken_even_when_the_page_around_the_article_is_mostly_links()
    {
        var lead = "Wellmouth's ferry pier closes for two years of repairs after divers found its timber piles rotten below the tide line.";
        // Long menus make the page body itself read as a link list; that is no reason to refuse the standfirst.
        var menu = "<div>" + string.Concat(Enumerable.Range(1, 60).Select(i => $"<a href=\"/section/{i}\">Section number {i}</a> ")) + "</div>";
        var html = Page(menu + "<header><h1>Wellmouth ferry pier to close</h1><p>" + lead + "</p></header>"
            + "<div class=\"article-body\">" + string.Concat(LongStory.Select(p => $"<p>{p}</p>")) + "</div>" + menu);

        var extracted = HtmlArticleExtractor.Extract(html).Paragraphs;

        Assert.Equal([lead, .. LongStory], extracted);
    }

    [Fact]
    public void A_paragraph_chosen_as_the_article_grows_to_the_short_lines_beside_it()
    {
        // The post's container also holds a long list of tag links, so one long paragraph outscores it; the short opening line
        // and the closing line are still the post's text.
        var opening = "It rained on the pier again.";
        var closing = "More next week.";
        var tags = "<div class=\"tags\">" + string.Concat(Enumerable.Range(1, 40).Select(i => $"<a href=\"/tag/{i}\">tag number {i}</a> ")) + "</div>";
        var html = Page("<div class=\"post\"><p>" + opening + "</p><p>" + string.Join(' ', Story) + "</p><p>" + closing + "</p>" + tags + "</div>");

        var extracted = HtmlArticleExtractor.Extract(html).Paragraphs;

        Assert.Equal([opening, string.Join(' ', Story), closing], extracted);
    }

    [Fact]
    public void A_small_box_after_the_article_text_is_cut()
    {
        var bio = "Anna Writer covers the harbour and the islands for the Gazette.";
        var support = "Please support local reporting with a monthly gift.";
        var html = Page("<article><div class=\"article-text\">" + string.Concat(LongStory.Select(p => $"<p>{p}</p>")) + "</div>"
            + "<div class=\"box-writer\"><p>" + bio + "</p></div><section class=\"support-box\"><p>" + support + "</p></section></article>");

        var extracted = HtmlArticleExtractor.Extract(html).Paragraphs;

        Assert.Equal(LongStory, extracted);
    }

    [Fact]
    public void Paragraphs_in_wrappers_like_those_of_the_text_are_not_a_trailing_box()
    {
        // Page builders put each paragraph in its own wrapper: the last one is the article's end, not a box after it.
        var ending = "The board meets again in March.";
        var html = Page("<article>" + string.Concat(Story.Select(p => $"<div class=\"paragraph\"><p>{p}</p></div>"))
            + "<div class=\"paragraph\"><p>" + ending + "</p></div></article>");

        var extracted = HtmlArticleExtractor.Extract(html).Paragraphs;

        Assert.Equal([.. Story, ending], extracted);
    }

    [Fact]
    public void Comments_after_a_reply_label_are_cut_even_without_comment_markup()
    {
        var comment = "I have taken that ferry every morning for twenty years and the pontoon will be a mess in a westerly gale, mark my words.";
        var html = Page("<div class=\"main\">" + string.Concat(Story.Select(p => $"<p>{p}</p>")) + "<h3>2 Responses</h3>"
            + "<div><p>Harbour Watcher says:</p><p>" + comment + "</p></div><h3>Leave a Reply</h3><p>Your email address will not be published.</p></div>");

        var extracted = HtmlArticleExtractor.Extract(html).Paragraphs;

        Assert.Equal(Story, extracted);
    }

    private static string Page(string body)
        => "<!DOCTYPE html><html><head><title>Wellmouth ferry pier to close | Wellmouth Gazette</title></head><body>"
            + "<nav class=\"menu\"><a href=\"/\">Home</a> <a href=\"/news\">News</a> <a href=\"/sport\">Sport</a></nav>"
            + body + "</body></html>";
}
