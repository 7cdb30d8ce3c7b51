using System.Buffers;
using Stemma.Align;
using Stemma.Sketch;

namespace Stemma.Relate;

/// <summary>
/// What a document says, reduced to comparable sets: weighted content words, names, figures, dates, quotations,
/// and the order in which names and figures appear (a rewrite keeps it, an independent report does not).
/// Every set is a sorted array of word hashes, so comparing two documents is a merge and a corpus of them costs
/// little memory and no garbage-collector work beyond the arrays themselves.
/// </summary>
public sealed class TextFeatures
{
    private TextFeatures(TokenizedText words, int functionWords, uint[] termHashes, byte[] termFrequencies, bool[] termIsFact, uint[] entities, uint[] numbers, uint[] dates, uint[] quotes, uint[] factSequence)
    {
        Words = words;
        FunctionWordCount = functionWords;
        TermHashes = termHashes;
        TermFrequencies = termFrequencies;
        TermIsFact = termIsFact;
        EntityHashes = entities;
        NumberHashes = numbers;
        DateHashes = dates;
        QuoteHashes = quotes;
        FactHashes = factSequence;
    }

    public TokenizedText Words { get; }

    /// <summary>
    /// The distinct word trigrams (folded words), the same units the aligner seeds passages from: two texts sharing
    /// almost none cannot share a passage, so such a pair is labeled on its facts without aligning it.
    /// </summary>
    public ShingleSet Trigrams => trigrams ??= BuildTrigrams(Words);

    private ShingleSet? trigrams;

    private static ShingleSet BuildTrigrams(TokenizedText words)
    {
        var wordHashes = ArrayPool<ulong>.Shared.Rent(words.Count + 1);
        var hashes = ArrayPool<ulong>.Shared.Rent(words.Count + 1);
        try
        {
            for (var w = 0; w < words.Count; w++)
            {
                wordHashes[w] = words.Hashes[w];
            }

            var count = Shingler.Combine(wordHashes.AsSpan(0, words.Count), TrigramWords, 0, hashes);
            return ShingleSet.From(hashes.AsSpan(0, count));
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(wordHashes);
            ArrayPool<ulong>.Shared.Return(hashes);
        }
    }

    /// <summary>Words in a trigram; the aligner's seed length.</summary>
    internal const int TrigramWords = 3;

    /// <summary>Content words (function words left out) with how often each occurs; names, figures, dates and quotations included.</summary>
    public IEnumerable<(uint Term, int Count)> Terms => TermHashes.Select((term, k) => (term, (int)TermFrequencies[k]));

    public int TermCount => TermHashes.Length;

    /// <summary>How often <paramref name="term"/> occurs (0 when absent).</summary>
    public int CountOf(uint term)
    {
        var k = TermIndexOf(term);
        return k >= 0 ? TermFrequencies[k] : 0;
    }

    /// <summary>The place of <paramref name="term"/> among <see cref="TermHashes"/> (its weight's and count's place), negative when it is not a term.</summary>
    internal int TermIndexOf(uint term) => Index.SortedSets.IndexOf(TermHashes, term);

    /// <summary>Names (capitalized mid-sentence), distinct, in ascending hash order.</summary>
    public IReadOnlyList<uint> Entities => EntityHashes;

    /// <summary>Figures (words starting with a digit), distinct, in ascending hash order.</summary>
    public IReadOnlyList<uint> Numbers => NumberHashes;

    /// <summary>Months and weekdays, and day-month pairs, distinct, in ascending hash order.</summary>
    public IReadOnlyList<uint> Dates => DateHashes;

    /// <summary>Hashes of quoted passages (folded word sequences), distinct, in ascending order.</summary>
    public IReadOnlyList<uint> Quotes => QuoteHashes;

    /// <summary>Names and figures in reading order.</summary>
    public IReadOnlyList<uint> FactSequence => FactHashes;

    /// <summary>Term hashes in ascending order.</summary>
    internal uint[] TermHashes { get; }

