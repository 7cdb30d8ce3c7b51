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

    /// <summary>Jaccard, containment and shared shingles of two bodies; the same text (content hash) overlaps wholly without comparing.</summary>
    public (double Jaccard, double Containment, int Shared) Overlap(DocumentSketch other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return ContentHash == other.ContentHash ? (1.0, 1.0, int.MaxValue) : Shingles.Compare(other.Shingles);
    }
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

    public DocumentSketch Sketch(string body) => OnComparableText(body, SketchNormalized);

    /// <summary>
    /// The sketch of a body whose MinHash signature is known (a stored document's, made with these options from this body):
    /// only the shingles are made, not the signature again. A signature of another size is ignored.
    /// </summary>
    public DocumentSketch Sketch(string body, uint[] signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        return signature.Length != options.SignatureSize
            ? Sketch(body)
            : OnComparableText(body, text => WithShingles(text, (words, shingles) => new DocumentSketch(ContentHash(words), ShingleSet.From(shingles), signature, words.Length)));
    }

    /// <summary>The MinHash signature of a body alone (no shingle set): what LSH needs, at the speed the benchmarks quote.</summary>
    public uint[] Signature(string body) => OnComparableText(body, text => WithShingles(text, (_, shingles) => Signature(shingles)));

    /// <summary>Sketches text that is already normalized with <see cref="TextNormalizer"/> (or is plain ASCII).</summary>
    public DocumentSketch SketchNormalized(ReadOnlySpan<char> normalized) =>
        WithShingles(normalized, (words, shingles) => new DocumentSketch(ContentHash(words), ShingleSet.From(shingles), Signature(shingles), words.Length));

    /// <summary>
    /// The sketch of a plain ASCII body from its word hashes (<see cref="TokenHasher.HashAsciiWords(ReadOnlySpan{char}, Span{ulong}, Span{int})"/>),
    /// made by a caller that needed the words anyway: the same sketch <see cref="Sketch(string)"/> gives, or with
    /// <paramref name="signature"/> (of this size) the one <see cref="Sketch(string, uint[])"/> gives.
    /// </summary>
    internal DocumentSketch FromAsciiWords(ReadOnlySpan<ulong> words, uint[]? signature)
    {
        var shingles = ThreadBuffer.Get(ref t_shingles, Math.Max(1, words.Length));
        var shingleCount = Shingler.Combine(words, options.ShingleSize, options.Seed, shingles);
        var shingleHashes = shingles.AsSpan(0, shingleCount);
        return signature is not null && signature.Length == options.SignatureSize
            ? new DocumentSketch(ContentHash(words), ShingleSet.From(shingleHashes), signature, words.Length)
            : new DocumentSketch(ContentHash(words), ShingleSet.From(shingleHashes), Signature(shingleHashes), words.Length);
    }

    [ThreadStatic]
    private static ulong[]? t_shingles;

    /// <summary>The exact-duplicate key: a hash of the word hashes in order.</summary>
    public static ulong ContentHash(ReadOnlySpan<ulong> wordHashes) => XxHash3.HashToUInt64(MemoryMarshal.AsBytes(wordHashes));

    private delegate T TextHandler<T>(ReadOnlySpan<char> text);

    private delegate T ShingleHandler<T>(ReadOnlySpan<ulong> wordHashes, ReadOnlySpan<ulong> shingleHashes);

    /// <summary>Hands over the text to compare: plain ASCII as it is (its words hash exactly as its normalized form's), anything else normalized into a pooled buffer.</summary>
    private static T OnComparableText<T>(string body, TextHandler<T> handler)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (TokenHasher.IsPlainAscii(body))
        {
            return handler(body);
        }

        var normalized = TextNormalizer.NormalizeToPooled(body, out var length);
        try
        {
            return handler(normalized.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<char>.Shared.Return(normalized);
        }
    }

    /// <summary>Hashes the words of <paramref name="text"/> and their shingles into pooled buffers for <paramref name="handler"/>.</summary>
    private T WithShingles<T>(ReadOnlySpan<char> text, ShingleHandler<T> handler)
    {
        var max = Shingler.MaxShingles(text);
        var words = ArrayPool<ulong>.Shared.Rent(max);
        var shingles = ArrayPool<ulong>.Shared.Rent(max);
        try
        {
            var wordCount = TokenHasher.HashWords(text, words);
            var shingleCount = Shingler.Combine(words.AsSpan(0, wordCount), options.ShingleSize, options.Seed, shingles);
            return handler(words.AsSpan(0, wordCount), shingles.AsSpan(0, shingleCount));
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(words);
            ArrayPool<ulong>.Shared.Return(shingles);
        }
    }

    private uint[] Signature(ReadOnlySpan<ulong> shingleHashes)
    {
        var signature = new uint[options.SignatureSize];
        minHasher.Compute(shingleHashes, signature);
        return signature;
    }
}
