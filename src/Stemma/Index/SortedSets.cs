using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Stemma.Index;

/// <summary>Operations on sets kept as sorted arrays of distinct 32-bit values (shingle fingerprints, word hashes).</summary>
internal static class SortedSets
{
    /// <summary>
    /// How many values two sorted, distinct sets share. The merge steps both cursors by comparison results rather than
    /// branching on them: in two unrelated sets the order of the next values is a coin toss, which a branch predictor
    /// cannot learn.
    /// </summary>
    public static int IntersectionCount(ReadOnlySpan<uint> a, ReadOnlySpan<uint> b)
    {
        ref var ra = ref MemoryMarshal.GetReference(a);
        ref var rb = ref MemoryMarshal.GetReference(b);
        nint i = 0, j = 0, na = a.Length, nb = b.Length;
        var shared = 0;
        while (i < na && j < nb)
        {
            var x = Unsafe.Add(ref ra, i);
            var y = Unsafe.Add(ref rb, j);
            shared += x == y ? 1 : 0;
            i += x <= y ? 1 : 0;
            j += x >= y ? 1 : 0;
        }

        return shared;
    }

    /// <summary>
    /// Where <paramref name="value"/> sits in sorted, distinct <paramref name="sorted"/>: its index, or the bitwise
    /// complement of the index it would be inserted at (what <see cref="Array.BinarySearch(Array, object)"/> gives). The
    /// halving steps choose by a conditional move, not a branch: the terms and words looked up per pair (a word's weight,
    /// a lead's terms) land anywhere in the array, which a branch predictor cannot learn, and the library's search pays
    /// a comparer call per step besides.
    /// </summary>
    public static int IndexOf(ReadOnlySpan<uint> sorted, uint value)
    {
        if (sorted.IsEmpty)
        {
            return -1;
        }

        // The last item not above the value (or the first item): the answer is there or just after it.
        ref var r = ref MemoryMarshal.GetReference(sorted);
        nint at = 0, length = sorted.Length;
        while (length > 1)
        {
            var half = length >> 1;
            at = Unsafe.Add(ref r, at + half) <= value ? at + half : at;
            length -= half;
        }

        var found = Unsafe.Add(ref r, at);
        return found == value ? (int)at : ~((int)at + (found < value ? 1 : 0));
    }

    /// <summary>
    /// The smallest values of the union of two sorted, distinct sets, in order, as many as <paramref name="destination"/>
    /// holds: written to its front; returns how many were written (fewer when the union is smaller).
    /// </summary>
    public static int UnionSmallest(ReadOnlySpan<uint> a, ReadOnlySpan<uint> b, Span<uint> destination)
    {
        int i = 0, j = 0, count = 0;
        while (count < destination.Length && (i < a.Length || j < b.Length))
        {
            uint next;
            if (j == b.Length || (i < a.Length && a[i] < b[j]))
            {
                next = a[i++];
            }
            else if (i == a.Length || b[j] < a[i])
            {
                next = b[j++];
            }
            else
            {
                next = a[i++];
                j++;
            }

            destination[count++] = next;
        }

        return count;
    }

    /// <summary>Moves the distinct values of sorted <paramref name="sorted"/> to its front, in order; returns how many there are.</summary>
    public static int KeepDistinct<T>(Span<T> sorted)
        where T : IEquatable<T>
    {
        var count = 0;
        for (var i = 0; i < sorted.Length; i++)
        {
            if (count == 0 || !sorted[i].Equals(sorted[count - 1]))
            {
                sorted[count++] = sorted[i];
            }
        }

        return count;
    }

    /// <summary>
    /// Sorts hashes (values spread over the 32 bits) in linear time: up to <see cref="MaxBucketSort"/> values, one pass into
    /// buckets by the high bits and an insertion pass; longer spans, or values crowded into few buckets, by LSD radix
    /// sort (four passes of eight bits). Both beat a comparison sort several times at article sizes.
    /// </summary>
    public static void RadixSort(Span<uint> values)
    {
        if (values.Length < 64)
        {
            values.Sort();
            return;
        }

        var scratch = Text.ThreadBuffer.Get(ref t_radixScratch, values.Length);
        if (values.Length > MaxBucketSort || !BucketSort(values, scratch))
        {
            RadixPasses(values, scratch, lowBit: 0);
        }
    }

