using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;
using System.Text.RegularExpressions;
using Stemma.Ingest.Formats;

namespace Stemma.Ingest.Annotations;

/// <summary>What a paragraph is, when it is not article body; Source names the credited outlet for attribution lines.</summary>
public sealed record LineClass(AnnotationKind Kind, string? Source = null);

/// <summary>
/// Pattern rules for the lines copiers and sites put around an article. Rules are anchored at the start
/// of the line and most apply to short lines only, so ordinary body sentences are left alone.
/// Patterns cover English plus the cheap equivalents in German, French, Spanish, Italian and Dutch.
/// </summary>
public static partial class LineClassifier
{
    /// <summary>Lines longer than this (in words) are body unless an anchored editor's note or attribution says otherwise.</summary>
    internal const int ShortLineWords = 25;

    private const int MaxSourceWords = 6;

    /// <summary>A "via …" line credits a source only this short.</summary>
    private const int ViaLineWords = 12;

    private static readonly string[] TitleSeparators = [" | ", " - ", " – ", " — ", " :: ", " · "];

    /// <summary>
    /// Every alternative of <see cref="AppearedFirstPattern"/> contains one of these words; a paragraph without any is
    /// not a credit line, and one vectorised scan skips the pattern's backtracking on ordinary body paragraphs.
    /// </summary>
    private static readonly SearchValues<string> AppearedFirstWords = SearchValues.Create(
        ["appeared", "publi", "posted", "erschien", "paru", "apareci", "pubblicato"], StringComparison.OrdinalIgnoreCase);

    /// <summary>Classifies one paragraph. Returns null for body.</summary>
    public static LineClass? Classify(string paragraph, string? title = null, string? link = null)
    {
        ArgumentNullException.ThrowIfNull(paragraph);
        var text = paragraph.Trim();
        if (text.Length == 0)
        {
            return null;
        }

        // Every rule below only asks whether the line is longer than ShortLineWords, so counting stops there.
        var words = CountWords(text, ShortLineWords + 1);

        if (EditorNotePattern().IsMatch(text))
        {
            return new LineClass(AnnotationKind.EditorNote);
        }

        if (TryAttribution(text, words, out var source))
        {
            return new LineClass(AnnotationKind.Attribution, source);
        }

        if (words > ShortLineWords)
        {
            return null;
        }

        return ShortLineKind(text, title, words) switch
        {
            null => null,
            AnnotationKind.SourceLink => new LineClass(AnnotationKind.SourceLink, SourceOfLink(link)),
            var kind => new LineClass(kind.Value),
        };
    }

    /// <summary>
    /// What the rules for short lines make of a trimmed line of at most <see cref="ShortLineWords"/> words that is neither
    /// an editor's note nor a credit, in the order <see cref="Classify"/> tries them; null for body. One list for
    /// Classify and <see cref="IsCertainlyBody"/>, tested where the line's characters lie.
    /// </summary>
    private static AnnotationKind? ShortLineKind(ReadOnlySpan<char> text, string? title, int words) =>
        title is not null && words >= 2 && IsRepeatedTitle(text, title) ? AnnotationKind.RepeatedTitle
        : SourceLinkPattern().IsMatch(text) ? AnnotationKind.SourceLink
        : CommentFormPattern().IsMatch(text) ? AnnotationKind.CommentForm
        : ReadMorePattern().IsMatch(text) || ReadMoreLeadPattern().IsMatch(text) ? AnnotationKind.ReadMore
        : RelatedPattern().IsMatch(text) ? AnnotationKind.Related
        : IsCaption(text, words) ? AnnotationKind.Caption
        : PromoPattern().IsMatch(text) ? AnnotationKind.Promo
        // Site chrome that a pattern already recognizes (copyright notices, tag and category lines).
        : SiteChromePattern().IsMatch(text) ? AnnotationKind.Boilerplate
        : null;