    /// <summary>Words of the text on the function-word list.</summary>
    internal int FunctionWordCount { get; }

    /// <summary>What an unexplained function word ("the", "said") weighs in lineage: little, whatever the collection.</summary>
    internal const float FunctionWordWeight = 0.5f;

    /// <summary>Occurrences of each term of <see cref="TermHashes"/>, same order (at most 255: the weight hardly grows beyond).</summary>
    internal byte[] TermFrequencies { get; }

    /// <summary>Whether each term of <see cref="TermHashes"/> is a name, figure, date or quotation (weighted up).</summary>
    internal bool[] TermIsFact { get; }

    internal uint[] EntityHashes { get; }

    internal uint[] NumberHashes { get; }

    internal uint[] DateHashes { get; }

    internal uint[] QuoteHashes { get; }

    internal uint[] FactHashes { get; }

    private WeightedTerms? weighted;

    private static readonly TokenizedText NoWords = TokenizedText.Create(string.Empty);

    /// <summary>
    /// The same terms, names, figures, dates and quotations, sharing their arrays, without the words and text they were
    /// read from: what term cosines and name overlaps read, at a tenth of the memory (the stored pipeline keeps this of
    /// the documents it has read, to screen them as candidates again without reading their text). Alignment, change
    /// detection and trigrams read the words: never hand this to them.
    /// </summary>
    internal TextFeatures WithoutText() =>
        new(NoWords, FunctionWordCount, TermHashes, TermFrequencies, TermIsFact, EntityHashes, NumberHashes, DateHashes, QuoteHashes, FactHashes);

    /// <summary>Drops the cached weights (a store's relate pass keeps features between regions, each with its own statistics).</summary>
    internal void ForgetWeights() => weighted = null;

    /// <summary>
    /// Makes room for the weights with the features (a corpus analysis, which weighs every document once): the first
    /// <see cref="Weighted"/> fills it in place. Made later, each document's weights were a young object referenced by
    /// its old features, which every young collection scanned again until the weights too were old, and which the
    /// collector then copied twice.
    /// </summary>
    internal void PrepareWeights() => weighted ??= new WeightedTerms(new float[TermHashes.Length]);

    /// <summary>
    /// The document's term IDFs under <paramref name="statistics"/> (same order as the terms) and the norm of its TF-IDF
    /// vector, cached per statistics. Prepared room (<see cref="PrepareWeights"/>) is filled in place by the first call;
    /// later statistics get new weights, so weights once handed out never change (one statistics at a time fills
    /// prepared room: calls with different statistics at once are for features nobody prepared).
    /// </summary>
    internal WeightedTerms Weighted(TermStatistics? statistics)
    {
        var stamp = statistics?.Stamp ?? WeightedTerms.NoStatistics;
        var current = weighted;
        if (current is not null && current.Stamp == stamp)
        {
            return current;
        }

        var target = current is not null && current.Stamp == WeightedTerms.Unfilled ? current : new WeightedTerms(new float[TermHashes.Length]);
        var idfs = target.Idfs;
        double norm = 0, words = FunctionWordCount * (double)FunctionWordWeight;
        for (var k = 0; k < idfs.Length; k++)
        {
            idfs[k] = (float)(statistics?.Idf(TermHashes[k]) ?? TermStatistics.UnknownIdf);
            var weight = WeightAt(k, idfs[k]);
            norm += weight * weight;
            words += TermFrequencies[k] * (double)idfs[k];
        }

        // Dates and quotations are terms once each without being words of their own.
        foreach (var extra in (ReadOnlySpan<uint[]>)[DateHashes, QuoteHashes])
        {
            foreach (var term in extra)
            {
                words -= idfs[TermIndexOf(term)];
            }
        }

        target.Fill(stamp, Math.Sqrt(norm), Math.Max(0, words));
        weighted = target;
        return target;
    }

    /// <summary>A document's term weights under one statistics object, known by its stamp (no reference to it is kept).</summary>
    internal sealed class WeightedTerms(float[] idfs)
    {
        /// <summary>The stamp of weights made without statistics.</summary>
        internal const long NoStatistics = -1;

