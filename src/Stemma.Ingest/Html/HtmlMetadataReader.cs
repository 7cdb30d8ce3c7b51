using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;

namespace Stemma.Ingest.Html;

/// <summary>What a page's JSON-LD says about its article (the first Article-like object found).</summary>
internal sealed record LinkedDataArticle(string? Headline, string? DatePublished, string? Author, string? ArticleBody, string? Language, string? Url);

/// <summary>Reads title, date, site, URL, author and language from meta tags, JSON-LD and markup.</summary>
internal static class HtmlMetadataReader
{
    private static readonly string[] DateMetaNames =
    [
        "article:published_time", "og:article:published_time", "datepublished", "publishdate", "publish-date", "publish_date",
        "pubdate", "publication_date", "published_time", "sailthru.date", "parsely-pub-date", "dc.date.issued", "dc.date",
        "dcterms.date", "dcterms.created", "dcterms.issued", "date", "article.published", "originalpublicationdate", "created",
    ];

    private static readonly string[] AuthorMetaNames = ["author", "article:author", "dc.creator", "dcterms.creator", "parsely-author", "sailthru.author", "byl"];

    public static HtmlMetadata Read(IHtmlDocument document, LinkedDataArticle? linkedData, string? givenUrl)
    {
        var meta = CollectMeta(document);

        var url = AbsoluteHttpUrl(document.QuerySelector("link[rel~=canonical]")?.GetAttribute("href"), givenUrl)
            ?? AbsoluteHttpUrl(Get(meta, "og:url"), givenUrl)
            ?? AbsoluteHttpUrl(givenUrl, null)
            ?? AbsoluteHttpUrl(linkedData?.Url, givenUrl);

        return new HtmlMetadata
        {
            Title = ReadTitle(document, meta, linkedData),
            Date = ReadDate(document, meta, linkedData),
            Site = SiteOf(url),
            Url = url,
            Author = ReadAuthor(document, meta, linkedData),
            Language = ReadLanguage(document, meta, linkedData),
        };
    }

    /// <summary>Finds the page's Article-like JSON-LD object; malformed blocks are skipped.</summary>
    public static LinkedDataArticle? ReadLinkedData(IDocument document)
    {
        LinkedDataArticle? best = null;
        var bestRank = 0;
        foreach (var script in document.QuerySelectorAll("script[type]"))
        {
            if (!script.GetAttribute("type")!.Contains("ld+json", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            // Raw line breaks inside JSON strings are common in the wild and invalid JSON; as spaces they are harmless.
            var json = ControlCharacters.Replace(script.TextContent, " ");
            try
            {
                using var parsed = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, MaxDepth = 64 });
                FindArticle(parsed.RootElement, 0, ref best, ref bestRank);
            }
            catch (JsonException)
            {
                // Broken JSON-LD is just missing evidence.
            }
        }
        return best;
    }

