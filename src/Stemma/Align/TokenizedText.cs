using System.Buffers;
using System.Text;
using Stemma.Text;

namespace Stemma.Align;

/// <summary>
/// The words of an original text with their character offsets and the 32-bit hash of each word's folded form,
/// so comparisons ignore case and quote style while every result still points into the text as written.
/// Only where each word starts is kept (a corpus holds one of these per document); its end is found again when asked.
/// </summary>
public sealed class TokenizedText
{
    // Where each word starts: 16 bits a word when the text is shorter than 65,536 characters (nearly every article; a
    // corpus analysis keeps one of these per document, and the halved offsets are a tenth of its peak memory), else 32.
    private readonly ushort[]? nearStarts;
    private readonly int[]? farStarts;

    private TokenizedText(string text, ReadOnlySpan<int> starts, uint[] hashes)
    {
        Text = text;
        if (text.Length <= ushort.MaxValue)
        {
            nearStarts = GC.AllocateUninitializedArray<ushort>(starts.Length);
            for (var w = 0; w < starts.Length; w++)
            {
                nearStarts[w] = (ushort)starts[w];
            }
        }
        else
        {
            farStarts = Keep(starts);
        }

        Hashes = hashes;
    }

    public string Text { get; }

    public int Count => Hashes.Length;

    internal uint[] Hashes { get; }

    public int StartOf(int word) => nearStarts is { } near ? near[word] : farStarts![word];

    public int EndOf(int word) => StartOf(word) + LengthAt(word);

    public ReadOnlySpan<char> WordAt(int word) => Text.AsSpan(StartOf(word), LengthAt(word));

    /// <summary>The word starting at <paramref name="position"/>, or the bitwise complement of the first word starting after it (as a binary search answers).</summary>
    public int WordStartingAt(int position) => nearStarts is { } near
        ? position > ushort.MaxValue ? ~near.Length : position < 0 ? ~0 : near.AsSpan().BinarySearch((ushort)position)
        : farStarts.AsSpan().BinarySearch(position);

    // Tokenizing from a word's first character finds that word again.
    private int LengthAt(int word)
    {
        var enumerator = WordTokenizer.Tokenize(Text.AsSpan(StartOf(word)));
        return enumerator.MoveNext() ? enumerator.Current.Length : 0;
    }

    public uint HashAt(int word) => Hashes[word];

    public static TokenizedText Create(string text) => Create(text, []);

    /// <summary>The words of <paramref name="text"/> except those starting inside <paramref name="skip"/> (ranges in text order), offsets still into the whole text.</summary>
    public static TokenizedText Create(string text, ReadOnlySpan<TextRange> skip)
    {
        ArgumentNullException.ThrowIfNull(text);

        // One pass into the thread's buffers sized for the most words the text can hold, then exact copies.
        var capacity = WordTokenizer.MaxWords(text);
        var starts = ThreadBuffer.Get(ref t_starts, capacity);
        var hashes = ThreadBuffer.Get(ref t_hashes, capacity);
        var wide = ThreadBuffer.Get(ref t_wide, capacity);
        var count = 0;
        var span = text.AsSpan();
        if (TokenHasher.IsPlainAscii(span))
        {
            // Plain ASCII folds by table; the fast path finds the same words with the same hashes.
            count = TokenHasher.HashAsciiWords(span, wide.AsSpan(0, capacity), starts.AsSpan(0, capacity));
            for (var w = 0; w < count; w++)
            {
                hashes[w] = WordHash(wide[w]);
            }
        }
        else
        {
            // One check of the whole text spares the per-word one when it is already composed, as most text is.
            var composed = span.IsNormalized(NormalizationForm.FormKC);
            foreach (var token in WordTokenizer.Tokenize(span))
            {
                starts[count] = token.Start;
                hashes[count] = composed ? FoldAndHash(token.In(span)) : HashFolded(token.In(span));
                count++;
            }
        }

        if (!skip.IsEmpty)
        {
            count = RemoveSkipped(starts, hashes, count, skip);
        }

        return new TokenizedText(text, starts.AsSpan(0, count), Keep(hashes.AsSpan(0, count)));
    }

