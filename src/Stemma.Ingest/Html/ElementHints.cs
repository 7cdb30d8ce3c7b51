using AngleSharp.Dom;

namespace Stemma.Ingest.Html;

/// <summary>What an element's tag, role, class and id say about its content.</summary>
internal enum ElementHint
{
    None,
    /// <summary>Semantic article markup: article, main, role=main, itemprop=articleBody.</summary>
    Semantic,
    /// <summary>Class or id suggests content (article, content, entry, post, story, body...).</summary>
    Positive,
    /// <summary>Navigation, sidebar, footer, share bar, related list, cookie banner, advertising...</summary>
    Boilerplate,
    /// <summary>A comment section: boilerplate however large it is.</summary>
    Comments,
    /// <summary>Cookie banner, consent dialog, share bar, related list, advertising: never a layout wrapper, however large.</summary>
    Intrusive,
    /// <summary>Byline, date line or entry metadata: dropped when short.</summary>
    Byline,
}

/// <summary>Reads tag names, ARIA roles and class/id words. Lists are multilingual where sites use their own words.</summary>
internal static class ElementHints
{
    // Substrings of class/id that mark boilerplate; matched case-insensitively.
    // Layout words that also name wrappers of the whole page ("off-canvas-wrap", "page-with-sidebar", "menu-open").
    private static readonly string[] BoilerplateFragments =
    [
        "sidebar", "footer", "navigation", "navbar", "banner", "masthead", "menu", "toolbar", "overlay",
        "offcanvas", "off-canvas", "dropdown", "print-only", "hidden-print-none",
    ];

    // Words that name a thing laid over or beside the article, never a wrapper of it.
    private static readonly string[] IntrusiveFragments =
    [
        "cookie", "consent", "gdpr", "cmplz", "modal", "breadcrumb", "newsletter", "advert", "social", "sharing", "shariff",
        "share", "related", "recommend", "promo", "sponsor", "popup", "pagination", "pager", "subscribe", "signup",
        "login", "tagcloud", "skiplink", "skip-link", "author-box", "authorbox", "outbrain", "taboola", "plista",
        "teaser-list", "most-read", "mostread", "trending", "werbung", "anzeige", "reklama", "polecane",
        "zobacz-tez", "powiazane", "lesen-sie-auch", "mehr-zum-thema", "weitere-artikel", "disclaimer", "disclosure",
    ];

    // Whole class/id words that mark boilerplate (too short to match as substrings).
    private static readonly HashSet<string> BoilerplateWords = new(StringComparer.Ordinal)
    {
        "nav", "ad", "ads", "adv", "aside", "tags", "tag-list", "taglist", "footnotes-nav", "header-nav", "links",
        "sitemap", "legal", "copyright", "rating",
    };

    private static readonly string[] CommentFragments = ["comment", "disqus", "respond", "kommentare", "komentarz", "commentaires", "leserbrief", "discussion"];

    private static readonly string[] ContentFragments =
    [
        "article", "content", "entry", "post", "story", "body", "text", "main", "artikel", "beitrag", "inhalt",
        "tresc", "contenu", "blog", "richtext", "rich-text", "prose", "news",
    ];

    // Specific enough to win over a content word in the same attribute ("entry-meta", "article-byline").
    private static readonly string[] SpecificBylineFragments =
    [
        "byline", "author", "dateline", "published", "posted", "timestamp", "postmeta", "post-meta", "entry-meta",
        "article-meta", "meta-info", "metadata", "pubdate", "publish-date",
    ];

    private static readonly string[] GenericBylineFragments = ["date", "time", "meta", "autor", "datum"];

