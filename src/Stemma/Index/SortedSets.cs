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
}
