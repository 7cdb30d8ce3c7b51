using Stemma.Index;
using Stemma.Relate;
using Stemma.Sketch;
using Stemma.Stories;

namespace Stemma.Pipeline;

/// <summary>
/// The order in which a relate pass takes its pending documents into regions. Regions are consecutive runs of this order;
/// in insertion order, the versions of a story that lie far apart in the input (a crawl, a backfill, a feed read out of
/// order) fall into many regions, and each later region loads its story from the store and analyses it again. Documents
/// that likely belong together are put next to each other instead: the same text, a shared LSH band, or several shared
/// names and figures that few documents hold. Only which documents share a region changes, never what is stored: each
/// region is analysed against everything stored before it (docs/storage.md, "The order of regions").
/// </summary>
internal sealed class RelateOrder
{
    /// <summary>Names and figures kept per document: the smallest hashes of its set (a bottom-k sample, so two documents
    /// sample their shared names alike).</summary>
    internal const int FactSample = 24;

    /// <summary>A name or figure more pending documents hold than this tells little about which story a document is in.</summary>
    internal const int MaxFactHolders = 16;

    /// <summary>Sampled names and figures two documents must share to be put together.</summary>
    internal const int MinSharedFacts = 3;

    private readonly LshParameters lsh;

    /// <summary>Documents per page of what is kept: pages are allocated once and never copied as the order grows.</summary>
    private const int PageDocuments = 1024;

    // What is kept of each document, by slot (its order of first addition), in pages of flat arrays rather than an object
    // and three arrays per document: the content hash and the band keys (keysPerDocument values, the hash first), whether
    // the document had a sketch, and its sampled names and figures (FactSample places, how many are used).
    private readonly Dictionary<string, int> slots = new(StringComparer.Ordinal);
    private readonly List<ulong[]> keyPages = [];
    private readonly List<uint[]> factPages = [];
    private readonly List<byte[]> factCountPages = [];
    private readonly List<bool[]> sketchedPages = [];
    private readonly int keysPerDocument;

    // Each slot's id (the strings the slots dictionary holds), for SharingKeys.
    private readonly List<string> ids = [];

    // Whether every document was new to the store when added once, each with all its keys: slots are then in storage
    // order and the keys are what the store's index holds (see Covers).
    private bool onlyNew = true;

    public RelateOrder(LshParameters lsh)
    {
        this.lsh = lsh ?? throw new ArgumentNullException(nameof(lsh));
        keysPerDocument = 1 + lsh.Bands;
    }

    public int Count => slots.Count;

    /// <summary>
    /// Keeps what ordering needs of one document, from what the add step computed: its content hash, one key per band and
    /// up to <see cref="FactSample"/> sampled names and figures (about 400 bytes with 37 bands, plus its id).
    /// </summary>
    /// <param name="id">The document's id.</param>
    /// <param name="features">Its features.</param>
    /// <param name="sketch">Its sketch (the one stored).</param>
    /// <param name="added">Whether the document was new to the store (false: an update of a stored one).</param>
    public void Add(string id, TextFeatures features, DocumentSketch sketch, bool added = true)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(sketch);
        if (!slots.TryGetValue(id, out var slot))
        {
            slot = slots[id] = slots.Count;
            ids.Add(id);
            if (slot % PageDocuments == 0)
            {
                keyPages.Add(new ulong[PageDocuments * keysPerDocument]);
                factPages.Add(new uint[PageDocuments * FactSample]);
                factCountPages.Add(new byte[PageDocuments]);
                sketchedPages.Add(new bool[PageDocuments]);
            }
        }
        else
        {
            // Added again (an update in the same run): the new values replace the old.
            onlyNew = false;
        }

        onlyNew &= added;
        var (page, at) = Math.DivRem(slot, PageDocuments);
        sketchedPages[page][at] = !sketch.IsEmpty;
        var keys = keyPages[page].AsSpan(at * keysPerDocument, keysPerDocument);
        keys.Clear();

        // The keys of an unsketched document too, as the store indexes them (ordering skips them; SharingKeys does not).
        keys[0] = sketch.ContentHash;
        if (sketch.Signature.Length >= lsh.Bands * lsh.Rows)
        {
            LshIndex.BandKeys(sketch.Signature, lsh, keys[1..]);
        }
        else
        {
            onlyNew = false;
        }

