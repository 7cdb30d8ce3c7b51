using System.Net;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using Stemma.Ingest.Annotations;

namespace Stemma.Ingest.Formats;

/// <summary>
/// RSS 2.0 (and RDF/RSS 1.0) items and Atom entries. The feed is read as a stream of items so one malformed
/// item late in a feed still leaves the earlier ones read, and a feed past the size cap is streamed from disk.
/// </summary>
internal static class FeedFormat
{
    private static readonly XNamespace ContentNamespace = "http://purl.org/rss/1.0/modules/content/";

    /// <param name="stream">The feed content.</param>
    /// <param name="source">The file being read.</param>
    /// <param name="reopen">Opens the content again from the start, for feeds too large to hold in memory.</param>
    public static IEnumerable<ReadOutcome> Read(Stream stream, SourceContext source, Func<Stream> reopen)
    {
        byte[]? bytes;
        try
        {
            bytes = StreamLimits.ReadBounded(stream, source.Options.MaxDocumentBytes);
        }
        catch (InputTooLargeException)
        {
            bytes = null;
        }

        TextReader textReader;
        string? warning = null;
        if (bytes is not null)
        {
            // Decoding ourselves (rather than letting XmlReader) gives the same charset rules and Windows-1252 fallback as pages.
            var decoded = TextDecoding.Decode(bytes);
            warning = StreamLimits.DecodingWarning(decoded);
            textReader = new StringReader(FeedRepair.Repair(decoded.Text));
        }
        else
        {
            // Too large to hold: stream it item by item. The charset comes from the BOM or declaration (else UTF-8);
            // without the whole text there is no Windows-1252 fallback, undecodable bytes become U+FFFD.
            byte[] head;
            using (var headStream = reopen())
            {
                head = new byte[TextDecoding.SniffBytes];
                head = head[..headStream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false)];
            }

            var (encoding, _, _) = TextDecoding.DetectEncoding(head);
            textReader = new StreamReader(reopen(), encoding, detectEncodingFromByteOrderMarks: true);
        }

        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Ignore,
            XmlResolver = null,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            CloseInput = true,
        };
        using var xml = XmlReader.Create(textReader, settings);
        var channel = new ChannelInfo();
        var itemNumber = 0;
        var sawRoot = false;
        var maxDepth = source.Options.Limits.MaxHtmlDepth;
        while (true)
        {
            var (element, error, refused) = NextElement(xml, channel, maxDepth, ref sawRoot);
            if (error is not null)
            {
                yield return source.Error(error, itemNumber + 1);
                yield break;
            }

            if (refused is not null)
            {
                itemNumber++;
                yield return source.Error(refused, itemNumber);
                continue;
            }

            if (element is null)
            {
                break;
            }

            itemNumber++;
            ReadOutcome outcome;
            try
            {
                outcome = ReadItem(element, channel, source, itemNumber, warning);
            }
            catch (IngestLimitException ex)
            {
                outcome = source.Error(ex.Message, itemNumber);
            }

            yield return outcome;
        }

        if (!sawRoot)
        {
            yield return source.Error("not an RSS or Atom feed (no rss, feed or RDF root element)");
        }
        else if (itemNumber == 0)
        {
            yield return source.Error("feed has no items");
        }
    }

    /// <summary>Advances to the next item or entry, collecting channel-level title, link and language on the way.</summary>
    private static (XElement? Element, string? Error, string? Refused) NextElement(XmlReader xml, ChannelInfo channel, int maxDepth, ref bool sawRoot)
    {
        try
        {
            while (!xml.EOF)
            {
                if (xml.NodeType != XmlNodeType.Element)
                {
                    xml.Read();
                    continue;
                }

                var name = xml.LocalName;
                if (xml.Depth == 0)
                {
                    if (name is not ("rss" or "feed" or "RDF"))
                    {
                        return (null, null, null);
                    }

                    sawRoot = true;
                    channel.Language ??= xml.GetAttribute("xml:lang");
                    xml.Read();
                    continue;
                }

                if (name is "item" or "entry")
                {
                    var item = ReadBounded(xml, maxDepth);
                    return item is null
                        ? (null, null, new IngestLimitException($"item nests elements more than {maxDepth:N0} deep", nameof(IngestLimits.MaxHtmlDepth), maxDepth).Message)
                        : (item, null, null);
                }

                if (name == "channel")
                {
                    xml.Read();
                    continue;
                }

                // Channel/feed metadata sits just below the channel (RSS) or the root (Atom).
                var element = ReadBounded(xml, maxDepth);
                switch (element is null ? null : name)
                {
                    case "title":
                        channel.Title ??= element!.Value.Trim();
                        break;
                    case "link":
                        channel.Link ??= LinkOf(element);
                        break;
                    case "language":
                        channel.Language ??= element!.Value.Trim();
                        break;
                    default:
                        break;
                }
            }

            return (null, null, null);
        }
        catch (XmlException ex)
        {
            return (null, $"invalid XML at line {ex.LineNumber}, column {ex.LinePosition}: {ex.Message}", null);
        }
    }

    /// <summary>
    /// Reads the element at the reader into an XElement without recursion, as XNode.ReadFrom would, but gives up on
    /// elements nested more than maxDepth below it: it then skips to the element's end (streaming) and returns null.
    /// </summary>
    private static XElement? ReadBounded(XmlReader xml, int maxDepth)
    {
        var baseDepth = xml.Depth;
        var root = NewElement(xml);
        if (xml.IsEmptyElement)
        {
            xml.Read();
            return root;
        }

        var current = root;
        while (xml.Read())
        {
            switch (xml.NodeType)
            {
                case XmlNodeType.Element:
                    if (xml.Depth - baseDepth > maxDepth)
                    {
                        while (xml.Read() && xml.Depth > baseDepth)
                        {
                        }

                        // Now on the element's end tag: step past it.
                        xml.Read();
                        return null;
                    }

                    var child = NewElement(xml);
                    current.Add(child);
                    if (!xml.IsEmptyElement)
                    {
                        current = child;
                    }

                    break;
                case XmlNodeType.Text or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace:
                    current.Add(new XText(xml.Value));
                    break;
                case XmlNodeType.CDATA:
                    current.Add(new XCData(xml.Value));
                    break;
                case XmlNodeType.EndElement:
                    if (ReferenceEquals(current, root))
                    {
                        xml.Read();
                        return root;
                    }

                    current = current.Parent!;
                    break;
                default:
                    break;
            }
        }

        throw new XmlException("unexpected end of the feed inside an element");
    }

    private static XElement NewElement(XmlReader xml)
    {
        var element = new XElement(XName.Get(xml.LocalName, xml.NamespaceURI));
        if (xml.MoveToFirstAttribute())
        {
            do
            {
                var name = xml.Prefix.Length == 0 && xml.LocalName == "xmlns"
                    ? XNamespace.None + "xmlns"
                    : XName.Get(xml.LocalName, xml.NamespaceURI);
                element.Add(new XAttribute(name, xml.Value));
            }
            while (xml.MoveToNextAttribute());
            xml.MoveToElement();
        }

        return element;
    }

    private static ReadOutcome ReadItem(XElement item, ChannelInfo channel, SourceContext source, int itemNumber, string? warning)
    {
        var isAtom = item.Name.LocalName == "entry";
        var title = HtmlText.ToInlineText(Child(item, "title")?.Value);
        var link = isAtom ? AtomLink(item) : Child(item, "link")?.Value.Trim() is { Length: > 0 } rssLink ? rssLink : null;
        var guid = Child(item, isAtom ? "id" : "guid")?.Value.Trim();
        var bodyHtml = isAtom ? AtomText(Child(item, "content")) ?? AtomText(Child(item, "summary")) : item.Element(ContentNamespace + "encoded")?.Value ?? Child(item, "description")?.Value;
        var dateText = Child(item, "pubDate")?.Value ?? Child(item, "published")?.Value ?? Child(item, "date")?.Value ?? Child(item, "updated")?.Value;
        var author = Child(item, "creator")?.Value ?? Child(Child(item, "author"), "name")?.Value ?? Child(item, "author")?.Value;
        var sourceElement = Child(item, "source");
        var blocks = HtmlText.ToBlocks(bodyHtml, source.Options.Limits);
        if (blocks.Count == 0)
        {
            return source.Error("feed item has no content or description", itemNumber);
        }

        var article = ArticleAssembler.Build(new ArticleDraft
        {
            Id = NonEmpty(guid) ?? link ?? $"{source.Id}#{itemNumber}",
            Title = title,
            Paragraphs = blocks,
            SourcePath = source.Path,
            Url = link,
            Date = DateParsing.Parse(dateText),
            Site = SiteNames.FromUrl(link) ?? SiteNames.FromUrl(channel.Link),
            Author = author?.Trim(),
            Language = item.Attribute(XNamespace.Xml + "lang")?.Value ?? channel.Language,
            Attribution = sourceElement is null ? null : SiteNames.FromUrl(sourceElement.Attribute("url")?.Value) ?? NonEmpty(sourceElement.Value.Trim()),
            Format = "feed",
        });
        return article.Body.Length == 0 ? source.Error("feed item has no body text", itemNumber) : source.Success(article, warning);
    }

    private static XElement? Child(XElement? parent, string localName) =>
        parent?.Elements().FirstOrDefault(element => element.Name.LocalName == localName);

    private static string? AtomLink(XElement entry)
    {
        var links = entry.Elements().Where(element => element.Name.LocalName == "link").ToList();
        var alternate = links.FirstOrDefault(link => (string?)link.Attribute("rel") is null or "alternate");
        return LinkOf(alternate ?? links.FirstOrDefault());
    }

    private static string? LinkOf(XElement? link) =>
        link is null ? null : NonEmpty(link.Attribute("href")?.Value) ?? NonEmpty(link.Value.Trim());

    /// <summary>Atom text constructs: html is escaped markup, xhtml is inline markup, text is plain.</summary>
    private static string? AtomText(XElement? element)
    {
        if (element is null)
        {
            return null;
        }

        var type = (string?)element.Attribute("type");
        if (type == "xhtml")
        {
            return string.Concat(element.Nodes().Select(node => node.ToString(SaveOptions.DisableFormatting)));
        }

        return type is "text" ? System.Net.WebUtility.HtmlEncode(element.Value).Replace("\n", "<br>", StringComparison.Ordinal) : element.Value;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private sealed class ChannelInfo
    {
        public string? Title { get; set; }

        public string? Link { get; set; }

        public string? Language { get; set; }
    }
}

