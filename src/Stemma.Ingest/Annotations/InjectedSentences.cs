using System.Collections.Concurrent;
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

    public static IReadOnlyList<Article> Apply(IReadOnlyList<Article> articles) => Apply(articles, InjectionOptions.Default);

    public static IReadOnlyList<Article> Apply(IReadOnlyList<Article> articles, InjectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(articles);
        ArgumentNullException.ThrowIfNull(options);
        if (articles.Count < 2)
        {
            return articles;
        }

        // Every step is per article once the family keys are posted, so the pass runs on all cores; results do not depend
        // on the schedule (word ids may, but they are only compared for equality).
        var table = new WordTable();
        var parsed = new Parsed[articles.Count];
        Parallel.For(0, articles.Count, index => parsed[index] = new Parsed(articles[index], table));
        var families = FindFamilyMembers(parsed, options);
        var annotated = new Article?[parsed.Length];
        Parallel.For(0, parsed.Length, index =>
        {
            if (families[index] is { Count: > 0 } members
                && FindInjected(parsed[index], [.. members.Select(member => parsed[member])], options) is { Count: > 0 } injected)
            {
                annotated[index] = MoveToAnnotations(parsed[index], injected);
            }
        });

        return annotated.Any(article => article is not null) ? [.. articles.Select((article, index) => annotated[index] ?? article)] : articles;
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
        var familyWords = new HashSet<int>(members.SelectMany(member => member.SentencesByWord.Keys));
        // Then the other cheap test: (almost) no content word shared with the sentences before and after it.
        var candidates = Enumerable.Range(1, sentences.Count - 2)
            .Where(i => sentences[i].Words.Count >= MinSentenceWords && sentences[i].Words.Count(familyWords.Contains) <= options.MaxFamilyVocabularyShare * sentences[i].Words.Count)
            .Where(i => SharedWithNeighbours(sentences, i) <= options.MaxNeighbourSharedWords)
            .ToList();
        if (candidates.Count == 0)
        {
            return found;
        }

        // Where each sentence of the article is in each member (-1 when absent).
        var matches = members.Select(member => sentences.Select(sentence => BestMatch(sentence.Words, member, options)).ToArray()).ToArray();
        var countable = sentences.Count(sentence => sentence.Words.Count >= MinSentenceWords);
        var matched = Enumerable.Range(0, sentences.Count).Count(i => sentences[i].Words.Count >= MinSentenceWords && matches.Any(m => m[i] >= 0));
        if (countable == 0 || matched < options.MinMatchedSentences * countable)
        {
            return found;
        }

        foreach (var i in candidates)
        {
            if (matches.Any(m => m[i] >= 0))
            {
                continue;
            }

            // Members that go straight from the previous sentence to the next one, and are not known to be later copies.
            var agreeing = Enumerable.Range(0, members.Count)
                .Where(m => matches[m][i - 1] >= 0 && matches[m][i + 1] == matches[m][i - 1] + 1
                    && !(members[m].Article.Date > article.Article.Date))
                .ToList();
            var earlier = agreeing.Any(m => members[m].Article.Date < article.Article.Date);
            if (agreeing.Count >= 2 || (agreeing.Count == 1 && (earlier || ClickBaitPattern().IsMatch(sentences[i].Text))))
            {
                found.Add((sentences[i].Paragraph, sentences[i].Index));
            }
        }

        return found.Count <= Math.Max(1, options.MaxInjectedShare * countable) ? found : [];
    }

    private static int SharedWithNeighbours(List<Sentence> sentences, int i)
    {
        var neighbours = sentences[i - 1].Words.Concat(sentences[i + 1].Words).ToHashSet();
        return sentences[i].Words.Count(neighbours.Contains);
    }

    /// <summary>For each article, the most similar other articles sharing enough content-word pairs (sampled) to be of one family.</summary>
    private static List<int>?[] FindFamilyMembers(Parsed[] parsed, InjectionOptions options)
    {
        var postings = new Dictionary<ulong, List<int>>();
        for (var index = 0; index < parsed.Length; index++)
        {
            foreach (var key in parsed[index].Keys)
            {
                if (!postings.TryGetValue(key, out var list))
                {
                    postings[key] = list = [];
                }

                list.Add(index);
            }
        }

        var result = new List<int>?[parsed.Length];
        // Shared-key counts per other article, in an array (one per worker) reset through the list of those touched: no
        // hashing per posting. Ties go to the smaller id, so the members do not depend on the input order.
        Parallel.For(
            0,
            parsed.Length,
            () => (Shared: new int[parsed.Length], Touched: new List<int>()),
            (index, _, scratch) =>
            {
                var (shared, touched) = scratch;
                foreach (var other in touched)
                {
                    shared[other] = 0;
                }

                touched.Clear();
                foreach (var key in parsed[index].Keys)
                {
                    var list = postings[key];
                    if (list.Count > MaxPostingsPerKey)
                    {
                        continue;
                    }

                    foreach (var other in list)
                    {
                        if (other != index && shared[other]++ == 0)
                        {
                            touched.Add(other);
                        }
                    }
                }

                var members = new List<(int Other, double Overlap)>();
                foreach (var other in touched)
                {
                    var overlap = shared[other] / (double)Math.Max(1, Math.Min(parsed[index].Keys.Count, parsed[other].Keys.Count));
                    if (overlap >= options.MinFamilyOverlap)
                    {
                        members.Add((other, overlap));
                    }
                }

                result[index] = members.Count > 0
                    ? [.. members.OrderByDescending(pair => pair.Overlap).ThenBy(pair => parsed[pair.Other].Article.Id, StringComparer.Ordinal).Take(options.MaxMembers).Select(pair => pair.Other)]
                    : null;
                return scratch;
            },
            _ => { });

        return result;
    }

    /// <summary>The index of the member's sentence that best matches these words, or -1 when none matches well enough.</summary>
    private static int BestMatch(IReadOnlyList<int> words, Parsed member, InjectionOptions options)
    {
        if (words.Count < MinSentenceWords)
        {
            return -1;
        }

        var counts = new int[member.Sentences.Count];
        var touched = new List<int>();
        foreach (var word in words)
        {
            if (member.SentencesByWord.TryGetValue(word, out var holders))
            {
                foreach (var holder in holders)
                {
                    if (counts[holder]++ == 0)
                    {
                        touched.Add(holder);
                    }
                }
            }
        }

        var best = -1;
        var bestScore = 0.0;
        foreach (var holder in touched)
        {
            var count = counts[holder];
            var score = count / (double)Math.Max(1, Math.Min(words.Count, member.Sentences[holder].Words.Count));
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
        var sentences = new List<string>();
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
                AddSentence(paragraph[start..i]);
                start = next;
            }

            i = next - 1;
        }

        AddSentence(paragraph[start..]);
        return sentences;

        void AddSentence(string text)
        {
            var trimmed = text.Replace('\n', ' ').Trim();
            if (trimmed.Length > 0)
            {
                sentences.Add(trimmed);
            }
        }
    }

    /// <summary>Content words: letters and digits, lower case, three characters or more, not a stop word, cut to six characters (a crude stem).</summary>
    internal static List<string> ContentWords(string text)
    {
        var table = new WordTable();
        var ids = new List<int>();
        ContentWordIds(text, table, ids);
        return [.. ids.Select(table.Word)];
    }

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> StopWordLookup = StopWords.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>As <see cref="ContentWords"/>, appending each word's id in the table (no string is made for a word seen before).</summary>
    private static void ContentWordIds(string text, WordTable table, List<int> words, List<string>? texts = null)
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
                if (full > 6 || !StopWordLookup.Contains(word))
                {
                    words.Add(table.Id(word, out var wordText));
                    texts?.Add(wordText);
                }
            }

            (length, full) = (0, 0);
        }
    }

    /// <summary>
    /// Content words as small integers, shared by all articles of one pass, so that sets and counts compare integers.
    /// Safe for parallel parsing: a word seen before costs one lock-free look-up; a new word takes a lock.
    /// </summary>
    internal sealed class WordTable
    {
        private readonly ConcurrentDictionary<string, int> _ids = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
        private readonly List<string> _words = [];

        public WordTable() => _lookup = _ids.GetAlternateLookup<ReadOnlySpan<char>>();

        /// <summary>The word's id, and the word as a string (the table's own instance).</summary>
        public int Id(ReadOnlySpan<char> word, out string text)
        {
            if (_lookup.TryGetValue(word, out text!, out var id))
            {
                return id;
            }

            lock (_words)
            {
                if (_lookup.TryGetValue(word, out text!, out id))
                {
                    return id;
                }

                text = new string(word);
                id = _words.Count;
                _words.Add(text);
                _ids[text] = id;
                return id;
            }
        }

        public string Word(int id)
        {
            lock (_words)
            {
                return _words[id];
            }
        }
    }

    /// <summary>Sensational wording that click-bait lines carry.</summary>
    [GeneratedRegex(@"\b(?:shocking|shock|stunning|stuns?|stunned|jaw-?dropping|terrifying|horrifying|incredible|unbelievable|you won['’]t believe|can['’]t believe|goes viral|went viral|viral video|mind-?blowing|insane|giant|monster|massive|epic|watch|caught on (?:camera|video)|this is why|what happened next|will leave you|gasp|nightmare|bizarre|miracle|secret)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ClickBaitPattern();

    /// <param name="Words">The sentence's distinct content words.</param>
    internal sealed record Sentence(string Text, int Paragraph, int Index, List<int> Words);

    /// <summary>An article split into paragraphs and sentences with their content words, and the sampled keys that find its family.</summary>
    internal sealed class Parsed
    {
        public Parsed(Article article) : this(article, new WordTable())
        {
        }

        public Parsed(Article article, WordTable table)
        {
            Article = article;
            Paragraphs = article.Body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var running = new List<string>();
            var words = new List<int>();
            var seen = new HashSet<int>();
            for (var p = 0; p < Paragraphs.Count; p++)
            {
                var parts = SplitSentences(Paragraphs[p]);
                for (var s = 0; s < parts.Count; s++)
                {
                    words.Clear();
                    ContentWordIds(parts[s], table, words, running);
                    seen.Clear();
                    var distinct = new List<int>(words.Count);
                    foreach (var word in words)
                    {
                        if (seen.Add(word))
                        {
                            distinct.Add(word);
                        }
                    }

                    Sentences.Add(new Sentence(parts[s], p, s, distinct));
                }
            }

            // Pairs of consecutive content words, one in four kept by hash: what copies (even spun ones) share.
            for (var w = 0; w + 1 < running.Count; w++)
            {
                var key = Hash(running[w], running[w + 1]);
                if ((key & 3) == 0)
                {
                    Keys.Add(key);
                }
            }
        }

        public Article Article { get; }

        public IReadOnlyList<string> Paragraphs { get; }

        public List<Sentence> Sentences { get; } = [];

        /// <summary>Which sentences hold each content word; built on first use, since most articles belong to no family.</summary>
        public Dictionary<int, List<int>> SentencesByWord => LazyInitializer.EnsureInitialized(ref _sentencesByWord, IndexSentences);

        private Dictionary<int, List<int>>? _sentencesByWord;

        public HashSet<ulong> Keys { get; } = [];

        private Dictionary<int, List<int>> IndexSentences()
        {
            var index = new Dictionary<int, List<int>>();
            for (var s = 0; s < Sentences.Count; s++)
            {
                foreach (var word in Sentences[s].Words)
                {
                    if (!index.TryGetValue(word, out var list))
                    {
                        index[word] = list = [];
                    }

                    list.Add(s);
                }
            }

            return index;
        }

        private static ulong Hash(string a, string b)
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