    private static void FindArticle(JsonElement element, int depth, ref LinkedDataArticle? best, ref int bestRank)
    {
        if (depth > 8)
        {
            return;
        }
        if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                FindArticle(item, depth + 1, ref best, ref bestRank);
            }
            return;
        }
        if (element.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        var rank = RankType(element);
        if (rank > bestRank)
        {
            bestRank = rank;
            best = new LinkedDataArticle(
                StringProperty(element, "headline") ?? StringProperty(element, "name"),
                StringProperty(element, "datePublished") ?? StringProperty(element, "dateCreated"),
                AuthorName(element),
                StringProperty(element, "articleBody"),
                StringProperty(element, "inLanguage"),
                StringProperty(element, "url"));
        }
        foreach (var property in element.EnumerateObject())
        {
            if (property.Value.ValueKind is JsonValueKind.Array or JsonValueKind.Object && property.Name is "@graph" or "mainEntity" or "mainEntityOfPage" or "hasPart" or "itemListElement")
            {
                FindArticle(property.Value, depth + 1, ref best, ref bestRank);
            }
        }
    }

    // An object with an article body beats a typed Article, which beats a WebPage.
    private static int RankType(JsonElement element)
    {
        var rank = 0;
        if (element.TryGetProperty("@type", out var type))
        {
            var types = type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.ToString()) : [type.ToString()];
            foreach (var name in types)
            {
                if (name.EndsWith("Article", StringComparison.Ordinal) || name is "BlogPosting" or "LiveBlogPosting" or "Report" or "SocialMediaPosting")
                {
                    rank = Math.Max(rank, 3);
                }
                else if (name.EndsWith("WebPage", StringComparison.Ordinal))
                {
                    rank = Math.Max(rank, 1);
                }
            }
        }
        if (rank > 0 && element.TryGetProperty("articleBody", out var body) && body.ValueKind == JsonValueKind.String)
        {
            rank += 2;
        }
        return rank;
    }

    private static string? StringProperty(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            return null;
        }
        return value.ValueKind switch
        {
            JsonValueKind.String => NullIfBlank(Formats.JsonFields.StringOf(value)),
            JsonValueKind.Array when value.GetArrayLength() > 0 && value[0].ValueKind == JsonValueKind.String => NullIfBlank(Formats.JsonFields.StringOf(value[0])),
            JsonValueKind.Object when value.TryGetProperty("@value", out var inner) && inner.ValueKind == JsonValueKind.String => NullIfBlank(Formats.JsonFields.StringOf(inner)),
            _ => null,
        };
    }

    private static string? AuthorName(JsonElement element)
    {
        if (!element.TryGetProperty("author", out var author))
        {
            return null;
        }
        var names = new List<string>();
        void Add(JsonElement item)
        {
            var name = item.ValueKind switch
            {
                JsonValueKind.String => Formats.JsonFields.StringOf(item),
                JsonValueKind.Object => StringProperty(item, "name"),
                _ => null,
            };
            if (!string.IsNullOrWhiteSpace(name) && !LooksLikeUrl(name))
            {
                names.Add(CollapseWhitespace(name));
            }
        }
        if (author.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in author.EnumerateArray())
            {
                Add(item);
            }
        }
        else
        {
            Add(author);
        }
        return names.Count == 0 ? null : string.Join(", ", names);
    }

    private static Dictionary<string, string> CollectMeta(IDocument document)
    {
        var meta = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var element in document.QuerySelectorAll("meta"))
        {
            var content = element.GetAttribute("content");
            if (string.IsNullOrWhiteSpace(content))
            {
                continue;
            }
            foreach (var keyAttribute in MetaKeyAttributes)
            {
                var key = element.GetAttribute(keyAttribute);
                if (!string.IsNullOrWhiteSpace(key))
                {
                    meta.TryAdd(key.Trim(), content.Trim());
                }
            }
        }
        return meta;
    }

    private static readonly string[] MetaKeyAttributes = ["property", "name", "itemprop", "http-equiv"];

    private static string? Get(Dictionary<string, string> meta, string key) => meta.TryGetValue(key, out var value) ? value : null;

    private static string? ReadTitle(IDocument document, Dictionary<string, string> meta, LinkedDataArticle? linkedData)
    {
        var siteName = Get(meta, "og:site_name");
        var ogTitle = Get(meta, "og:title") ?? Get(meta, "twitter:title");
        if (!string.IsNullOrWhiteSpace(ogTitle))
        {
            return StripSiteSuffix(CollapseWhitespace(ogTitle), siteName, onlyKnownSite: true);
        }
        if (!string.IsNullOrWhiteSpace(linkedData?.Headline))
        {
            return CollapseWhitespace(linkedData.Headline);
        }
        var h1 = document.QuerySelector("h1");
        if (h1 is not null)
        {
            var text = CollapseWhitespace(h1.TextContent);
            if (text.Length > 0)
            {
                return text;
            }
        }
        var title = document.QuerySelector("title")?.TextContent;
        return string.IsNullOrWhiteSpace(title) ? null : StripSiteSuffix(CollapseWhitespace(title), siteName, onlyKnownSite: false);
    }

    /// <summary>Removes " | Site", " - Site" and the like from the end (or a "Site | " prefix) of a page title.</summary>
    internal static string StripSiteSuffix(string title, string? siteName, bool onlyKnownSite)
    {
        if (!string.IsNullOrWhiteSpace(siteName))
        {
            var site = CollapseWhitespace(siteName);
            foreach (var separator in TitleSeparators)
            {
                var suffix = separator + site;
                if (title.Length > suffix.Length && title.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
                {
                    return title[..^suffix.Length].TrimEnd();
                }
                var prefix = site + separator;
                if (title.Length > prefix.Length && title.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                {
                    return title[prefix.Length..].TrimStart();
                }
            }
        }
        if (onlyKnownSite)
        {
            return title;
        }
        // Unknown site name: cut the last separated part when it is short next to the rest.
        foreach (var separator in TitleSeparators)
        {
            var at = title.LastIndexOf(separator, StringComparison.Ordinal);
            if (at > 0)
            {
                var head = title[..at].TrimEnd();
                var tail = title[(at + separator.Length)..];
                if (tail.Length <= 40 && tail.Length < head.Length && CountWords(head) >= 2)
                {
                    return head;
                }
            }
        }
        return title;
    }

    private static readonly string[] TitleSeparators = [" | ", " - ", " – ", " — ", " :: ", " « ", " » ", " · ", " // "];

    private static int CountWords(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;

    private static DateTimeOffset? ReadDate(IDocument document, Dictionary<string, string> meta, LinkedDataArticle? linkedData)
    {
        var fromMeta = ParseDate(Get(meta, "article:published_time")) ?? ParseDate(Get(meta, "og:article:published_time"));
        if (fromMeta is not null)
        {
            return fromMeta;
        }
        var fromLinkedData = ParseDate(linkedData?.DatePublished);
        if (fromLinkedData is not null)
        {
            return fromLinkedData;
        }
        var time = document.QuerySelector("time[pubdate][datetime], [itemprop=datePublished][datetime], [itemprop=datePublished][content]");
        var fromTime = ParseDate(time?.GetAttribute("datetime") ?? time?.GetAttribute("content"));
        if (fromTime is not null)
        {
            return fromTime;
        }
        foreach (var name in DateMetaNames)
        {
            var parsed = ParseDate(Get(meta, name));
            if (parsed is not null)
            {
                return parsed;
            }
        }
        foreach (var element in document.QuerySelectorAll("time[datetime]"))
        {
            var parsed = ParseDate(element.GetAttribute("datetime"));
            if (parsed is not null)
            {
                return parsed;
            }
        }
        return null;
    }

    private static readonly string[] ExactDateFormats =
    [
        "yyyyMMdd", "yyyyMMddHHmmss", "dd.MM.yyyy", "d.M.yyyy", "dd.MM.yyyy HH:mm", "dd.MM.yyyy, HH:mm", "yyyy/MM/dd",
        "yyyy-MM-dd HH:mm:ss zzz", "yyyy-MM-ddTHH:mm:ss.fffffffzzz",
    ];

    /// <summary>Parses the date forms found in meta tags and JSON-LD; a time without a zone is taken as UTC.</summary>
    internal static DateTimeOffset? ParseDate(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        var value = text.Trim();
        // "+0200" zone without colon, and a trailing "Z" after an explicit zone, both occur in the wild.
        value = ZoneWithoutColon.Replace(value, "$1:$2");
        const DateTimeStyles styles = DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces;
        // Exact forms first: the invariant culture would read "03.02.2021" month-first.
        if (DateTimeOffset.TryParseExact(value, ExactDateFormats, CultureInfo.InvariantCulture, styles, out var parsed)
            || DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, styles, out parsed))
        {
            return parsed.Year is >= 1970 and <= 2200 ? parsed : null;
        }
        return null;
    }

    private static string? ReadAuthor(IDocument document, Dictionary<string, string> meta, LinkedDataArticle? linkedData)
    {
        var fromMeta = Get(meta, "author");
        if (!string.IsNullOrWhiteSpace(fromMeta) && !LooksLikeUrl(fromMeta))
        {
            return CollapseWhitespace(fromMeta);
        }
        if (!string.IsNullOrWhiteSpace(linkedData?.Author))
        {
            return linkedData.Author;
        }
        foreach (var name in AuthorMetaNames)
        {
            var value = Get(meta, name);
            if (!string.IsNullOrWhiteSpace(value) && !LooksLikeUrl(value))
            {
                return CollapseWhitespace(value);
            }
        }
        var element = document.QuerySelector("[itemprop=author] [itemprop=name], [itemprop=author], a[rel~=author], [rel~=author]");
        var text = element is null ? null : CollapseWhitespace(element.GetAttribute("content") ?? element.TextContent);
        return string.IsNullOrEmpty(text) || text.Length > 120 ? null : text;
    }

    private static string? ReadLanguage(IDocument document, Dictionary<string, string> meta, LinkedDataArticle? linkedData)
        => LanguageCode(document.DocumentElement?.GetAttribute("lang"))
            ?? LanguageCode(document.DocumentElement?.GetAttribute("xml:lang"))
            ?? LanguageCode(Get(meta, "og:locale"))
            ?? LanguageCode(Get(meta, "content-language"))
            ?? LanguageCode(Get(meta, "language"))
            ?? LanguageCode(Get(meta, "dc.language"))
            ?? LanguageCode(linkedData?.Language);

    /// <summary>"de-DE", "pl_PL", "EN" → the ISO 639-1 code; anything else → null.</summary>
    internal static string? LanguageCode(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        var span = value.AsSpan().Trim();
        var comma = span.IndexOf(',');
        if (comma >= 0)
        {
            span = span[..comma].Trim();
        }
        var end = span.IndexOfAny('-', '_');
        if (end >= 0)
        {
            span = span[..end];
        }
        return span.Length == 2 && char.IsAsciiLetter(span[0]) && char.IsAsciiLetter(span[1]) ? span.ToString().ToLowerInvariant() : null;
    }

    /// <summary>Host of an absolute URL, lower case, without a leading "www.".</summary>
    internal static string? SiteOf(string? url)
    {
        if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            return null;
        }
        var host = uri.Host.ToLowerInvariant();
        return host.StartsWith("www.", StringComparison.Ordinal) ? host[4..] : host;
    }

    private static string? AbsoluteHttpUrl(string? candidate, string? baseUrl)
    {
        if (string.IsNullOrWhiteSpace(candidate))
        {
            return null;
        }
        candidate = candidate.Trim();
        if (Uri.TryCreate(candidate, UriKind.Absolute, out var absolute) && (absolute.Scheme == Uri.UriSchemeHttp || absolute.Scheme == Uri.UriSchemeHttps))
        {
            return absolute.ToString();
        }
        if (baseUrl is not null && Uri.TryCreate(baseUrl, UriKind.Absolute, out var baseUri) && Uri.TryCreate(baseUri, candidate, out var resolved)
            && (resolved.Scheme == Uri.UriSchemeHttp || resolved.Scheme == Uri.UriSchemeHttps))
        {
            return resolved.ToString();
        }
        return null;
    }

    private static bool LooksLikeUrl(string value) => value.StartsWith("http", StringComparison.OrdinalIgnoreCase) || value.StartsWith("//", StringComparison.Ordinal);

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    internal static string CollapseWhitespace(string text) => TextRun.Collapse(text);

    private static readonly Regex ZoneWithoutColon = new(@"([+-]\d\d)(\d\d)$", RegexOptions.CultureInvariant);

    private static readonly Regex ControlCharacters = new(@"[\u0000-\u001F]", RegexOptions.CultureInvariant);
}
