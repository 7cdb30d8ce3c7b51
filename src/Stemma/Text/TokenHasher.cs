using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Stemma.Text;

/// <summary>64-bit hashes of words, the unit every sketch and alignment in Stemma is built from.</summary>
public static class TokenHasher
{
    /// <summary>XxHash3 of the word's UTF-16 code units; the text should already be normalized.</summary>
    public static ulong Hash(ReadOnlySpan<char> word) => XxHash3.HashToUInt64(MemoryMarshal.AsBytes(word));

    /// <summary>Hashes every word of <paramref name="normalizedText"/> into <paramref name="destination"/>; returns the count written (stops when full).</summary>
    public static int HashWords(ReadOnlySpan<char> normalizedText, Span<ulong> destination)
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

    /// <summary>Hashes every word of <paramref name="normalizedText"/> into a new array.</summary>
    public static ulong[] HashWords(string normalizedText)
    {
        ArgumentNullException.ThrowIfNull(normalizedText);
        var buffer = new ulong[WordTokenizer.Count(normalizedText)];
        HashWords(normalizedText, buffer);
        return buffer;
    }
}
