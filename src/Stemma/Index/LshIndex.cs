using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Stemma.Index;

/// <summary>
/// Banded MinHash LSH over items numbered 0, 1, 2... in the order they are added. Each band's buckets are chains
/// through one shared int array, so an entry costs a dictionary slot per distinct key and four bytes, not a list.
/// Not thread-safe: add and query from one thread (verification of the candidates can be parallel).
/// </summary>
public sealed class LshIndex
{
    private readonly LshParameters parameters;
    private readonly Dictionary<ulong, int>[] heads;
    private int[] next = new int[1024];
    private int[] seenStamp = new int[256];
    private int stamp;

    public LshIndex(LshParameters parameters)
    {
        this.parameters = parameters ?? throw new ArgumentNullException(nameof(parameters));
        heads = new Dictionary<ulong, int>[parameters.Bands];
        for (var band = 0; band < heads.Length; band++)
        {
            heads[band] = [];
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
    public int Add(ReadOnlySpan<ulong> bandKeys)
    {
        var item = Count++;
        var bands = parameters.Bands;
        if ((item + 1) * bands > next.Length)
        {
            Array.Resize(ref next, Math.Max(next.Length * 2, (item + 1) * bands));
        }

        for (var band = 0; band < bands; band++)
        {
            var entry = (item * bands) + band;
            ref var head = ref CollectionsMarshal.GetValueRefOrAddDefault(heads[band], bandKeys[band], out var exists);
            next[entry] = exists ? head : -1;
            head = entry;
        }

        return item;
    }

    /// <summary>Appends to <paramref name="results"/> every item sharing at least one band with <paramref name="bandKeys"/>, each once.</summary>
    public void Query(ReadOnlySpan<ulong> bandKeys, List<int> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        if (seenStamp.Length < Count)
        {
            Array.Resize(ref seenStamp, Math.Max(seenStamp.Length * 2, Count));
        }

        // A new stamp value marks "seen in this query" without clearing the array.
        if (++stamp == int.MaxValue)
        {
            Array.Clear(seenStamp);
            stamp = 1;
        }

        var bands = parameters.Bands;
        for (var band = 0; band < bands; band++)
        {
            if (!heads[band].TryGetValue(bandKeys[band], out var entry))
            {
                continue;
            }

            while (entry >= 0)
            {
                var item = entry / bands;
                if (seenStamp[item] != stamp)
                {
                    seenStamp[item] = stamp;
                    results.Add(item);
                }

                entry = next[entry];
            }
        }
    }
}
