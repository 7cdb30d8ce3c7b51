using System.Numerics;
using System.Runtime.Intrinsics;

namespace Stemma.Sketch;

/// <summary>Comparisons of MinHash signatures, vectorised where the hardware allows with a scalar fallback.</summary>
public static class SignatureMath
{
    /// <summary>Estimated Jaccard similarity: the fraction of positions where the signatures agree.</summary>
    public static double EstimateJaccard(ReadOnlySpan<uint> a, ReadOnlySpan<uint> b)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException("signatures differ in size", nameof(b));
        }

        return a.IsEmpty ? 0 : (double)CountEqual(a, b) / a.Length;
    }

    /// <summary>Number of positions where <paramref name="a"/> and <paramref name="b"/> hold the same value.</summary>
    public static int CountEqual(ReadOnlySpan<uint> a, ReadOnlySpan<uint> b)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException("signatures differ in size", nameof(b));
        }

        if (Vector256.IsHardwareAccelerated && a.Length >= Vector256<uint>.Count)
        {
            return CountEqualVector256(a, b);
        }

        if (Vector128.IsHardwareAccelerated && a.Length >= Vector128<uint>.Count)
        {
            return CountEqualVector128(a, b);
        }

        return CountEqualScalar(a, b);
    }

    internal static int CountEqualVector256(ReadOnlySpan<uint> a, ReadOnlySpan<uint> b)
    {
        var count = 0;
        var i = 0;
        for (; i <= a.Length - Vector256<uint>.Count; i += Vector256<uint>.Count)
        {
            var equal = Vector256.Equals(Vector256.Create(a.Slice(i, Vector256<uint>.Count)), Vector256.Create(b.Slice(i, Vector256<uint>.Count)));
            count += BitOperations.PopCount(equal.ExtractMostSignificantBits());
        }

        return count + CountEqualScalar(a[i..], b[i..]);
    }

    internal static int CountEqualVector128(ReadOnlySpan<uint> a, ReadOnlySpan<uint> b)
    {
        var count = 0;
        var i = 0;
        for (; i <= a.Length - Vector128<uint>.Count; i += Vector128<uint>.Count)
        {
            var equal = Vector128.Equals(Vector128.Create(a.Slice(i, Vector128<uint>.Count)), Vector128.Create(b.Slice(i, Vector128<uint>.Count)));
            count += BitOperations.PopCount(equal.ExtractMostSignificantBits());
        }

        return count + CountEqualScalar(a[i..], b[i..]);
    }

    internal static int CountEqualScalar(ReadOnlySpan<uint> a, ReadOnlySpan<uint> b)
    {
        var count = 0;
        for (var i = 0; i < a.Length; i++)
        {
            count += a[i] == b[i] ? 1 : 0;
        }

        return count;
    }
}