    [ThreadStatic]
    private static int[]? t_starts;

    [ThreadStatic]
    private static uint[]? t_hashes;

    [ThreadStatic]
    private static ulong[]? t_wide;

    /// <summary>
    /// The words of a plain ASCII <paramref name="text"/> from its 64-bit word hashes and starts as
    /// <see cref="TokenHasher.HashAsciiWords(ReadOnlySpan{char}, Span{ulong}, Span{int})"/> gives them (a caller that
    /// hashed them for the sketch): the same as <see cref="Create(string, ReadOnlySpan{TextRange})"/>.
    /// </summary>
    internal static TokenizedText FromAsciiWords(string text, ReadOnlySpan<ulong> wordHashes, ReadOnlySpan<int> wordStarts, ReadOnlySpan<TextRange> skip)
    {
        var count = wordHashes.Length;
        var starts = ThreadBuffer.Get(ref t_starts, count);
        var hashes = ThreadBuffer.Get(ref t_hashes, count);
        wordStarts.CopyTo(starts);
        for (var w = 0; w < count; w++)
        {
            hashes[w] = WordHash(wordHashes[w]);
        }

        if (!skip.IsEmpty)
        {
            count = RemoveSkipped(starts, hashes, count, skip);
        }

        return new TokenizedText(text, starts.AsSpan(0, count), Keep(hashes.AsSpan(0, count)));
    }

    private static int RemoveSkipped(int[] starts, uint[] hashes, int count, ReadOnlySpan<TextRange> skip)
    {
        var kept = 0;
        var range = 0;
        for (var w = 0; w < count; w++)
        {
            while (range < skip.Length && skip[range].End <= starts[w])
            {
                range++;
            }

            if (range < skip.Length && starts[w] >= skip[range].Start)
            {
                continue;
            }

            starts[kept] = starts[w];
            hashes[kept++] = hashes[w];
        }

        return kept;
    }

    /// <summary>A copy that lives as long as the document's features; large ones skip the zeroing the copy overwrites anyway.</summary>
    private static T[] Keep<T>(ReadOnlySpan<T> values)
        where T : unmanaged
    {
        var kept = GC.AllocateUninitializedArray<T>(values.Length);
        values.CopyTo(kept);
        return kept;
    }

    /// <summary>
    /// Words are compared by 32 bits of their 64-bit hash: a corpus holds every word of every document, and with a few
    /// million distinct words only a few hundred pairs collide, too few to move an alignment (seeds need three words
    /// in a row) or a weight.
    /// </summary>
    private static uint WordHash(ulong hash) => (uint)hash;

    /// <summary>
    /// Hash of a word in the form <see cref="TextNormalizer"/> gives it (NFKC, case, quote and dash style folded), without
    /// copying it unless it needs composing: "é" written as "e" and a combining accent is the same word as "é".
    /// </summary>
    public static uint HashFolded(ReadOnlySpan<char> word)
    {
        if (!word.ContainsAnyExceptInRange('\0', '\u007F') || word.IsNormalized(NormalizationForm.FormKC))
        {
            return FoldAndHash(word);
        }

        var length = word.GetNormalizedLength(NormalizationForm.FormKC);
        var rented = length > 256 ? ArrayPool<char>.Shared.Rent(length) : null;
        Span<char> buffer = rented ?? stackalloc char[256];
        try
        {
            return word.TryNormalize(buffer, out var written, NormalizationForm.FormKC) ? FoldAndHash(buffer[..written]) : FoldAndHash(word);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Hash of a word already in NFKC, folded as <see cref="TextNormalizer"/> folds it.</summary>
    private static uint FoldAndHash(ReadOnlySpan<char> word)
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

        return WordHash(TokenHasher.Finish(h));
    }

    public static uint HashFolded(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        return HashFolded(word.AsSpan());
    }
}