    /// <summary>Longest span <see cref="RadixSort"/> sorts by buckets (a bucket count per value: 16 KB of counts on the stack).</summary>
    private const int MaxBucketSort = 4096;

    /// <summary>Most values one bucket may hold before the insertion pass would cost more than the radix passes.</summary>
    private const int MaxBucketLoad = 32;

    /// <summary>
    /// One counting pass and one scatter by the high bits into at least as many buckets as values (a hash lands alone or
    /// nearly so), then an insertion sort that only moves values within their bucket. False, with
    /// <paramref name="values"/> untouched, when some bucket holds more than <see cref="MaxBucketLoad"/> values.
    /// </summary>
    private static bool BucketSort(Span<uint> values, uint[] scratch)
    {
        var bits = Math.Max(6, 32 - BitOperations.LeadingZeroCount((uint)values.Length - 1));
        var shift = 32 - bits;
        Span<int> starts = stackalloc int[1 << bits];
        starts.Clear();
        foreach (var value in values)
        {
            starts[(int)(value >> shift)]++;
        }

        var offset = 0;
        for (var bucket = 0; bucket < starts.Length; bucket++)
        {
            var size = starts[bucket];
            if (size > MaxBucketLoad)
            {
                return false;
            }

            starts[bucket] = offset;
            offset += size;
        }

        var bucketed = scratch.AsSpan(0, values.Length);
        foreach (var value in values)
        {
            bucketed[starts[(int)(value >> shift)]++] = value;
        }

        // Insertion back into the caller's span: every value is at or after the values of earlier buckets already.
        for (var i = 0; i < bucketed.Length; i++)
        {
            var value = bucketed[i];
            var j = i - 1;
            while (j >= 0 && values[j] > value)
            {
                values[j + 1] = values[j];
                j--;
            }

            values[j + 1] = value;
        }

        return true;
    }

    [ThreadStatic]
    private static uint[]? t_radixScratch;

    /// <summary>
    /// Sorts by the high 32 bits only, keeping the order of values with equal high halves (LSD radix, four passes of eight
    /// bits), with <paramref name="scratch"/> at least as long as <paramref name="values"/>.
    /// </summary>
    public static void RadixSortByHighHalf(Span<ulong> values, Span<ulong> scratch) => RadixPasses(values, scratch, lowBit: 32);

    /// <summary>
    /// The four stable passes of eight bits of both radix sorts, over the 32 bits from <paramref name="lowBit"/> (the JIT
    /// makes a copy of this per value type, so the uint sort pays nothing for sharing it).
    /// </summary>
    private static void RadixPasses<T>(Span<T> values, Span<T> scratch, int lowBit)
        where T : unmanaged, IBinaryInteger<T>
    {
        // The four digits' counts in one read of the values (the order of the values does not change them).
        Span<int> counts = stackalloc int[4 * 256];
        counts.Clear();
        foreach (var value in values)
        {
            var key = uint.CreateTruncating(value >>> lowBit);
            counts[(int)(key & 0xFF)]++;
            counts[256 + (int)((key >> 8) & 0xFF)]++;
            counts[512 + (int)((key >> 16) & 0xFF)]++;
            counts[768 + (int)(key >> 24)]++;
        }

        var source = values;
        var target = scratch[..values.Length];
        for (var pass = 0; pass < 4; pass++)
        {
            var digit = counts.Slice(pass * 256, 256);
            var offset = 0;
            for (var bucket = 0; bucket < 256; bucket++)
            {
                var size = digit[bucket];
                digit[bucket] = offset;
                offset += size;
            }

            var shift = lowBit + (8 * pass);
            foreach (var value in source)
            {
                target[digit[(int)(uint.CreateTruncating(value >>> shift) & 0xFF)]++] = value;
            }

            var swap = source;
            source = target;
            target = swap;
        }

        // Four passes end with the data back in the caller's span.
    }

    /// <summary>Builds the set from fingerprints that are already sorted and distinct (as read back from storage).</summary>
}
