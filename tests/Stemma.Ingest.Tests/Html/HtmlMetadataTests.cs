using Stemma.Ingest.Html;

namespace Stemma.Ingest.Tests.Html;

public class HtmlMetadataTests
{
    private static HtmlMetadata Read(string head, string body = "", string? url = null, string htmlAttributes = "")
        => HtmlArticleExtractor.Extract($"<!DOCTYPE html><html{htmlAttributes}><head>{head}</head><body>{body}</body></html>", url).Metadata;

    private static string LinkedData(string json) => $"<script type=\"application/ld+json\">{json}</script>";

    // Title

    [Fact]
    public void Title_from_og_title_first()
        => Assert.Equal("Bridge reopens", Read("<meta property=\"og:title\" content=\"Bridge reopens\"><title>Other | Site</title>", "<h1>Heading</h1>").Title);

    [Fact]
    public void Title_from_og_title_loses_the_known_site_name()
        => Assert.Equal("Bridge reopens", Read("<meta property=\"og:title\" content=\"Bridge reopens - Daily Example\"><meta property=\"og:site_name\" content=\"Daily Example\">").Title);

    [Fact]
    public void Title_from_json_ld_headline_when_no_og_title()
        => Assert.Equal("Haushalt beschlossen", Read(LinkedData("{\"@type\":\"NewsArticle\",\"headline\":\"Haushalt beschlossen\"}") + "<title>X | Y</title>", "<h1>Heading</h1>").Title);

    [Fact]
    public void Title_from_h1_when_no_meta()
        => Assert.Equal("Most zostanie otwarty", Read("<title>Something else | Gazeta</title>", "<h1>  Most zostanie\n otwarty </h1>").Title);

    [Theory]
    [InlineData("Le pont rouvre | Le Journal", "Le pont rouvre")]
    [InlineData("Le pont rouvre - Le Journal", "Le pont rouvre")]
    [InlineData("Le pont rouvre – Le Journal", "Le pont rouvre")]
    [InlineData("Le pont rouvre", "Le pont rouvre")]
    public void Title_from_title_element_without_site_suffix(string title, string expected)
        => Assert.Equal(expected, Read($"<title>{title}</title>").Title);

    // Date

    [Fact]
    public void Date_from_article_published_time()
        => Assert.Equal(new DateTimeOffset(2024, 3, 1, 9, 30, 0, TimeSpan.FromHours(1)),
            Read("<meta property=\"article:published_time\" content=\"2024-03-01T09:30:00+01:00\">" + LinkedData("{\"@type\":\"NewsArticle\",\"datePublished\":\"2020-01-01\"}")).Date);

    [Fact]
    public void Date_from_json_ld_date_published()
        => Assert.Equal(new DateTimeOffset(2023, 11, 5, 14, 0, 0, TimeSpan.FromHours(2)),
            Read(LinkedData("{\"@context\":\"https://schema.org\",\"@graph\":[{\"@type\":\"WebPage\"},{\"@type\":\"NewsArticle\",\"datePublished\":\"2023-11-05T14:00:00+0200\"}]}")).Date);

    [Fact]
    public void Date_from_time_element()
        => Assert.Equal(new DateTimeOffset(2022, 6, 30, 0, 0, 0, TimeSpan.Zero), Read("", "<article><time datetime=\"2022-06-30\">30. Juni</time></article>").Date);

    [Theory]
    [InlineData("date", "2021-02-03")]
    [InlineData("pubdate", "2021-02-03")]
    [InlineData("DC.date", "2021-02-03")]
    [InlineData("DC.date.issued", "2021-02-03")]
    [InlineData("publish-date", "03.02.2021")]
    public void Date_from_meta_names(string name, string value)
        => Assert.Equal(new DateTimeOffset(2021, 2, 3, 0, 0, 0, TimeSpan.Zero), Read($"<meta name=\"{name}\" content=\"{value}\">").Date);

    [Fact]
    public void Unparseable_date_is_null()
        => Assert.Null(Read("<meta property=\"article:published_time\" content=\"yesterday-ish\">").Date);

