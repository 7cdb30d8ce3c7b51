using System.Collections;
using Stemma.Align;

namespace Stemma.Relate;

/// <summary>
/// The changes of a pair kept as where they are in the two texts rather than as copies of what they say: a copy's
/// inserted and dropped passages run to whole paragraphs, the same passage turns up in the pairs of every member of a
/// family, and a bulk analysis keeps every pair's changes to the end (a tenth of its memory as copied strings). A change
/// whose text is exactly its range of the body is cut from the body each time it is read; any other is kept whole.
/// </summary>
internal sealed class SlicedChanges : IReadOnlyList<Change>
{
    private static readonly Change[] NoChanges = [];

    private readonly Entry[] entries;
    private readonly string textA;
    private readonly string textB;

    // Read from B to A: kinds and sides swapped (see Reversed).
    private readonly bool reversed;

    // Changes after the sliced ones, kept whole and read as given (lines of the wrapping, which have no place in a body).
    private readonly Change[] appended;

    private SlicedChanges(Entry[] entries, string textA, string textB, bool reversed, Change[] appended)
    {
        this.entries = entries;
        this.textA = textA;
        this.textB = textB;
        this.reversed = reversed;
        this.appended = appended;
    }

    /// <summary>A change cut from the texts (<see cref="Whole"/> null) or one kept as it is.</summary>
    private readonly record struct Entry(ChangeKind Kind, TextRange? InA, TextRange? InB, string? Restatement, string? Summary, Change? Whole);

    /// <summary>The <paramref name="changes"/> from <paramref name="textA"/> to <paramref name="textB"/>, in their order.</summary>
    public static IReadOnlyList<Change> From(IEnumerable<Change> changes, string textA, string textB) => From(changes, textA, textB, passagesOmitted: false);

    /// <param name="changes">The changes.</param>
    /// <param name="textA">The text they are from.</param>
    /// <param name="textB">The text they are to.</param>
    /// <param name="passagesOmitted">Whether insertions and drops come without their text (<see cref="ChangeDetector"/> leaves
    /// it out when the changes are kept sliced): such a change is its range of the body.</param>
    internal static IReadOnlyList<Change> From(IEnumerable<Change> changes, string textA, string textB, bool passagesOmitted)
    {
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(textA);
        ArgumentNullException.ThrowIfNull(textB);
        // A list is filled by index (every pair's changes pass through here; a LINQ chain cost four objects a call).
        Entry[] entries;
        if (changes is IReadOnlyList<Change> list)
        {
            entries = list.Count == 0 ? [] : new Entry[list.Count];
            for (var i = 0; i < entries.Length; i++)
            {
                entries[i] = EntryOf(list[i], textA, textB, passagesOmitted);
            }
        }
        else
        {
            entries = [.. changes.Select(c => EntryOf(c, textA, textB, passagesOmitted))];
        }

        return entries.Length == 0 ? NoChanges : new SlicedChanges(entries, textA, textB, reversed: false, NoChanges);
    }

    private static Entry EntryOf(Change c, string textA, string textB, bool passagesOmitted) =>
        (passagesOmitted && IsOmittedPassage(c)) || (IsSlice(c.Before, c.InA, textA) && IsSlice(c.After, c.InB, textB) && (c.InA is not null || c.InB is not null))
            ? new Entry(c.Kind, c.InA, c.InB, c.Restatement, c.Summary, null)
            : new Entry(c.Kind, null, null, null, null, c);

    private static bool IsOmittedPassage(Change change) => change switch
    {
        { Kind: ChangeKind.Inserted, Before: null, After: null, InA: null, InB: not null } => true,
        { Kind: ChangeKind.Dropped, Before: null, After: null, InA: not null, InB: null } => true,
        _ => false,
    };

