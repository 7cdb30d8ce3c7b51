namespace Stemma.Sketch;

/// <summary>How documents are sketched. The defaults were chosen by measurement (docs/benchmarks.md).</summary>
public sealed record SketchOptions
{
    /// <summary>
    /// Words per shingle. 3 recovered copy families best on real news text (bench real-families: ARI 0.990 for k=3,
    /// 0.986 for 4, 0.983 for 5, with equal precision; see docs/benchmarks.md) — shorter shingles survive edits.
    /// </summary>
    public int ShingleSize { get; init; } = 3;

    /// <summary>MinHash values per signature.</summary>
    public int SignatureSize { get; init; } = 128;

    /// <summary>Seed of every hash; documents are comparable only when sketched with the same seed.</summary>
    public ulong Seed { get; init; } = 0x5EED_5E77_A000_0001;

    public static SketchOptions Default { get; } = new();

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ShingleSize, 1, nameof(ShingleSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(SignatureSize, 8, nameof(SignatureSize));
        if (SignatureSize % 8 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(SignatureSize), SignatureSize, "signature size must be a multiple of 8");
        }
    }
}
