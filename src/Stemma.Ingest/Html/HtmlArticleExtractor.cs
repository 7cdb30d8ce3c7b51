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

/// <summary>Main-text extraction from an HTML page. (Placeholder: takes the paragraphs of the first article element or the body.)</summary>
public static class HtmlArticleExtractor
{
    public static HtmlExtraction Extract(string html, string? url = null)
    {
        var parser = new HtmlParser();
        using var document = parser.ParseDocument(html);
        var root = (AngleSharp.Dom.IElement?)document.QuerySelector("article") ?? document.Body;
        var paragraphs = root is null
            ? []
            : root.QuerySelectorAll("p").Select(p => p.TextContent.Trim()).Where(t => t.Length > 0).ToList();
        return new HtmlExtraction(paragraphs, new HtmlMetadata { Title = document.Title, Url = url });
    }
}
