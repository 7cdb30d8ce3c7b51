using System.Text.RegularExpressions;

namespace Stemma.Ingest.Annotations;

/// <summary>Thresholds for finding sentences injected into a copy.</summary>
public sealed record InjectionOptions
{
    public static InjectionOptions Default { get; } = new();

    /// <summary>Two articles are of one family when this share of the smaller one's sampled content-word pairs is shared.</summary>
    public double MinFamilyOverlap { get; init; } = 0.2;

    /// <summary>Two sentences are one (spun or not) when this share of the smaller one's content words is shared.</summary>
    public double MinSentenceMatch { get; init; } = 0.5;

    /// <summary>An article is a close copy of its family (and can hold injections) when this share of its sentences match a member's.</summary>
    public double MinMatchedSentences { get; init; } = 0.6;

    /// <summary>An injected sentence shares at most this share of its content words with the other members of the family.</summary>
    public double MaxFamilyVocabularyShare { get; init; } = 0.34;

    /// <summary>...and at most this many content words with the sentences before and after it.</summary>
    public int MaxNeighbourSharedWords { get; init; } = 1;

    /// <summary>At most this share of an article's sentences (at least one) are called injected; more means a rewrite, not an injection.</summary>
    public double MaxInjectedShare { get; init; } = 0.1;

    /// <summary>Family members compared with each article (the most similar first).</summary>
    public int MaxMembers { get; init; } = 4;
}

/// <summary>
/// Family evidence for sentences injected into a copy (the "Giant wall of water…" click-bait line a spinner drops mid-article):
/// a sentence of a close copy that (1) no other member of its family carries, even reworded; (2) sits where the members go
/// straight from its previous sentence to its next one, so it was added, not substituted; (3) shares (almost) no content
/// word with its neighbours or with the family's text. A sentence missing from one member only could as well have been
/// dropped by that member: it counts only when two members agree, when the one member is dated earlier, or when the
/// sentence reads as click-bait. Such sentences leave the body and become <see cref="AnnotationKind.Injected"/> annotations.
/// </summary>
public static partial class InjectedSentences
{
    private const int MinSentenceWords = 3;

