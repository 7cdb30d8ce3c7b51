using System.Buffers;

namespace Stemma.Text;

/// <summary>
/// 64-bit hashes of words, the unit every sketch and alignment in Stemma is built from: FNV-1a over the UTF-16 code
/// units, finished with a 64-bit mixer. Hashing while tokenizing costs one xor and one multiply per character.
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

        return Mix(h);
    }

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
    internal static int HashAsciiWords(ReadOnlySpan<char> text, Span<ulong> destination)
    {
        var count = 0;
        var i = 0;
        var n = text.Length;
        while (i < n && count < destination.Length)
        {
            while (i < n && !IsAsciiWordChar(text[i]))
            {
                i++;
            }

            if (i >= n)
            {
                break;
            }

            var h = Offset;
            while (true)
            {
                char c;
                while (i < n && IsAsciiWordChar(c = text[i]))
                {
                    h = (h ^ (uint)(c is >= 'A' and <= 'Z' ? c | 0x20 : c)) * Prime;
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

            destination[count++] = Mix(h);
        }

        return count;
    }

    private static bool IsAsciiWordChar(char c) => (uint)((c | 0x20) - 'a') <= 'z' - 'a' || (uint)(c - '0') <= 9;

    private static bool IsAsciiJoiner(char before, char joiner, char after) => joiner switch
    {
        '\'' => char.IsAsciiLetter(before) && char.IsAsciiLetter(after),
        '.' or ',' => char.IsAsciiDigit(before) && char.IsAsciiDigit(after),
        _ => false,
    };
}