        /// <summary>The stamp of prepared room not yet filled.</summary>
        internal const long Unfilled = 0;

        private long stamp = Unfilled;

        /// <summary>The <see cref="TermStatistics.Stamp"/> the weights were made with (<see cref="NoStatistics"/>, <see cref="Unfilled"/>).</summary>
        internal long Stamp => Volatile.Read(ref stamp);

        /// <summary>Inverse document frequency of each term.</summary>
        public float[] Idfs { get; } = idfs;

        /// <summary>Length of the document's TF-IDF vector.</summary>
        public double Norm { get; private set; }

        /// <summary>Every word of the text by IDF (function words by <see cref="FunctionWordWeight"/>): what a document that explains none of it leaves unexplained.</summary>
        public double WordWeight { get; private set; }

        // The stamp last: a reader that sees it sees the weights.
        internal void Fill(long statistics, double norm, double wordWeight)
        {
            (Norm, WordWeight) = (norm, wordWeight);
            Volatile.Write(ref stamp, statistics);
        }

        /// <summary>
        /// The document's index terms under these weights, once chosen (see
        /// <see cref="TermIndex.ChooseTerms(TextFeatures, TermStatistics, StoryAnalyzerOptions)"/>). Let go with the weights.
        /// </summary>
        internal TermIndex.Chosen? IndexTerms { get; set; }
    }

    /// <summary>TF-IDF weight of term <paramref name="k"/> given its IDF: sublinear in the count, names, figures, dates and quotations counted double.</summary>
    /// <remarks>Inlined: term cosines call it for every shared term of every pair screened.</remarks>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal float WeightAt(int k, float idf) => CountWeights[TermFrequencies[k]] * idf * (TermIsFact[k] ? 2f : 1f);

    // 1 + ln(count) for every count a term can have.
    private static readonly float[] CountWeights = [0f, .. Enumerable.Range(1, 255).Select(c => (float)(1 + Math.Log(c)))];

    /// <summary>Whether a term is boosted as a name, figure, date or quotation.</summary>
    public bool IsFact(uint term)
    {
        var k = TermIndexOf(term);
        return k >= 0 && TermIsFact[k];
    }

    public static TextFeatures Create(string text) => Create(TokenizedText.Create(text ?? throw new ArgumentNullException(nameof(text))));

