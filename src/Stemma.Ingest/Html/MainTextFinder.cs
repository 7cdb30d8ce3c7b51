using System.Net;
using System.Text.RegularExpressions;
using AngleSharp.Dom;

namespace Stemma.Ingest.Html;

/// <summary>
/// Finds the article on a page. The body is read once into text blocks (runs of inline text between
/// block boundaries and line breaks), each weighed as article-like ("good": sentence text outside
/// links) or boilerplate-like ("bad": link text, short fragments, text inside comment sections,
/// sidebars and the like). Every element sums the weights of the blocks below it, and the element
/// with the highest good-minus-bad score, nudged by semantic and class hints, holds the article.
/// Its blocks are then read in order, leaving out link lists, bylines and boilerplate sections
/// nested inside it.
/// </summary>
internal sealed class MainTextFinder
{
    /// <summary>Element nesting beyond this depth is not read: malformed pages can nest without end.</summary>
    private const int MaxDepth = 512;


    /// <summary>Below this score nothing on the page reads like an article.</summary>
    private const double MinimumArticleScore = 40;

    private static readonly HashSet<string> SkippedTags = new(StringComparer.Ordinal)
    {
        "script", "style", "template", "svg", "math", "iframe", "object", "embed", "canvas", "button", "select",
        "textarea", "input", "option", "video", "audio", "map", "head", "title", "meta", "link", "base", "frame", "frameset",
        "picture", "source", "track", "param", "datalist", "output", "progress", "meter",
    };

    private static readonly HashSet<string> InlineTags = new(StringComparer.Ordinal)
    {
        "a", "span", "b", "i", "em", "strong", "u", "s", "small", "big", "sub", "sup", "font", "abbr", "acronym", "cite",
        "code", "q", "mark", "time", "label", "var", "kbd", "samp", "tt", "strike", "del", "ins", "bdi", "bdo", "data",
        "nobr", "dfn", "ruby", "rt", "rp", "blink",
    };

    private readonly List<TextBlock> _blocks = [];
    private readonly TextRun _run = new();
    private int _linkDepth;
    private List<(string Text, string Fate)>? _trace;

    private MainTextFinder()
    {
    }

    public static IReadOnlyList<string> Find(IElement body, string? title, string? documentTitle, string? linkedDataBody)
        => Find(body, title, documentTitle, linkedDataBody, out _);

    /// <summary>As <see cref="Find(IElement, string?, string?, string?)"/>, also naming the element chosen as the article (for diagnostics).</summary>
    public static IReadOnlyList<string> Find(IElement body, string? title, string? documentTitle, string? linkedDataBody, out IElement? article)
        => Find(body, title, documentTitle, linkedDataBody, out article, null);

    /// <summary>As <see cref="Find(IElement, string?, string?, string?, out IElement?)"/>, also listing every text block with what became of it (diagnostics).</summary>
    public static IReadOnlyList<string> Find(IElement body, string? title, string? documentTitle, string? linkedDataBody, out IElement? article, List<(string Text, string Fate)>? trace)
    {
        var finder = new MainTextFinder { _trace = trace };
        var root = new ElementNode(body, null, ElementHint.None);
        finder.Walk(body, root, 0);
        finder.Flush(root);
        var paragraphs = finder.SelectParagraphs(root, title, documentTitle, out article);
        return FallBackToLinkedData(paragraphs, linkedDataBody);
    }

    private void Walk(IElement element, ElementNode node, int depth)
    {
        for (var child = element.FirstChild; child is not null; child = child.NextSibling)
        {
            if (child is IText text)
            {
                _run.Append(text.Data, _linkDepth > 0);
                continue;
            }
            if (child is not IElement childElement)
            {
                continue;
            }
            var tag = childElement.LocalName;
            if (SkippedTags.Contains(tag) || depth >= MaxDepth || IsHidden(childElement))
            {
                continue;
            }
            // Script-free fallbacks are mostly tracking pixels and "enable JavaScript" notes, but some sites put the whole article there.
            if (tag == "noscript" && childElement.QuerySelector("p") is null)
            {
                continue;
            }
            if (tag is "br" or "hr")
            {
                Flush(node);
                continue;
            }
            if (tag is "img" or "wbr")
            {
                _run.AppendSpace();
                continue;
            }
            if (InlineTags.Contains(tag))
            {
                var isLink = tag == "a" && childElement.HasAttribute("href");
                if (isLink)
                {
                    _linkDepth++;
                    _run.CountLink();
                }
                Walk(childElement, node, depth + 1);
                if (isLink)
                {
                    _linkDepth--;
                }
                continue;
            }

            Flush(node);
            var childNode = new ElementNode(childElement, node, ElementHints.Classify(childElement));
            node.Children.Add(childNode);
            Walk(childElement, childNode, depth + 1);
            Flush(childNode);
        }
    }

