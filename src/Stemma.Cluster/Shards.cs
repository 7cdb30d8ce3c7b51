namespace Stemma.Cluster;

/// <summary>
/// Where each key lives: content hashes, LSH band keys and terms are spread over the index shards, document ids over the
/// document shards, by a mixed hash of the key, so every shard holds about the same share of every kind of key.
/// </summary>
public static class Shards
{
    /// <summary>Shards a cluster uses unless told otherwise.</summary>
    public const int DefaultCount = 8;

    public static int OfContentHash(ulong contentHash, int count) => (int)(Mix(contentHash ^ 0x243F6A8885A308D3UL) % (ulong)count);

    public static int OfBand(int band, ulong key, int count) => (int)(Mix(key ^ ((ulong)(uint)band * 0x9E3779B97F4A7C15UL)) % (ulong)count);

    public static int OfTerm(uint term, int count) => (int)(Mix(term ^ 0x13198A2E03707344UL) % (ulong)count);

    /// <summary>The grain key of one shard of one store: the store's name, the shard and how many shards there are.</summary>
    public static string Key(string store, int shard, int count) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{store}|{shard}/{count}");

    public static (string Store, int Shard, int Count) ParseKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var bar = key.LastIndexOf('|');
        var slash = key.LastIndexOf('/');
        if (bar < 0 || slash < bar)
        {
            throw new FormatException($"not a shard key: '{key}'");
        }

        return (key[..bar],
            int.Parse(key.AsSpan(bar + 1, slash - bar - 1), System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(key.AsSpan(slash + 1), System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>The items in <paramref name="count"/> lists by the slot (shard or page) <paramref name="slotOf"/> gives each, in their order; a slot that gets none holds null.</summary>
    public static List<T>?[] Split<T>(IEnumerable<T> items, Func<T, int> slotOf, int count)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(slotOf);
        var slots = new List<T>?[count];
        foreach (var item in items)
        {
            (slots[slotOf(item)] ??= []).Add(item);
        }

        return slots;
    }

    /// <summary>The document shard a document lives in (see <see cref="IDocumentShardGrain"/>).</summary>
    public static int OfDocument(string id, int count) => (int)(Mix(HashOf(id) ^ 0x452821E638D01377UL) % (ulong)count);

    /// <summary>
    /// Which of <paramref name="silos"/> silos (in a fixed order) a shard with grain key <paramref name="key"/> is placed on:
    /// the shards of one store go round the silos by number, from a start the store's name picks, so each silo holds an even
    /// share (see <see cref="ShardPlacementStrategy"/>).
    /// </summary>
    public static int SiloOf(string key, int silos)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(silos, 1);
        var (store, shard, _) = ParseKey(key);
        return (int)((Mix(HashOf(store)) + (ulong)shard) % (ulong)silos);
    }

    /// <summary>The page (key range) of a shard's stored state a document's entry goes in.</summary>
    public static int PageOfDocument(string id, int pages) => (int)(Mix(HashOf(id)) % (ulong)pages);

    // FNV-1a of the id's characters: stable across processes, unlike string.GetHashCode.
    private static ulong HashOf(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var hash = 14695981039346656037UL;
        foreach (var c in id)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }

    /// <summary>The page a term's frequency goes in (a seed of its own: the shard of a term already fixes its low bits mod the shard count).</summary>
    public static int PageOfTerm(uint term, int pages) => (int)((Mix(term ^ 0xA4093822299F31D0UL) >> 32) % (ulong)pages);

    // SplitMix64's finalizer: term and band keys are already hashes, but of few bits in places; mixing spreads them evenly.
    private static ulong Mix(ulong x)
    {
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
