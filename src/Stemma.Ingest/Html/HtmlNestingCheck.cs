namespace Stemma.Ingest.Html;

/// <summary>
/// A linear pass over markup, before the HTML parser, that refuses pages nested deeper than
/// <see cref="IngestLimits.MaxHtmlDepth"/> or holding more than <see cref="IngestLimits.MaxHtmlElements"/> elements.
/// The parser checks element scope by walking its stack of open elements, so its cost is elements times depth:
/// 50,000 nested divs took about a minute. This pass follows the parser's stack closely enough (void elements,
/// raw-text elements, comments, paragraphs and list items closed by what follows them, end tags that close what
/// they match and are ignored past a scope boundary) while never letting its own stack grow past the cap, so it
/// is linear in the length of the markup.
/// </summary>
internal static class HtmlNestingCheck
{
    private static readonly HashSet<string> VoidElements = new(StringComparer.Ordinal)
    {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
        "keygen", "frame", "basefont", "bgsound", "image",
    };

    /// <summary>Elements whose content is text up to their own end tag.</summary>
    private static readonly HashSet<string> RawTextElements = new(StringComparer.Ordinal)
    {
        "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "plaintext",
    };

    /// <summary>Start tags that close an open paragraph.</summary>
    private static readonly HashSet<string> ClosesParagraph = new(StringComparer.Ordinal)
    {
        "address", "article", "aside", "blockquote", "center", "details", "dialog", "dir", "div", "dl", "fieldset",
        "figcaption", "figure", "footer", "header", "hgroup", "main", "menu", "nav", "ol", "p", "section", "summary", "ul",
        "h1", "h2", "h3", "h4", "h5", "h6", "pre", "listing", "form", "li", "dd", "dt", "table", "hr", "xmp", "plaintext",
    };

    /// <summary>Elements an end tag search does not look past.</summary>
    private static readonly HashSet<string> ScopeBoundaries = new(StringComparer.Ordinal)
    {
        "applet", "caption", "html", "table", "td", "th", "marquee", "object", "template", "svg", "math",
    };

    /// <summary>Table end tags look past cells and rows, only not out of the table.</summary>
    private static readonly HashSet<string> TableScope = new(StringComparer.Ordinal) { "html", "table", "template" };

    /// <summary>The parser's "special" elements: an unmatched end tag of another element stops at them.</summary>
    private static readonly HashSet<string> Special = new(StringComparer.Ordinal)
    {
        "address", "applet", "area", "article", "aside", "base", "basefont", "bgsound", "blockquote", "body", "br", "button",
        "caption", "center", "col", "colgroup", "dd", "details", "dir", "div", "dl", "dt", "embed", "fieldset", "figcaption",
        "figure", "footer", "form", "frame", "frameset", "h1", "h2", "h3", "h4", "h5", "h6", "head", "header", "hgroup", "hr",
        "html", "iframe", "img", "input", "li", "link", "listing", "main", "marquee", "menu", "meta", "nav", "noembed",
        "noframes", "noscript", "object", "ol", "p", "param", "plaintext", "pre", "script", "section", "select", "source",
        "style", "summary", "table", "tbody", "td", "template", "textarea", "tfoot", "th", "thead", "title", "tr", "track",
        "ul", "wbr", "xmp", "svg", "math",
    };

    private static readonly HashSet<string> Formatting = new(StringComparer.Ordinal)
    {
        "a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u",
    };

    /// <summary>Throws <see cref="IngestLimitException"/> when the markup is nested deeper or holds more elements than allowed.</summary>
    /// <param name="html">The page or fragment.</param>
    /// <param name="limits">The caps.</param>
    /// <param name="what">What is checked, for the message ("page", "content").</param>
    public static void Check(string html, IngestLimits limits, string what)
    {
        var maxDepth = limits.MaxHtmlDepth;
        var maxElements = limits.MaxHtmlElements;
        var stack = new OpenElements();
        var foreign = 0;
        var elements = 0;
        var i = 0;
        while ((i = html.IndexOf('<', i)) >= 0 && i + 1 < html.Length)
        {
            var next = html[i + 1];
            if (next == '!')
            {
                i = html.AsSpan(i).StartsWith("<!--") ? SkipPast(html, i + 4, "-->") : SkipPast(html, i + 2, ">");
                continue;
            }

            if (next == '?')
            {
                i = SkipPast(html, i + 2, ">");
                continue;
            }

            var isEnd = next == '/';
            var nameStart = isEnd ? i + 2 : i + 1;
            if (nameStart >= html.Length || !char.IsAsciiLetter(html[nameStart]))
            {
                i++;
                continue;
            }

            var nameEnd = nameStart;
            while (nameEnd < html.Length && (char.IsAsciiLetterOrDigit(html[nameEnd]) || html[nameEnd] is '-' or ':' or '_'))
            {
                nameEnd++;
            }

            var name = html[nameStart..nameEnd].ToLowerInvariant();
            var (tagEnd, selfClosing) = EndOfTag(html, nameEnd);
            i = tagEnd;
            if (isEnd)
            {
                Close(stack, name, ref foreign);
                continue;
            }

            if (++elements > maxElements)
            {
                throw new IngestLimitException($"{what} has more than {maxElements:N0} elements", nameof(IngestLimits.MaxHtmlElements), maxElements);
            }

            Open(stack, name);
            if (VoidElements.Contains(name) || (selfClosing && foreign > 0))
            {
                continue;
            }

            if (RawTextElements.Contains(name))
            {
                // The content is text up to "</name"; the element is closed there.
                var close = html.IndexOf("</" + name, i, StringComparison.OrdinalIgnoreCase);
                i = close < 0 ? html.Length : close;
                continue;
            }

            stack.Add(name);
            if (name is "svg" or "math")
            {
                foreign++;
            }

            if (stack.Count > maxDepth)
            {
                throw new IngestLimitException($"{what} nests elements more than {maxDepth:N0} deep", nameof(IngestLimits.MaxHtmlDepth), maxDepth);
            }
        }
    }

