using System.Numerics;

namespace Stemma.Index;

/// <summary>
/// A map from 64-bit hashes (words, n-grams, terms) to integers: open addressing with linear probing in one flat array
/// of slots, so a lookup is one or two cache lines and adding allocates nothing until the table grows.
/// <see cref="Clear"/> is O(1) (slots are marked with a generation number), which lets one table serve many short uses
/// on a thread.
/// </summary>
internal sealed class HashTable
{
    // Key, value and generation of a slot side by side: a probe reads one cache line, not one in each of three arrays
    // (the statistics' table of every term of a corpus is far larger than the caches).
    private Slot[] slots;
    private int generation = 1;
    private int mask;

    private struct Slot
    {
        public ulong Key;
        public int Value;
        public int Generation;
    }

    public HashTable(int capacity = 16)
    {
        var size = SizeFor(capacity);
        slots = new Slot[size];
        mask = size - 1;
    }

    public int Count { get; private set; }

    /// <summary>Empties the table, keeping its arrays; room for <paramref name="capacity"/> keys is made without later growth.</summary>
    public void Clear(int capacity = 0)
    {
        Count = 0;
        if (SizeFor(capacity) > slots.Length)
        {
            var size = SizeFor(capacity);
            slots = new Slot[size];
            mask = size - 1;
            generation = 1;
            return;
        }

        if (++generation == int.MaxValue)
        {
            Array.Clear(slots);
            generation = 1;
        }
    }

    /// <summary>The value stored for <paramref name="key"/>, added as 0 when missing.</summary>
    public ref int GetValueRefOrAdd(ulong key)
    {
        var slot = SlotOf(key);
        while (slots[slot].Generation == generation)
        {
            if (slots[slot].Key == key)
            {
                return ref slots[slot].Value;
            }

            slot = (slot + 1) & mask;
        }

        if (2 * (Count + 1) > slots.Length)
        {
            Grow();
            return ref GetValueRefOrAdd(key);
        }

        ref var added = ref slots[slot];
        added.Generation = generation;
        added.Key = key;
        added.Value = 0;
        Count++;
        return ref added.Value;
    }

    public bool TryGetValue(ulong key, out int value)
    {
        for (var slot = SlotOf(key); slots[slot].Generation == generation; slot = (slot + 1) & mask)
        {
            if (slots[slot].Key == key)
            {
                value = slots[slot].Value;
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
        for (var slot = 0; slot < slots.Length; slot++)
        {
            if (slots[slot].Generation == generation)
            {
                yield return (slots[slot].Key, slots[slot].Value);
            }
        }
    }

    private void Grow()
    {
        var (old, oldGeneration) = (slots, generation);
        var size = slots.Length * 2;
        slots = new Slot[size];
        mask = size - 1;
        generation = 1;
        Count = 0;
        foreach (ref readonly var slot in old.AsSpan())
        {
            if (slot.Generation == oldGeneration)
            {
                GetValueRefOrAdd(slot.Key) = slot.Value;
            }
        }
    }

    // Keys are hashes already, but word hashes are FNV-based: a multiply spreads their bits before taking the top ones.
    private int SlotOf(ulong key) => (int)((key * 0x9E3779B97F4A7C15UL) >> 32) & mask;

    private static int SizeFor(int capacity) => (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, 2 * capacity));
}
