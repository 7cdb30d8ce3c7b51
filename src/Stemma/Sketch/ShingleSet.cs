namespace Stemma.Sketch;

/// <summary>
/// A document's distinct shingles as a sorted array of 32-bit fingerprints: a quarter of the memory of the
/// 64-bit hashes, with collisions rare enough (a few per million pairs of shingles) not to move a score.
/// </summary>
public sealed class ShingleSet
{
    private readonly uint[] fingerprints;

    private ShingleSet(uint[] sortedDistinct) => fingerprints = sortedDistinct;

    public static ShingleSet Empty { get; } = new([]);

    public int Count => fingerprints.Length;

    public ReadOnlySpan<uint> Fingerprints => fingerprints;

    /// <summary>Builds the set from shingle hashes in any order, duplicates allowed. Sorts <paramref name="shingleHashes"/>' copy, not the input.</summary>
    public static ShingleSet From(ReadOnlySpan<ulong> shingleHashes)
    {
        if (shingleHashes.IsEmpty)
        {
            return Empty;
        }

        // Sorted in the thread's scratch, so the set allocates only its distinct fingerprints (a document repeating a
        // phrase would otherwise leave an array of all its shingles behind as garbage).
        var values = Text.ThreadBuffer.Get(ref t_values, shingleHashes.Length).AsSpan(0, shingleHashes.Length);
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (uint)shingleHashes[i];
        }

        Index.SortedSets.RadixSort(values);
        var distinct = Index.SortedSets.KeepDistinct(values);
        var set = GC.AllocateUninitializedArray<uint>(distinct);
        values[..distinct].CopyTo(set);
        return new ShingleSet(set);
    }

    [ThreadStatic]
    private static uint[]? t_values;

    public static ShingleSet FromSortedFingerprints(uint[] sortedDistinct)
    {
        ArgumentNullException.ThrowIfNull(sortedDistinct);
        for (var i = 1; i < sortedDistinct.Length; i++)
        {
            if (sortedDistinct[i] <= sortedDistinct[i - 1])
            {
                throw new ArgumentException("fingerprints must be sorted and distinct", nameof(sortedDistinct));
            }
        }

        return new ShingleSet(sortedDistinct);
    }

    /// <summary>Size of the intersection, by a merge of the two sorted arrays.</summary>
    public int IntersectionCount(ShingleSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        ReadOnlySpan<uint> a = fingerprints, b = other.fingerprints;
        if (a.Length > b.Length)
        {
            var swap = a;
            a = b;
            b = swap;
        }

        // A much smaller set is faster to look up by binary search than to merge.
        if (a.Length * 16 < b.Length)
        {
            var found = 0;
            foreach (var value in a)
            {
                if (b.BinarySearch(value) >= 0)
                {
                    found++;
                }
            }

            return found;
        }

        return Index.SortedSets.IntersectionCount(a, b);
    }

    /// <summary>
    /// Whether at least <paramref name="needed"/> fingerprints are shared with <paramref name="other"/>: the merge stops as
    /// soon as the answer is known (that many found, or too few left on one side to get there). Screening pairs that
    /// only a near duplicate could relate needs only this, and for unrelated texts it ends well before the arrays do.
    /// </summary>
    internal bool SharesAtLeast(ShingleSet other, int needed)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (needed <= 0)
        {
            return true;
        }

        ReadOnlySpan<uint> a = fingerprints, b = other.fingerprints;
        if (Math.Min(a.Length, b.Length) < needed)
        {
            return false;
        }

        if (Math.Min(a.Length, b.Length) * 16 < Math.Max(a.Length, b.Length))
        {
            return IntersectionCount(other) >= needed;
        }

        // Blocks of steps without a check, then the two ways out.
        const int Block = 32;
        int i = 0, j = 0, shared = 0;
        while (true)
        {
            var steps = Math.Min(Block, Math.Min(a.Length - i, b.Length - j));
            if (steps == 0)
            {
                return shared >= needed;
            }

            for (var k = 0; k < steps; k++)
            {
                var (x, y) = (a[i], b[j]);
                shared += x == y ? 1 : 0;
                i += x <= y ? 1 : 0;
                j += x >= y ? 1 : 0;
            }

            if (shared >= needed)
            {
                return true;
            }

            if (shared + Math.Min(a.Length - i, b.Length - j) < needed)
            {
                return false;
            }
        }
    }

    /// <summary>Exact Jaccard and containment (intersection over the smaller set) with <paramref name="other"/>.</summary>
    public (double Jaccard, double Containment, int Shared) Compare(ShingleSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (Count == 0 || other.Count == 0)
        {
            return (0, 0, 0);
        }

        var shared = IntersectionCount(other);
        var union = Count + other.Count - shared;
        return ((double)shared / union, (double)shared / Math.Min(Count, other.Count), shared);
    }
}
