using System.IO.Compression;
using Stemma.Align;
using Stemma.Text;

namespace Stemma.Relate;

/// <summary>
/// Which words are synonyms: words that share a WordNet 3.0 synset (one-word lemmas; the table ships inside the
/// assembly with the WordNet license, see Relate/Synonyms). Inflected words are reduced to their base forms first,
/// by WordNet's irregular forms and its suffix rules ("companies" → "company", "rose" → "rise"), since a spinner puts a
/// synonym's base form where an inflected word stood. Spun copies swap a quarter of their words or more this way;
/// telling such swaps from real edits is what separates "spun" from "edited" and wording from changed facts.
/// </summary>
public sealed class SynonymTable
{
    private static readonly Lazy<SynonymTable> WordNetTable = new(LoadEmbedded);

    // Suffix rules of WordNet's morphological processor (nouns, verbs, adjectives), tried in order.
    private static readonly (string Suffix, string Ending)[] Detachments =
    [
        ("ses", "s"), ("xes", "x"), ("zes", "z"), ("ches", "ch"), ("shes", "sh"), ("men", "man"), ("ies", "y"), ("s", ""),
        ("es", "e"), ("es", ""), ("ed", "e"), ("ed", ""), ("ing", "e"), ("ing", ""), ("er", ""), ("est", ""), ("er", "e"), ("est", "e"),
    ];

    private readonly Dictionary<uint, int[]> synsetsOf;

    private SynonymTable(Dictionary<uint, int[]> synsetsOf, int synsets)
    {
        this.synsetsOf = synsetsOf;
        SynsetCount = synsets;
    }

    /// <summary>The table built from WordNet 3.0, loaded on first use.</summary>
    public static SynonymTable WordNet => WordNetTable.Value;

    public int SynsetCount { get; }

    /// <summary>
    /// Reads a table: lines "s lemma lemma ..." (one synset each) and "x inflected base ..." (an irregular form, which
    /// takes its bases' synsets); '#' starts a comment.
    /// </summary>
    public static SynonymTable Read(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var lists = new Dictionary<uint, List<int>>();
        var synsets = 0;
        var irregular = new List<string[]>();
        for (var line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            if (line.Length < 3 || line[0] == '#')
            {
                continue;
            }

            var fields = line[2..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (line[0] == 's')
            {
                foreach (var lemma in fields)
                {
                    Add(lists, TokenizedText.HashFolded(lemma), synsets);
                }

                synsets++;
            }
            else if (line[0] == 'x' && fields.Length >= 2)
            {
                irregular.Add(fields);
            }
        }

        // Irregular forms after all synsets are known: "went" takes the synsets of "go".
        foreach (var fields in irregular)
        {
            var form = TokenizedText.HashFolded(fields[0]);
            foreach (var baseForm in fields.AsSpan(1))
            {
                if (lists.TryGetValue(TokenizedText.HashFolded(baseForm), out var bases))
                {
                    foreach (var synset in bases.ToArray())
                    {
                        Add(lists, form, synset);
                    }
                }
            }
        }

        return new SynonymTable(lists.ToDictionary(p => p.Key, p => p.Value.Distinct().Order().ToArray()), synsets);
    }

    /// <summary>Whether two different words share a synset, either as written or reduced to a base form.</summary>
    public bool AreSynonyms(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        if (a.IsEmpty || b.IsEmpty || a.Length > 64 || b.Length > 64 || !char.IsLetter(a[0]) || !char.IsLetter(b[0]))
        {
            return false;
        }

        Span<char> foldedA = stackalloc char[a.Length];
        Span<char> foldedB = stackalloc char[b.Length];
        Fold(a, foldedA);
        Fold(b, foldedB);
        if (foldedA.SequenceEqual(foldedB))
        {
            return false;
        }

        Span<int> synsetsA = stackalloc int[64];
        var countA = CollectSynsets(foldedA, synsetsA);
        if (countA == 0)
        {
            return false;
        }

        Span<int> synsetsB = stackalloc int[64];
        var countB = CollectSynsets(foldedB, synsetsB);
        var setA = synsetsA[..countA];
        foreach (var synset in synsetsB[..countB])
        {
            if (setA.Contains(synset))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Of two runs of words (paired in order: the first with the first...), how many pairs are synonyms; 0 when the runs differ in length.</summary>
    public int CountSynonymPairs(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        var wordsA = WordTokenizer.Tokenize(a);
        var wordsB = WordTokenizer.Tokenize(b);
        var pairs = 0;
        while (true)
        {
            var moreA = wordsA.MoveNext();
            var moreB = wordsB.MoveNext();
            if (moreA != moreB)
            {
                return 0;
            }

            if (!moreA)
            {
                return pairs;
            }

            pairs += AreSynonyms(wordsA.Current.In(a), wordsB.Current.In(b)) ? 1 : 0;
        }
    }

    /// <summary>Whether the word (as written or by a base form) is in any synset with another word.</summary>
    public bool HasSynonyms(ReadOnlySpan<char> word)
    {
        if (word.IsEmpty || word.Length > 64)
        {
            return false;
        }

        Span<char> folded = stackalloc char[word.Length];
        Fold(word, folded);
        Span<int> synsets = stackalloc int[64];
        return CollectSynsets(folded, synsets) > 0;
    }

    // Synsets of the word and of its base forms, at most destination.Length of them.
    private int CollectSynsets(ReadOnlySpan<char> word, Span<int> destination)
    {
        var count = Collect(word, destination, 0);
        Span<char> candidate = stackalloc char[word.Length + 2];
        foreach (var (suffix, ending) in Detachments)
        {
            if (word.Length > suffix.Length + 1 && word.EndsWith(suffix, StringComparison.Ordinal))
            {
                var stem = word[..^suffix.Length];
                stem.CopyTo(candidate);
                ending.AsSpan().CopyTo(candidate[stem.Length..]);
                count = Collect(candidate[..(stem.Length + ending.Length)], destination, count);
            }
        }

        return count;
    }

    private int Collect(ReadOnlySpan<char> form, Span<int> destination, int count)
    {
        if (!synsetsOf.TryGetValue(TokenizedText.HashFolded(form), out var synsets))
        {
            return count;
        }

        foreach (var synset in synsets)
        {
            if (count == destination.Length)
            {
                break;
            }

            if (!destination[..count].Contains(synset))
            {
                destination[count++] = synset;
            }
        }

        return count;
    }

    private static void Fold(ReadOnlySpan<char> word, Span<char> destination)
    {
        for (var i = 0; i < word.Length; i++)
        {
            destination[i] = TextNormalizer.FoldChar(word[i]);
        }
    }

    private static void Add(Dictionary<uint, List<int>> lists, uint word, int synset)
    {
        if (!lists.TryGetValue(word, out var list))
        {
            lists[word] = list = [];
        }

        list.Add(synset);
    }

    private static SynonymTable LoadEmbedded()
    {
        using var stream = typeof(SynonymTable).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The synonym table resource {ResourceName} is missing from {typeof(SynonymTable).Assembly.GetName().Name}.");
        using var gzip = new GZipStream(stream, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        return Read(reader);
    }

    internal const string ResourceName = "Stemma.Relate.Synonyms.wordnet-synonyms.txt.gz";
}
