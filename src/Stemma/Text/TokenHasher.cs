using System.Buffers;

namespace Stemma.Text;

/// <summary>
/// 64-bit hashes of words, the unit every sketch and alignment in Stemma is built from: FNV-1a over the UTF-16 code
/// units with the high half folded into the low. Hashing while tokenizing costs one xor and one multiply per
/// character; shingles built from these get the full <see cref="Mix"/>, so words need no more.
/// </summary>
public static class TokenHasher
{
    private const ulong Offset = 0xCBF2_9CE4_8422_2325;
    private const ulong Prime = 0x0000_0100_0000_01B3;

    // Plain ASCII text needs no Unicode normalization to be tokenized like its normalized form.
    private static readonly SearchValues<char> PlainAscii = SearchValues.Create("\t\n\v\f\r !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~");

    /// <summary>The hash of one word of normalized text.</summary>
    public static ulong Hash(ReadOnlySpan<char> word)
    {
        var h = Offset;
        foreach (var c in word)
        {
            h = (h ^ c) * Prime;
        }

        return Fold(h);
    }

    /// <summary>FNV's multiplies carry low bits upward only; folding the high half back gives the low bits their share.</summary>
    private static ulong Fold(ulong h) => h ^ (h >> 32);

    /// <summary>The state before a word's first character, for hashing while tokenizing: <see cref="Step"/> per character, then <see cref="Finish"/>; equals <see cref="Hash"/> of the same characters.</summary>
    internal const ulong Start = Offset;

    internal static ulong Step(ulong h, char c) => (h ^ c) * Prime;

    internal static ulong Finish(ulong h) => Fold(h);

    /// <summary>A 64-bit finalizer (xor-shift-multiply) with full avalanche.</summary>
    public static ulong Mix(ulong x)
    {
        x ^= x >> 33;
        x *= 0xFF51_AFD7_ED55_8CCD;
        x ^= x >> 33;
        x *= 0xC4CE_B9FE_1A85_EC53;
        x ^= x >> 33;
        return x;
    }

    /// <summary>True when <paramref name="text"/> is printable ASCII and whitespace only: its words can be hashed without normalizing it first.</summary>
    public static bool IsPlainAscii(ReadOnlySpan<char> text) => !text.ContainsAnyExcept(PlainAscii);

    /// <summary>
    /// Hashes every word of <paramref name="text"/> into <paramref name="destination"/>; returns the count written (stops when full).
    /// <paramref name="text"/> is normalized text, or plain ASCII (<see cref="IsPlainAscii"/>), whose words hash as in its normalized form.
    /// </summary>
    public static int HashWords(ReadOnlySpan<char> text, Span<ulong> destination) =>
        IsPlainAscii(text) ? HashAsciiWords(text, destination) : HashTokens(text, destination);

    /// <summary>Hashes every word of <paramref name="normalizedText"/> into a new array.</summary>
    public static ulong[] HashWords(string normalizedText)
    {
        ArgumentNullException.ThrowIfNull(normalizedText);
        var buffer = new ulong[WordTokenizer.Count(normalizedText)];
        HashWords(normalizedText, buffer);
        return buffer;
    }

    /// <summary>The general path: the tokenizer's words, hashed one by one.</summary>
    internal static int HashTokens(ReadOnlySpan<char> normalizedText, Span<ulong> destination)
    {
        var count = 0;
        foreach (var token in WordTokenizer.Tokenize(normalizedText))
        {
            if (count == destination.Length)
            {
                break;
            }

            destination[count++] = Hash(token.In(normalizedText));
        }

        return count;
    }

    /// <summary>
    /// The ASCII path: tokenizes and hashes in one pass, folding upper case as it goes. Finds exactly the words
    /// <see cref="WordTokenizer"/> finds (the equivalence is property-tested).
    /// </summary>
    internal static int HashAsciiWords(ReadOnlySpan<char> text, Span<ulong> destination) => HashAsciiWords(text, destination, []);

    /// <summary>
    /// The ASCII path, also recording where each word starts (when <paramref name="starts"/> is not empty; it must then
    /// be as long as <paramref name="destination"/>).
    /// </summary>
    internal static int HashAsciiWords(ReadOnlySpan<char> text, Span<ulong> destination, Span<int> starts)
    {
        var recordOffsets = !starts.IsEmpty;
        ReadOnlySpan<byte> folded = AsciiWordChars;
        var count = 0;
        var i = 0;
        var n = text.Length;
        while (i < n && count < destination.Length)
        {
            while (i < n && folded[text[i] & 0x7F] == 0)
            {
                i++;
            }

            if (i >= n)
            {
                break;
            }

            var start = i;
            var h = Offset;
            while (true)
            {
                byte f;
                while (i < n && (f = folded[text[i] & 0x7F]) != 0)
                {
                    h = (h ^ f) * Prime;
                    i++;
                }

                // "don't", "2.5", "1,000": a joiner between two word characters of the right kind stays in the word.
                if (i + 1 < n && IsAsciiJoiner(text[i - 1], text[i], text[i + 1]))
                {
                    h = (h ^ text[i]) * Prime;
                    i++;
                    continue;
                }

                break;
            }

            if (recordOffsets)
            {
                starts[count] = start;
            }

            destination[count++] = Fold(h);
        }

        return count;
    }

    /// <summary>Letters and digits folded to lower case; 0 for every other ASCII character (plain ASCII text only reaches this table).</summary>
    private static ReadOnlySpan<byte> AsciiWordChars =>
    [
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 0, 0, 0, 0, 0, 0,
        0, 97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111,
        112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 0, 0, 0, 0, 0,
        0, 97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111,
        112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 0, 0, 0, 0, 0,
    ];

    private static bool IsAsciiJoiner(char before, char joiner, char after) => joiner switch
    {
        '\'' => char.IsAsciiLetter(before) && char.IsAsciiLetter(after),
        '.' or ',' => char.IsAsciiDigit(before) && char.IsAsciiDigit(after),
        _ => false,
    };
}
