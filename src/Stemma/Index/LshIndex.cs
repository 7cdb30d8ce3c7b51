using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Stemma.Index;

/// <summary>
/// Banded MinHash LSH over items numbered 0, 1, 2... in the order they are added. Each band's buckets are chains
/// through one shared int array, so an entry costs a hash-table slot per distinct key and four bytes, not a list; a
/// band's table holds, per key, the newest entry of its chain plus one (0: no entry).
/// Not thread-safe: add and query from one thread (verification of the candidates can be parallel).
/// </summary>
public sealed class LshIndex
{
    private readonly LshParameters parameters;
    private readonly HashTable[] heads;
    private int[] next = new int[1024];
    private int[] seenStamp = new int[256];
    private int stamp;

    public LshIndex(LshParameters parameters)
    {
        this.parameters = parameters ?? throw new ArgumentNullException(nameof(parameters));
        heads = new HashTable[parameters.Bands];
        for (var band = 0; band < heads.Length; band++)
        {
            heads[band] = new HashTable();
        }
    }

    public LshParameters Parameters => parameters;

    public int Count { get; private set; }

    /// <summary>The key of every band of <paramref name="signature"/>, index = band number.</summary>
    public static ulong[] BandKeys(ReadOnlySpan<uint> signature, LshParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var keys = new ulong[parameters.Bands];
        BandKeys(signature, parameters, keys);
        return keys;
    }

    public static void BandKeys(ReadOnlySpan<uint> signature, LshParameters parameters, Span<ulong> keys)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (signature.Length < parameters.Bands * parameters.Rows)
        {
            throw new ArgumentException("signature is shorter than bands x rows", nameof(signature));
        }

        for (var band = 0; band < parameters.Bands; band++)
        {
            keys[band] = XxHash3.HashToUInt64(MemoryMarshal.AsBytes(signature.Slice(band * parameters.Rows, parameters.Rows)));
        }
    }

    /// <summary>Adds the next item; returns its number.</summary>
    public int Add(ReadOnlySpan<ulong> bandKeys) => QueryAndAdd(bandKeys, results: null);

    /// <summary>Appends to <paramref name="results"/> every item sharing at least one band with <paramref name="bandKeys"/>, each once.</summary>
    public void Query(ReadOnlySpan<ulong> bandKeys, List<int> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var bands = parameters.Bands;
        var seen = NextStamp();
        for (var band = 0; band < bands; band++)
        {
            if (heads[band].TryGetValue(bandKeys[band], out var head))
            {
                Collect(head - 1, seen, results);
            }
        }
    }

    /// <summary>
    /// <see cref="Query"/> then <see cref="Add"/> with one look-up per band instead of two: the items found are those before
    /// this one, in the order <see cref="Query"/> gives (a band's chain is walked before this item joins it, and no other
    /// band's chain holds it). Returns the new item's number.
    /// </summary>
    public int QueryAndAdd(ReadOnlySpan<ulong> bandKeys, List<int>? results)
    {
        var item = Count;
        var bands = parameters.Bands;
        if ((item + 1) * bands > next.Length)
        {
            Array.Resize(ref next, Math.Max(next.Length * 2, (item + 1) * bands));
        }

        var seen = results is null ? 0 : NextStamp();
        for (var band = 0; band < bands; band++)
        {
            var entry = (item * bands) + band;
            ref var head = ref heads[band].GetValueRefOrAdd(bandKeys[band]);
            if (results is not null && head > 0)
            {
                Collect(head - 1, seen, results);
            }

            next[entry] = head - 1;
            head = entry + 1;
        }

        Count = item + 1;
        return item;
    }

    /// <summary>A new stamp value marks "seen in this query" without clearing the array.</summary>
    private int NextStamp()
    {
        if (seenStamp.Length < Count)
        {
            Array.Resize(ref seenStamp, Math.Max(seenStamp.Length * 2, Count));
        }

        if (++stamp == int.MaxValue)
        {
            Array.Clear(seenStamp);
            stamp = 1;
        }

        return stamp;
    }

    /// <summary>Appends the items of one chain, from <paramref name="entry"/> on, that this query has not seen yet.</summary>
    private void Collect(int entry, int seen, List<int> results)
    {
        var bands = parameters.Bands;
        while (entry >= 0)
        {
            var item = entry / bands;
            if (seenStamp[item] != seen)
            {
                seenStamp[item] = seen;
                results.Add(item);
            }

            entry = next[entry];
        }
    }
}