    /// <summary>
    /// The first <paramref name="limit"/> of <paramref name="changes"/> (from <paramref name="textA"/> to
    /// <paramref name="textB"/>) whose kind <paramref name="keep"/> takes, sliced; sliced changes are chosen without
    /// being read.
    /// </summary>
    public static IReadOnlyList<Change> Keep(IReadOnlyList<Change> changes, string textA, string textB, Func<ChangeKind, bool> keep, int limit)
    {
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(keep);
        if (changes is SlicedChanges { reversed: false, appended.Length: 0 } sliced && ReferenceEquals(sliced.textA, textA) && ReferenceEquals(sliced.textB, textB))
        {
            var count = 0;
            for (var i = 0; i < sliced.entries.Length && count < limit; i++)
            {
                count += keep(sliced.entries[i].Kind) ? 1 : 0;
            }

            if (count == 0)
            {
                return NoChanges;
            }

            // All of them (a verbatim copy's few changes): the same list, which nothing changes once made.
            if (count == sliced.entries.Length)
            {
                return sliced;
            }

            var kept = new Entry[count];
            for (int i = 0, k = 0; k < count; i++)
            {
                if (keep(sliced.entries[i].Kind))
                {
                    kept[k++] = sliced.entries[i];
                }
            }

            return new SlicedChanges(kept, textA, textB, reversed: false, NoChanges);
        }

        return From(changes.Where(c => keep(c.Kind)).Take(limit), textA, textB);
    }

    /// <summary>
    /// The kind of the change at <paramref name="index"/>, read without making the change when it is sliced: callers that
    /// want changes of some kinds test this first and read only those.
    /// </summary>
    internal static ChangeKind KindAt(IReadOnlyList<Change> changes, int index) =>
        changes is SlicedChanges sliced && index < sliced.entries.Length
            ? (sliced.reversed ? ReverseKind(sliced.entries[index].Kind) : sliced.entries[index].Kind)
            : changes[index].Kind;

    /// <summary>
    /// The same changes seen from B: an insertion becomes a drop and the reverse, before and after and their ranges swap.
    /// Like any reversed change it has no restatement or summary (those describe the change from A).
    /// </summary>
    public static IReadOnlyList<Change> Reversed(IReadOnlyList<Change> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        return changes switch
        {
            { Count: 0 } => NoChanges,
            SlicedChanges { appended.Length: 0 } sliced => new SlicedChanges(sliced.entries, sliced.textA, sliced.textB, !sliced.reversed, NoChanges),
            _ => [.. changes.Select(Reverse)],
        };
    }

    /// <summary><paramref name="changes"/> followed by <paramref name="more"/>, the first kept sliced.</summary>
    public static IReadOnlyList<Change> Concat(IReadOnlyList<Change> changes, IEnumerable<Change> more)
    {
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(more);
        Change[] tail = [.. more];
        return changes switch
        {
            _ when tail.Length == 0 => changes,
            SlicedChanges sliced => new SlicedChanges(sliced.entries, sliced.textA, sliced.textB, sliced.reversed, [.. sliced.appended, .. tail]),
            _ => [.. changes, .. tail],
        };
    }

    public int Count => entries.Length + appended.Length;

    public Change this[int index]
    {
        get
        {
            if ((uint)index >= (uint)Count)
            {
                throw new ArgumentOutOfRangeException(nameof(index));
            }

            if (index >= entries.Length)
            {
                return appended[index - entries.Length];
            }

            var entry = entries[index];
            if (entry.Whole is { } whole)
            {
                return reversed ? Reverse(whole) : whole;
            }

            var (before, after) = (entry.InA?.In(textA), entry.InB?.In(textB));
            return reversed
                ? new Change(ReverseKind(entry.Kind), after, before, entry.InB, entry.InA)
                : new Change(entry.Kind, before, after, entry.InA, entry.InB) { Restatement = entry.Restatement, Summary = entry.Summary };
        }
    }

    public IEnumerator<Change> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The same change seen from B.</summary>
    internal static Change Reverse(Change change) => new(ReverseKind(change.Kind), change.After, change.Before, change.InB, change.InA);

    private static ChangeKind ReverseKind(ChangeKind kind) => kind switch
    {
        ChangeKind.Inserted => ChangeKind.Dropped,
        ChangeKind.Dropped => ChangeKind.Inserted,
        _ => kind,
    };

    // A side's text is its range of the body, character for character (or the side has neither).
    private static bool IsSlice(string? text, TextRange? range, string body) => (text, range) switch
    {
        (null, null) => true,
        ({ } t, { } r) => r.Start >= 0 && r.End <= body.Length && r.Length == t.Length && body.AsSpan(r.Start, r.Length).SequenceEqual(t),
        _ => false,
    };
}
