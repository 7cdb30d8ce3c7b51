using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace Stemma.Ingest.Formats;

/// <summary>
/// A paragraph of extracted text, with the first link it carried (evidence for "Source link" lines) and,
/// when the markup says what it is (a figcaption, a share or related-posts box), that kind.
/// </summary>
public sealed record TextBlock(string Text, string? Link = null, AnnotationKind? Hint = null);

/// <summary>
/// Turns the HTML fragments found in WordPress and feed fields into plain paragraphs: block elements
/// (and line breaks) separate paragraphs, entities are decoded, scripts and form controls dropped.
/// </summary>
public static partial class HtmlText
{
    private static readonly HashSet<string> BlockTags = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "div", "section", "article", "header", "footer", "aside", "nav", "main", "blockquote", "pre",
        "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "figure", "figcaption",
        "table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption", "hr", "address", "details", "summary",
        "form", "fieldset", "center",
    };

    private static readonly HashSet<string> SkippedTags = new(StringComparer.OrdinalIgnoreCase)
    {
        "script", "style", "noscript", "template", "svg", "math", "canvas", "iframe", "object", "embed",
        "select", "option", "textarea", "input", "button", "head", "video", "audio", "picture", "source",
    };

    /// <summary>Paragraphs of an HTML fragment. Text without any tag is split on line breaks and entity-decoded.</summary>
    public static IReadOnlyList<TextBlock> ToBlocks(string? html) => ToBlocks(html, IngestLimits.Default);

    /// <summary>As <see cref="ToBlocks(string?)"/>; markup nested deeper or larger than the limits allow throws <see cref="IngestLimitException"/> before parsing.</summary>
    public static IReadOnlyList<TextBlock> ToBlocks(string? html, IngestLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (string.IsNullOrWhiteSpace(html))
        {
            return [];
        }

        if (!TagPattern().IsMatch(html))
        {
            return [.. PlainTextBlocks(WebUtility.HtmlDecode(html))];
        }

        Html.HtmlNestingCheck.Check(html, limits, "content");

        var parser = new HtmlParser();
        using var document = parser.ParseDocument("<!DOCTYPE html><html><body>" + html + "</body></html>");
        var collector = new BlockCollector();
        if (document.Body is { } body)
        {
            collector.Walk(body);
        }

        collector.Flush();
        return collector.Blocks;
    }

    /// <summary>True when text carries block markup (paragraphs, line breaks, divs), not just a stray angle bracket.</summary>
    public static bool LooksLikeHtml(string text) => BlockTagPattern().IsMatch(text);

    /// <inheritdoc cref="LooksLikeHtml(string)"/>
    public static bool LooksLikeHtml(ReadOnlySpan<char> text) => BlockTagPattern().IsMatch(text);

    /// <summary>Paragraph texts of an HTML fragment.</summary>
    public static IReadOnlyList<string> ToParagraphs(string? html) => [.. ToBlocks(html).Select(block => block.Text)];

    /// <summary>One line of text from a title-like field that may hold tags and (even doubly) encoded entities.</summary>
    public static string? ToInlineText(string? html)
    {
        if (string.IsNullOrWhiteSpace(html))
        {
            return null;
        }

        var text = html;
        if (TagPattern().IsMatch(text))
        {
            text = string.Join(" ", ToBlocks(text).Select(block => block.Text));
        }

        // Titles are often escaped twice ("&amp;#8217;"): decode until stable, at most a few rounds.
        for (var round = 0; round < 3; round++)
        {
            var decoded = WebUtility.HtmlDecode(text);
            if (decoded == text)
            {
                break;
            }

            text = decoded;
        }

        var collapsed = CollapseWhitespace(text);
        return collapsed.Length == 0 ? null : collapsed;
    }

    /// <summary>Splits plain text into paragraphs at line breaks, dropping empty lines.</summary>
    public static IEnumerable<TextBlock> PlainTextBlocks(string text)
    {
        foreach (var line in text.Split('\n'))
        {
            var collapsed = CollapseWhitespace(line);
            if (collapsed.Length > 0)
            {
                yield return new TextBlock(collapsed);
            }
        }
    }

    public static string CollapseWhitespace(string text)
    {
        var builder = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c) || c == '\u200B' || c == '\uFEFF')
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    [GeneratedRegex(@"<(?:[A-Za-z][A-Za-z0-9]*\b[^>]*|/[A-Za-z][A-Za-z0-9]*\s*|!--.*?--)>", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex TagPattern();

    [GeneratedRegex(@"<(?:p|br|div|li|h[1-6]|blockquote|figure|figcaption)\b[^>]*>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BlockTagPattern();

    private static readonly HashSet<string> CaptionClasses = new(StringComparer.OrdinalIgnoreCase) { "wp-caption-text", "wp-element-caption" };

    private static readonly HashSet<string> RelatedClasses = new(StringComparer.OrdinalIgnoreCase) { "jp-relatedposts", "related-posts", "yarpp-related", "crp_related", "related-articles" };

    private static readonly HashSet<string> PromoClasses = new(StringComparer.OrdinalIgnoreCase)
    {
        "sharedaddy", "sd-sharing-enabled", "share-buttons", "social-share", "addtoany_share_save_container", "heateor_sss_sharing_container",
    };

    /// <summary>What the markup itself tells about a block: captions and the share/related boxes WordPress plugins add (whole class names only).</summary>
    private static AnnotationKind? HintOf(IElement element)
    {
        if (element.LocalName == "figcaption")
        {
            return AnnotationKind.Caption;
        }

        foreach (var name in element.ClassList)
        {
            if (CaptionClasses.Contains(name))
            {
                return AnnotationKind.Caption;
            }

            if (RelatedClasses.Contains(name))
            {
                return AnnotationKind.Related;
            }

            if (PromoClasses.Contains(name))
            {
                return AnnotationKind.Promo;
            }
        }

        return null;
    }

    private sealed class BlockCollector
    {
        private readonly StringBuilder current = new();
        private string? currentLink;
        private AnnotationKind? hint;

        public List<TextBlock> Blocks { get; } = [];

        public void Walk(INode node)
        {
            foreach (var child in node.ChildNodes)
            {
                switch (child)
                {
                    case IText text:
                        current.Append(text.Data);
                        break;
                    case IElement element when SkippedTags.Contains(element.LocalName):
                        break;
                    case IElement element when element.LocalName == "br":
                        Flush();
                        break;
                    case IElement element when BlockTags.Contains(element.LocalName):
                        Flush();
                        var outerHint = hint;
                        hint ??= HintOf(element);
                        Walk(element);
                        Flush();
                        hint = outerHint;
                        break;
                    case IElement element:
                        if (element.LocalName == "a" && currentLink is null && element.GetAttribute("href") is { Length: > 0 } href)
                        {
                            currentLink = href;
                        }

                        Walk(element);
                        break;
                    default:
                        break;
                }
            }
        }

        public void Flush()
        {
            var text = CollapseWhitespace(current.ToString());
            if (text.Length > 0)
            {
                Blocks.Add(new TextBlock(text, currentLink, hint));
            }

            current.Clear();
            currentLink = null;
        }
    }
}