    private const int MaxPostingsPerKey = 64;

    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "the", "and", "for", "that", "with", "was", "were", "are", "has", "have", "had", "this", "from", "its", "but", "not", "will",
        "would", "could", "should", "been", "being", "they", "their", "them", "there", "which", "who", "whom", "what", "when", "where",
        "said", "says", "also", "than", "then", "into", "about", "after", "before", "over", "under", "more", "most", "some", "such",
        "only", "other", "our", "out", "his", "her", "she", "him", "you", "your", "all", "any", "can", "may", "one", "two", "did",
        "does", "now", "just", "very", "while", "because", "these", "those", "here", "how", "why", "each", "many", "much", "own", "off",
    };

    /// <summary>The stop words as <see cref="WordCode"/>s (longer ones never need a look-up: words are cut to six characters).</summary>
    private static readonly HashSet<ulong> StopCodes = [.. StopWords.Where(word => word.Length <= 6).Select(word => WordCode(word))];

    public static IReadOnlyList<Article> Apply(IReadOnlyList<Article> articles) => Apply(articles, InjectionOptions.Default);

    public static IReadOnlyList<Article> Apply(IReadOnlyList<Article> articles, InjectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(articles);
        ArgumentNullException.ThrowIfNull(options);
        if (articles.Count < 2)
        {
            return articles;
        }

        // Every article is parsed and examined on its own (on all cores); the result does not depend on the order of the work.
        var parsed = new Parsed[articles.Count];
        Parallel.For(0, parsed.Length, index => parsed[index] = new Parsed(articles[index]));
        var families = FindFamilyMembers(parsed, options);
        var moved = new Article?[parsed.Length];
        Parallel.For(0, parsed.Length, index =>
        {
            if (families[index] is not { Count: > 0 } members)
            {
                return;
            }

            var injected = FindInjected(parsed[index], [.. members.Select(member => parsed[member])], options);
            if (injected.Count > 0)
            {
                moved[index] = MoveToAnnotations(parsed[index], injected);
            }
        });

        Article[]? result = null;
        for (var index = 0; index < moved.Length; index++)
        {
            if (moved[index] is { } article)
            {
                result ??= [.. articles];
                result[index] = article;
            }
        }

        return result ?? articles;
    }

    /// <summary>The body's sentences (in reading order) that are injected, as (paragraph index, sentence index in that paragraph).</summary>
    internal static List<(int Paragraph, int Sentence)> FindInjected(Parsed article, IReadOnlyList<Parsed> members, InjectionOptions options)
    {
        var found = new List<(int, int)>();
        var sentences = article.Sentences;
        if (sentences.Count < 3)
        {
            return found;
        }

        // Cheap test first: a candidate shares at most a third of its content words with the family's text.
        var candidates = Enumerable.Range(1, sentences.Count - 2)
            .Where(i => sentences[i].Words.Length >= MinSentenceWords && CountHeld(sentences[i].Words, members) <= options.MaxFamilyVocabularyShare * sentences[i].Words.Length)
            .ToList();
        if (candidates.Count == 0)
        {
            return found;
        }

        // Where each sentence of the article is in each member (-1 when absent).
        var matches = members.Select(member => sentences.Select(sentence => BestMatch(sentence.Words, member, options)).ToArray()).ToArray();
        var countable = sentences.Count(sentence => sentence.Words.Length >= MinSentenceWords);
        var matched = Enumerable.Range(0, sentences.Count).Count(i => sentences[i].Words.Length >= MinSentenceWords && matches.Any(m => m[i] >= 0));
        if (countable == 0 || matched < options.MinMatchedSentences * countable)
        {
            return found;
        }

        foreach (var i in candidates)
        {
            var words = sentences[i].Words;
            if (matches.Any(m => m[i] >= 0))
            {
                continue;
            }

            var (before, after) = (sentences[i - 1].Words, sentences[i + 1].Words);
            if (words.Count(word => before.Contains(word) || after.Contains(word)) > options.MaxNeighbourSharedWords)
            {
                continue;
            }

            // Members that go straight from the previous sentence to the next one, and are not known to be later copies.
            var agreeing = Enumerable.Range(0, members.Count)
                .Where(m => matches[m][i - 1] >= 0 && matches[m][i + 1] == matches[m][i - 1] + 1
                    && !(members[m].Article.Date > article.Article.Date))
                .ToList();
            var earlier = agreeing.Any(m => members[m].Article.Date < article.Article.Date);
            if (agreeing.Count >= 2 || (agreeing.Count == 1 && (earlier || ClickBaitPattern().IsMatch(article.SentenceText(i)))))
            {
                found.Add((sentences[i].Paragraph, sentences[i].Index));
            }
        }

        return found.Count <= Math.Max(1, options.MaxInjectedShare * countable) ? found : [];
    }

    /// <summary>How many of the words some member holds.</summary>
    private static int CountHeld(ulong[] words, IReadOnlyList<Parsed> members)
    {
        var held = 0;
        foreach (var word in words)
        {
            foreach (var member in members)
            {
                if (member.Holds(word))
                {
                    held++;
                    break;
                }
            }
        }

        return held;
    }

    /// <summary>For each article, the most similar other articles sharing enough content-word pairs (sampled) to be of one family.</summary>
    private static List<int>?[] FindFamilyMembers(Parsed[] parsed, InjectionOptions options)
    {
        // Postings as two parallel arrays sorted by key (far less memory than a list per key on 100k articles).
        var total = parsed.Sum(article => (long)article.Keys.Length);
        var postingKeys = new ulong[total];
        var postingArticles = new int[total];
        var at = 0;
        for (var index = 0; index < parsed.Length; index++)
        {
            foreach (var key in parsed[index].Keys)
            {
                (postingKeys[at], postingArticles[at]) = (key, index);
                at++;
            }
        }

        Array.Sort(postingKeys, postingArticles);

        var result = new List<int>?[parsed.Length];
        Parallel.For(0, parsed.Length, () => new SharedKeyCounts(parsed.Length), (index, _, shared) =>
        {
            foreach (var key in parsed[index].Keys)
            {
                var (first, count) = PostingRange(postingKeys, key);
                if (count > MaxPostingsPerKey)
                {
                    continue;
                }

                for (var p = first; p < first + count; p++)
                {
                    if (postingArticles[p] != index)
                    {
                        shared.Add(postingArticles[p]);
                    }
                }
            }

            // The overlap is the share of the smaller article's keys; members are the best few above the threshold.
            var found = new List<(int Other, double Overlap)>();
            foreach (var other in shared.Touched)
            {
                var overlap = shared.Counts[other] / (double)Math.Max(1, Math.Min(parsed[index].Keys.Length, parsed[other].Keys.Length));
                if (overlap >= options.MinFamilyOverlap)
                {
                    found.Add((other, overlap));
                }
            }

            shared.Clear();
            var members = found
                .OrderByDescending(pair => pair.Overlap).ThenBy(pair => pair.Other)
                .Take(options.MaxMembers)
                .Select(pair => pair.Other)
                .ToList();
            result[index] = members.Count > 0 ? members : null;
            return shared;
        }, _ => { });

        return result;
    }

    /// <summary>Where the postings of a key start in the sorted key array, and how many there are.</summary>
    private static (int First, int Count) PostingRange(ulong[] keys, ulong key)
    {
        var (low, high) = (0, keys.Length);
        while (low < high)
        {
            var middle = (int)(((uint)low + (uint)high) >> 1);
            if (keys[middle] < key)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        var end = low;
        while (end < keys.Length && keys[end] == key)
        {
            end++;
        }

        return (low, end - low);
    }

    /// <summary>Per-thread counts of keys shared with each other article, and which articles were touched (to clear only those).</summary>
    private sealed class SharedKeyCounts(int articles)
    {
        public int[] Counts { get; } = new int[articles];

        public List<int> Touched { get; } = [];

        public void Add(int other)
        {
            if (Counts[other]++ == 0)
            {
                Touched.Add(other);
            }
        }

        public void Clear()
        {
            foreach (var other in Touched)
            {
                Counts[other] = 0;
            }

            Touched.Clear();
        }
    }

    /// <summary>The index of the member's sentence that best matches these words, or -1 when none matches well enough.</summary>
    private static int BestMatch(ulong[] words, Parsed member, InjectionOptions options)
    {
        if (words.Length < MinSentenceWords)
        {
            return -1;
        }

        var sentenceCount = member.Sentences.Count;
        Span<int> counts = sentenceCount <= 512 ? stackalloc int[sentenceCount] : new int[sentenceCount];
        foreach (var word in words)
        {
            member.CountHolders(word, counts);
        }

        var best = -1;
        var bestScore = 0.0;
        for (var holder = 0; holder < sentenceCount; holder++)
        {
            if (counts[holder] == 0)
            {
                continue;
            }

            var score = counts[holder] / (double)Math.Max(1, Math.Min(words.Length, member.Sentences[holder].Words.Length));
            if (score > bestScore || (score == bestScore && holder < best))
            {
                (best, bestScore) = (holder, score);
            }
        }

        return bestScore >= options.MinSentenceMatch ? best : -1;
    }

    private static Article MoveToAnnotations(Parsed parsed, List<(int Paragraph, int Sentence)> injected)
    {
        var article = parsed.Article;

        // The extracted text in reading order: body paragraphs fill the positions the annotations leave free.
        var sequence = new List<(string Text, AnnotationKind? Kind)>();
        var annotations = article.Annotations.OrderBy(annotation => annotation.Position).ToList();
        var paragraphs = parsed.Paragraphs;
        var (nextAnnotation, next, position) = (0, 0, 0);
        while (nextAnnotation < annotations.Count || next < paragraphs.Count)
        {
            if (nextAnnotation < annotations.Count && (annotations[nextAnnotation].Position <= position || next >= paragraphs.Count))
            {
                sequence.Add((annotations[nextAnnotation].Text, annotations[nextAnnotation].Kind));
                nextAnnotation++;
            }
            else
            {
                var cut = injected.Where(entry => entry.Paragraph == next).Select(entry => entry.Sentence).ToHashSet();
                if (cut.Count == 0)
                {
                    sequence.Add((paragraphs[next], null));
                }
                else
                {
                    // The paragraph is split around each injected sentence, which takes its own position between the parts.
                    var run = new List<string>();
                    var parts = SplitSentences(paragraphs[next]);
                    for (var s = 0; s < parts.Count; s++)
                    {
                        if (!cut.Contains(s))
                        {
                            run.Add(parts[s]);
                            continue;
                        }

                        if (run.Count > 0)
                        {
                            sequence.Add((string.Join(' ', run), null));
                            run.Clear();
                        }

                        sequence.Add((parts[s], AnnotationKind.Injected));
                    }

                    if (run.Count > 0)
                    {
                        sequence.Add((string.Join(' ', run), null));
                    }
                }

                next++;
            }

            position++;
        }

        return article with
        {
            Body = string.Join("\n\n", sequence.Where(entry => entry.Kind is null).Select(entry => entry.Text)),
            Annotations = [.. sequence.Select((entry, at) => (entry, at)).Where(pair => pair.entry.Kind is not null).Select(pair => new Annotation(pair.entry.Kind!.Value, pair.entry.Text, pair.at))],
        };
    }

    /// <summary>Sentences of a paragraph: split after . ! ? (and a closing quote) before a capital letter, a digit or an opening quote.</summary>
    internal static List<string> SplitSentences(string paragraph)
    {
        var ranges = new List<(int Start, int End)>();
        SentenceRanges(paragraph, ranges);
        return [.. ranges.Select(range => SentenceText(paragraph, range.Start, range.End))];
    }

    /// <summary>A sentence's text: its range of the paragraph with line breaks as spaces, trimmed.</summary>
    private static string SentenceText(string paragraph, int start, int end) => paragraph[start..end].Replace('\n', ' ').Trim();

    /// <summary>Where the sentences of a paragraph are (<see cref="SplitSentences"/>), without making strings of them.</summary>
    private static void SentenceRanges(string paragraph, List<(int Start, int End)> sentences)
    {
        var start = 0;
        for (var i = 1; i < paragraph.Length; i++)
        {
            if (!char.IsWhiteSpace(paragraph[i]))
            {
                continue;
            }

            var end = i - 1;
            var last = paragraph[end] is '"' or '”' or '’' or ')' && end > 0 ? paragraph[end - 1] : paragraph[end];
            var next = i;
            while (next < paragraph.Length && char.IsWhiteSpace(paragraph[next]))
            {
                next++;
            }

            var first = next < paragraph.Length && paragraph[next] is '"' or '“' or '‘' or '(' && next + 1 < paragraph.Length ? paragraph[next + 1] : next < paragraph.Length ? paragraph[next] : ' ';
            if (last is '.' or '!' or '?' && (char.IsUpper(first) || char.IsDigit(first)))
            {
                AddSentence(start, i);
                start = next;
            }

            i = next - 1;
        }

        AddSentence(start, paragraph.Length);

        void AddSentence(int from, int to)
        {
            // A range of nothing but white space is no sentence (the text would trim to nothing).
            if (!paragraph.AsSpan(from, to - from).IsWhiteSpace())
            {
                sentences.Add((from, to));
            }
        }
    }

    /// <summary>
    /// A content word (at most six characters) as a number: its characters packed exactly when all are below U+0100,
    /// else a 64-bit hash with the top bit set (the two ranges never meet; hashes of distinct words colliding is negligible).
    /// </summary>
    private static ulong WordCode(ReadOnlySpan<char> word)
    {
        ulong packed = (ulong)word.Length << 48;
        for (var i = 0; i < word.Length; i++)
        {
            if (word[i] > 0xFF)
            {
                var hash = 14695981039346656037UL;
                foreach (var c in word)
                {
                    hash = (hash ^ c) * 1099511628211UL;
                }

                return hash | (1UL << 63);
            }

            packed |= (ulong)word[i] << (8 * i);
        }

        return packed;
    }

    /// <summary>Sensational wording that click-bait lines carry.</summary>
    [GeneratedRegex(@"\b(?:shocking|shock|stunning|stuns?|stunned|jaw-?dropping|terrifying|horrifying|incredible|unbelievable|you won['’]t believe|can['’]t believe|goes viral|went viral|viral video|mind-?blowing|insane|giant|monster|massive|epic|watch|caught on (?:camera|video)|this is why|what happened next|will leave you|gasp|nightmare|bizarre|miracle|secret)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ClickBaitPattern();

    /// <param name="Paragraph">Index of the body paragraph.</param>
    /// <param name="Index">Index of the sentence in that paragraph.</param>
    /// <param name="Start">Where the sentence starts in the paragraph.</param>
    /// <param name="End">Where it ends (exclusive).</param>
    /// <param name="Words">The sentence's distinct content words (<see cref="WordCode"/>), in order of first use.</param>
    internal sealed record Sentence(int Paragraph, int Index, int Start, int End, ulong[] Words);

    /// <summary>An article split into paragraphs and sentences with their content words, and the sampled keys that find its family.</summary>
    internal sealed class Parsed
    {
        /// <summary>Every (content word, sentence) of the article, sorted by word: the index that finds a word's sentences.</summary>
        private readonly ulong[] holderWords;

        private readonly int[] holderSentences;

        public Parsed(Article article)
        {
            Article = article;
            var paragraphs = BodyParagraphs(article);
            var ranges = new List<(int Start, int End)>();
            var words = new List<ulong>();
            var keys = new List<ulong>();

            // Pairs of consecutive content words (across sentences and paragraphs), one in four kept by hash: what copies (even spun ones) share.
            Span<char> previous = stackalloc char[6];
            var previousLength = -1;
            for (var p = 0; p < paragraphs.Length; p++)
            {
                var paragraph = paragraphs[p];
                ranges.Clear();
                SentenceRanges(paragraph, ranges);
                for (var s = 0; s < ranges.Count; s++)
                {
                    words.Clear();
                    var (start, end) = ranges[s];
                    ScanWords(paragraph.AsSpan(start, end - start), words, keys, previous, ref previousLength);
                    Sentences.Add(new Sentence(p, s, start, end, [.. words]));
                }
            }

            holderWords = new ulong[Sentences.Sum(sentence => sentence.Words.Length)];
            holderSentences = new int[holderWords.Length];
            var entry = 0;
            for (var s = 0; s < Sentences.Count; s++)
            {
                foreach (var word in Sentences[s].Words)
                {
                    (holderWords[entry], holderSentences[entry]) = (word, s);
                    entry++;
                }
            }

            Array.Sort(holderWords, holderSentences);

            keys.Sort();
            var distinct = 0;
            for (var k = 0; k < keys.Count; k++)
            {
                if (k == 0 || keys[k] != keys[k - 1])
                {
                    keys[distinct++] = keys[k];
                }
            }

            Keys = [.. keys.Take(distinct)];
        }

        public Article Article { get; }

        /// <summary>The body's paragraphs (split again when asked: only articles with an injected sentence need them).</summary>
        public IReadOnlyList<string> Paragraphs => BodyParagraphs(Article);

        public List<Sentence> Sentences { get; } = [];

        /// <summary>The sampled word-pair keys, sorted and distinct.</summary>
        public ulong[] Keys { get; }

        /// <summary>Whether any sentence of the article has this content word.</summary>
        public bool Holds(ulong word) => PostingRange(holderWords, word).Count > 0;

        /// <summary>Adds one to the count of every sentence holding this content word.</summary>
        public void CountHolders(ulong word, Span<int> counts)
        {
            var (first, count) = PostingRange(holderWords, word);
            for (var entry = first; entry < first + count; entry++)
            {
                counts[holderSentences[entry]]++;
            }
        }

        public string SentenceText(int sentence)
        {
            var found = Sentences[sentence];
            return InjectedSentences.SentenceText(BodyParagraphs(Article)[found.Paragraph], found.Start, found.End);
        }

        private static string[] BodyParagraphs(Article article) =>
            article.Body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        /// <summary>
        /// Content words: letters and digits, lower case, three characters or more, not a stop word, cut to six characters
        /// (a crude stem). One sentence's distinct ones go into <paramref name="words"/>, the sampled keys of consecutive
        /// ones (carried across sentences by <paramref name="previous"/>) into <paramref name="keys"/>.
        /// </summary>
        private static void ScanWords(ReadOnlySpan<char> text, List<ulong> words, List<ulong> keys, Span<char> previous, ref int previousLength)
        {
            Span<char> buffer = stackalloc char[6];
            var length = 0;
            var full = 0;
            for (var i = 0; i <= text.Length; i++)
            {
                var c = i < text.Length ? text[i] : ' ';
                if (char.IsLetterOrDigit(c))
                {
                    if (length < buffer.Length)
                    {
                        buffer[length++] = char.ToLowerInvariant(c);
                    }

                    full++;
                    continue;
                }

                if (c is '\'' or '’' && full > 0 && i + 1 < text.Length && char.IsLetter(text[i + 1]))
                {
                    // "council's": the possessive stays part of the word, as WordKey keeps it.
                    continue;
                }

                if (full >= 3)
                {
                    var word = buffer[..length];
                    var code = WordCode(word);
                    if (full > 6 || !StopCodes.Contains(code))
                    {
                        if (!words.Contains(code))
                        {
                            words.Add(code);
                        }

                        if (previousLength >= 0)
                        {
                            var key = Hash(previous[..previousLength], word);
                            if ((key & 3) == 0)
                            {
                                keys.Add(key);
                            }
                        }

                        word.CopyTo(previous);
                        previousLength = word.Length;
                    }
                }

                (length, full) = (0, 0);
            }
        }

        private static ulong Hash(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
        {
            var hash = 14695981039346656037UL;
            foreach (var c in a)
            {
                hash = (hash ^ c) * 1099511628211UL;
            }

            hash = (hash ^ ' ') * 1099511628211UL;
            foreach (var c in b)
            {
                hash = (hash ^ c) * 1099511628211UL;
            }

            return hash ^ (hash >> 29);
        }
    }
}