        var sample = SampleFacts(features);
        sample.CopyTo(factPages[page].AsSpan(at * FactSample, FactSample));
        factCountPages[page][at] = (byte)sample.Length;
    }

    /// <summary>
    /// Whether this order holds every one of the store's <paramref name="storedDocuments"/> documents, each added once as a
    /// new document: then <see cref="SharingKeys"/> answers what the store's content-hash and band look-up would. A store
    /// that held documents before this run, or a run that updated some, is looked up in the store instead.
    /// </summary>
    public bool Covers(long storedDocuments) => onlyNew && slots.Count == storedDocuments;

    /// <summary>Whether this order holds the document.</summary>
    public bool Holds(string id) => slots.ContainsKey(id);

    /// <summary>
    /// For each probe (documents this order holds), the documents of this order with the same content hash or an equal
    /// key in some band, in the order they were added, each once; those <paramref name="include"/> refuses are left out.
    /// With <see cref="Covers"/> true these are what the store's look-up finds (its index holds the same keys, and slots
    /// are in storage order), found in memory: one hash look-up per key of each included document instead of one index
    /// look-up per key of each probe in the store.
    /// </summary>
    public List<string>[] SharingKeys(IReadOnlyList<string> probes, Func<string, bool> include)
    {
        ArgumentNullException.ThrowIfNull(probes);
        ArgumentNullException.ThrowIfNull(include);

        // Per key (the content hash, then each band), the probes holding each value, as chains through next.
        var heads = new Dictionary<ulong, int>[keysPerDocument];
        for (var key = 0; key < keysPerDocument; key++)
        {
            heads[key] = new Dictionary<ulong, int>(probes.Count);
        }

        // A bit per (key, value) of the probes, so that most keys of the scanned documents (held by no probe) cost one
        // bit test rather than a dictionary look-up.
        var filter = new ulong[1 << (FilterBits - 6)];
        var next = new int[probes.Count * keysPerDocument];
        for (var p = 0; p < probes.Count; p++)
        {
            var keys = KeysOf(slots[probes[p]]);
            for (var key = 0; key < keysPerDocument; key++)
            {
                var entry = (p * keysPerDocument) + key;
                next[entry] = heads[key].TryGetValue(keys[key], out var head) ? head : -1;
                heads[key][keys[key]] = entry;
                var bit = FilterBit(key, keys[key]);
                filter[bit >> 6] |= 1UL << (int)(bit & 63);
            }
        }

        var found = new List<string>[probes.Count];
        var last = new int[probes.Count];
        for (var p = 0; p < found.Length; p++)
        {
            found[p] = [];
            last[p] = -1;
        }

        for (var slot = 0; slot < ids.Count; slot++)
        {
            if (!include(ids[slot]))
            {
                continue;
            }

            var keys = KeysOf(slot);
            for (var key = 0; key < keysPerDocument; key++)
            {
                var bit = FilterBit(key, keys[key]);
                if ((filter[bit >> 6] & (1UL << (int)(bit & 63))) == 0 || !heads[key].TryGetValue(keys[key], out var entry))
                {
                    continue;
                }

                for (; entry >= 0; entry = next[entry])
                {
                    // Slots come in increasing order: a document found under several keys of a probe is its last one.
                    var p = entry / keysPerDocument;
                    if (last[p] != slot)
                    {
                        last[p] = slot;
                        found[p].Add(ids[slot]);
                    }
                }
            }
        }

        return found;
    }

    /// <summary>Bits of the probe filter of <see cref="SharingKeys"/> (2 MB; a region's keys set about one bit in 40).</summary>
    private const int FilterBits = 24;

    /// <summary>A key's bit in the probe filter: its value (a hash already) mixed with which key it is.</summary>
    private static uint FilterBit(int key, ulong value) => (uint)((value ^ ((ulong)(key + 1) * 0x9E3779B97F4A7C15UL)) >> (64 - FilterBits));

    private ReadOnlySpan<ulong> KeysOf(int slot)
    {
        var (page, at) = Math.DivRem(slot, PageDocuments);
        return keyPages[page].AsSpan(at * keysPerDocument, keysPerDocument);
    }

    /// <summary>
    /// <paramref name="pending"/> (in insertion order) rearranged: groups of documents that likely relate, each group at the
    /// place of its first document, its members in insertion order. Documents this order holds nothing of stay alone.
    /// </summary>
    public IReadOnlyList<string> Arrange(IReadOnlyList<string> pending, out int groups, out int largest)
    {
        ArgumentNullException.ThrowIfNull(pending);
        var n = pending.Count;
        var known = new int[n];
        for (var k = 0; k < n; k++)
        {
            known[k] = slots.TryGetValue(pending[k], out var slot) ? slot : -1;
        }

        var together = new UnionFind(n);

        // One table for every key, cleared between them: a new one per key grew to the pending count by doubling, 38 times
        // (133 MB at 100k pending documents).
        var first = new Dictionary<ulong, int>(n);
        for (var key = 0; key < keysPerDocument; key++)
        {
            // The content hash, then each band.
            first.Clear();
            JoinOnKeys(known, together, key, first);
        }

        JoinOnSharedFacts(known, together);

        // Groups in the order of their first document; a group's members in insertion order.
        var members = new Dictionary<int, List<int>>();
        var firsts = new List<int>();
        for (var k = 0; k < n; k++)
        {
            var root = together.Find(k);
            if (!members.TryGetValue(root, out var list))
            {
                members[root] = list = [];
                firsts.Add(root);
            }

            list.Add(k);
        }

        var order = new List<string>(n);
        largest = 0;
        foreach (var root in firsts)
        {
            var list = members[root];
            largest = Math.Max(largest, list.Count);
            foreach (var k in list)
            {
                order.Add(pending[k]);
            }
        }

        groups = firsts.Count;
        return order;
    }

    /// <summary>Joins the sketched documents whose <paramref name="key"/>-th key (0: the content hash, then the bands) is equal.</summary>
    private void JoinOnKeys(int[] known, UnionFind together, int key, Dictionary<ulong, int> first)
    {
        for (var k = 0; k < known.Length; k++)
        {
            if (known[k] < 0)
            {
                continue;
            }

            var (page, at) = Math.DivRem(known[k], PageDocuments);
            if (!sketchedPages[page][at])
            {
                continue;
            }

            var value = keyPages[page][(at * keysPerDocument) + key];
            ref var holder = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(first, value, out var seen);
            if (seen)
            {
                together.Union(holder, k);
            }
            else
            {
                holder = k;
            }
        }
    }

    /// <summary>The sampled names and figures of the document in <paramref name="slot"/> (none for -1).</summary>
    private ReadOnlySpan<uint> FactsOf(int slot)
    {
        if (slot < 0)
        {
            return [];
        }

        var (page, at) = Math.DivRem(slot, PageDocuments);
        return factPages[page].AsSpan(at * FactSample, factCountPages[page][at]);
    }

    private void JoinOnSharedFacts(int[] known, UnionFind together)
    {
        var holders = new Dictionary<uint, List<int>>();
        for (var k = 0; k < known.Length; k++)
        {
            foreach (var fact in FactsOf(known[k]))
            {
                if (!holders.TryGetValue(fact, out var list))
                {
                    holders[fact] = list = [];
                }

                if (list.Count <= MaxFactHolders)
                {
                    list.Add(k);
                }
            }
        }

        // Per document, how many sampled facts each other document shares with it (counted through the holder lists).
        var shared = new int[known.Length];
        var touched = new List<int>();
        for (var k = 0; k < known.Length; k++)
        {
            foreach (var fact in FactsOf(known[k]))
            {
                var list = holders[fact];
                if (list.Count > MaxFactHolders)
                {
                    continue;
                }

                foreach (var other in list)
                {
                    if (other > k && shared[other]++ == 0)
                    {
                        touched.Add(other);
                    }
                }
            }

            foreach (var other in touched)
            {
                if (shared[other] >= MinSharedFacts)
                {
                    together.Union(k, other);
                }

                shared[other] = 0;
            }

            touched.Clear();
        }
    }

    /// <summary>The smallest <see cref="FactSample"/> distinct hashes of a document's names and figures.</summary>
    internal static uint[] SampleFacts(TextFeatures features)
    {
        // Each list is sorted and distinct already (TextFeatures.Create): merged, up to the sample's size.
        Span<uint> sample = stackalloc uint[FactSample];
        return sample[..SortedSets.UnionSmallest(features.EntityHashes, features.NumberHashes, sample)].ToArray();
    }
}
