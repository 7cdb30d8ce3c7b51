using System.Runtime.InteropServices;

namespace Stemma.Storage;

/// <summary>
/// The changes one write makes to the stored document frequencies: for each term, how many documents gained it less how
/// many lost it, and the first document (in the order the changes were given) that brought or dropped it. A store counts
/// every term of every document it adds (an add batch of 17,000 news articles gives some 4 million), so the terms are
/// buffered and sorted (radix, by term, keeping the order they came in) and each term's run is added to the totals once,
/// instead of one hash look-up per term and document: the totals grow large enough that nearly every look-up missed the
/// processor's caches. The totals are those the look-ups made, in the same order.
/// </summary>
public sealed class TermCountChanges
{
    // Terms buffered before they are sorted and added to the totals at the next Begin (8 bytes each, and as much scratch to sort).
    private const int Buffered = 1 << 19;

    // A document's terms arrive whole, so a round may go past Buffered by one document's.
    private const int SlackForOneDocument = 1 << 14;

    private readonly Dictionary<uint, (int Delta, long First)> totals = [];
    private readonly List<(int Delta, long Document)> groups = [];
    private ulong[] buffer;
    private ulong[] scratch = [];
    private int count;

    // Times the buffer was added to the totals: a mark from before one cannot be undone.
    private int flushes;

    /// <param name="expectedTerms">
    /// How many terms the caller expects to count (0: not known): the buffer is made that large at once, up to what one
    /// round sorts, instead of growing by doubling (an add batch of the 100k ingest went through twelve sizes, twice over
    /// with the scratch, 32 MB a batch where 8 MB do).
    /// </param>
    public TermCountChanges(int expectedTerms = 0) =>
        buffer = expectedTerms > 0 ? new ulong[Math.Min(expectedTerms, Buffered + SlackForOneDocument)] : [];

    /// <summary>Where the counts stand before a document's changes, so that they can be taken back (<see cref="Undo"/>).</summary>
    public readonly record struct Mark(int Count, int Groups, int Flushes);

    /// <summary>
    /// Starts a document's changes: what is buffered may be added to the totals here, never between this and the next
    /// <see cref="Begin"/>, so that a document the store refuses after its terms were counted can be taken back whole
    /// with <see cref="Undo"/>.
    /// </summary>
    public Mark Begin()
    {
        if (count >= Buffered)
        {
            Flush();
        }

        return new Mark(count, groups.Count, flushes);
    }

    /// <summary>Takes back every change counted since <paramref name="mark"/> (the store rolled that document back).</summary>
    public void Undo(Mark mark)
    {
        if (mark.Flushes != flushes || mark.Count > count || mark.Groups > groups.Count)
        {
            throw new InvalidOperationException("The changes since this mark were already added to the totals.");
        }

        count = mark.Count;
        groups.RemoveRange(mark.Groups, groups.Count - mark.Groups);
    }

    /// <summary>Counts <paramref name="delta"/> (1: the document holds the term now; -1: no longer) for every term of <paramref name="terms"/> of document <paramref name="document"/>.</summary>
    public void Add(ReadOnlySpan<uint> terms, int delta, long document)
    {
        if (terms.IsEmpty)
        {
            return;
        }

        if (count + terms.Length > buffer.Length)
        {
            // Grown as needed (one article added at a time buffers little); sorted and added to the totals only at the
            // next Begin once past the flush size, so a document's changes stay in the buffer until then.
            var size = Math.Max(count + terms.Length, Math.Max(1024, 2 * buffer.Length));
            Array.Resize(ref buffer, size);
        }

        // A term and the place of its group in the low half: sorting by the term keeps each term's groups in order.
        var group = (ulong)groups.Count;
        groups.Add((delta, document));
        foreach (var term in terms)
        {
            buffer[count++] = ((ulong)term << 32) | group;
        }
    }

    /// <summary>Each term's change and first document; terms whose changes cancel out are there with 0.</summary>
    public IReadOnlyDictionary<uint, (int Delta, long First)> Totals
    {
        get
        {
            Flush();
            return totals;
        }
    }

    private void Flush()
    {
        if (count == 0)
        {
            return;
        }

        var values = buffer.AsSpan(0, count);
        if (scratch.Length < count)
        {
            // Made when a round is sorted, at the buffer's size: the buffer only grows to it once.
            scratch = new ulong[buffer.Length];
        }

        Index.SortedSets.RadixSortByHighHalf(values, scratch);
        var groupList = CollectionsMarshal.AsSpan(groups);
        for (var at = 0; at < values.Length;)
        {
            var term = (uint)(values[at] >> 32);
            var first = groupList[(int)(uint)values[at]].Document;
            var delta = 0;
            for (; at < values.Length && (uint)(values[at] >> 32) == term; at++)
            {
                delta += groupList[(int)(uint)values[at]].Delta;
            }

            ref var total = ref CollectionsMarshal.GetValueRefOrAddDefault(totals, term, out var known);
            total = known ? (total.Delta + delta, total.First) : (delta, first);
        }

        count = 0;
        groups.Clear();
        flushes++;
    }
}
