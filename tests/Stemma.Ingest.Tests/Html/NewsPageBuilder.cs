using System.Net;
using System.Text;

namespace Stemma.Ingest.Tests.Html;

/// <summary>How the article text is marked up.</summary>
public enum ArticleLayout
{
    /// <summary>&lt;article&gt; with &lt;p&gt; paragraphs.</summary>
    Paragraphs,
    /// <summary>A plain div whose paragraphs are text separated by &lt;br&gt;&lt;br&gt;.</summary>
    BreakSeparated,
    /// <summary>A plain div with one &lt;div&gt; per paragraph and no semantic markup.</summary>
    DivPerParagraph,
    /// <summary>Paragraphs several wrapper divs deep inside a generic layout.</summary>
    DeeplyNested,
}

/// <summary>
/// Builds a news page with known ground truth: the article paragraphs (generated prose in one of several
/// languages) surrounded by the usual boilerplate, each part recorded so tests can check what comes back.
/// </summary>
public sealed class NewsPageBuilder
{
    private static readonly Dictionary<string, string[]> WordsByLanguage = new()
    {
        ["en"] = ["council", "river", "budget", "mayor", "residents", "bridge", "decision", "weather", "report", "school", "station", "market", "plans", "winter", "officials", "said", "would", "new", "local", "week"],
        ["de"] = ["Gemeinderat", "Brücke", "Haushalt", "Bürgermeister", "Anwohner", "Entscheidung", "Wetter", "Bericht", "Schule", "Bahnhof", "Markt", "Pläne", "Winter", "sagte", "würde", "neue", "örtliche", "Woche", "Straße", "Größe"],
        ["pl"] = ["rada", "rzeka", "budżet", "burmistrz", "mieszkańcy", "most", "decyzja", "pogoda", "raport", "szkoła", "dworzec", "rynek", "plany", "zima", "urzędnicy", "powiedział", "nowy", "lokalny", "tydzień", "źródło"],
        ["fr"] = ["conseil", "rivière", "budget", "maire", "habitants", "pont", "décision", "météo", "rapport", "école", "gare", "marché", "projets", "hiver", "responsables", "déclaré", "nouveau", "locale", "semaine", "été"],
    };

    private readonly Random _random;
    private readonly string _language;

    public NewsPageBuilder(int seed, string language = "en")
    {
        _random = new Random(seed);
        _language = language;
        Title = Sentence(6).TrimEnd('.');
        var count = 4 + _random.Next(5);
        for (var i = 0; i < count; i++)
        {
            Paragraphs.Add(Paragraph());
        }
        CommentTexts.Add(Paragraph());
        CommentTexts.Add(Paragraph());
    }

    public string Title { get; }

    public List<string> Paragraphs { get; } = [];

    public List<string> CommentTexts { get; } = [];

    public ArticleLayout Layout { get; init; } = ArticleLayout.Paragraphs;

    /// <summary>Text of every boilerplate part put on the page; none of it may come back as article text.</summary>
    public List<string> BoilerplateTexts { get; } = [];

    public string Sentence(int words)
    {
        var vocabulary = WordsByLanguage[_language];
        var builder = new StringBuilder();
        for (var i = 0; i < words; i++)
        {
            var word = vocabulary[_random.Next(vocabulary.Length)];
            if (i == 0)
            {
                word = char.ToUpperInvariant(word[0]) + word[1..];
            }
            builder.Append(i == 0 ? string.Empty : (i % 7 == 4 ? ", " : " ")).Append(word);
        }
        return builder.Append('.').ToString();
    }

    public string Paragraph()
    {
        var sentences = 3 + _random.Next(4);
        var parts = new string[sentences];
        for (var i = 0; i < sentences; i++)
        {
            parts[i] = Sentence(8 + _random.Next(10));
        }
        return string.Join(' ', parts);
    }

