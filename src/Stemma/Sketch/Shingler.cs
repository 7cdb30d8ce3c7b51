using Stemma.Text;

namespace Stemma.Sketch;

/// <summary>
/// Word k-shingles hashed to 64 bits: a polynomial rolling combination of the word hashes (one multiply-add per word),
/// finished with a 64-bit mixer so the bits are uniform for MinHash binning.
/// </summary>
public static class Shingler
{
    private const ulong Base = 0x9E37_79B9_7F4A_7C15;

    /// <summary>An upper bound on the number of words (and so shingles) in <paramref name="text"/>.</summary>
    public static int MaxShingles(ReadOnlySpan<char> text) => WordTokenizer.MaxWords(text);

    /// <summary>
    /// Writes the shingle hashes of the words <paramref name="wordHashes"/> in text order (duplicates kept) into
    /// <paramref name="destination"/> (at least as long); returns the count. Fewer than <paramref name="shingleSize"/>
    /// words (but at least one) make one shingle of all of them.
    /// </summary>
    public static int Combine(ReadOnlySpan<ulong> wordHashes, int shingleSize, ulong seed, Span<ulong> destination)
    {
        if (wordHashes.IsEmpty)
        {
            return 0;
        }

        var k = Math.Min(shingleSize, wordHashes.Length);

        // Base^(k-1), to remove the word leaving the window.
        ulong outgoingWeight = 1;
        for (var i = 1; i < k; i++)
        {
            outgoingWeight *= Base;
        }

        ulong rolling = 0;
        for (var i = 0; i < k; i++)
        {
            rolling = (rolling * Base) + wordHashes[i];
        }

        var count = 0;
        destination[count++] = Mix(rolling ^ seed);
        for (var i = k; i < wordHashes.Length; i++)
        {
            rolling = ((rolling - (wordHashes[i - k] * outgoingWeight)) * Base) + wordHashes[i];
            destination[count++] = Mix(rolling ^ seed);
        }

        return count;
    }

    /// <summary>The shared 64-bit finalizer (<see cref="TokenHasher.Mix"/>).</summary>
    public static ulong Mix(ulong x) => TokenHasher.Mix(x);
}