    /// <summary>What a start tag closes before it opens: paragraphs, list items, cells, options, headings.</summary>
    private static void Open(OpenElements stack, string name)
    {
        if (ClosesParagraph.Contains(name) && stack.IsOpen("p"))
        {
            // "A p element in button scope": look down to the nearest scope boundary.
            for (var k = stack.Count - 1; k >= 0 && !ScopeBoundaries.Contains(stack[k]) && stack[k] != "button"; k--)
            {
                if (stack[k] == "p")
                {
                    stack.RemoveRange(k, stack.Count - k);
                    break;
                }
            }
        }

        switch (name)
        {
            case "li" when stack.IsOpen("li"):
                CloseSibling(stack, static n => n == "li");
                break;
            case "dt" or "dd" when stack.IsOpen("dt") || stack.IsOpen("dd"):
                CloseSibling(stack, static n => n is "dt" or "dd");
                break;
            case "option" or "optgroup":
                PopWhile(stack, static n => n is "option");
                break;
            case "tr":
                PopWhile(stack, static n => n is "td" or "th" or "tr");
                break;
            case "td" or "th":
                PopWhile(stack, static n => n is "td" or "th");
                break;
            case "h1" or "h2" or "h3" or "h4" or "h5" or "h6":
                PopWhile(stack, static n => n is "h1" or "h2" or "h3" or "h4" or "h5" or "h6");
                break;
            default:
                break;
        }
    }

    /// <summary>A new list item closes the open one, looking past inline elements but not into an enclosing block.</summary>
    private static void CloseSibling(OpenElements stack, Func<string, bool> matches)
    {
        for (var k = stack.Count - 1; k >= 0; k--)
        {
            if (matches(stack[k]))
            {
                stack.RemoveRange(k, stack.Count - k);
                return;
            }

            if (Special.Contains(stack[k]) && stack[k] is not ("address" or "div" or "p"))
            {
                return;
            }
        }
    }

    private static void PopWhile(OpenElements stack, Func<string, bool> matches)
    {
        while (stack.Count > 0 && matches(stack[stack.Count - 1]))
        {
            stack.RemoveAt(stack.Count - 1);
        }
    }

    private static void Close(OpenElements stack, string name, ref int foreign)
    {
        if (!stack.IsOpen(name))
        {
            // The parser ignores an end tag with nothing to close.
            return;
        }

        var boundaries = name is "table" or "tbody" or "thead" or "tfoot" or "tr" or "td" or "th" or "caption" ? TableScope : ScopeBoundaries;
        for (var k = stack.Count - 1; k >= 0; k--)
        {
            var open = stack[k];
            if (open == name)
            {
                if (Formatting.Contains(name) && HasSpecialAbove(stack, k))
                {
                    // Misnested formatting (<b><p>…</b>): the parser takes the b out and leaves the blocks open.
                    stack.RemoveAt(k);
                }
                else
                {
                    for (var j = k; j < stack.Count; j++)
                    {
                        if (stack[j] is "svg" or "math")
                        {
                            foreign--;
                        }
                    }

                    stack.RemoveRange(k, stack.Count - k);
                }

                return;
            }

            // An end tag does not reach past a scope boundary, and one of a non-special element stops at a special one.
            if (boundaries.Contains(open) || (!Special.Contains(name) && !Formatting.Contains(name) && Special.Contains(open)))
            {
                return;
            }
        }
    }

    private static bool HasSpecialAbove(OpenElements stack, int index)
    {
        for (var k = index + 1; k < stack.Count; k++)
        {
            if (Special.Contains(stack[k]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The index after the tag's '&gt;' (quoted attribute values may hold '&gt;'), and whether it ends with "/&gt;".</summary>
    private static (int End, bool SelfClosing) EndOfTag(string html, int from)
    {
        var j = from;
        while (j < html.Length)
        {
            var c = html[j];
            if (c == '>')
            {
                return (j + 1, j > from && html[j - 1] == '/');
            }

            if (c == '=')
            {
                var k = j + 1;
                while (k < html.Length && char.IsWhiteSpace(html[k]))
                {
                    k++;
                }

                if (k < html.Length && html[k] is '"' or '\'')
                {
                    var closing = html.IndexOf(html[k], k + 1);
                    if (closing < 0)
                    {
                        return (html.Length, false);
                    }

                    j = closing + 1;
                    continue;
                }
            }

            j++;
        }

        return (html.Length, false);
    }

    private static int SkipPast(string html, int from, string terminator)
    {
        var at = from <= html.Length ? html.IndexOf(terminator, from, StringComparison.Ordinal) : -1;
        return at < 0 ? html.Length : at + terminator.Length;
    }

    /// <summary>The stack of open elements with a count per name, so "is a p open?" costs nothing when none is.</summary>
    private sealed class OpenElements
    {
        private readonly List<string> items = new(64);
        private readonly Dictionary<string, int> counts = new(StringComparer.Ordinal);

        public int Count => items.Count;

        public string this[int index] => items[index];

        public bool IsOpen(string name) => counts.GetValueOrDefault(name) > 0;

        public void Add(string name)
        {
            items.Add(name);
            counts[name] = counts.GetValueOrDefault(name) + 1;
        }

        public void RemoveAt(int index)
        {
            counts[items[index]]--;
            items.RemoveAt(index);
        }

        public void RemoveRange(int index, int count)
        {
            for (var k = index; k < index + count; k++)
            {
                counts[items[k]]--;
            }

            items.RemoveRange(index, count);
        }
    }
}
