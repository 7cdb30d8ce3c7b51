using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Stemma.Index;
using Stemma.Pipeline;

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
public static class InjectedSentences
{
    private const int MinSentenceWords = 3;

    private const int MaxPostingsPerKey = 64;

    private const int NotYetMatched = -2;

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
        // on the schedule (word codes may, but they are only compared for equality). Sentences are split only for articles
        // that turn out to have a family, or to be in one.
        var table = new WordTable();
        var parsed = new Parsed[articles.Count];
        using (StageTimings.Start("injected sentences: family keys"))
        {
            Parallel.For(0, articles.Count, index => parsed[index] = new Parsed(articles[index], table));
        }

        int[]?[] families;
        using (StageTimings.Start("injected sentences: families"))
        {
            families = FindFamilyMembers([.. parsed.Select(article => article.Keys)], [.. articles.Select(article => article.Id)], options);
        }

        var annotated = new Article?[parsed.Length];
        using (StageTimings.Start("injected sentences: sentences checked"))
        {
            Parallel.For(0, parsed.Length, index =>
            {
                if (families[index] is { Length: > 0 } members
                    && FindInjected(parsed[index], [.. members.Select(member => parsed[member])], options) is { Count: > 0 } injected)
                {
                    annotated[index] = MoveToAnnotations(articles[index], injected);
                }
            });
        }