    /// <summary>
    /// Whether <see cref="Classify"/> (without a link) certainly takes this trimmed, non-empty line for body, tested where
    /// its characters lie: a line longer than <see cref="ShortLineWords"/> only meets the editor's-note and appeared-first
    /// patterns, a short one every rule (the patterns, in the order and under the word counts Classify tries them, and the
    /// repeated title). Any match answers false, even one whose credit Classify would then refuse. False means "classify
    /// it the usual way", never "inserted". (A short line used to be classified as a string: a string for nearly every
    /// dateline and one-line paragraph of a corpus read, 57 MB of the 100k JSONL read's garbage.)
    /// </summary>
    internal static bool IsCertainlyBody(ReadOnlySpan<char> line, string? title)
    {
        var words = CountWords(line, ShortLineWords + 1);
        if (EditorNotePattern().IsMatch(line) || MayBeCredit(line, words))
        {
            return false;
        }

        return words > ShortLineWords || ShortLineKind(line, title, words) is null;
    }

    /// <summary>Whether one of the credit patterns <see cref="TryAttribution(string, int, out string?)"/> tries (under the same word limits) matches.</summary>
    private static bool MayBeCredit(ReadOnlySpan<char> text, int words) =>
        (text.ContainsAny(AppearedFirstWords) && AppearedFirstPattern.IsMatch(text))
        || (words <= ShortLineWords && OriginallyPublishedPattern().IsMatch(text))
        || (words <= ViaLineWords && ViaLinePattern.IsMatch(text));

    /// <summary>Reads the credited source out of an attribution line ("appeared first on cnn.com" -> "cnn.com").</summary>
    public static bool TryAttribution(string text, out string? source) => TryAttribution(text.Trim(), CountWords(text), out source);

    /// <summary>Normalizes a credited source: URLs and domains become a site name, outlet names lose trailing punctuation.</summary>
    public static string? NormalizeSource(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        var text = SourceTailPattern.Replace(raw.Trim(), string.Empty);
        text = text.TrimEnd('.', ',', ';', ':', '!', ')', ']', '"', '\'', '»', '”', '’').TrimStart('(', '[', '"', '\'', '«', '“', '‘').Trim();
        if (text.Length == 0)
        {
            return null;
        }

        if (DomainPattern.IsMatch(text))
        {
            return SiteNames.FromUrl(text) ?? text.ToLowerInvariant();
        }

        return text;
    }

    internal static int CountWords(string text) => CountWords(text, int.MaxValue);

    /// <summary>
    /// Words of the text, counted up to <paramref name="cap"/> (a longer text gives the cap). Chinese and Japanese have no
    /// spaces: every two ideographs or kana count as a word (about a word's worth), or a whole paragraph was one word,
    /// a "short line" to every rule here.
    /// </summary>
    internal static int CountWords(ReadOnlySpan<char> text, int cap)
    {
        var count = 0;
        var unspaced = 0;
        var inWord = false;
        var at = 0;

        // Sixteen characters at a time while they are ASCII (nearly all news text): a word starts at a word character
        // whose predecessor is not one, so the starts are a bit mask and its population count. A block holding anything
        // else goes through the character rules below, with the same state.
        if (Vector256.IsHardwareAccelerated)
        {
            ref var start = ref MemoryMarshal.GetReference(text);
            for (; at <= text.Length - Vector256<ushort>.Count && count < cap; at += Vector256<ushort>.Count)
            {
                var block = Vector256.LoadUnsafe(ref Unsafe.As<char, ushort>(ref start), (nuint)at);
                if ((block & Vector256.Create((ushort)0xFF80)) != Vector256<ushort>.Zero)
                {
                    CountCharacters(text.Slice(at, Vector256<ushort>.Count), cap, ref count, ref unspaced, ref inWord);
                    continue;
                }

                // A space, or a control character from tab to carriage return (unsigned: below tab wraps round high).
                var space = Vector256.Equals(block, Vector256.Create((ushort)' '))
                    | Vector256.LessThanOrEqual(block - Vector256.Create((ushort)'\t'), Vector256.Create((ushort)('\r' - '\t')));
                var word = ~space.ExtractMostSignificantBits() & 0xFFFFu;
                var starts = word & ~((word << 1) | (inWord ? 1u : 0u));
                count += BitOperations.PopCount(starts);
                inWord = (word >> 15) != 0;
            }
        }

        if (count < cap)
        {
            CountCharacters(text[at..], cap, ref count, ref unspaced, ref inWord);
        }

        // Counting is monotone, so stopping past the cap (a block at a time) gives the same answer as stopping at it.
        return Math.Min(count, cap);
    }

