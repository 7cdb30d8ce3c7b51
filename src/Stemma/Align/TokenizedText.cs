using System.Buffers;
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

        // One pass into pooled buffers sized for the most words the text can hold, then exact copies.
        var capacity = (text.Length / 2) + 1;
        var starts = ArrayPool<int>.Shared.Rent(capacity);
        var lengths = ArrayPool<int>.Shared.Rent(capacity);
        var hashes = ArrayPool<ulong>.Shared.Rent(capacity);
        try
        {
            var count = 0;
            var span = text.AsSpan();
            if (TokenHasher.IsPlainAscii(span))
            {
                // Plain ASCII folds by table; the fast path finds the same words with the same hashes.
                count = TokenHasher.HashAsciiWords(span, hashes.AsSpan(0, capacity), starts.AsSpan(0, capacity), lengths.AsSpan(0, capacity));
            }
            else
            {
                foreach (var token in WordTokenizer.Tokenize(span))
                {
                    starts[count] = token.Start;
                    lengths[count] = token.Length;
                    hashes[count] = HashFolded(token.In(span));
                    count++;
                }
            }

            return new TokenizedText(text, starts.AsSpan(0, count).ToArray(), lengths.AsSpan(0, count).ToArray(), hashes.AsSpan(0, count).ToArray());
        }
        finally
        {
            ArrayPool<int>.Shared.Return(starts);
            ArrayPool<int>.Shared.Return(lengths);
            ArrayPool<ulong>.Shared.Return(hashes);
        }
    }

    /// <summary>Hash of a word in the form <see cref="TextNormalizer"/> gives it (case, quote and dash style folded), without copying it.</summary>
    public static ulong HashFolded(ReadOnlySpan<char> word)
    {
        var h = TokenHasher.Start;
        foreach (var c in word)
        {
            var f = TextNormalizer.FoldChar(c);
            if (f != '\0')
            {
                h = TokenHasher.Step(h, f);
            }
        }

        return TokenHasher.Finish(h);
    }

    public static ulong HashFolded(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        return HashFolded(word.AsSpan());
    }
}