        return annotated.Any(article => article is not null) ? [.. articles.Select((article, index) => annotated[index] ?? article)] : articles;
    }

    /// <summary>The body's sentences (in reading order) that are injected, as (paragraph index, sentence index in that paragraph).</summary>
    internal static List<(int Paragraph, int Sentence)> FindInjected(Parsed article, IReadOnlyList<Parsed> members, InjectionOptions options) =>
        Weigh(article, members, options).Decide(article.IsClickBait, options);

    /// <summary>
    /// <see cref="FindInjected"/> up to the click-bait test, which needs the sentence's text: an article known by its sketch
    /// is decided later, when its text is read anyway (<see cref="Verdict.NeedsText"/>).
    /// </summary>
    internal static Verdict Weigh(Parsed article, IReadOnlyList<Parsed> members, InjectionOptions options)
    {
        var sentences = article.Sentences;
        if (sentences.Length < 3)
        {
            return Verdict.None;
        }

        // The cheap tests first: (almost) no content word shared with the sentences before and after it, and at most a third
        // of its content words anywhere in the family's text. Most articles stop here. The family's words are put in a set
        // the thread reuses when the first sentence gets that far (most do).
        List<int>? candidates = null;
        HashTable? family = null;
        for (var i = 1; i < sentences.Length - 1; i++)
        {
            var words = sentences[i].Words;
            if (words.Length >= MinSentenceWords
                && SharedWithNeighbours(sentences, i) <= options.MaxNeighbourSharedWords
                && InFamilyVocabulary(words, family ??= FamilyWords(members)) <= options.MaxFamilyVocabularyShare * words.Length)
            {
                (candidates ??= []).Add(i);
            }
        }

        return candidates is null ? Verdict.None : WeighCandidates(article, members, candidates, options);
    }

    /// <summary>The rest of <see cref="Weigh"/>, for an article with candidate sentences: where the members carry them.</summary>
    private static Verdict WeighCandidates(Parsed article, IReadOnlyList<Parsed> members, List<int> candidates, InjectionOptions options)
    {
        var sentences = article.Sentences;

        // Where each sentence of the article is in each member (-1 when absent), worked out when first asked: a candidate that
        // some member carries, or that no member skips, settles the question without aligning the whole article.
        var matches = members.Select(_ => new int[sentences.Length]).ToArray();
        foreach (var row in matches)
        {
            row.AsSpan().Fill(NotYetMatched);
        }

        int Match(int m, int i) => matches[m][i] is var known && known != NotYetMatched ? known : matches[m][i] = BestMatch(sentences[i].Words, members[m], options);
        var found = new List<Verdict.Candidate>();
        foreach (var i in candidates)
        {
            if (Enumerable.Range(0, members.Count).Any(m => Match(m, i) >= 0))
            {
                continue;
            }

            // Members that go straight from the previous sentence to the next one, and are not known to be later copies.
            var agreeing = Enumerable.Range(0, members.Count)
                .Where(m => Match(m, i - 1) >= 0 && Match(m, i + 1) == Match(m, i - 1) + 1
                    && !(members[m].Date > article.Date))
                .ToList();
            var earlier = agreeing.Any(m => members[m].Date < article.Date);
            if (agreeing.Count >= 2 || agreeing.Count == 1)
            {
                // One member alone counts when it is dated earlier or the sentence reads as click-bait.
                found.Add(new Verdict.Candidate(i, sentences[i].Paragraph, sentences[i].Index, IfClickBait: agreeing.Count == 1 && !earlier));
            }
        }

        if (found.Count == 0)
        {
            return Verdict.None;
        }

        // Only a close copy of its family holds injections: enough of its sentences are found in some member.
        var countable = sentences.Count(sentence => sentence.Words.Length >= MinSentenceWords);
        var matched = Enumerable.Range(0, sentences.Length).Count(i => sentences[i].Words.Length >= MinSentenceWords && Enumerable.Range(0, members.Count).Any(m => Match(m, i) >= 0));
        return new Verdict(found, countable, matched);
    }

    /// <summary>
    /// What the checks found in one article before the click-bait test: the candidate sentences (each injected outright, or
    /// only if it reads as click-bait), the article's countable sentences (long enough) and how many of them a member carries.
    /// </summary>
    internal sealed class Verdict(List<Verdict.Candidate> candidates, int countable, int matched)
    {
        public static Verdict None { get; } = new([], 0, 0);

        public bool IsEmpty => candidates.Count == 0;

        /// <summary>Whether deciding needs the text of some sentence (the click-bait test).</summary>
        public bool NeedsText => candidates.Exists(candidate => candidate.IfClickBait);

        /// <summary>The injected sentences, as (paragraph, index in the paragraph), given the click-bait test of a sentence.</summary>
        public List<(int Paragraph, int Sentence)> Decide(Func<int, bool> isClickBait, InjectionOptions options)
        {
            var found = new List<(int, int)>();
            foreach (var candidate in candidates)
            {
                if (!candidate.IfClickBait || isClickBait(candidate.Sentence))
                {
                    found.Add((candidate.Paragraph, candidate.Index));
                }
            }

            if (found.Count == 0)
            {
                return found;
            }

            if (countable == 0 || matched < options.MinMatchedSentences * countable)
            {
                return [];
            }

            return found.Count <= Math.Max(1, options.MaxInjectedShare * countable) ? found : [];
        }

        /// <param name="Sentence">The sentence's place in the article.</param>
        /// <param name="Paragraph">Its paragraph.</param>
        /// <param name="Index">Its place in the paragraph.</param>
        /// <param name="IfClickBait">Injected only if it reads as click-bait.</param>
        public readonly record struct Candidate(int Sentence, int Paragraph, int Index, bool IfClickBait);
    }

    /// <summary>How many of sentence i's (distinct) words the sentences before and after it hold; sentences are short, so a scan.</summary>
    private static int SharedWithNeighbours(Sentence[] sentences, int i)
    {
        var before = sentences[i - 1].Words;
        var after = sentences[i + 1].Words;
        var shared = 0;
        foreach (var word in sentences[i].Words)
        {
            if (before.Contains(word) || after.Contains(word))
            {
                shared++;
            }
        }

        return shared;
    }

    /// <summary>Every content word of the members, in a set the thread reuses (valid until its next call).</summary>
    private static HashTable FamilyWords(IReadOnlyList<Parsed> members)
    {
        var set = t_family ??= new HashTable(1024);
        set.Clear();
        foreach (var member in members)
        {
            foreach (var word in member.AllWords)
            {
                set.GetValueRefOrAdd((ulong)word);
            }
        }

        return set;
    }

    [ThreadStatic]
    private static HashTable? t_family;

    /// <summary>How many of the (distinct) words are in the family's text (<see cref="FamilyWords"/>).</summary>
    private static int InFamilyVocabulary(ReadOnlySpan<long> words, HashTable family)
    {
        var count = 0;
        foreach (var word in words)
        {
            if (family.TryGetValue((ulong)word, out _))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>
    /// For each article (its sampled keys, <see cref="Parsed.Keys"/>, and its id), the most similar other articles sharing
    /// enough content-word pairs (sampled) to be of one family. Takes only keys and ids, so a streamed pass can hold just those.
    /// </summary>
    internal static int[]?[] FindFamilyMembers(ulong[][] articleKeys, string[] ids, InjectionOptions options)
    {
        // The postings as sorted arrays: every (key, article), sorted by key; a key's holders are one run. Keys held by one
        // article find nobody and keys held by too many say nothing, so each article keeps only the runs in between, as
        // (start, length) pairs in one array sliced per article.
        var total = 0;
        foreach (var keysOfArticle in articleKeys)
        {
            total += keysOfArticle.Length;
        }

        // Sorted in two steps: spread into buckets by the top bits of the key (keys are hashes, so the buckets are even), then
        // each bucket sorted alone. The same arrays as one sort of everything (the holders of a key are put in order below),
        // for fewer comparisons. The articles are spread in consecutive parts on all cores, each part into its own share of
        // every bucket, the earlier part first: a bucket holds its keys in article order, as one pass would put them.
        const int BucketBits = 16;
        var parts = articleKeys.Length < 4096 ? 1 : Environment.ProcessorCount;
        var partCounts = new int[parts][];
        Parallel.For(0, parts, part =>
        {
            var counts = partCounts[part] = new int[1 << BucketBits];
            foreach (var keysOfArticle in articleKeys.AsSpan(PartStart(part), PartStart(part + 1) - PartStart(part)))
            {
                foreach (var key in keysOfArticle)
                {
                    counts[(int)(key >> (64 - BucketBits))]++;
                }
            }
        });

        // Each part's counts become where its share of each bucket starts.
        var bucketStarts = new int[(1 << BucketBits) + 1];
        for (var bucket = 0; bucket < 1 << BucketBits; bucket++)
        {
            var at = bucketStarts[bucket];
            foreach (var counts in partCounts)
            {
                (counts[bucket], at) = (at, at + counts[bucket]);
            }

            bucketStarts[bucket + 1] = at;
        }

        var keys = new ulong[total];
        var holders = new int[total];
        Parallel.For(0, parts, part =>
        {
            var next = partCounts[part];
            for (var index = PartStart(part); index < PartStart(part + 1); index++)
            {
                foreach (var key in articleKeys[index])
                {
                    var slot = next[(int)(key >> (64 - BucketBits))]++;
                    (keys[slot], holders[slot]) = (key, index);
                }
            }
        });

        // Each pair is counted once, from its smaller index: an article keeps, of each run it is in, the holders after it
        // (runs sorted by holder), so the work is half that of counting from both sides. A run lies inside one bucket, so
        // the buckets are sorted, and their runs' holders put in order, on all cores, a group of buckets to a task.
        const int BucketsPerTask = 256;
        Parallel.For(0, (1 << BucketBits) / BucketsPerTask, group =>
        {
            for (var bucket = group * BucketsPerTask; bucket < (group + 1) * BucketsPerTask; bucket++)
            {
                var (start, end) = (bucketStarts[bucket], bucketStarts[bucket + 1]);
                keys.AsSpan(start, end - start).Sort(holders.AsSpan(start, end - start));
                for (var run = start; run < end;)
                {
                    var runEnd = run + 1;
                    while (runEnd < end && keys[runEnd] == keys[run])
                    {
                        runEnd++;
                    }

                    if (runEnd - run is > 1 and <= MaxPostingsPerKey)
                    {
                        holders.AsSpan(run, runEnd - run).Sort();
                    }

                    run = runEnd;
                }
            }
        });
        var runsPerArticle = new int[articleKeys.Length + 1];
        ForEachRun(run =>
        {
            foreach (var holder in holders.AsSpan(run.Start, run.Length - 1))
            {
                runsPerArticle[holder + 1]++;
            }
        });
        for (var index = 0; index < articleKeys.Length; index++)
        {
            runsPerArticle[index + 1] += runsPerArticle[index];
        }

        var runs = new (int Start, int Length)[runsPerArticle[articleKeys.Length]];
        var fill = runsPerArticle[..^1];
        ForEachRun(run =>
        {
            for (var at = run.Start; at < run.Start + run.Length - 1; at++)
            {
                runs[fill[holders[at]]++] = (at + 1, run.Start + run.Length - at - 1);
            }
        });

        // Shared-key counts per later article, in an array (one per worker) reset through the list of those touched: no
        // hashing per posting. The overlap of a pair is the same from either side, so each pair that is close enough is
        // kept once and given to both.
        var close = new (int Other, double Overlap)[]?[articleKeys.Length];

        // Key counts side by side: the overlap test reads one per touched article, which through the arrays is a cache miss each.
        var keyCounts = new int[articleKeys.Length];
        for (var index = 0; index < articleKeys.Length; index++)
        {
            keyCounts[index] = articleKeys[index].Length;
        }

        Parallel.For(
            0,
            articleKeys.Length,
            () => (Shared: new int[articleKeys.Length], Touched: new List<int>(), Found: new List<(int Other, double Overlap)>()),
            (index, _, scratch) =>
            {
                var (shared, touched, found) = scratch;
                foreach (var other in touched)
                {
                    shared[other] = 0;
                }

                touched.Clear();
                foreach (var (start, length) in runs.AsSpan(runsPerArticle[index], runsPerArticle[index + 1] - runsPerArticle[index]))
                {
                    foreach (var other in holders.AsSpan(start, length))
                    {
                        if (shared[other]++ == 0)
                        {
                            touched.Add(other);
                        }
                    }
                }

                found.Clear();
                var ownKeys = keyCounts[index];
                foreach (var other in touched)
                {
                    var overlap = shared[other] / (double)Math.Max(1, Math.Min(ownKeys, keyCounts[other]));
                    if (overlap >= options.MinFamilyOverlap)
                    {
                        found.Add((other, overlap));
                    }
                }

                close[index] = found.Count > 0 ? [.. found] : null;
                return scratch;
            },
            _ => { });

        var candidates = new List<(int Other, double Overlap)>?[articleKeys.Length];
        for (var index = 0; index < articleKeys.Length; index++)
        {
            foreach (var (other, overlap) in close[index] ?? [])
            {
                (candidates[index] ??= []).Add((other, overlap));
                (candidates[other] ??= []).Add((index, overlap));
            }
        }

        // The most similar first; ties go to the smaller id, so the members do not depend on the input order.
        var result = new int[]?[articleKeys.Length];
        Parallel.For(0, articleKeys.Length, index => result[index] = candidates[index] is { } members
            ? [.. members.OrderByDescending(pair => pair.Overlap).ThenBy(pair => ids[pair.Other], StringComparer.Ordinal).Take(options.MaxMembers).Select(pair => pair.Other)]
            : null);
        return result;

        int PartStart(int part) => (int)((long)articleKeys.Length * part / parts);

        void ForEachRun(Action<(int Start, int Length)> action)
        {
            for (var start = 0; start < keys.Length;)
            {
                var end = start + 1;
                while (end < keys.Length && keys[end] == keys[start])
                {
                    end++;
                }

                if (end - start is > 1 and <= MaxPostingsPerKey)
                {
                    action((start, end - start));
                }

                start = end;
            }
        }
    }

    /// <summary>
    /// The index of the member's sentence that best matches these words, or -1 when none matches well enough: each of the
    /// member's sentences scored by the words it shares with them (both distinct), the words held in a set the thread reuses.
    /// </summary>
    private static int BestMatch(ReadOnlySpan<long> words, Parsed member, InjectionOptions options)
    {
        if (words.Length < MinSentenceWords)
        {
            return -1;
        }

        var query = t_query ??= new HashTable(64);
        query.Clear();
        foreach (var word in words)
        {
            query.GetValueRefOrAdd((ulong)word);
        }

        // In sentence order with a strict comparison: of equal scores the first sentence wins.
        var sentences = member.Sentences;
        var best = -1;
        var bestScore = 0.0;
        for (var holder = 0; holder < sentences.Length; holder++)
        {
            var count = 0;
            foreach (var word in sentences[holder].Words)
            {
                if (query.TryGetValue((ulong)word, out _))
                {
                    count++;
                }
            }

            if (count == 0)
            {
                continue;
            }

            var score = count / (double)Math.Max(1, Math.Min(words.Length, sentences[holder].WordCount));
            if (score > bestScore)
            {
                (best, bestScore) = (holder, score);
            }
        }

        return bestScore >= options.MinSentenceMatch ? best : -1;
    }

    [ThreadStatic]
    private static HashTable? t_query;

    /// <summary>The article with its injected sentences (as <see cref="FindInjected"/> names them) moved to annotations.</summary>
    internal static Article MoveToAnnotations(Article article, List<(int Paragraph, int Sentence)> injected)
    {

        // The extracted text in reading order: body paragraphs fill the positions the annotations leave free.
        var sequence = new List<(string Text, AnnotationKind? Kind)>();
        var annotations = article.Annotations.OrderBy(annotation => annotation.Position).ToList();
        var paragraphs = CorpusAnnotator.BodyParagraphs(article.Body);
        var (nextAnnotation, next, position) = (0, 0, 0);
        while (nextAnnotation < annotations.Count || next < paragraphs.Length)
        {
            if (nextAnnotation < annotations.Count && (annotations[nextAnnotation].Position <= position || next >= paragraphs.Length))
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
        var ranges = new List<Range>();
        SentenceRanges(paragraph, 0, ranges);
        return [.. ranges.Select(range => SentenceText(paragraph, range))];
    }

    /// <summary>A sentence as one line: the paragraph's line breaks inside it become spaces.</summary>
    private static string SentenceText(string text, Range range) => text[range].Replace('\n', ' ');

    /// <summary>
    /// Appends where the sentences of a paragraph are (see <see cref="SplitSentences"/>), without their whitespace at either
    /// end, none empty, each shifted by <paramref name="offset"/> (where the paragraph starts in a longer text).
    /// </summary>
    private static void SentenceRanges(ReadOnlySpan<char> paragraph, int offset, List<Range> ranges)
    {
        // A sentence can only end at a run of whitespace right after . ! or ? (or after one of them and a closing quote or
        // bracket), so the scan jumps from one of those marks to the next (a vectorised search) instead of testing every
        // character for whitespace.
        var start = 0;
        for (var from = 0; from < paragraph.Length;)
        {
            var mark = paragraph[from..].IndexOfAny('.', '!', '?');
            if (mark < 0)
            {
                break;
            }

            mark += from;
            var i = mark + 1 < paragraph.Length && paragraph[mark + 1] is '"' or '”' or '’' or ')' ? mark + 2 : mark + 1;
            if (i >= paragraph.Length || !char.IsWhiteSpace(paragraph[i]))
            {
                from = mark + 1;
                continue;
            }

            var next = i;
            while (next < paragraph.Length && char.IsWhiteSpace(paragraph[next]))
            {
                next++;
            }

            var first = next < paragraph.Length && paragraph[next] is '"' or '“' or '‘' or '(' && next + 1 < paragraph.Length ? paragraph[next + 1] : next < paragraph.Length ? paragraph[next] : ' ';
            if (char.IsUpper(first) || char.IsDigit(first))
            {
                Add(paragraph, start, i, offset, ranges);
                start = next;
            }

            from = next;
        }

        Add(paragraph, start, paragraph.Length, offset, ranges);

        static void Add(ReadOnlySpan<char> paragraph, int from, int to, int offset, List<Range> ranges)
        {
            if (TrimmedRange(paragraph, from, to) is var (start, end) && end > start)
            {
                ranges.Add((offset + start)..(offset + end));
            }
        }
    }

    /// <summary>[from, to) without whitespace at either end, as string.Trim would leave it.</summary>
    private static (int Start, int End) TrimmedRange(ReadOnlySpan<char> text, int from, int to)
    {
        while (from < to && char.IsWhiteSpace(text[from]))
        {
            from++;
        }

        while (to > from && char.IsWhiteSpace(text[to - 1]))
        {
            to--;
        }

        return (from, to);
    }

    /// <summary>
    /// Content words: letters and digits, lower case, three characters or more, not a stop word, cut to six characters (a
    /// crude stem). Gives <paramref name="sink"/> each word's code (equal codes, equal words) and its characters. The sink is
    /// a struct so that its <see cref="IContentWordSink.Add"/> is compiled into the scan for each kind of sink: the passes
    /// call it for every word of every body (with the stop-word set and the loop's unchecked table read, the scan of 500
    /// bodies 24 % faster than through a delegate, docs/benchmarks.md).
    /// </summary>
    internal static void ContentWords<TSink>(ReadOnlySpan<char> text, WordTable table, ref TSink sink)
        where TSink : struct, IContentWordSink
    {
        Span<char> buffer = stackalloc char[6];
        var length = 0;
        var full = 0;

        // The word's code built as its characters arrive (what WordTable.AsciiCode gives the kept characters), so a word of
        // ASCII codes needs no second pass; a kept character that is not ASCII after lowering sends it to the table. One loop
        // over the characters: a loop per word, with one for the gaps between words, was slower (the ends of words are
        // where the branches go wrong either way).
        long code = 0;
        var ascii = true;
        ref var lower = ref MemoryMarshal.GetArrayDataReference(AsciiLower);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            char folded;
            if (c < 128)
            {
                // In range: AsciiLower has 128 entries.
                folded = (char)Unsafe.Add(ref lower, c);
            }
            else
            {
                folded = char.IsLetterOrDigit(c) ? char.ToLowerInvariant(c) : '\0';
            }

            // 0: not a letter or digit (no letter or digit lowers to it).
            if (folded != '\0')
            {
                if (length < buffer.Length)
                {
                    if (folded < 128)
                    {
                        code |= (long)folded << (3 + (7 * length));
                    }
                    else
                    {
                        ascii = false;
                    }

                    buffer[length++] = folded;
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
                EndWord(buffer[..length], full, ascii ? code | (long)length : -1, table, ref sink);
            }

            (length, full, code, ascii) = (0, 0, 0, true);
        }

        if (full >= 3)
        {
            EndWord(buffer[..length], full, ascii ? code | (long)length : -1, table, ref sink);
        }
    }

    /// <summary>A word of three or more letters or digits (<paramref name="full"/>) ends: its code (-1 when it is the table's) to the sink unless a stop word.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void EndWord<TSink>(ReadOnlySpan<char> word, int full, long asciiCode, WordTable table, ref TSink sink)
        where TSink : struct, IContentWordSink
    {
        var wordCode = asciiCode >= 0 ? asciiCode : table.Code(word);
        if (full > 6 || !IsStopCode(wordCode))
        {
            sink.Add(wordCode, word);
        }
    }

    /// <summary>What <see cref="ContentWords{TSink}(ReadOnlySpan{char}, WordTable, ref TSink)"/> gives each content word to.</summary>
    internal interface IContentWordSink
    {
        void Add(long code, ReadOnlySpan<char> word);
    }

    /// <summary>Each ASCII character lowered when it is a letter or digit (as char.ToLowerInvariant), 0 otherwise.</summary>
    private static readonly byte[] AsciiLower = [.. Enumerable.Range(0, 128).Select(c => char.IsLetterOrDigit((char)c) ? (byte)char.ToLowerInvariant((char)c) : (byte)0)];

    /// <summary>
    /// The stop words' codes (all ASCII, so their codes never come from a table and are the same in every pass), each in a
    /// slot of its own: a look-up is one multiply and one read, made for about every second word of every body.
    /// </summary>
    private static readonly StopCodeSet StopCodes = new([.. StopWords.Select(word => WordTable.AsciiCode(word))]);

    /// <summary>Whether a word's code is a stop word's.</summary>
    internal static bool IsStopCode(long code) => StopCodes.Contains(code);

    /// <summary>
    /// A fixed set of non-zero codes placed by a multiplicative hash chosen so that no two share a slot (tried in a fixed
    /// order, so every run places them alike): membership is the code found in its one slot.
    /// </summary>
    private sealed class StopCodeSet
    {
        private const int SlotBits = 10;

        private readonly long[] _slots = new long[1 << SlotBits];
        private readonly ulong _multiplier;

        public StopCodeSet(long[] codes)
        {
            var candidate = 0x9E3779B97F4A7C15UL;
            while (true)
            {
                // Odd multipliers from a fixed sequence (SplitMix64 steps).
                candidate += 0x9E3779B97F4A7C15UL;
                var multiplier = Mix(candidate) | 1;
                Array.Clear(_slots);
                if (codes.All(code => TryPlace(code, multiplier)))
                {
                    _multiplier = multiplier;
                    return;
                }
            }
        }

        public bool Contains(long code) => _slots[Slot(code, _multiplier)] == code;

        private bool TryPlace(long code, ulong multiplier)
        {
            ref var slot = ref _slots[Slot(code, multiplier)];
            if (slot != 0 && slot != code)
            {
                return false;
            }

            slot = code;
            return true;
        }

        private static int Slot(long code, ulong multiplier) => (int)(((ulong)code * multiplier) >> (64 - SlotBits));

        private static ulong Mix(ulong value)
        {
            value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9UL;
            value = (value ^ (value >> 27)) * 0x94D049BB133111EBUL;
            return value ^ (value >> 31);
        }
    }

    /// <summary>
    /// Content words as 64-bit codes, so that sets and counts compare integers. A word of ASCII letters and digits (up to six)
    /// is its own code, 7 bits a character; any other word gets a number from a table shared by all articles of one pass
    /// (with bit 62 set, which no ASCII code reaches, so the two kinds never meet). Safe for parallel parsing: a word seen before costs one lock-free
    /// look-up; a new word takes a lock.
    /// </summary>
    internal sealed class WordTable
    {
        private const long TableBit = 1L << 62;

        private readonly ConcurrentDictionary<string, int> _ids = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
        private int _count;

        public WordTable() => _lookup = _ids.GetAlternateLookup<ReadOnlySpan<char>>();

        public long Code(ReadOnlySpan<char> word)
        {
            if (AsciiCode(word) is var code and >= 0)
            {
                return code;
            }

            if (_lookup.TryGetValue(word, out var id))
            {
                return TableBit | (uint)id;
            }

            lock (_ids)
            {
                if (!_lookup.TryGetValue(word, out id))
                {
                    id = _count++;
                    _ids[new string(word)] = id;
                }
            }

            return TableBit | (uint)id;
        }

        /// <summary>Length in the low 3 bits, then 7 bits per character; -1 when a character is not ASCII or the word is longer than six.</summary>
        public static long AsciiCode(ReadOnlySpan<char> word)
        {
            if (word.Length > 6)
            {
                return -1;
            }

            long code = word.Length;
            for (var i = 0; i < word.Length; i++)
            {
                if (word[i] >= 128)
                {
                    return -1;
                }

                code |= (long)word[i] << (3 + (7 * i));
            }

            return code;
        }
    }

    /// <summary>Whether a sentence (as <see cref="SentenceText"/> gives it: line breaks as spaces) carries click-bait wording.</summary>
    private static bool IsClickBait(ReadOnlySpan<char> sentence)
    {
        if (!sentence.Contains('\n'))
        {
            return ClickBaitPattern.IsMatch(sentence);
        }

        var copy = sentence.Length <= 1024 ? stackalloc char[sentence.Length] : new char[sentence.Length];
        sentence.Replace(copy, '\n', ' ');
        return ClickBaitPattern.IsMatch(copy);
    }

    /// <summary>Sensational wording that click-bait lines carry.</summary>
    private static readonly Regex ClickBaitPattern = new(@"\b(?:shocking|shock|stunning|stuns?|stunned|jaw-?dropping|terrifying|horrifying|incredible|unbelievable|you won['’]t believe|can['’]t believe|goes viral|went viral|viral video|mind-?blowing|insane|giant|monster|massive|epic|watch|caught on (?:camera|video)|this is why|what happened next|will leave you|gasp|nightmare|bizarre|miracle|secret)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    /// <summary>
    /// A sentence of a body: its paragraph (as the body splits at blank lines), its place in the paragraph, where its text is
    /// in the body, and its distinct content words in the order they first occur (a slice of one array per article).
    /// </summary>
    internal readonly record struct Sentence(int Paragraph, int Index, Range Range, long[] AllWords, int WordStart, int WordCount)
    {
        public ReadOnlySpan<long> Words => AllWords.AsSpan(WordStart, WordCount);
    }

    // A sketch (what the sentence checks need of an article, without its text): the sentence count; for each sentence its
    // paragraph, its place in the paragraph and its word count; then the words of every sentence in order, as numbers from
    // DenseWords.
    private const int SketchHeader = 1;

    private const int SketchFieldsPerSentence = 3;

    /// <summary>
    /// The body's sentence sketch and its family keys (<see cref="Parsed.Keys"/>), from one pass over the body: a streamed
    /// pass keeps the sketch instead of reading the article again for the sentence checks.
    /// </summary>
    internal static int[] Sketch(string body, WordTable table, DenseWords dense, out ulong[] keys)
    {
        // Straight from the split's scratch lists: no sentence objects or word arrays are made for a sketch.
        var split = Parsed.Split(body, table, withKeys: true);
        keys = Parsed.SortedDistinct(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(split.Pairs));
        var count = split.Ranges.Count;
        var sketch = new int[SketchHeader + (SketchFieldsPerSentence * count) + split.Words.Count];
        sketch[0] = count;
        for (var s = 0; s < count; s++)
        {
            sketch[SketchHeader + (SketchFieldsPerSentence * s)] = split.Places[s].Paragraph;
            sketch[SketchHeader + (SketchFieldsPerSentence * s) + 1] = split.Places[s].Index;
            sketch[SketchHeader + (SketchFieldsPerSentence * s) + 2] = split.Bounds[s].Count;
        }

        var at = SketchHeader + (SketchFieldsPerSentence * count);
        foreach (var word in split.Words)
        {
            sketch[at++] = dense.Id(word);
        }

        return sketch;
    }

    /// <summary>
    /// Small numbers for word codes (equal codes, equal numbers, 0, 1, 2... in the order first seen), so that a sketch holds
    /// 32 bits a word. Safe for parallel use. An open-addressing table of two arrays (a code, its number) rather than a
    /// dictionary: a look-up reads one slot or a few neighbours without a lock, and the collector sees two arrays instead
    /// of an object per distinct word (a corpus of 100,000 articles has about a million). A code not found takes the lock,
    /// looks again and adds it; the table doubles when half full, and a reader still probing the old one, which no longer
    /// changes, takes the lock when it misses.
    /// </summary>
    internal sealed class DenseWords
    {
        private readonly object _gate = new();
        private Table _table = new(1 << 16);
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public int Id(long code)
        {
            // Slots hold code + 1 (content-word codes are below 2^63 - 1), so that 0 marks an empty slot.
            var key = code + 1;
            var table = Volatile.Read(ref _table);
            if (table.Find(key) is var found and >= 0)
            {
                return found;
            }

            lock (_gate)
            {
                table = _table;
                if (table.Find(key) is var id and >= 0)
                {
                    return id;
                }

                if (2 * (_count + 1) > table.Keys.Length)
                {
                    table = table.Grown();
                    Volatile.Write(ref _table, table);
                }

                id = _count;
                table.Add(key, id);
                Volatile.Write(ref _count, id + 1);
                return id;
            }
        }

        private sealed class Table(int capacity)
        {
            public long[] Keys { get; } = new long[capacity];

            private readonly int[] _ids = new int[capacity];

            /// <summary>The number held for <paramref name="key"/>, or -1.</summary>
            public int Find(long key)
            {
                var mask = Keys.Length - 1;
                for (var slot = Slot(key, mask); ; slot = (slot + 1) & mask)
                {
                    var held = Volatile.Read(ref Keys[slot]);
                    if (held == key)
                    {
                        // The number is written before the key, so a key seen has its number.
                        return _ids[slot];
                    }

                    if (held == 0)
                    {
                        return -1;
                    }
                }
            }

            /// <summary>Adds a key not held (under the owner's lock).</summary>
            public void Add(long key, int id)
            {
                var mask = Keys.Length - 1;
                var slot = Slot(key, mask);
                while (Keys[slot] != 0)
                {
                    slot = (slot + 1) & mask;
                }

                _ids[slot] = id;
                Volatile.Write(ref Keys[slot], key);
            }

            /// <summary>A table twice the size with the same keys and numbers (the old one is left as it is).</summary>
            public Table Grown()
            {
                var grown = new Table(Keys.Length * 2);
                for (var slot = 0; slot < Keys.Length; slot++)
                {
                    if (Keys[slot] != 0)
                    {
                        grown.Add(Keys[slot], _ids[slot]);
                    }
                }

                return grown;
            }

            private static int Slot(long key, int mask) => (int)(((ulong)key * 0x9E3779B97F4A7C15UL) >> 32) & mask;
        }
    }

    /// <summary>An article's sampled keys that find its family; its sentences, made on first use.</summary>
    internal sealed class Parsed
    {
        private readonly WordTable? _table;
        private readonly ReadOnlyMemory<int> _sketch;
        private Sentence[]? _sentences;

        public Parsed(Article article) : this(article, new WordTable())
        {
        }

        public Parsed(Article article, WordTable table)
        {
            Article = article;
            Date = article.Date;
            _table = table;

            // Pairs of consecutive content words (across sentences and paragraphs, which only whitespace separates), one in
            // four kept by hash: what copies (even spun ones) share. Into a list the thread reuses: only the distinct keys are
            // kept. The sentences are split later, only for articles with a family or in one: made here for every article,
            // they would be held (and promoted by the collector) through the whole pass.
            var pairs = new KeyScan { Keys = t_keys ??= [] };
            pairs.Keys.Clear();
            ContentWords(article.Body, table, ref pairs);
            Keys = SortedDistinct(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(pairs.Keys));
        }

        [ThreadStatic]
        private static List<ulong>? t_keys;

        /// <summary>An article known by its <see cref="Sketch"/> alone (no text, no keys): enough for the sentence checks.</summary>
        public Parsed(ReadOnlyMemory<int> sketch, DateTimeOffset? date)
        {
            _sketch = sketch;
            Date = date;
            Keys = [];
        }

        /// <summary>The article, when parsed from its text.</summary>
        public Article? Article { get; }

        public DateTimeOffset? Date { get; }

        /// <summary>The sampled keys, sorted, each once.</summary>
        public ulong[] Keys { get; }

        public Sentence[] Sentences => _sentences ?? LazyInitializer.EnsureInitialized(ref _sentences, () => Article is { } article ? FromSplit(Split(article.Body, _table!, withKeys: false)) : FromSketch());

        /// <summary>The content words of every sentence in order (each sentence's distinct words, one after the other).</summary>
        public ReadOnlySpan<long> AllWords => Sentences is [var first, ..] ? first.AllWords : [];

        /// <summary>Whether the sentence reads as click-bait; only an article parsed from its text can tell.</summary>
        public bool IsClickBait(int sentence) => Article is { } article
            ? InjectedSentences.IsClickBait(article.Body.AsSpan(Sentences[sentence].Range))
            : throw new InvalidOperationException("a sketch holds no text to test for click-bait wording");

        private Sentence[] FromSketch()
        {
            var sketch = _sketch.Span;
            var count = sketch[0];
            var words = new long[sketch.Length - SketchHeader - (SketchFieldsPerSentence * count)];
            var wordStart = SketchHeader + (SketchFieldsPerSentence * count);
            for (var w = 0; w < words.Length; w++)
            {
                words[w] = sketch[wordStart + w];
            }

            var sentences = new Sentence[count];
            var start = 0;
            for (var s = 0; s < count; s++)
            {
                var field = SketchHeader + (SketchFieldsPerSentence * s);
                var wordCount = sketch[field + 2];
                sentences[s] = new Sentence(sketch[field], sketch[field + 1], default, words, start, wordCount);
                start += wordCount;
            }

            return sentences;
        }

        /// <summary>The sentences and their words of a <see cref="Split"/>.</summary>
        private static Sentence[] FromSplit(SplitLists split)
        {
            var all = split.Words.ToArray();
            var sentences = new Sentence[split.Ranges.Count];
            for (var s = 0; s < sentences.Length; s++)
            {
                sentences[s] = new Sentence(split.Places[s].Paragraph, split.Places[s].Index, split.Ranges[s], all, split.Bounds[s].Start, split.Bounds[s].Count);
            }

            return sentences;
        }

        /// <summary>
        /// The body's sentences and their words, in one pass over the body, into lists the calling thread reuses (valid until
        /// its next call): paragraphs are found where <see cref="CorpusAnnotator.BodyParagraphs"/> splits them (at each "\n\n",
        /// trimmed, empty ones dropped) but kept as ranges, so no text is copied. With <paramref name="withKeys"/>, the family
        /// keys are collected on the way: the sentences hold every content word of the body in order (only whitespace lies
        /// between them), so the pairs are those a scan of the whole body finds.
        /// </summary>
        internal static SplitLists Split(string body, WordTable table, bool withKeys)
        {
            var split = t_split ??= new SplitLists();
            split.Clear();
            var paragraph = 0;
            for (var at = 0; at <= body.Length;)
            {
                var cut = body.IndexOf("\n\n", at, StringComparison.Ordinal);
                var end = cut < 0 ? body.Length : cut;
                var (from, to) = TrimmedRange(body, at, end);
                if (to > from)
                {
                    var before = split.Ranges.Count;
                    SentenceRanges(body.AsSpan(from, to - from), from, split.Ranges);
                    for (var s = before; s < split.Ranges.Count; s++)
                    {
                        split.Places.Add((paragraph, s - before));
                    }

                    paragraph++;
                }

                at = cut < 0 ? body.Length + 1 : cut + 2;
            }

            // Each sentence's words are appended to one list, then made distinct in place.
            var scan = new SentenceScan { Words = split.Words, Pairs = new KeyScan { Keys = split.Pairs }, WithKeys = withKeys };
            var words = split.Words;
            for (var s = 0; s < split.Ranges.Count; s++)
            {
                var first = words.Count;
                ContentWords(body.AsSpan(split.Ranges[s]), table, ref scan);
                var distinct = first;
                for (var w = first; w < words.Count; w++)
                {
                    if (words.IndexOf(words[w], first, distinct - first) < 0)
                    {
                        words[distinct++] = words[w];
                    }
                }

                words.RemoveRange(distinct, words.Count - distinct);
                split.Bounds.Add((first, distinct - first));
            }

            return split;
        }

        [ThreadStatic]
        private static SplitLists? t_split;

        /// <summary>A split body: each sentence's range, (paragraph, place in it) and (first word, word count); the words; the key pairs.</summary>
        internal sealed class SplitLists
        {
            public List<Range> Ranges { get; } = [];

            public List<(int Paragraph, int Index)> Places { get; } = [];

            public List<(int Start, int Count)> Bounds { get; } = [];

            public List<long> Words { get; } = [];

            public List<ulong> Pairs { get; } = [];

            public void Clear()
            {
                Ranges.Clear();
                Places.Clear();
                Bounds.Clear();
                Words.Clear();
                Pairs.Clear();
            }
        }

        private struct SentenceScan : IContentWordSink
        {
            public List<long> Words;
            public KeyScan Pairs;
            public bool WithKeys;

            public void Add(long code, ReadOnlySpan<char> word)
            {
                Words.Add(code);
                if (WithKeys)
                {
                    Pairs.Add(code, word);
                }
            }
        }

        /// <summary>
        /// The key of each pair of consecutive words, one in four kept: FNV-1a over the characters of "a b", its high bits
        /// folded into the low ones, continued from the hash of the previous word and a space (kept from that word's call), so
        /// each word's characters are read once, for both.
        /// </summary>
        private struct KeyScan : IContentWordSink
        {
            private ulong _previous;
            private bool _started;

            public List<ulong> Keys;

            public void Add(long code, ReadOnlySpan<char> word)
            {
                var (pair, next) = (_previous, FnvBasis);
                foreach (var c in word)
                {
                    (pair, next) = ((pair ^ c) * FnvPrime, (next ^ c) * FnvPrime);
                }

                if (_started && Finish(pair) is var key && (key & 3) == 0)
                {
                    Keys.Add(key);
                }

                (_previous, _started) = ((next ^ ' ') * FnvPrime, true);
            }
        }

        /// <summary>Sorts <paramref name="values"/> in place and returns a copy of its distinct values.</summary>
        internal static T[] SortedDistinct<T>(Span<T> values)
            where T : IEquatable<T>
        {
            values.Sort();
            return values[..SortedSets.KeepDistinct(values)].ToArray();
        }

        private const ulong FnvBasis = 14695981039346656037UL;

        private const ulong FnvPrime = 1099511628211UL;

        private static ulong Finish(ulong hash) => hash ^ (hash >> 29);
    }
}