    // URL and site

    [Fact]
    public void Url_from_canonical_first()
    {
        var metadata = Read("<link rel=\"canonical\" href=\"https://www.Example.com/a/1\"><meta property=\"og:url\" content=\"https://og.example.net/b\">", url: "https://given.example.org/c");
        Assert.Equal("https://www.example.com/a/1", metadata.Url);
        Assert.Equal("example.com", metadata.Site);
    }

    [Fact]
    public void Url_from_og_url_when_no_canonical()
    {
        var metadata = Read("<meta property=\"og:url\" content=\"https://news.example.net/b\">", url: "https://given.example.org/c");
        Assert.Equal("https://news.example.net/b", metadata.Url);
        Assert.Equal("news.example.net", metadata.Site);
    }

    [Fact]
    public void Url_from_the_given_url_when_the_page_names_none()
    {
        var metadata = Read("", url: "https://WWW.given.example.org/c");
        Assert.Equal("https://www.given.example.org/c", metadata.Url);
        Assert.Equal("given.example.org", metadata.Site);
    }

    [Fact]
    public void Relative_canonical_is_resolved_against_the_given_url()
        => Assert.Equal("https://example.com/story/9", Read("<link rel=\"canonical\" href=\"/story/9\">", url: "https://example.com/x?y=1").Url);

    [Fact]
    public void No_url_anywhere_means_no_site()
    {
        var metadata = Read("<link rel=\"canonical\" href=\"/relative-only\">");
        Assert.Null(metadata.Url);
        Assert.Null(metadata.Site);
    }

    // Author

    [Fact]
    public void Author_from_meta_author()
        => Assert.Equal("Anna Example", Read("<meta name=\"author\" content=\"Anna Example\">" + LinkedData("{\"@type\":\"NewsArticle\",\"author\":{\"name\":\"Other\"}}")).Author);

    [Fact]
    public void Author_from_json_ld_author_objects()
        => Assert.Equal("Jan Kowalski, Maria Nowak", Read(LinkedData("{\"@type\":\"NewsArticle\",\"author\":[{\"@type\":\"Person\",\"name\":\"Jan Kowalski\"},{\"@type\":\"Person\",\"name\":\"Maria Nowak\"}]}")).Author);

    [Fact]
    public void Author_from_rel_author_link()
        => Assert.Equal("Claire Dupont", Read("", "<article><a rel=\"author\" href=\"/auteur/claire\">Claire Dupont</a></article>").Author);

    [Fact]
    public void Author_that_is_only_a_profile_url_is_ignored()
        => Assert.Null(Read("<meta name=\"author\" content=\"https://facebook.com/someone\">").Author);

    // Language

    [Fact]
    public void Language_from_html_lang()
        => Assert.Equal("de", Read("<meta property=\"og:locale\" content=\"fr_FR\">", htmlAttributes: " lang=\"de-AT\"").Language);

    [Fact]
    public void Language_from_og_locale()
        => Assert.Equal("pl", Read("<meta property=\"og:locale\" content=\"pl_PL\">").Language);

    [Fact]
    public void Language_from_content_language_meta()
        => Assert.Equal("fr", Read("<meta http-equiv=\"Content-Language\" content=\"fr\">").Language);

    [Fact]
    public void Language_that_is_not_a_two_letter_code_is_ignored()
        => Assert.Null(Read("", htmlAttributes: " lang=\"x-klingon\"").Language);

    [Fact]
    public void Broken_json_ld_is_ignored()
    {
        var metadata = Read(LinkedData("{\"@type\":\"NewsArticle\",\"headline\":\"Cut off") + "<title>Fine title</title>");
        Assert.Equal("Fine title", metadata.Title);
    }

    [Fact]
    public void Json_ld_with_raw_line_breaks_in_strings_is_read()
        => Assert.Equal("Zwei Zeilen", Read(LinkedData("{\"@type\":\"NewsArticle\",\"headline\":\"Zwei\nZeilen\"}")).Title);
}