/// <summary>
/// The mistakes real feeds make that stop an XML parser, mended before parsing: a bare '&amp;' (in a link's query or a
/// title), HTML entities XML does not define (<c>&amp;nbsp;</c>, <c>&amp;eacute;</c>), control characters pasted from word
/// processors and references to characters XML cannot hold. Without this, every item from the first such mistake on
/// was lost (one bad link in the first item lost the whole feed). A well-formed feed is left exactly as it is.
/// </summary>
internal static class FeedRepair
{
    public static string Repair(string xml)
    {
        ArgumentNullException.ThrowIfNull(xml);
        var mended = Controls.Replace(xml, string.Empty);
        return Ampersands.Replace(mended, static match => Mend(match.Value));
    }

    private static string Mend(string reference)
    {
        if (reference.Length == 1)
        {
            return "&amp;";
        }

        // CDATA holds text as it is: nothing there needs escaping.
        if (reference[0] == '<')
        {
            return reference;
        }

        var name = reference[1..^1];
        if (name[0] == '#')
        {
            var hex = name.Length > 1 && name[1] is 'x' or 'X';
            var digits = hex ? name[2..] : name[1..];
            var valid = int.TryParse(digits, hex ? System.Globalization.NumberStyles.AllowHexSpecifier : System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var code)
                && code is 0x9 or 0xA or 0xD or (>= 0x20 and <= 0xD7FF) or (>= 0xE000 and <= 0xFFFD) or (>= 0x10000 and <= 0x10FFFF);
            return valid ? reference : "&#xFFFD;";
        }

        if (name is "amp" or "lt" or "gt" or "quot" or "apos")
        {
            return reference;
        }

        var decoded = WebUtility.HtmlDecode(reference);
        return decoded == reference
            ? "&amp;" + reference[1..]
            : string.Concat(decoded.EnumerateRunes().Select(static rune => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"&#{rune.Value};")));
    }

    /// <summary>A CDATA section (kept whole), or an ampersand and the reference it starts, if any.</summary>
    private static readonly Regex Ampersands = new("<!\\[CDATA\\[[\\s\\S]*?\\]\\]>|&(?:#[0-9]{1,8};|#[xX][0-9A-Fa-f]{1,8};|[A-Za-z][A-Za-z0-9]{1,31};)?");

    /// <summary>Characters XML 1.0 cannot hold, written raw (C0 controls but tab and line ends).</summary>
    private static readonly Regex Controls = new("[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F]");
}