    /// <summary>The word rules one character at a time, carrying the count and state between calls; stops at the cap.</summary>
    private static void CountCharacters(ReadOnlySpan<char> text, int cap, ref int count, ref int unspaced, ref bool inWord)
    {
        foreach (var c in text)
        {
            if (count >= cap)
            {
                return;
            }

            // ASCII first (most text): a space or a control character from tab to carriage return is white space, anything
            // else is part of a word.
            if (c < 0x80)
            {
                var isAsciiWordChar = c != ' ' && (uint)(c - '\t') > '\r' - '\t';
                count += isAsciiWordChar && !inWord ? 1 : 0;
                inWord = isAsciiWordChar;
                continue;
            }

            if (Stemma.Text.WordTokenizer.IsUnspaced(c))
            {
                inWord = false;
                count += ++unspaced % 2 == 1 ? 1 : 0;
                continue;
            }

            var isWordChar = !char.IsWhiteSpace(c);
            count += isWordChar && !inWord ? 1 : 0;
            inWord = isWordChar;
        }
    }

    /// <summary>The line is the title, or the title without the site name pages append ("Headline | Site", "Headline - Site").</summary>
    internal static bool IsRepeatedTitle(ReadOnlySpan<char> line, string title)
    {
        if (SameWords(line, title))
        {
            return true;
        }

        foreach (var separator in TitleSeparators)
        {
            var at = title.LastIndexOf(separator, StringComparison.Ordinal);
            if (at > 0 && SameWords(line, title.AsSpan(0, at)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Word-level comparison that ignores case and punctuation (a repeated title may lose its quotes or gain a full stop).</summary>
    /// <remarks>Compares the two <see cref="WordKey"/>s character by character as they are produced, without building them: it runs on every short paragraph.</remarks>
    internal static bool SameWords(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        var atA = new KeyCursor(a);
        var atB = new KeyCursor(b);
        while (true)
        {
            var next = atA.Next();
            if (next != atB.Next())
            {
                return false;
            }

            if (next == KeyCursor.End)
            {
                return true;
            }
        }
    }

    /// <summary>
    /// Whether the <see cref="WordKey"/> of <paramref name="text"/> is that of <paramref name="words"/> followed by more
    /// words, compared as the keys are produced, without building them (a title line against the whole first paragraph).
    /// </summary>
    internal static bool WordsContinue(ReadOnlySpan<char> text, ReadOnlySpan<char> words)
    {
        var atText = new KeyCursor(text);
        var atWords = new KeyCursor(words);
        while (true)
        {
            var expected = atWords.Next();
            var actual = atText.Next();
            if (expected == KeyCursor.End)
            {
                // Keys never start with a space, so an empty key is continued by nothing.
                return actual == ' ';
            }

            if (actual != expected)
            {
                return false;
            }
        }
    }

    /// <summary>Yields the characters of <see cref="WordKey"/> one at a time.</summary>
    private ref struct KeyCursor(ReadOnlySpan<char> text)
    {
        /// <summary>After the last character (never in a key: keys hold letters, digits and single spaces).</summary>
        public const char End = '\0';

        private readonly ReadOnlySpan<char> text = text;
        private int at;
        private bool pendingSpace;
        private bool started;

        public char Next()
        {
            while (at < text.Length)
            {
                var c = text[at];
                if (char.IsLetterOrDigit(c))
                {
                    if (pendingSpace && started)
                    {
                        pendingSpace = false;
                        return ' ';
                    }

                    (at, started, pendingSpace) = (at + 1, true, false);
                    return char.ToLowerInvariant(c);
                }

                pendingSpace |= IsWordBreak(c);
                at++;
            }

            return End;
        }
    }

    private static bool IsWordBreak(char c) => char.IsWhiteSpace(c) || c == '-' || c == '—' || c == '–';

    internal static string WordKey(string text)
    {
        var builder = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                if (pendingSpace && builder.Length > 0)
                {
                    builder.Append(' ');
                }

                builder.Append(char.ToLowerInvariant(c));
                pendingSpace = false;
            }
            else if (IsWordBreak(c))
            {
                pendingSpace = true;
            }
        }

        return builder.ToString();
    }

    private static bool TryAttribution(string text, int words, out string? source)
    {
        source = null;
        var match = text.AsSpan().ContainsAny(AppearedFirstWords) ? AppearedFirstPattern.Match(text) : Match.Empty;
        if (!match.Success && words <= ShortLineWords)
        {
            match = OriginallyPublishedPattern().Match(text);
            if (!match.Success && words <= ViaLineWords)
            {
                match = ViaLinePattern.Match(text);
                var viaSource = match.Groups["source"].Value.Trim();

                // "via CNN Newsource", "via cnn.com" credit an outlet; "via the harbour mouth" is a route.
                if (match.Success && !(viaSource.Length > 0 && (char.IsUpper(viaSource[0]) || DomainPattern.IsMatch(viaSource))))
                {
                    return false;
                }
            }
        }

        if (!match.Success)
        {
            return false;
        }

        // A credit names an outlet or a domain: a long phrase ("the council's list of closures last year") is a sentence.
        var credited = NormalizeSource(match.Groups["source"].Value);
        if (credited is null || CountWords(credited) > MaxSourceWords || NotASource.IsMatch(credited))
        {
            return false;
        }

        source = credited;
        return true;
    }

    private static string? SourceOfLink(string? link) => link is not null && link.Contains("://", StringComparison.Ordinal) ? SiteNames.FromUrl(link) : null;

    private static bool IsCaption(ReadOnlySpan<char> text, int words)
    {
        if (CaptionPrefixPattern().IsMatch(text) || CreditSuffixPattern().IsMatch(text))
        {
            return true;
        }

        // "(Jane Doe/Reuters via Getty Images)" or "Jane Doe / AP": a short name-slash-agency line without a sentence in it.
        return words <= 12 && AgencyCreditPattern.IsMatch(text);
    }

    // Patterns run on every paragraph or every short line are source-generated: compiled code matches fastest. Those run
    // only on lines another test singled out, or once a page, are interpreted: a source-generated pattern is compiled at
    // every start (the largest here, AppearedFirstPattern, to 17 KB of machine code), which cost a run of 10,000 small
    // files more than all their matches (docs/benchmarks.md, nineteenth pass of issue 13). The same rule holds across
    // the readers (InsertedBlocks, MainTextFinder, the formats).
    [GeneratedRegex(@"^\W{0,3}(?:editor['’]?s['’]? note|editors['’] note|note from the editor|note to readers|update(?:d)?\s*\(|correction:|anm\.? d\.? red\.?|anmerkung der redaktion|note de la rédaction|nota del editor|nota de la redacción|nota della redazione|noot van de redactie)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex EditorNotePattern();

    private static readonly Regex AppearedFirstPattern = new(@"(?:\bthis (?:post|article|story|item) (?:first )?appeared (?:first |originally )?(?:on|in|at)|^\W{0,3}the post\b.{1,300}?\bappeared first on|^\W{0,3}(?:it |this |the (?:article|story|post) )?(?:was )?(?:first|originally) (?:published|posted|appeared) (?:on|in|at|by)|\berschien (?:zuerst|ursprünglich) (?:auf|bei|in)|\b(?:zuerst|ursprünglich) erschienen (?:auf|bei|in)|(?:cet article|l'article|l’article) (?:est )?(?:paru|publié) (?:d'abord|d’abord|initialement|originellement|en premier) (?:sur|dans)|\bpublicado originalmente (?:en|por)|\bapareció (?:primero|originalmente) en|\bpubblicato originariamente (?:su|da))\s+(?<source>[^,;]{2,100}?)\s*[.!]?\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    [GeneratedRegex(@"^\W{0,3}(?:this (?:article|story|piece) (?:was |is )?(?:originally |first )?(?:published|written|produced) (?:by|for|on|in)|(?:re)?published (?:with permission )?(?:from|courtesy of)|republished (?:with permission )?from|this article is republished from|reprinted (?:with permission )?from|with permission from|content provided by|distributed by|source:|quelle:|source :|fuente:|fonte:|bron:)\s*(?<source>.{2,120}?)(?:\s+under a creative commons.*)?\s*[.!]?\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex OriginallyPublishedPattern();

    private static readonly Regex ViaLinePattern = new(@"^\W{0,3}(?:by\s[^.!?(),]{1,40},\s[^.!?(),]{1,40}\s)?\(?(?:via|vía)\s+(?<source>[\p{L}\p{N}&.'’\- ]{2,60}?)\)?\s*[.!]?\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    [GeneratedRegex(@"^\W{0,3}(?:source link|original source|read the original(?: article)?|view original(?: post| article)?|zur quelle|lien source|enlace fuente|link alla fonte)\W{0,3}$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SourceLinkPattern();

    [GeneratedRegex(@"^\W{0,3}(?:leave a (?:reply|comment)|post a comment|add a comment|reply cancel reply|cancel reply|your email address will not be published|required fields are marked|save my name, email,? and website|comments are closed|you must be logged in to post a comment|\d+ (?:comments?|responses?)$|kommentar (?:verfassen|hinterlassen|schreiben)|schreibe einen kommentar|deine e-mail-adresse wird nicht veröffentlicht|laisser un commentaire|laisser une réponse|votre adresse (?:e-mail|de messagerie) ne sera pas publiée|deja una respuesta|deja un comentario|tu dirección de correo electrónico no será publicada|lascia un commento|lascia una risposta|il tuo indirizzo email non sarà pubblicato|laat een reactie achter)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CommentFormPattern();

    [GeneratedRegex(@"^\W{0,3}(?:read more|read also|also read|read next|read the full (?:story|article)|continue reading|keep reading|more:|more on this|more from|lesen sie (?:auch|mehr|weiter)|mehr (?:zum thema|lesen)|weiterlesen|lire (?:aussi|la suite|plus)|à lire aussi|a lire aussi|leer más|lee también|lea también|lea más|lea|seguir leyendo|leggi anche|leggi (?:di più|tutto)|lees (?:ook|meer|verder))(?:\s*[:\-–—»›>|…]|\s*$|\s+(?:here|»|›|→))", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ReadMorePattern();

    [GeneratedRegex(@"^\W{0,3}(?:click here (?:to read|for more|to continue|to see)|(?:watch|listen)(?: now| the video| live)?\s*:)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ReadMoreLeadPattern();

    [GeneratedRegex(@"^\W{0,3}(?:related(?: articles?| stories| story| posts?| coverage| content| reading| links?| news)?\s*[:\-–—»|]|related(?: articles?| stories| posts?| coverage| content| reading)?$|related articles?\b|see also\b|you (?:may|might) also (?:like|be interested in|enjoy)|recommended(?: for you| reading| stories)?\s*[:\-–—]|(?:more|top) stories\s*[:\-–—]|trending(?: now| stories| news)?\s*[:\-–—]|trending now$|ähnliche (?:artikel|beiträge)|das könnte sie auch interessieren|verwandte artikel|voir aussi|sur le même sujet|articles? (?:liés|similaires)|ver también|artículos? relacionados?|noticias relacionadas|relacionad[oa]s?\s*:|articoli correlati|potrebbe interessarti|gerelateerde artikelen|zie ook)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex RelatedPattern();

    [GeneratedRegex(@"^\W{0,3}(?:photo(?:graph)?s?\s*(?:credit)?\s*[:|/]|photo(?:graph)?s? by\b|photo courtesy|image(?: credit| source)?\s*[:|/]|image credit|image courtesy|picture\s*:|pictured\s*:|credit\s*:|caption\s*:|file photo\b|featured image\b|(?:photo|image|picture)s? via\b|illustration\s*:|video\s*:|foto\s*:|fotos?\s*:|bild\s*:|bildquelle|crédit photo|crédits? photo|crédito(?: de)? (?:la )?foto|fotografía\s*:|foto di\b)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CaptionPrefixPattern();

    [GeneratedRegex(@"\(\p{Lu}[\p{L}.'’\- ]{1,40}\s?/\s?[^()/]{2,60}\)\s*\.?$|(?:[.!?]\s+|\()(?:photo|image|picture|foto|credit)s?\s*(?:credit)?\s*:\s*[^()]{2,80}\)?\s*$|\((?:[^()]{0,60}(?:/|\bvia\s))?\s*(?:getty images|shutterstock|reuters|ap photo[^()]*|afp|epa|dpa|alamy)\)\s*\.?$|\((?:reuters|ap|afp|epa|efe|dpa|getty images)\s*/\s*[^()/]{2,60}\)\s*\.?$|(?:/|\|)\s*(?:getty images|shutterstock|istock(?:photo)?|reuters|ap photo|afp|epa|dpa|alamy|unsplash|pixabay)\)?\.?\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CreditSuffixPattern();

    private static readonly Regex AgencyCreditPattern = new(@"^\(?\s*\p{Lu}[\p{L}.'’\-]*(?:\s+\p{Lu}?[\p{L}.'’\-]+){0,4}\s*/\s*\p{Lu}[\p{L}\p{N}.&'’\-]*(?:\s+[\p{L}\p{N}.&'’\-]+){0,5}\s*\)?\.?$", RegexOptions.CultureInvariant);

    [GeneratedRegex(@"^\W{0,3}(?:share (?:this|on|via|the story|article)|share\s*:|click to (?:share|print|email)|tweet(?: this)?$|pin it$|email this|print this|subscribe\b|sign up (?:for|to)|follow (?:us|me) (?:on|@)|like us on|join us on|get (?:our|the) (?:free )?(?:newsletter|app)|download (?:our|the) app|support (?:our|independent|local) journalism|become a (?:member|subscriber|patron)|donate (?:now|today|here)\b|advertisement$|sponsored(?: content)?$|story continues below|article continues below|like this:|like loading|teilen\s*:|jetzt teilen|abonnieren|folgen sie uns|newsletter abonnieren|partager\s*:|abonnez-vous|suivez-nous|inscrivez-vous|compartir\s*:|suscríbete|síguenos|condividi\s*:|iscriviti|seguici|delen\s*:|volg ons|abonneer)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PromoPattern();

    [GeneratedRegex(@"^\W{0,3}(?:©|\(c\)\s|copyright\s(?:©\s*)?(?:\d{4}|by|the)\b|all rights reserved|this material may not be published|tags?\s*:|tagged(?: with)?\s*:|filed under\s*:?|posted in\s+(?-i:\p{Lu})[\p{L}&,\- ]{0,40}$|categories\s*:|category\s*:)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SiteChromePattern();

    /// <summary>What follows the outlet name in longer credits ("X and is republished here with permission").</summary>
    private static readonly Regex SourceTailPattern = new(@"\s+(?:and (?:is|was|has been) (?:re)?published.*|and is (?:re)?used.*|under a creative commons.*|with (?:their |its )?permission.*|as part of .*|on \d{1,2} \w+ \d{4}.*|on \w+ \d{1,2},? \d{4}.*)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    private static readonly Regex NotASource = new(@"^(?:print|page|paper|the print edition|the front page|a |an |march|april|may|june|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    private static readonly Regex DomainPattern = new(@"^(?:https?://)?(?:[a-z0-9-]+\.)+[a-z]{2,}(?:/\S*)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
}