    public static TextFeatures Create(TokenizedText words)
    {
        ArgumentNullException.ThrowIfNull(words);
        var text = words.Text;
        var n = words.Count;
        var terms = Text.ThreadBuffer.Get(ref t_terms, (5 * n) + 1);
        var capitals = Text.ThreadBuffer.Get(ref t_capitals, n + 1);
        var numbers = Text.ThreadBuffer.Get(ref t_numbers, n + 1);
        var dates = Text.ThreadBuffer.Get(ref t_dates, (3 * n) + 1);
        int termCount = 0, capitalCount = 0, numberCount = 0, dateCount = 0;
        for (var w = 0; w < n; w++)
        {
            var hash = words.HashAt(w);
            var first = text[words.StartOf(w)];
            var kind = Lexicon.Classify(hash);
            var functionWord = (kind & Lexicon.WordKind.Function) != 0;
            if (!functionWord)
            {
                terms[termCount++] = hash;
            }

            if (char.IsAsciiDigit(first))
            {
                numbers[numberCount++] = hash;
            }
            else if (char.IsUpper(first) && !functionWord && !StartsSentence(text, words.StartOf(w)))
            {
                capitals[capitalCount++] = hash;
            }

            if ((kind & Lexicon.WordKind.Month) != 0)
            {
                dates[dateCount++] = hash;
                // "12 March" and "March 12" both name the day: keep the pair as one date term.
                if (w > 0 && IsDayNumber(words.WordAt(w - 1)))
                {
                    dates[dateCount++] = Pair(hash, words.HashAt(w - 1));
                }

                if (w + 1 < n && IsDayNumber(words.WordAt(w + 1)))
                {
                    dates[dateCount++] = Pair(hash, words.HashAt(w + 1));
                }
            }
        }

        var functionWords = n - termCount;
        var dateSet = SortedDistinct(dates.AsSpan(0, dateCount));
        var numberSet = SortedDistinct(numbers.AsSpan(0, numberCount));

        // A capitalized word at a sentence start is a name only when the text also capitalizes it mid-sentence.
        var entitySet = Except(SortedDistinct(capitals.AsSpan(0, capitalCount)), dateSet);
        // Names and figures in reading order. Figures are the words starting with a digit; a 1,024-bit filter over
        // the names spares most words the binary search.
        Span<ulong> nameFilter = stackalloc ulong[16];
        nameFilter.Clear();
        foreach (var entity in entitySet)
        {
            nameFilter[(int)(entity >> 6) & 15] |= 1UL << (int)(entity & 63);
        }

        var factCount = 0;
        for (var w = 0; w < n; w++)
        {
            var hash = words.HashAt(w);
            if (char.IsAsciiDigit(text[words.StartOf(w)])
                || ((nameFilter[(int)(hash >> 6) & 15] & (1UL << (int)(hash & 63))) != 0 && Index.SortedSets.IndexOf(entitySet, hash) >= 0))
            {
                capitals[factCount++] = hash;
            }
        }

        var factSequence = capitals.AsSpan(0, factCount).ToArray();
        var quoteSet = QuotedPassages(words);
        dateSet.CopyTo(terms, termCount);
        termCount += dateSet.Length;
        quoteSet.CopyTo(terms, termCount);
        termCount += quoteSet.Length;
        var (termHashes, frequencies) = CountRuns(terms.AsSpan(0, termCount));
        // The fact sets are small: look each of their items up among the terms rather than every term in them.
        var isFact = new bool[termHashes.Length];
        foreach (var set in (ReadOnlySpan<uint[]>)[entitySet, numberSet, dateSet, quoteSet])
        {
            foreach (var fact in set)
            {
                var k = Index.SortedSets.IndexOf(termHashes, fact);
                if (k >= 0)
                {
                    isFact[k] = true;
                }
            }
        }

        return new TextFeatures(words, functionWords, termHashes, frequencies, isFact, entitySet, numberSet, dateSet, quoteSet, factSequence);
    }

    // Scratch of Create, one set per thread (see ThreadBuffer).
    [ThreadStatic]
    private static uint[]? t_terms;

    [ThreadStatic]
    private static uint[]? t_capitals;

    [ThreadStatic]
    private static uint[]? t_numbers;

    [ThreadStatic]
    private static uint[]? t_dates;

    internal static bool StartsSentence(string text, int position)
    {
        for (var p = position - 1; p >= 0; p--)
        {
            var c = text[p];
            if (c == '\n')
            {
                return true;
            }

            if (char.IsWhiteSpace(c) || c is '"' or '\u201C' or '\u201D' or '\'' or '\u2018' or '(' or '[' or '-' or '\u2014')
            {
                continue;
            }

            return c is '.' or '!' or '?' or ':' or ';';
        }

        return true;
    }

    private static bool IsDayNumber(ReadOnlySpan<char> word) => word.Length is 1 or 2 && char.IsAsciiDigit(word[0]) && char.IsAsciiDigit(word[^1]);

    private static uint Pair(uint month, uint day) => (uint)(((ulong)month * 31) ^ (day * 0x9E3779B97F4A7C15UL) >> 16);

    /// <summary>Sorts in place and returns the distinct values.</summary>
    private static uint[] SortedDistinct(Span<uint> values)
    {
        Index.SortedSets.RadixSort(values);
        return values[..Index.SortedSets.KeepDistinct(values)].ToArray();
    }

    /// <summary>Items of sorted <paramref name="values"/> not in sorted <paramref name="removed"/>.</summary>
    private static uint[] Except(uint[] values, uint[] removed) =>
        removed.Length == 0 ? values : [.. values.Where(v => Index.SortedSets.IndexOf(removed, v) < 0)];

