using Stemma.Text;

namespace Stemma.Align;

/// <summary>
/// The words of an original text with their character offsets and the hash of each word's folded form,
/// so comparisons ignore case and quote style while every result still points into the text as written.
/// </summary>
public sealed class TokenizedText
{
    private TokenizedText(string text, int[] starts, int[] lengths, ulong[] hashes)
    {
        Text = text;
        Starts = starts;
        Lengths = lengths;
        Hashes = hashes;
    }

    public string Text { get; }

    public int Count => Hashes.Length;

    internal int[] Starts { get; }

    internal int[] Lengths { get; }

    internal ulong[] Hashes { get; }

    public int StartOf(int word) => Starts[word];

    public int EndOf(int word) => Starts[word] + Lengths[word];

    public ReadOnlySpan<char> WordAt(int word) => Text.AsSpan(Starts[word], Lengths[word]);

    public ulong HashAt(int word) => Hashes[word];

    public static TokenizedText Create(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var count = WordTokenizer.Count(text);
        var starts = new int[count];
        var lengths = new int[count];
        var hashes = new ulong[count];
        Span<char> folded = stackalloc char[128];
        var i = 0;
        foreach (var token in WordTokenizer.Tokenize(text))
        {
            starts[i] = token.Start;
            lengths[i] = token.Length;
            hashes[i] = HashFolded(token.In(text), folded);
            i++;
        }

        return new TokenizedText(text, starts, lengths, hashes);
    }

    /// <summary>Hash of a word in the form <see cref="TextNormalizer"/> gives it, computed without allocating for ordinary words.</summary>
    public static ulong HashFolded(ReadOnlySpan<char> word, Span<char> scratch)
    {
        var buffer = word.Length <= scratch.Length ? scratch : new char[word.Length];
        var written = 0;
        foreach (var c in word)
        {
            var f = TextNormalizer.FoldChar(c);
            if (f != '\0')
            {
                buffer[written++] = f;
            }
        }

        return TokenHasher.Hash(buffer[..written]);
    }

    public static ulong HashFolded(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        Span<char> scratch = stackalloc char[128];
        return HashFolded(word.AsSpan(), scratch);
    }
}