    public string Build()
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"").Append(_language).Append("\"><head><meta charset=\"utf-8\"><title>")
            .Append(Encode(Title)).Append(" | Daily Example</title>")
            .Append("<style>.nav{color:red} body{font-family:serif}</style>")
            .Append("<script>var tracking = 'function that must never be extracted';</script></head><body>");

        html.Append(CookieBanner()).Append(Navigation());
        html.Append("<div class=\"page\"><div class=\"row\">");
        html.Append("<div class=\"col-main\">").Append(Article()).Append(ShareBar()).Append(RelatedList()).Append(Comments()).Append("</div>");
        html.Append(Sidebar());
        html.Append("</div></div>").Append(Footer()).Append("</body></html>");
        return html.ToString();
    }

    private string Article()
    {
        var html = new StringBuilder();
        switch (Layout)
        {
            case ArticleLayout.Paragraphs:
                html.Append("<article class=\"story\"><h1>").Append(Encode(Title)).Append("</h1>");
                foreach (var paragraph in Paragraphs)
                {
                    html.Append("<p>").Append(WithInlineMarkup(paragraph)).Append("</p>\n");
                }
                html.Append("</article>");
                break;
            case ArticleLayout.BreakSeparated:
                html.Append("<div class=\"x1\"><b>").Append(Encode(Title)).Append("</b><br>");
                foreach (var paragraph in Paragraphs)
                {
                    html.Append(WithInlineMarkup(paragraph)).Append("<br><br>\n");
                }
                html.Append("</div>");
                break;
            case ArticleLayout.DivPerParagraph:
                html.Append("<div class=\"x2\">");
                foreach (var paragraph in Paragraphs)
                {
                    html.Append("<div>").Append(WithInlineMarkup(paragraph)).Append("</div>\n");
                }
                html.Append("</div>");
                break;
            case ArticleLayout.DeeplyNested:
                html.Append("<div><div><div class=\"c\"><div><section><div><div>");
                foreach (var paragraph in Paragraphs)
                {
                    html.Append("<div><span><p>").Append(WithInlineMarkup(paragraph)).Append("</p></span></div>\n");
                }
                html.Append("</div></div></section></div></div></div></div>");
                break;
            default:
                throw new InvalidOperationException(Layout.ToString());
        }
        return html.ToString();
    }

    // Splits a paragraph's text over inline elements and one short link, as real articles do.
    private string WithInlineMarkup(string paragraph)
    {
        var words = paragraph.Split(' ');
        if (words.Length < 6)
        {
            return Encode(paragraph);
        }
        var a = 1 + _random.Next(words.Length / 2);
        return Encode(string.Join(' ', words[..a])) + " <a href=\"/x\">" + Encode(words[a]) + "</a> <em>" + Encode(words[a + 1]) + "</em> " + Encode(string.Join(' ', words[(a + 2)..]));
    }

    private string Navigation()
    {
        var html = new StringBuilder("<nav class=\"main-nav\"><ul>");
        foreach (var item in new[] { "Home", "Politics", "Business", "Sport", "Culture", "Weather", "Contact" })
        {
            html.Append("<li><a href=\"/").Append(item.ToLowerInvariant()).Append("\">").Append(item).Append("</a></li>");
        }
        BoilerplateTexts.Add("Politics");
        return html.Append("</ul></nav>").ToString();
    }

    private string Sidebar()
    {
        var html = new StringBuilder("<div class=\"sidebar\"><h3>Most read</h3><ul>");
        for (var i = 0; i < 8; i++)
        {
            var headline = Sentence(7).TrimEnd('.');
            BoilerplateTexts.Add(headline);
            html.Append("<li><a href=\"/story/").Append(i).Append("\">").Append(Encode(headline)).Append("</a></li>");
        }
        var blurb = "Subscribe to our newsletter for the best stories of the week, delivered every Friday morning.";
        BoilerplateTexts.Add(blurb);
        return html.Append("</ul><p>").Append(blurb).Append("</p></div>").ToString();
    }

    private string Comments()
    {
        var html = new StringBuilder("<section id=\"comments\" class=\"comments-area\"><h2>3 Comments</h2><ol class=\"comment-list\">");
        foreach (var comment in CommentTexts)
        {
            BoilerplateTexts.Add(comment);
            html.Append("<li class=\"comment\"><div class=\"comment-author\">Reader</div><p>").Append(Encode(comment)).Append("</p></li>");
        }
        return html.Append("</ol></section>").ToString();
    }

    private string Footer()
    {
        var notice = "Copyright Daily Example Media Group, all rights reserved, reproduction only with written permission.";
        BoilerplateTexts.Add(notice);
        return "<footer><p>" + notice + "</p><a href=\"/imprint\">Imprint</a> <a href=\"/privacy\">Privacy</a></footer>";
    }

    private string CookieBanner()
    {
        var text = "We use cookies to improve your experience on our website and to show you personalised advertising.";
        BoilerplateTexts.Add(text);
        return "<div id=\"cookie-consent\" class=\"cookie-banner\"><p>" + text + "</p><button>Accept all</button></div>";
    }

    private string ShareBar()
    {
        BoilerplateTexts.Add("Share on Facebook");
        return "<div class=\"share-buttons\"><a href=\"https://facebook.com/share\">Share on Facebook</a> <a href=\"https://x.com/share\">Share on X</a> <a href=\"mailto:\">Send by email</a></div>";
    }

    private string RelatedList()
    {
        var html = new StringBuilder("<div class=\"related-articles\"><h3>Related</h3><ul>");
        for (var i = 0; i < 4; i++)
        {
            var headline = Sentence(8).TrimEnd('.');
            BoilerplateTexts.Add(headline);
            html.Append("<li><a href=\"/related/").Append(i).Append("\">").Append(Encode(headline)).Append("</a></li>");
        }
        return html.Append("</ul></div>").ToString();
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
