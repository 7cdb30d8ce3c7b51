using System.Runtime.InteropServices;
using Stemma.Align;

namespace Stemma.Relate;

/// <summary>
/// What a document says, reduced to comparable sets: weighted content words, names, figures, dates, quotations,
/// and the order in which names and figures appear (a rewrite keeps it, an independent report does not).
/// </summary>
public sealed class TextFeatures
{
    private TextFeatures(TokenizedText words, Dictionary<ulong, int> termCounts, HashSet<ulong> entities, HashSet<ulong> numbers, HashSet<ulong> dates, HashSet<ulong> quotes, ulong[] factSequence)
    {
        Words = words;

        // Sorted arrays rather than the dictionary they were counted in: a third of the memory, and cosine is a merge.
        TermHashes = [.. termCounts.Keys];
        Array.Sort(TermHashes);
        TermFrequencies = new int[TermHashes.Length];
        for (var k = 0; k < TermHashes.Length; k++)
        {
            TermFrequencies[k] = termCounts[TermHashes[k]];
        }

        Entities = entities;
        Numbers = numbers;
        Dates = dates;
        Quotes = quotes;
        FactSequence = factSequence;
    }

    public TokenizedText Words { get; }

    /// <summary>Content words (function words left out) with how often each occurs; names, figures, dates and quotations included.</summary>
    public IEnumerable<(ulong Term, int Count)> Terms => TermHashes.Select((term, k) => (term, TermFrequencies[k]));

    public int TermCount => TermHashes.Length;

    /// <summary>How often <paramref name="term"/> occurs (0 when absent).</summary>
    public int CountOf(ulong term)
    {
        var k = Array.BinarySearch(TermHashes, term);
        return k >= 0 ? TermFrequencies[k] : 0;
    }

    /// <summary>Term hashes in ascending order.</summary>
    internal ulong[] TermHashes { get; }

    /// <summary>Occurrences of each term of <see cref="TermHashes"/>, same order.</summary>
    internal int[] TermFrequencies { get; }

    public IReadOnlySet<ulong> Entities { get; }

    public IReadOnlySet<ulong> Numbers { get; }

    public IReadOnlySet<ulong> Dates { get; }

    /// <summary>Hashes of quoted passages (folded word sequences).</summary>
    public IReadOnlySet<ulong> Quotes { get; }

    /// <summary>Names and figures in reading order.</summary>
    public IReadOnlyList<ulong> FactSequence { get; }

    private WeightedTerms? weighted;

    /// <summary>The document's terms sorted by hash with their TF-IDF weights under <paramref name="statistics"/>, cached per statistics.</summary>
    internal WeightedTerms Weighted(TermStatistics? statistics)
    {
        var current = weighted;
        if (current is not null && ReferenceEquals(current.Statistics, statistics))
        {
            return current;
        }

        var weights = new float[TermHashes.Length];
        double norm = 0;
        for (var k = 0; k < weights.Length; k++)
        {
            weights[k] = (float)PairComparer.Weight(this, TermHashes[k], TermFrequencies[k], statistics);
            norm += weights[k] * weights[k];
        }

        current = new WeightedTerms(statistics, TermHashes, weights, Math.Sqrt(norm));
        weighted = current;
        return current;
    }

    internal sealed record WeightedTerms(TermStatistics? Statistics, ulong[] Terms, float[] Weights, double Norm);

    /// <summary>Whether a term is boosted as a name, figure, date or quotation.</summary>
    public bool IsFact(ulong term) => Entities.Contains(term) || Numbers.Contains(term) || Dates.Contains(term) || Quotes.Contains(term);

    public static TextFeatures Create(string text) => Create(TokenizedText.Create(text ?? throw new ArgumentNullException(nameof(text))));

    public static TextFeatures Create(TokenizedText words)
    {
        ArgumentNullException.ThrowIfNull(words);
        var text = words.Text;
        var counts = new Dictionary<ulong, int>();
        var midSentenceCapitals = new HashSet<ulong>();
        var numbers = new HashSet<ulong>();
        var dates = new HashSet<ulong>();
        for (var w = 0; w < words.Count; w++)
        {
            var hash = words.HashAt(w);
            var word = words.WordAt(w);
            if (!Lexicon.IsFunctionWord(hash))
            {
                CollectionsMarshal.GetValueRefOrAddDefault(counts, hash, out _)++;
            }

            if (char.IsAsciiDigit(word[0]))
            {
                numbers.Add(hash);
            }
            else if (char.IsUpper(word[0]) && !StartsSentence(text, words.StartOf(w)) && !Lexicon.IsFunctionWord(hash))
            {
                midSentenceCapitals.Add(hash);
            }

            if (Lexicon.IsMonth(hash))
            {
                dates.Add(hash);
                // "12 March" and "March 12" both name the day: keep the pair as one date term.
                if (w > 0 && IsDayNumber(words.WordAt(w - 1)))
                {
                    dates.Add(Pair(hash, words.HashAt(w - 1)));
                }

                if (w + 1 < words.Count && IsDayNumber(words.WordAt(w + 1)))
                {
                    dates.Add(Pair(hash, words.HashAt(w + 1)));
                }
            }
        }

        // A capitalized word at a sentence start is a name only when the text also capitalizes it mid-sentence.
        var entities = new HashSet<ulong>(midSentenceCapitals);
        entities.ExceptWith(dates);
        var facts = new List<ulong>();
        for (var w = 0; w < words.Count; w++)
        {
            var hash = words.HashAt(w);
            if (entities.Contains(hash) || numbers.Contains(hash))
            {
                facts.Add(hash);
            }
        }

        var quotes = QuotedPassages(words);
        foreach (var d in dates)
        {
            CollectionsMarshal.GetValueRefOrAddDefault(counts, d, out _)++;
        }

        foreach (var q in quotes)
        {
            CollectionsMarshal.GetValueRefOrAddDefault(counts, q, out _)++;
        }

        return new TextFeatures(words, counts, entities, numbers, dates, quotes, [.. facts]);
    }

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

    private static ulong Pair(ulong month, ulong day) => (month * 31) ^ (day * 0x9E3779B97F4A7C15UL);

    /// <summary>Runs of words between double quotes, at least three words long, each hashed as one term.</summary>
    private static HashSet<ulong> QuotedPassages(TokenizedText words)
    {
        var quotes = new HashSet<ulong>();
        var text = words.Text;
        var open = -1;
        for (var p = 0; p < text.Length; p++)
        {
            if (text[p] is not ('"' or '\u201C' or '\u201D' or '\u00AB' or '\u00BB'))
            {
                continue;
            }

            if (open < 0)
            {
                open = p;
                continue;
            }

            var h = 0xCBF29CE484222325UL;
            var n = 0;
            for (var w = 0; w < words.Count && words.StartOf(w) < p; w++)
            {
                if (words.StartOf(w) > open)
                {
                    h = (h ^ words.HashAt(w)) * 0x100000001B3UL;
                    n++;
                }
            }

            if (n >= 3)
            {
                quotes.Add(h);
            }

            open = -1;
        }

        return quotes;
    }
}
