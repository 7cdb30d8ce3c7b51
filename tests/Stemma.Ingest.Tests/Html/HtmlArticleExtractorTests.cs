using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Stemma.Ingest.Html;

namespace Stemma.Ingest.Tests.Html;

public class HtmlArticleExtractorTests
{
    public static TheoryData<ArticleLayout, string, int> Pages()
    {
        var data = new TheoryData<ArticleLayout, string, int>();
        var seed = 1;
        foreach (var layout in Enum.GetValues<ArticleLayout>())
        {
            foreach (var language in new[] { "en", "de", "pl", "fr" })
            {
                data.Add(layout, language, seed++);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void Recovers_every_article_paragraph_in_order_and_no_boilerplate(ArticleLayout layout, string language, int seed)
    {
        var page = new NewsPageBuilder(seed, language) { Layout = layout };
        var html = page.Build();

        var paragraphs = HtmlArticleExtractor.Extract(html).Paragraphs;

        var position = -1;
        foreach (var expected in page.Paragraphs)
        {
            var found = IndexOf(paragraphs, expected);
            Assert.True(found >= 0, $"missing paragraph: {expected}\n--- got:\n{string.Join("\n", paragraphs)}");
            Assert.True(found > position, "paragraphs out of order");
            position = found;
        }
        var all = string.Join("\n", paragraphs);
        foreach (var boilerplate in page.BoilerplateTexts)
        {
            Assert.DoesNotContain(boilerplate, all, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("function that must never be extracted", all, StringComparison.Ordinal);
        Assert.DoesNotContain("font-family", all, StringComparison.Ordinal);
    }

    [Fact]
    public void Paragraph_text_has_whitespace_collapsed_and_entities_decoded()
    {
        var html = Wrap("<article>" + Prose("<p>  Die   Brücke &amp; der\n\tFluss&nbsp;&nbsp;wurden   gestern  eröffnet, sagte der Bürgermeister am Montag.  </p>") + "</article>");

        var paragraphs = HtmlArticleExtractor.Extract(html).Paragraphs;

        Assert.Contains("Die Brücke & der Fluss wurden gestern eröffnet, sagte der Bürgermeister am Montag.", paragraphs);
    }

    [Fact]
    public void Keeps_headings_list_items_and_quotes_inside_the_article_and_drops_the_repeated_title()
    {
        var html = "<html><head><title>Bridge reopens | Example</title><meta property=\"og:title\" content=\"Bridge reopens\"></head><body>"
            + "<nav><a href=\"/\">Home</a><a href=\"/news\">News</a><a href=\"/sport\">Sport</a></nav>"
            + "<article><h1>Bridge reopens</h1>"
            + Prose("<p>The old bridge over the river reopened on Monday after two years of repairs, the council said in a statement.</p>")
            + "<h2>What changes for drivers</h2>"
            + "<ul><li>Cars may cross again from six in the morning.</li><li>Lorries over twelve tonnes stay banned.</li></ul>"
            + "<blockquote>We are glad the work is finally done, said the mayor.</blockquote>"
            + Prose("<p>Residents had complained for months about the long detour through the town centre.</p>")
            + "</article></body></html>";

        var paragraphs = HtmlArticleExtractor.Extract(html).Paragraphs;

        Assert.Contains("What changes for drivers", paragraphs);
        Assert.Contains("Cars may cross again from six in the morning.", paragraphs);
        Assert.Contains("Lorries over twelve tonnes stay banned.", paragraphs);
        Assert.Contains("We are glad the work is finally done, said the mayor.", paragraphs);
        Assert.DoesNotContain("Bridge reopens", paragraphs);
        Assert.DoesNotContain("Home", paragraphs);
    }

    [Fact]
    public void Keeps_inserted_lines_inside_the_article_for_the_line_classifier()
    {
        var html = Wrap("<div class=\"entry-content\">"
            + Prose("<p>The regional parliament approved the new budget on Thursday after a long debate about school funding.</p>")
            + "<p>READ MORE: <a href=\"/other\">Council votes on school buses</a></p>"
            + Prose("<p>The opposition said the plan did not go far enough and announced a challenge in court.</p>")
            + "<p><a href=\"https://example.org/original\">Source link</a></p>"
            + "</div>");

        var paragraphs = HtmlArticleExtractor.Extract(html).Paragraphs;

        Assert.Contains("READ MORE: Council votes on school buses", paragraphs);
        Assert.Contains("Source link", paragraphs);
    }

    [Fact]
    public void Drops_byline_and_date_lines_set_apart_from_the_text()
    {
        var html = Wrap("<article><div class=\"byline\">By Anna Example</div><div class=\"meta\"><time datetime=\"2024-03-01\">01.03.2024</time></div>"
            + Prose("<p>The regional parliament approved the new budget on Thursday after a long debate about school funding.</p>")
            + "</article>");

        var paragraphs = HtmlArticleExtractor.Extract(html).Paragraphs;

        Assert.DoesNotContain(paragraphs, p => p.Contains("Anna Example", StringComparison.Ordinal));
        Assert.DoesNotContain(paragraphs, p => p.Contains("01.03.2024", StringComparison.Ordinal));
        Assert.Contains(paragraphs, p => p.StartsWith("The regional parliament", StringComparison.Ordinal));
    }

    [Fact]
    public void Uses_the_json_ld_article_body_when_the_markup_holds_no_article()
    {
        var body = "Der Gemeinderat hat am Montag den neuen Haushalt beschlossen, teilte die Stadt mit.\n"
            + "Die Opposition kritisierte die Pläne für die Schulen als unzureichend und kündigte Widerstand an.\n"
            + "Über die Brücke wird im Frühjahr entschieden, wenn das Gutachten der Ingenieure vorliegt.";
        var html = "<html><head><script type=\"application/ld+json\">{\"@context\":\"https://schema.org\",\"@type\":\"NewsArticle\",\"headline\":\"Haushalt beschlossen\",\"articleBody\":"
            + System.Text.Json.JsonSerializer.Serialize(body)
            + "}</script></head><body><nav><a href=\"/\">Start</a> <a href=\"/a\">Politik</a></nav><div id=\"app\"></div></body></html>";

        var paragraphs = HtmlArticleExtractor.Extract(html).Paragraphs;

        Assert.Equal(body.Split('\n'), paragraphs);
    }

    [Fact]
    public void A_page_without_an_article_yields_no_paragraphs()
    {
        var links = new StringBuilder();
        for (var i = 0; i < 30; i++)
        {
            links.Append("<li><a href=\"/p").Append(i).Append("\">Category ").Append(i).Append("</a></li>");
        }
        var html = Wrap("<header><a href=\"/\">Logo</a></header><nav><ul>" + links + "</ul></nav><div class=\"grid\"><ul>" + links + "</ul></div><footer><a href=\"/imprint\">Imprint</a></footer>");

        Assert.Empty(HtmlArticleExtractor.Extract(html).Paragraphs);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("<")]
    [InlineData("<html><body><p>unclosed")]
    [InlineData("<<<>>></p></div></article><p<p>>")]
    [InlineData("\0\0binary\u0001\u0002")]
    [InlineData("<script>never closed")]
    public void Odd_inputs_never_throw(string html)
    {
        var result = HtmlArticleExtractor.Extract(html);

        Assert.NotNull(result.Paragraphs);
        Assert.NotNull(result.Metadata);
    }

    [Fact]
    public void Truncated_pages_never_throw_and_keep_the_text_before_the_cut()
    {
        var page = new NewsPageBuilder(7, "de");
        var html = page.Build();
        var articleStart = html.IndexOf("<article", StringComparison.Ordinal);
        var thirdParagraph = html.IndexOf("<p>", html.IndexOf("<p>", html.IndexOf("<p>", articleStart, StringComparison.Ordinal) + 1, StringComparison.Ordinal) + 1, StringComparison.Ordinal);
        var cutAfterSecondParagraph = thirdParagraph + 12;

        var paragraphs = HtmlArticleExtractor.Extract(html[..cutAfterSecondParagraph]).Paragraphs;

        Assert.Contains(page.Paragraphs[0], paragraphs);
        Assert.Contains(page.Paragraphs[1], paragraphs);
    }

    [Fact]
    public void Any_prefix_of_a_page_extracts_without_throwing()
    {
        var html = new NewsPageBuilder(11, "pl").Build();
        Prop.ForAll(Gen.Choose(0, html.Length).ToArbitrary(), cut =>
        {
            var result = HtmlArticleExtractor.Extract(html[..cut]);
            return result.Paragraphs is not null;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Random_markup_soup_extracts_without_throwing()
    {
        string[] pieces = ["<div>", "</div>", "<p>", "</p>", "<a href=x>", "</a>", "<br>", "text words here. ", "<table><tr><td>", "</td>", "<!--", "-->", "<script>", "</script>", "&amp;", "&#", "<li>", "<ul class=\"nav\">", "<article>", "\"", "'"];
        var soup = Gen.ArrayOf(Gen.Elements(pieces)).Select(parts => string.Concat(parts));
        Prop.ForAll(soup.ToArbitrary(), html => HtmlArticleExtractor.Extract(html).Paragraphs is not null).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Very_deep_nesting_is_refused_before_parsing_instead_of_overflowing_or_crawling()
    {
        var html = new StringBuilder("<html><body>");
        for (var i = 0; i < 20_000; i++)
        {
            html.Append("<div>");
        }
        html.Append(Prose("<p>The text sits at the very bottom of a deep tree of unclosed division elements here.</p>"));

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var error = Assert.Throws<IngestLimitException>(() => HtmlArticleExtractor.Extract(html.ToString()));

        Assert.Equal(nameof(IngestLimits.MaxHtmlDepth), error.LimitName);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }

    [Fact]
    public void A_page_over_the_size_cap_is_refused_with_a_specific_exception()
    {
        var huge = new string('x', HtmlArticleExtractor.MaxHtmlChars + 1);

        var error = Assert.Throws<HtmlTooLargeException>(() => HtmlArticleExtractor.Extract(huge));

        Assert.Equal(HtmlArticleExtractor.MaxHtmlChars + 1, error.Length);
        Assert.Equal(HtmlArticleExtractor.MaxHtmlChars, error.Limit);
    }

    [Fact]
    public void A_large_page_under_the_cap_is_read_in_reasonable_time()
    {
        var page = new NewsPageBuilder(3, "en");
        var html = new StringBuilder("<html><body>");
        var filler = "<div class=\"teaser\"><a href=\"/x\">Another headline for the long list of links</a></div>";
        while (html.Length < 4_000_000)
        {
            html.Append(filler);
        }
        html.Append("<article>");
        foreach (var paragraph in page.Paragraphs)
        {
            html.Append("<p>").Append(paragraph).Append("</p>");
        }
        html.Append("</article></body></html>");

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var paragraphs = HtmlArticleExtractor.Extract(html.ToString()).Paragraphs;

        Assert.Equal(page.Paragraphs, paragraphs);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"took {watch.Elapsed}");
    }

    [Fact]
    public void Article_in_a_noscript_fallback_is_read()
    {
        var html = Wrap("<div class=\"post\"><noscript>"
            + Prose("<p>Over the past years the threats on the web became much more sophisticated and harder to block.</p>")
            + "</noscript></div><noscript><img src=\"pixel.gif\"> Please enable JavaScript.</noscript>");

        var paragraphs = HtmlArticleExtractor.Extract(html).Paragraphs;

        Assert.Contains(paragraphs, p => p.StartsWith("Over the past years", StringComparison.Ordinal));
        Assert.DoesNotContain(paragraphs, p => p.Contains("enable JavaScript", StringComparison.Ordinal));
    }

    private static int IndexOf(IReadOnlyList<string> paragraphs, string expected)
    {
        for (var i = 0; i < paragraphs.Count; i++)
        {
            if (paragraphs[i] == expected)
            {
                return i;
            }
        }
        return -1;
    }

    private static string Wrap(string body) => "<!DOCTYPE html><html><head><title>T</title></head><body>" + body + "</body></html>";

    // Repeats a paragraph so that the snippet is long enough to count as an article on its own.
    private static string Prose(string paragraph) => paragraph + paragraph.Replace("<p>", "<p>Also: ", StringComparison.Ordinal);
}