    private static bool IsHidden(IElement element)
    {
        if (element.HasAttribute("hidden"))
        {
            return true;
        }
        // Classes that hide an element whatever the style sheet says ("hidden", "d-none", "is-hidden", "alert--hidden").
        var classes = element.GetAttribute("class");
        if (classes is not null && classes.Contains("hid", StringComparison.OrdinalIgnoreCase) || classes is not null && classes.Contains("none", StringComparison.OrdinalIgnoreCase))
        {
            foreach (var word in classes.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (word is "hidden" or "d-none" or "is-hidden" or "none" or "hide" or "js-hidden" || word.EndsWith("--hidden", StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }
        var style = element.GetAttribute("style");
        return style is not null && style.Contains("display", StringComparison.OrdinalIgnoreCase) && HiddenStyle.IsMatch(style);
    }

    private void Flush(ElementNode owner)
    {
        if (_run.Length == 0)
        {
            _run.Clear();
            return;
        }
        var linkChars = _run.LinkChars;
        var linkCount = _run.LinkCount;
        var text = _run.TakeText();
        _blocks.Add(new TextBlock(text, linkChars, linkCount, owner));
    }

    private List<string> SelectParagraphs(ElementNode root, string? title, string? documentTitle, out IElement? article)
    {
        article = null;
        // First pass: raw article-likeness, ignoring hints, so that a boilerplate-sounding wrapper around most of the text is recognised.
        foreach (var block in _blocks)
        {
            var good = GoodWeight(block);
            for (var node = block.Owner; node is not null; node = node.Parent)
            {
                node.RawGood += good;
                node.Chars += block.Text.Length;
                node.LinkChars += block.LinkChars;
                node.LinkCount += block.LinkCount;
            }
        }
        MarkExcluded(root, root.RawGood);
        root.IsExcluded = false;

        // Second pass: text inside excluded sections counts against the elements that contain it.
        foreach (var block in _blocks)
        {
            var good = GoodWeight(block);
            var bad = BadWeightOf(block);
            if (IsInsideExcluded(block.Owner))
            {
                bad += good * 0.5;
                good = 0;
            }
            for (var node = block.Owner; node is not null; node = node.Parent)
            {
                node.Good += good;
                node.Bad += bad;
            }
        }

        var best = root;
        var bestScore = double.NegativeInfinity;
        ScoreAll(root, ref best, ref bestScore);
        if (bestScore < MinimumArticleScore)
        {
            // No element reads as an article, but a page with paragraphs of running text still has them: never give nothing.
            return ArticleLikeParagraphs();
        }

        (best, bestScore) = Grow(best, bestScore);
        article = best.Element;
        MarkArticle(best, bestScore);
        var kept = new List<TextBlock>();
        foreach (var block in _blocks)
        {
            if (IsKept(block) && !IsTitleRepeat(block, title, documentTitle) && !IsBareNumberOrDate(block.Text))
            {
                kept.Add(block);
            }
        }
        var (first, last) = ProseSpan(kept);
        var chosen = new List<TextBlock>(kept.Count);
        for (var i = 0; i < kept.Count; i++)
        {
            var inSpan = i >= first && i <= last;
            // Short paragraphs next to the text in the same container ("Source link", an agency tag, a sign-off) belong to it.
            var besideSpan = first >= 0 && ((i < first && IsParagraphBeside(kept[i], kept[first])) || (i > last && IsParagraphBeside(kept[i], kept[last]) && !IsTeaserLink(kept[i])));
            // List and table entries of the article outside the prose span are its content too (ingredients, facts, results), unless links.
            besideSpan |= first >= 0 && i < first && IsListOrTableEntry(kept[i]);
            if (inSpan || besideSpan)
            {
                chosen.Add(kept[i]);
            }
        }
        if (chosen.Count > 0)
        {
            chosen.InsertRange(0, LeadBefore(chosen[0], title, documentTitle));
        }
        chosen = CutTrailingBox(CutTrailingSection(chosen));
        var result = new List<string>(chosen.Count);
        foreach (var block in chosen)
        {
            result.Add(block.Text);
        }
        if (_trace is not null)
        {
            Trace(kept, first, last, result, title, documentTitle);
        }
        return result;
    }

    private void Trace(List<TextBlock> kept, int first, int last, List<string> result, string? title, string? documentTitle)
    {
        var keptIndex = new Dictionary<TextBlock, int>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < kept.Count; i++)
        {
            keptIndex[kept[i]] = i;
        }
        var output = new HashSet<string>(result, StringComparer.Ordinal);
        foreach (var block in _blocks)
        {
            string fate;
            if (keptIndex.TryGetValue(block, out var index))
            {
                fate = output.Contains(block.Text) ? "kept" : index < first || index > last ? "outside-prose-span" : "cut-trailing";
            }
            else
            {
                fate = KeepFate(block, describe: true) ?? (IsTitleRepeat(block, title, documentTitle) ? "title-repeat" : "number-or-date");
            }
            var ancestry = new System.Text.StringBuilder();
            var level = 0;
            for (var node = block.Owner; node is not null && level < 5; node = node.Parent, level++)
            {
                ancestry.Append(" < ").Append(Describe(node)).Append('/').Append(node.Hint).Append(node.IsArticle ? "/ART" : string.Empty);
            }
            _trace!.Add((block.Text, fate + " @" + Describe(block.Owner) + " links=" + block.LinkChars + " prose=" + IsProseBlock(block) + ancestry));
        }
    }

    /// <summary>
    /// The lead: paragraphs of running text between the page's headline (shortly before the article) and the article's first
    /// block, outside every excluded, byline and link section. Pages often put the standfirst in a header beside the body
    /// element, so the element chosen as the article starts below it.
    /// </summary>
    private List<TextBlock> LeadBefore(TextBlock articleStart, string? title, string? documentTitle)
    {
        var start = _blocks.IndexOf(articleStart);
        var headline = -1;
        // The earliest headline in reach: pages repeat the headline lower down (sticky bars, hidden accessibility headings).
        for (var i = Math.Max(0, start - MaxLeadDistance); i < start; i++)
        {
            if (IsHeadline(_blocks[i], title, documentTitle))
            {
                headline = i;
                break;
            }
        }
        var lead = new List<TextBlock>();
        for (var i = headline + 1; headline >= 0 && i < start; i++)
        {
            var block = _blocks[i];
            if (block.Text.Length >= MinLeadChars && block.LinkChars < 0.2 * block.Text.Length && IsProseBlock(block)
                && KeepFate(block, describe: false) == OutsideFate)
            {
                lead.Add(block);
            }
        }
        return lead;
    }

    /// <summary>
    /// The page's headline: text in an <c>h1</c> (the tag may wrap a span or div), or a heading that repeats the page's title
    /// (sites that style the headline as an <c>h2</c> or <c>h3</c>); never a link (a teaser's headline).
    /// </summary>
    private static bool IsHeadline(TextBlock block, string? title, string? documentTitle)
    {
        if (block.LinkChars > 0.5 * block.Text.Length)
        {
            return false;
        }
        var level = 0;
        for (var node = block.Owner; node is not null && level < 3; node = node.Parent, level++)
        {
            if (node.Element.LocalName == "h1")
            {
                return true;
            }
        }
        return block.Text.Length >= 10 && (SameText(block.Text, title) || SameText(block.Text, documentTitle));
    }

    /// <summary>How many text blocks before the article's first block the headline may be for the paragraphs between them to be its lead.</summary>
    private const int MaxLeadDistance = 20;

    private const int MinLeadChars = 80;

    private const string OutsideFate = "outside";

    /// <summary>
    /// A label for comments or other stories ("Related articles", "Mehr zum Thema", "12 comments", "You may also like") after
    /// most of the article's text starts a trailing section of teasers or comments: it and everything after it are cut.
    /// </summary>
    private static List<TextBlock> CutTrailingSection(List<TextBlock> paragraphs)
    {
        var total = TotalChars(paragraphs);
        var before = 0;
        for (var i = 0; i < paragraphs.Count; i++)
        {
            var text = paragraphs[i].Text;
            if (i > 0 && before >= TrailingSectionShare * total && text.Length <= 60 && IsTrailingSectionLabel(text))
            {
                return paragraphs[..i];
            }
            before += text.Length;
        }
        return paragraphs;
    }

    private static int TotalChars(List<TextBlock> blocks)
    {
        var total = 0;
        foreach (var block in blocks)
        {
            total += block.Text.Length;
        }
        return total;
    }

    /// <summary>
    /// A small box after the article's text is not part of it (author boxes, calls to subscribe or donate, licence notes, teaser
    /// cards): the article's text sits mostly in one kind of container (the tag and class of the elements that directly hold
    /// the most of its prose), and blocks after the last one in such a container that lie in a separate box (a <c>div</c>, <c>section</c>, <c>aside</c>,
    /// <c>footer</c> or <c>form</c> beside it, not a list, quote or paragraph continuing the text) are cut when they are under
    /// <see cref="MaxTrailingBoxShare"/> of the text.
    /// </summary>
    private static List<TextBlock> CutTrailingBox(List<TextBlock> paragraphs)
    {
        if (paragraphs.Count < 2)
        {
            return paragraphs;
        }
        // Containers are compared by tag and class: page builders put each paragraph or group of paragraphs in its own wrapper.
        var proseByContainer = new Dictionary<string, int>(StringComparer.Ordinal);
        string? main = null;
        ElementNode? mainNode = null;
        var mainChars = 0;
        foreach (var block in paragraphs)
        {
            if (block.Owner.Parent is not { } container || !IsProseBlock(block))
            {
                continue;
            }
            var kind = ContainerKind(container);
            proseByContainer[kind] = proseByContainer.GetValueOrDefault(kind) + block.Text.Length;
            if (proseByContainer[kind] > mainChars)
            {
                (main, mainChars) = (kind, proseByContainer[kind]);
            }
        }
        if (main is null)
        {
            return paragraphs;
        }
        var lastInMain = -1;
        for (var i = 0; i < paragraphs.Count; i++)
        {
            for (var node = paragraphs[i].Owner.Parent; node is not null; node = node.Parent)
            {
                if (ContainerKind(node) == main)
                {
                    (lastInMain, mainNode) = (i, node);
                    break;
                }
            }
        }
        if (mainNode is null || lastInMain == paragraphs.Count - 1)
        {
            return paragraphs;
        }
        var tailChars = 0;
        for (var i = lastInMain + 1; i < paragraphs.Count; i++)
        {
            tailChars += paragraphs[i].Text.Length;
        }
        if (tailChars > MaxTrailingBoxShare * TotalChars(paragraphs) || !IsBox(BoxBeside(paragraphs[lastInMain + 1].Owner, mainNode)))
        {
            return paragraphs;
        }
        return paragraphs[..(lastInMain + 1)];
    }

    /// <summary>A trailing box holding more than this share of the article's characters is more of the article.</summary>
    private const double MaxTrailingBoxShare = 0.1;

    private static bool IsWithin(ElementNode node, ElementNode ancestor)
    {
        for (ElementNode? current = node; current is not null; current = current.Parent)
        {
            if (ReferenceEquals(current, ancestor))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The element holding <paramref name="node"/> that sits beside the branch holding <paramref name="main"/> (the child of their closest common ancestor).</summary>
    private static ElementNode BoxBeside(ElementNode node, ElementNode main)
    {
        var box = node;
        while (box.Parent is { } parent && !IsWithin(main, parent))
        {
            box = parent;
        }
        return box;
    }

    private static string ContainerKind(ElementNode node) => node.Element.LocalName + "." + node.Element.GetAttribute("class");

    private static bool IsBox(ElementNode node) => node.Element.LocalName is "div" or "section" or "aside" or "footer" or "form";

    /// <summary>The article text that must come before a trailing section label for it to be cut.</summary>
    private const double TrailingSectionShare = 0.6;

    private static bool IsTrailingSectionLabel(string text)
    {
        if (TrailingLabel.IsMatch(text))
        {
            return true;
        }
        // A bare label only ("Related:", "Read more"): a read-more line that names a story is evidence and stays.
        return Annotations.LineClassifier.Classify(text) is { Kind: AnnotationKind.Related or AnnotationKind.CommentForm } && Annotations.LineClassifier.CountWords(text) <= 5;
    }

    private static readonly Regex TrailingLabel = new(@"^\W{0,3}(?:\d+\s+)?(?:comments?|kommentare?|commentaires?|comentarios?|commenti|reacties|leserkommentare|discussion|mehr zum thema|auch interessant|das könnte sie auch interessieren|weitere (?:artikel|beiträge|themen|nachrichten|tourentipps)|more (?:stories|articles|news|from)\b.*|you (?:may|might) also like|recommended(?: for you| stories)?|most (?:read|popular)|meistgelesen|top stories|lire aussi|à lire aussi|sur le même sujet|te puede interesar|ver también|potrebbe interessarti|lees ook|(?:weitere|mehr|ähnliche|verwandte|passende)\s+(?:artikel|beiträge|themen|informationen|infos|nachrichten|news|geschichten|tipps|rezepte|videos)\b.*|(?:lesen sie|lies) (?:auch|hier|mehr|weiter)\b.*|weiterlesen|zum weiterlesen|lesetipps?|(?:das|diese) .{0,30}(?:auch|ebenfalls) interessieren.*|(?:about|über) (?:the author|den autor|die autorin|uns)|(?:der |die )?autor(?:in)?|(?:keep|continue) reading|read (?:the )?full (?:article|story)|explore further|related(?: (?:articles|stories|posts|content|reading))?|see also|further reading|subscribe\b.+|unterstütze.*|support (?:us|our)\b.*|follow us.*|folge(?:n sie)? uns.*|bildnachweis|bildquellen?|quellen|sources?|zusatzinformationen|pour (?:lire|aller plus loin)\b.*|lire la suite|à découvrir aussi|(?:lea|vea|lee) (?:también|más)\b.*|czytaj (?:też|także|więcej)\b.*|zobacz (?:też|także)\b.*|lue (?:myös|aiheesta lisää)\b.*)\W{0,3}$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    /// <summary>
    /// Marks the best element as the article, with those of its siblings that read as more of the same text:
    /// pages often split the article into a lead and a body block whose common parent also holds a sidebar.
    /// </summary>
    private static void MarkArticle(ElementNode best, double bestScore)
    {
        best.IsArticle = true;
        for (var ancestor = best.Parent; ancestor is not null; ancestor = ancestor.Parent)
        {
            ancestor.HoldsArticle = true;
        }
        if (best.Parent is null)
        {
            return;
        }
        foreach (var sibling in best.Parent.Children)
        {
            if (!sibling.IsExcluded && sibling.Good > 0 && sibling.Score >= Math.Max(MinimumArticleScore, SiblingShare * bestScore)
                && sibling.LinkChars < 0.25 * sibling.Chars)
            {
                sibling.IsArticle = true;
            }
        }
    }

    /// <summary>
    /// A chosen element that is a small part of a larger coherent text grows to it: an ancestor (up to
    /// <see cref="MaxGrowLevels"/> levels) whose article-like text is at least <see cref="GrowFactor"/> times the element's
    /// and which still scores at least <see cref="GrowMinScoreShare"/> of the element's score (what it adds is text, not links and menus)
    /// becomes the article. Pages that split one article over several wrappers ("insert", "widget") are read whole.
    /// </summary>
    private static (ElementNode Best, double Score) Grow(ElementNode best, double bestScore)
    {
        // A paragraph is never a whole article: its container holds the rest of the text (short lines, quotes, lists between).
        if (best.Element.LocalName == "p" && best.Parent is { IsExcluded: false } container && container.Parent is not null)
        {
            (best, bestScore) = (container, Math.Max(container.Score, bestScore));
        }
        var node = best;
        for (var level = 0; level < MaxGrowLevels && node.Parent is { } parent && !parent.IsExcluded; level++, node = parent)
        {
            if (parent.Good >= GrowFactor * best.Good && parent.Score >= GrowMinScoreShare * bestScore
                && parent.LinkChars < 0.25 * parent.Chars)
            {
                (best, bestScore) = (parent, parent.Score);
            }
        }

        return (best, bestScore);
    }

    private const int MaxGrowLevels = 3;

    private const double GrowFactor = 2.5;

    private const double GrowMinScoreShare = 0.7;

    /// <summary>Paragraph-like blocks of running text outside comment and boilerplate sections, in order (the fallback when no element scores as an article).</summary>
    private List<string> ArticleLikeParagraphs()
    {
        var paragraphs = new List<string>();
        foreach (var block in _blocks)
        {
            if (block.Text.Length >= MinFallbackParagraphChars && IsProseBlock(block) && block.LinkChars < 0.2 * block.Text.Length && !IsInsideExcluded(block.Owner))
            {
                paragraphs.Add(block.Text);
            }
        }

        return paragraphs;
    }

    private const int MinFallbackParagraphChars = 80;

    /// <summary>A sibling of the article element joins it when it scores at least this share of the article's score.</summary>
    private const double SiblingShare = 0.1;

    /// <summary>
    /// The run of kept blocks from the first to the last one that reads as prose, widened to headings just
    /// before the first: fragments before the article text are kickers, bylines and dates, fragments after it
    /// are tags, share prompts and "more on this" labels.
    /// </summary>
    private static (int First, int Last) ProseSpan(List<TextBlock> kept)
    {
        var first = -1;
        var last = -1;
        for (var i = 0; i < kept.Count; i++)
        {
            if (IsProseBlock(kept[i]))
            {
                if (first < 0)
                {
                    first = i;
                }
                last = i;
            }
        }
        if (first < 0)
        {
            return (0, kept.Count - 1);
        }
        while (first > 0 && IsHeading(kept[first - 1]))
        {
            first--;
        }
        return (first, last);
    }

    /// <summary>
    /// A paragraph after the article's last prose block that is mostly link text is a teaser for another story,
    /// unless it credits the source ("Source link", "Originally published at ...").
    /// </summary>
    private static bool IsTeaserLink(TextBlock block)
        => block.LinkChars > 0.5 * block.Text.Length
            && Annotations.LineClassifier.Classify(block.Text) is not { Kind: AnnotationKind.SourceLink or AnnotationKind.Attribution };

    private static bool IsListOrTableEntry(TextBlock block)
        => block.LinkChars == 0 && block.Owner.Element.LocalName is "li" or "td" or "th" or "dd" or "dt";

    private static bool IsParagraphBeside(TextBlock edge, TextBlock prose)
        => edge.Owner.Element.LocalName == "p" && ReferenceEquals(edge.Owner.Parent, prose.Owner.Parent);

    private static bool IsProseBlock(TextBlock block) => block.LinkChars < 0.5 * block.Text.Length && LooksLikeProse(block.Text);

    private static bool IsHeading(TextBlock block) => block.Owner.Element.LocalName is "h1" or "h2" or "h3" or "h4" or "h5" or "h6";

    /// <summary>Lines with no letters at all: dates, times, counters, page numbers.</summary>
    private static bool IsBareNumberOrDate(string text)
    {
        if (text.Length > 40)
        {
            return false;
        }
        foreach (var c in text)
        {
            if (char.IsLetter(c))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// Decides which hinted sections are left out. A boilerplate-named element ("page-with-sidebar",
    /// "off-canvas-wrap") that holds most of the page's text is a layout wrapper and stays in; comment
    /// sections stay out regardless.
    /// </summary>
    private static void MarkExcluded(ElementNode node, double pageGood)
    {
        foreach (var child in node.Children)
        {
            MarkExcluded(child, pageGood);
        }
        switch (node.Hint)
        {
            case ElementHint.Comments:
                node.IsExcluded = true;
                break;
            case ElementHint.Intrusive:
                // Only a wrapper of nearly the whole page can carry such a name ("socialicons-sticky" around everything).
                node.IsExcluded = node.RawGood <= 0.9 * pageGood;
                break;
            case ElementHint.Boilerplate:
                node.IsExcluded = node.RawGood <= 0.5 * pageGood || node.Element.LocalName is "nav" or "aside" or "footer";
                break;
            default:
                break;
        }
    }

    private static bool IsInsideExcluded(ElementNode? node)
    {
        for (; node is not null; node = node.Parent)
        {
            if (node.IsExcluded)
            {
                return true;
            }
        }
        return false;
    }

    private static void ScoreAll(ElementNode node, ref ElementNode best, ref double bestScore)
    {
        if (node.Good <= 0 || node.IsExcluded)
        {
            return;
        }
        var score = (node.Good - (BadWeight * node.Bad)) * HintFactor(node);
        node.Score = score;
        if (score > bestScore)
        {
            bestScore = score;
            best = node;
        }
        foreach (var child in node.Children)
        {
            ScoreAll(child, ref best, ref bestScore);
        }
    }

    // "main" wraps the page's whole central column more often than the article alone, so it gets no boost.
    private static double HintFactor(ElementNode node) => node.Hint switch
    {
        ElementHint.Semantic when node.Element.LocalName == "main" || node.Element.GetAttribute("role") is "main" => 1.0,
        ElementHint.Semantic => SemanticFactor,
        ElementHint.Positive => PositiveFactor,
        _ => 1.0,
    };

    /// <summary>Score boost for article, itemprop=articleBody and role=article elements.</summary>
    private const double SemanticFactor = 1.25;

    /// <summary>Score boost for elements whose class or id reads like content.</summary>
    private const double PositiveFactor = 1.2;

    /// <summary>How much a character of boilerplate-like text counts against an element, relative to a character of article text.</summary>
    private const double BadWeight = 1.2;


    /// <summary>How article-like a block is: its text outside links, discounted when it does not read as sentences.</summary>
    private static double GoodWeight(TextBlock block)
    {
        var length = block.Text.Length;
        if (block.LinkChars > 0.5 * length)
        {
            return 0;
        }
        double good = length - block.LinkChars;
        return LooksLikeProse(block.Text) ? good : good * 0.3;
    }

    /// <summary>How boilerplate-like a block is: link text, and a small cost for each short fragment (menu entries, labels, dates).</summary>
    private static double BadWeightOf(TextBlock block)
    {
        // Links inside running text are normal; only link-heavy blocks count their links against the container.
        double bad = block.LinkChars > 0.33 * block.Text.Length ? block.LinkChars : 0.3 * block.LinkChars;
        if (block.Text.Length < 30 && !LooksLikeProse(block.Text))
        {
            bad += 6;
        }
        return bad;
    }

    /// <summary>Running text: long, or several words ending like a sentence.</summary>
    private static bool LooksLikeProse(string text)
    {
        if (text.Length >= 100)
        {
            return true;
        }
        if (text.Length < 20)
        {
            return false;
        }
        var words = 1;
        var ideographs = 0;
        foreach (var c in text)
        {
            if (c == ' ')
            {
                words++;
            }
            else if (c is >= '\u3040' and <= '\u9FFF' or >= '\uAC00' and <= '\uD7AF')
            {
                ideographs++;
            }
        }
        // Chinese, Japanese and Korean text has few or no spaces; a line of ideographs is running text.
        if (ideographs >= 30)
        {
            return true;
        }
        var last = text[^1];
        return words >= 5 && (last is '.' or '!' or '?' or ':' or '"' or '“' or '”' or '»' or '«' or ')' or '…' || text.Contains(", ", StringComparison.Ordinal));
    }

    /// <summary>Whether a block sits inside the article element and outside everything nested in it that is not article text.</summary>
    private static bool IsKept(TextBlock block) => KeepFate(block, describe: false) is null;

    /// <summary>Null when the block is kept, else why it is not.</summary>
    private static string? KeepFate(TextBlock block, bool describe)
    {
        var length = block.Text.Length;
        var ownerTag = block.Owner.Element.LocalName;
        var isTextTag = ownerTag is "p" or "h1" or "h2" or "h3" or "h4" or "h5" or "h6" or "blockquote" or "pre";
        // A lone link line inside a paragraph ("READ MORE: ...") is kept for the line classifier; a bare link in a list or div is navigation.
        if (!isTextTag && block.LinkChars > 0.7 * length)
        {
            return "link-line";
        }
        for (var node = block.Owner; node is not null; node = node.Parent)
        {
            if (node.IsArticle)
            {
                return null;
            }
            // Above this the tree is shared with the article: a link-heavy page body is not a link list the block sits in.
            if (node.HoldsArticle)
            {
                return OutsideFate;
            }
            // Photo captions and credits are not the article's text (a long "caption" is a paragraph styled as one).
            if (node.IsCaption && length < MaxCaptionChars)
            {
                return "caption";
            }
            if (node.IsExcluded)
            {
                return describe ? "excluded:" + Describe(node) : "excluded";
            }
            if (node.Hint == ElementHint.Byline && node.Chars < 200)
            {
                return describe ? "byline:" + Describe(node) : "byline";
            }
            if (node.Element.LocalName is not "p" && node.LinkCount >= 3 && node.LinkChars > 0.5 * node.Chars)
            {
                return describe ? "link-list:" + Describe(node) : "link-list";
            }
        }
        return OutsideFate;
    }

    private const int MaxCaptionChars = 200;

    /// <summary>Class words of photo captions and credits (English and German: "bildunterschrift", "bilduntertitel").</summary>
    private static readonly string[] CaptionClassWords = ["caption", "credit", "bildunter", "imagedesc", "image-desc", "image-annotation", "img-desc", "photo-desc"];

    private static bool IsCaptionClass(string classes)
    {
        foreach (var word in CaptionClassWords)
        {
            if (classes.Contains(word, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }

    private static string Describe(ElementNode node) => node.Element.LocalName + "." + node.Element.ClassName + "#" + node.Element.Id;

    private static bool IsTitleRepeat(TextBlock block, string? title, string? documentTitle)
    {
        if (block.Owner.Element.LocalName is not ("h1" or "h2"))
        {
            return false;
        }
        return SameText(block.Text, title) || SameText(block.Text, documentTitle) || (documentTitle is not null && block.Text.Length >= 15 && documentTitle.Contains(block.Text, StringComparison.OrdinalIgnoreCase));
    }

    private static bool SameText(string text, string? other) => other is not null && string.Equals(text, TextRun.Collapse(other), StringComparison.OrdinalIgnoreCase);

    /// <summary>When the page's own JSON-LD article body is much longer than what the markup gave, the markup was not the article (script-rendered pages).</summary>
    private static IReadOnlyList<string> FallBackToLinkedData(List<string> paragraphs, string? linkedDataBody)
    {
        if (string.IsNullOrWhiteSpace(linkedDataBody))
        {
            return paragraphs;
        }
        var body = linkedDataBody;
        if (body.Contains('<', StringComparison.Ordinal) && body.Contains('>', StringComparison.Ordinal))
        {
            body = MarkupTag.Replace(body, "\n");
        }
        body = WebUtility.HtmlDecode(body);
        var extractedChars = 0;
        foreach (var paragraph in paragraphs)
        {
            extractedChars += paragraph.Length;
        }
        if (body.Length < 200 || extractedChars >= 0.5 * body.Length)
        {
            return paragraphs;
        }
        var fromLinkedData = new List<string>();
        foreach (var line in body.Split('\n'))
        {
            var collapsed = TextRun.Collapse(line);
            if (collapsed.Length > 0)
            {
                fromLinkedData.Add(collapsed);
            }
        }
        return fromLinkedData;
    }

    private static readonly Regex HiddenStyle = new(@"display\s*:\s*none", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    private static readonly Regex MarkupTag = new(@"<[^>]{0,2000}>", RegexOptions.CultureInvariant);

    /// <summary>An element that holds text blocks, mirrored with the sums the scoring needs.</summary>
    private sealed class ElementNode(IElement element, ElementNode? parent, ElementHint hint)
    {
        public IElement Element { get; } = element;
        public ElementNode? Parent { get; } = parent;
        public ElementHint Hint { get; } = hint;
        public bool IsCaption { get; } = element.LocalName == "figcaption" || (element.GetAttribute("class") is { } classes && IsCaptionClass(classes));
        public List<ElementNode> Children { get; } = [];
        public bool IsExcluded { get; set; }
        public bool IsArticle { get; set; }
        public bool HoldsArticle { get; set; }
        public double RawGood { get; set; }
        public double Good { get; set; }
        public double Bad { get; set; }
        public double Score { get; set; }
        public int Chars { get; set; }
        public int LinkChars { get; set; }
        public int LinkCount { get; set; }
    }

    /// <summary>A run of inline text between block boundaries, with the element it belongs to.</summary>
    private sealed record TextBlock(string Text, int LinkChars, int LinkCount, ElementNode Owner);
}
