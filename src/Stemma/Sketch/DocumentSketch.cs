using System.Buffers;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using Stemma.Text;

namespace Stemma.Sketch;

/// <summary>Everything the near-duplicate stage needs of one document.</summary>
/// <param name="ContentHash">XxHash3 of the body's normalized word sequence: equal hashes mean exact duplicates (up to case, punctuation and spacing).</param>
/// <param name="Shingles">The distinct shingles, for exact verification of candidates.</param>
/// <param name="Signature">MinHash signature for LSH.</param>
/// <param name="WordCount">Words in the normalized body.</param>
public sealed record DocumentSketch(ulong ContentHash, ShingleSet Shingles, uint[] Signature, int WordCount)
{
    public bool IsEmpty => WordCount == 0;
}

/// <summary>Turns a body into a <see cref="DocumentSketch"/>: normalize, hash words, shingle, MinHash. Thread-safe.</summary>
public sealed class Sketcher
{
    private readonly SketchOptions options;
    private readonly MinHasher minHasher;

    public Sketcher(SketchOptions? options = null)
    {
        this.options = options ?? SketchOptions.Default;
        this.options.Validate();
        minHasher = new MinHasher(this.options);
    }

    public SketchOptions Options => options;

    public DocumentSketch Sketch(string body)
    {
        ArgumentNullException.ThrowIfNull(body);

        // Most news text is plain ASCII: its words hash exactly as its normalized form's, without normalizing it.
        if (TokenHasher.IsPlainAscii(body))
        {
            return SketchNormalized(body);
        }

        var normalized = TextNormalizer.NormalizeToPooled(body, out var length);
        try
        {
            return SketchNormalized(normalized.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<char>.Shared.Return(normalized);
        }
    }

    /// <summary>Sketches text that is already normalized with <see cref="TextNormalizer"/> (or is plain ASCII).</summary>
    public DocumentSketch SketchNormalized(ReadOnlySpan<char> normalized)
    {
        var max = Shingler.MaxShingles(normalized.Length);
        var words = ArrayPool<ulong>.Shared.Rent(max);
        var shingles = ArrayPool<ulong>.Shared.Rent(max);
        try
        {
            var wordCount = TokenHasher.HashWords(normalized, words);
            var contentHash = ContentHash(words.AsSpan(0, wordCount));
            var shingleCount = Shingler.Combine(words.AsSpan(0, wordCount), options.ShingleSize, options.Seed, shingles);
            var hashes = shingles.AsSpan(0, shingleCount);
            var signature = new uint[options.SignatureSize];
            minHasher.Compute(hashes, signature);
            return new DocumentSketch(contentHash, ShingleSet.From(hashes), signature, wordCount);
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(words);
            ArrayPool<ulong>.Shared.Return(shingles);
        }
    }

    /// <summary>The exact-duplicate key: a hash of the word hashes in order.</summary>
    public static ulong ContentHash(ReadOnlySpan<ulong> wordHashes) => XxHash3.HashToUInt64(MemoryMarshal.AsBytes(wordHashes));
}
