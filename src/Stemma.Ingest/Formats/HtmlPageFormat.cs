using System.Text.RegularExpressions;
using Stemma.Ingest.Annotations;
using Stemma.Ingest.Html;

namespace Stemma.Ingest.Formats;

/// <summary>A whole HTML page: the main text comes from <see cref="HtmlArticleExtractor"/>, then paragraphs are classified.</summary>
internal static class HtmlPageFormat
{
    public static IEnumerable<ReadOutcome> Read(Stream stream, SourceContext source)
    {
        var decoded = TextDecoding.Decode(StreamLimits.ReadBounded(stream, source.Options.MaxDocumentBytes));
        yield return FromHtml(decoded.Text, source, source.Id, null, "html", StreamLimits.DecodingWarning(decoded), null);
    }

    /// <summary>Builds the outcome for one page (also used for WARC responses, where id and url are the target URI).</summary>
    public static ReadOutcome FromHtml(string html, SourceContext source, string id, string? url, string format, string? warning, int? record, string? languageHint = null)
    {
        HtmlExtraction extraction;
        try
        {
            extraction = HtmlArticleExtractor.Extract(html, url, source.Options.Limits);
        }
        catch (IngestLimitException ex)
        {
            return source.Error(ex.Message, record);
        }

        var metadata = extraction.Metadata;
        if (extraction.Paragraphs.Count == 0)
        {
            return source.Error("no article text found in the page", record);
        }

        var title = HtmlText.ToInlineText(metadata.Title);
        var pageUrl = metadata.Url ?? url;
        var article = ArticleAssembler.Build(new ArticleDraft
        {
            Id = id,
            Title = title,
            Paragraphs = [.. extraction.Paragraphs.Select(paragraph => new TextBlock(paragraph))],
            SourcePath = source.Path,
            Url = pageUrl,
            Date = metadata.Date,
            Site = SiteNames.FromUrl(pageUrl) ?? (metadata.Site is { } site ? SiteNames.FromHost(site) : null),
            Author = metadata.Author,
            Language = metadata.Language ?? languageHint,
            Format = format,
        });
        if (article.Attribution is null && article.Annotations.Any(annotation => annotation.Kind == AnnotationKind.SourceLink))
        {
            // The extractor gives text only; the credited site is the target of the page's "Source link" anchor.
            var anchor = SourceLinkAnchor.Match(html);
            if (anchor.Success && SiteNames.FromUrl(System.Net.WebUtility.HtmlDecode(anchor.Groups["href"].Value)) is { } credited)
            {
                article = article with { Attribution = credited };
            }
        }

        return article.Body.Length == 0 ? source.Error("no article body found in the page (only annotation lines)", record) : source.Success(article, warning);
    }

    private static readonly Regex SourceLinkAnchor = new("""<a\b[^>]*?\bhref\s*=\s*["'](?<href>https?://[^"']+)["'][^>]*>\s*(?:source link|original source|read the original(?: article)?|view original(?: post| article)?)\s*</a>""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
}
