using AngleSharp.Html.Parser;

namespace Stemma.Ingest.Html;

/// <summary>What the extractor finds on a page: the main-text paragraphs in reading order and the page metadata.</summary>
public sealed record HtmlExtraction(IReadOnlyList<string> Paragraphs, HtmlMetadata Metadata);

public sealed record HtmlMetadata
{
    public string? Title { get; init; }
    public DateTimeOffset? Date { get; init; }
    public string? Site { get; init; }
    public string? Url { get; init; }
    public string? Author { get; init; }
    public string? Language { get; init; }
}

/// <summary>
/// Main-text extraction from an HTML page: finds the element that holds the article by scoring text
/// blocks (see docs/extraction.md), returns its paragraphs, headings, list items and quotes in reading
/// order, and reads the page metadata.
/// </summary>
public static class HtmlArticleExtractor
{
    /// <summary>
    /// Pages longer than this many characters are refused with <see cref="HtmlTooLargeException"/>:
    /// parsing cost grows with size, and real article pages stay far below it (a few MB at most).
    /// </summary>
    public const int MaxHtmlChars = 12 * 1024 * 1024;

    /// <summary>Extracts the main text and metadata. Malformed or truncated HTML is read as a browser would; a page without an article yields no paragraphs.</summary>
    /// <param name="html">The page as text (see <see cref="HtmlDecoding.Decode"/> for bytes).</param>
    /// <param name="url">Where the page came from, used when the page names no canonical URL, and to resolve relative ones.</param>
    /// <exception cref="HtmlTooLargeException">The page is longer than <see cref="MaxHtmlChars"/>.</exception>
    public static HtmlExtraction Extract(string html, string? url = null) => Extract(html, url, IngestLimits.Default);

    /// <summary>As <see cref="Extract(string, string?)"/>, under the given nesting and element caps.</summary>
    /// <exception cref="IngestLimitException">The page nests deeper than <see cref="IngestLimits.MaxHtmlDepth"/> or holds more than <see cref="IngestLimits.MaxHtmlElements"/> elements.</exception>
    public static HtmlExtraction Extract(string html, string? url, IngestLimits limits)
    {
        ArgumentNullException.ThrowIfNull(html);
        ArgumentNullException.ThrowIfNull(limits);
        if (html.Length > MaxHtmlChars)
        {
            throw new HtmlTooLargeException(html.Length, MaxHtmlChars);
        }

        // Parsing costs elements times depth: refuse pathological nesting in a linear pass first.
        HtmlNestingCheck.Check(html, limits, "page");

        var parser = new HtmlParser(new HtmlParserOptions { IsScripting = false });
        using var document = parser.ParseDocument(html);
        var linkedData = HtmlMetadataReader.ReadLinkedData(document);
        var metadata = HtmlMetadataReader.Read(document, linkedData, url);
        var paragraphs = document.Body is null
            ? []
            : MainTextFinder.Find(document.Body, metadata.Title, document.Title, linkedData?.ArticleBody);
        if (paragraphs.Count == 0)
        {
            paragraphs = DeclaredArticleParagraphs(document);
        }

        return new HtmlExtraction(paragraphs, metadata);
    }

    /// <summary>
    /// The last resort for a page too short for the scoring to trust (a one-paragraph brief): the paragraphs of the
    /// element the page itself declares to be its article, if it declares one.
    /// </summary>
    private static IReadOnlyList<string> DeclaredArticleParagraphs(AngleSharp.Html.Dom.IHtmlDocument document)
    {
        var declared = document.QuerySelector("[itemprop=articleBody]") ?? document.QuerySelector("article") ?? document.QuerySelector("main, [role=main]");
        if (declared is null)
        {
            return [];
        }

        return [.. declared.QuerySelectorAll("p, h2, h3, li, blockquote")
            .Where(e => e.QuerySelector("p, li, blockquote") is null)
            .Select(e => string.Join(' ', e.TextContent.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)))
            .Where(text => text.Any(char.IsLetter))];
    }

    /// <summary>Diagnostics: the paragraphs and a CSS-like path of the element chosen as the article.</summary>
    internal static (IReadOnlyList<string> Paragraphs, string? ArticlePath) ExtractWithPath(string html) => ExtractWithPath(html, null);

    /// <summary>Diagnostics: as <see cref="ExtractWithPath(string)"/>, also listing every text block with what became of it.</summary>
    internal static (IReadOnlyList<string> Paragraphs, string? ArticlePath) ExtractWithPath(string html, List<(string Text, string Fate)>? trace)
    {
        var parser = new HtmlParser(new HtmlParserOptions { IsScripting = false });
        using var document = parser.ParseDocument(html);
        var linkedData = HtmlMetadataReader.ReadLinkedData(document);
        var metadata = HtmlMetadataReader.Read(document, linkedData, null);
        if (document.Body is null)
        {
            return ([], null);
        }
        var paragraphs = MainTextFinder.Find(document.Body, metadata.Title, document.Title, linkedData?.ArticleBody, out var article, trace);
        var path = new List<string>();
        for (var element = article; element is not null; element = element.ParentElement)
        {
            path.Add(element.LocalName + (string.IsNullOrEmpty(element.Id) ? string.Empty : "#" + element.Id) + (element.ClassName is null ? string.Empty : "." + element.ClassName.Replace(' ', '.')));
        }
        path.Reverse();
        return (paragraphs, string.Join(" > ", path));
    }
}