    /// <summary>Sorts in place and returns each distinct value with how often it occurs (at most 255).</summary>
    private static (uint[] Values, byte[] Counts) CountRuns(Span<uint> values)
    {
        Index.SortedSets.RadixSort(values);
        var distinct = 0;
        for (var k = 0; k < values.Length; k++)
        {
            distinct += k == 0 || values[k] != values[k - 1] ? 1 : 0;
        }

        var unique = new uint[distinct];
        var counts = new byte[distinct];
        var u = -1;
        for (var k = 0; k < values.Length; k++)
        {
            if (k == 0 || values[k] != values[k - 1])
            {
                unique[++u] = values[k];
            }

            if (counts[u] < byte.MaxValue)
            {
                counts[u]++;
            }
        }

        return (unique, counts);
    }

    /// <summary>Runs of words between double quotes, at least three words long, each hashed as one term.</summary>
    private static uint[] QuotedPassages(TokenizedText words)
    {
        List<uint>? quotes = null;
        var text = words.Text;
        var open = -1;
        var next = 0;
        for (var p = text.AsSpan().IndexOfAny(QuoteChars); p >= 0 && p < text.Length; p = NextQuote(text, p + 1))
        {
            if (open < 0)
            {
                open = p;
                continue;
            }

            // Words starting between the marks; quotations do not overlap, so one cursor walks the words once.
            while (next < words.Count && words.StartOf(next) <= open)
            {
                next++;
            }

            var h = 0xCBF29CE484222325UL;
            var count = 0;
            for (; next < words.Count && words.StartOf(next) < p; next++)
            {
                h = (h ^ words.HashAt(next)) * 0x100000001B3UL;
                count++;
            }

            if (count >= 3)
            {
                (quotes ??= []).Add((uint)(h ^ (h >> 32)));
            }

            open = -1;
        }

        if (quotes is null)
        {
            return [];
        }

        return SortedDistinct(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(quotes));
    }

    private static readonly SearchValues<char> QuoteChars = SearchValues.Create("\"\u201C\u201D\u00AB\u00BB");

    private static int NextQuote(string text, int from)
    {
        if (from >= text.Length)
        {
            return -1;
        }

        var at = text.AsSpan(from).IndexOfAny(QuoteChars);
        return at < 0 ? -1 : from + at;
    }
}

/// <summary>Double quotes and paragraph breaks of one text, to tell quickly whether a position is inside a quotation.</summary>
internal sealed class QuoteIndex
{
    private readonly int[] quotes;
    private readonly int[] breaks;

    public QuoteIndex(string text)
    {
        var quoteList = new List<int>();
        var breakList = new List<int>();
        var span = text.AsSpan();
        for (var p = span.IndexOfAny(Marks); p >= 0; p = NextMark(span, p + 1))
        {
            (span[p] == '\n' ? breakList : quoteList).Add(p);
        }

        quotes = [.. quoteList];
        breaks = [.. breakList];
    }

    private static readonly SearchValues<char> Marks = SearchValues.Create("\"\u201C\u201D\n");

    private static int NextMark(ReadOnlySpan<char> text, int from)
    {
        if (from >= text.Length)
        {
            return -1;
        }

        var at = text[from..].IndexOfAny(Marks);
        return at < 0 ? -1 : from + at;
    }

    /// <summary>Inside a quotation when an odd number of double quotes precede the position in its paragraph.</summary>
    public bool IsInside(int position)
    {
        if (quotes.Length == 0)
        {
            return false;
        }

        var lineStart = Array.BinarySearch(breaks, position);
        lineStart = lineStart >= 0 ? breaks[lineStart] : ~lineStart == 0 ? -1 : breaks[~lineStart - 1];
        var before = Below(quotes, position) - Below(quotes, lineStart + 1);
        return before % 2 == 1;
    }

    private static int Below(int[] sorted, int value)
    {
        var index = Array.BinarySearch(sorted, value);
        return index >= 0 ? index : ~index;
    }
}
