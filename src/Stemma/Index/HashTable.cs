using System.Numerics;

namespace Stemma.Index;

/// <summary>
/// A map from 64-bit hashes (words, n-grams, terms) to integers: open addressing with linear probing in flat arrays,
/// so a lookup is one or two cache lines and adding allocates nothing until the table grows. <see cref="Clear"/> is
/// O(1) (slots are marked with a generation number), which lets one table serve many short uses on a thread.
/// </summary>
internal sealed class HashTable
{
    private ulong[] keys;
    private int[] values;
    private int[] generations;
    private int generation = 1;
    private int mask;

    public HashTable(int capacity = 16)
    {
        var size = SizeFor(capacity);
        keys = new ulong[size];
        values = new int[size];
        generations = new int[size];
        mask = size - 1;
    }

    public int Count { get; private set; }

    /// <summary>Empties the table, keeping its arrays; room for <paramref name="capacity"/> keys is made without later growth.</summary>
    public void Clear(int capacity = 0)
    {
        Count = 0;
        if (SizeFor(capacity) > keys.Length)
        {
            var size = SizeFor(capacity);
            keys = new ulong[size];
            values = new int[size];
            generations = new int[size];
            mask = size - 1;
            generation = 1;
            return;
        }

        if (++generation == int.MaxValue)
        {
            Array.Clear(generations);
            generation = 1;
        }
    }

    /// <summary>The value stored for <paramref name="key"/>, added as 0 when missing.</summary>
    public ref int GetValueRefOrAdd(ulong key)
    {
        var slot = SlotOf(key);
        while (generations[slot] == generation)
        {
            if (keys[slot] == key)
            {
                return ref values[slot];
            }

            slot = (slot + 1) & mask;
        }

        if (2 * (Count + 1) > keys.Length)
        {
            Grow();
            return ref GetValueRefOrAdd(key);
        }

        generations[slot] = generation;
        keys[slot] = key;
        values[slot] = 0;
        Count++;
        return ref values[slot];
    }

    public bool TryGetValue(ulong key, out int value)
    {
        for (var slot = SlotOf(key); generations[slot] == generation; slot = (slot + 1) & mask)
        {
            if (keys[slot] == key)
            {
                value = values[slot];
                return true;
            }
        }

        value = 0;
        return false;
    }

    public int GetValueOrDefault(ulong key) => TryGetValue(key, out var value) ? value : 0;

    /// <summary>Every key with its value, in no particular order.</summary>
    public IEnumerable<(ulong Key, int Value)> Entries()
    {
        for (var slot = 0; slot < keys.Length; slot++)
        {
            if (generations[slot] == generation)
            {
                yield return (keys[slot], values[slot]);
            }
        }
    }

    private void Grow()
    {
        var (oldKeys, oldValues, oldGenerations, oldGeneration) = (keys, values, generations, generation);
        var size = keys.Length * 2;
        keys = new ulong[size];
        values = new int[size];
        generations = new int[size];
        mask = size - 1;
        generation = 1;
        Count = 0;
        for (var slot = 0; slot < oldKeys.Length; slot++)
        {
            if (oldGenerations[slot] == oldGeneration)
            {
                GetValueRefOrAdd(oldKeys[slot]) = oldValues[slot];
            }
        }
    }

    // Keys are hashes already, but word hashes are FNV-based: a multiply spreads their bits before taking the top ones.
    private int SlotOf(ulong key) => (int)((key * 0x9E3779B97F4A7C15UL) >> 32) & mask;

    private static int SizeFor(int capacity) => (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, 2 * capacity));
}