    public static ElementHint Classify(IElement element)
    {
        var tag = element.LocalName;
        switch (tag)
        {
            case "dialog":
                // A dialog is laid over the page (cookie settings, sign-up): never the wrapper of the article, however long.
                return ElementHint.Intrusive;
            case "nav" or "aside" or "footer" or "menu":
                return ElementHint.Boilerplate;
            case "article" or "main":
                return ElementHint.Semantic;
            case "address":
                return ElementHint.Byline;
            default:
                break;
        }

        var role = element.GetAttribute("role");
        if (role is not null)
        {
            if (role.Equals("navigation", StringComparison.OrdinalIgnoreCase)
                || role.Equals("complementary", StringComparison.OrdinalIgnoreCase)
                || role.Equals("contentinfo", StringComparison.OrdinalIgnoreCase)
                || role.Equals("menu", StringComparison.OrdinalIgnoreCase)
                || role.Equals("menubar", StringComparison.OrdinalIgnoreCase)
                || role.Equals("banner", StringComparison.OrdinalIgnoreCase)
                || role.Equals("search", StringComparison.OrdinalIgnoreCase))
            {
                return ElementHint.Boilerplate;
            }
            if (role.Equals("dialog", StringComparison.OrdinalIgnoreCase) || role.Equals("alertdialog", StringComparison.OrdinalIgnoreCase))
            {
                return ElementHint.Intrusive;
            }

            if (role.Equals("main", StringComparison.OrdinalIgnoreCase) || role.Equals("article", StringComparison.OrdinalIgnoreCase))
            {
                return ElementHint.Semantic;
            }
        }

        var itemprop = element.GetAttribute("itemprop");
        if (itemprop is not null && (itemprop.Contains("articleBody", StringComparison.OrdinalIgnoreCase) || itemprop.Equals("text", StringComparison.OrdinalIgnoreCase)))
        {
            return ElementHint.Semantic;
        }
        if (itemprop is not null && (itemprop.Equals("author", StringComparison.OrdinalIgnoreCase) || itemprop.StartsWith("date", StringComparison.OrdinalIgnoreCase)))
        {
            return ElementHint.Byline;
        }

        var classes = element.GetAttribute("class");
        var id = element.Id;
        if (string.IsNullOrEmpty(classes) && string.IsNullOrEmpty(id))
        {
            return tag == "form" ? ElementHint.Boilerplate : ElementHint.None;
        }
        var words = WithoutTaxonomyWords(string.Concat(classes ?? string.Empty, " ", id ?? string.Empty).ToLowerInvariant());

        if (ContainsAny(words, CommentFragments) && !words.Contains("commentary", StringComparison.Ordinal))
        {
            return ElementHint.Comments;
        }
        var intrusive = ContainsAny(words, IntrusiveFragments);
        var boilerplate = intrusive || ContainsAny(words, BoilerplateFragments) || HasWord(words, BoilerplateWords);
        var content = ContainsAny(words, ContentFragments);
        // "teaser" alone marks cards linking to other stories; "article-teaser" is the article's own lead.
        if ((intrusive || words.Contains("teaser", StringComparison.Ordinal)) && !content)
        {
            return ElementHint.Intrusive;
        }
        if (boilerplate && !content)
        {
            return ElementHint.Boilerplate;
        }
        if (ContainsAny(words, SpecificBylineFragments) || (!content && ContainsAny(words, GenericBylineFragments)))
        {
            return ElementHint.Byline;
        }
        if (boilerplate)
        {
            // "content-sidebar", "post-share", "entry-footer": the boilerplate word is the more specific one.
            return ElementHint.Boilerplate;
        }
        if (content)
        {
            return ElementHint.Positive;
        }
        return tag == "form" ? ElementHint.Boilerplate : ElementHint.None;
    }

    /// <summary>
    /// Blog engines put the post's categories and tags in its class ("category-kommentar", "tag-social-media");
    /// they describe the topic, not the element.
    /// </summary>
    private static string WithoutTaxonomyWords(string words)
    {
        if (!words.Contains("category-", StringComparison.Ordinal) && !words.Contains("tag-", StringComparison.Ordinal))
        {
            return words;
        }
        var parts = words.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var kept = new List<string>(parts.Length);
        foreach (var part in parts)
        {
            var isTaxonomy = part.StartsWith("category-", StringComparison.Ordinal)
                || (part.StartsWith("tag-", StringComparison.Ordinal) && !BoilerplateWords.Contains(part));
            if (!isTaxonomy)
            {
                kept.Add(part);
            }
        }
        return string.Join(' ', kept);
    }

    private static bool ContainsAny(string words, string[] fragments)
    {
        foreach (var fragment in fragments)
        {
            if (words.Contains(fragment, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

    private static bool HasWord(string words, HashSet<string> set)
    {
        var start = -1;
        for (var i = 0; i <= words.Length; i++)
        {
            var isSeparator = i == words.Length || words[i] is ' ' or '_' or '\t';
            if (isSeparator)
            {
                if (start >= 0)
                {
                    var word = words[start..i];
                    if (set.Contains(word) || HasDashWord(word, set))
                    {
                        return true;
                    }
                }
                start = -1;
            }
            else if (start < 0)
            {
                start = i;
            }
        }
        return false;
    }

    // "main-nav", "ad-slot": a listed word as a dash-separated part.
    private static bool HasDashWord(string word, HashSet<string> set)
    {
        if (!word.Contains('-', StringComparison.Ordinal))
        {
            return false;
        }
        foreach (var part in word.Split('-'))
        {
            if (part.Length > 0 && set.Contains(part))
            {
                return true;
            }
        }
        return false;
    }
}
