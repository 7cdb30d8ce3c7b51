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
    public void Add(string id, TextFeatures features, DocumentSketch sketch)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(sketch);
        if (!slots.TryGetValue(id, out var slot))
        {
            slot = slots[id] = slots.Count;
            if (slot % PageDocuments == 0)
            {
                keyPages.Add(new ulong[PageDocuments * keysPerDocument]);
                factPages.Add(new uint[PageDocuments * FactSample]);
                factCountPages.Add(new byte[PageDocuments]);
                sketchedPages.Add(new bool[PageDocuments]);
            }
        }

        // Added again (an update in the same run): the new values replace the old.
        var (page, at) = Math.DivRem(slot, PageDocuments);
        sketchedPages[page][at] = !sketch.IsEmpty;
        var keys = keyPages[page].AsSpan(at * keysPerDocument, keysPerDocument);
        keys.Clear();
        if (!sketch.IsEmpty)
        {
            keys[0] = sketch.ContentHash;
            LshIndex.BandKeys(sketch.Signature, lsh, keys[1..]);
        }

        var sample = SampleFacts(features);
        sample.CopyTo(factPages[page].AsSpan(at * FactSample, FactSample));
        factCountPages[page][at] = (byte)sample.Length;
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
        for (var key = 0; key < keysPerDocument; key++)
        {
            // The content hash, then each band.
            JoinOnKeys(known, together, key);
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
    private void JoinOnKeys(int[] known, UnionFind together, int key)
    {
        var first = new Dictionary<ulong, int>();
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
            if (!first.TryAdd(value, k))
            {
                together.Union(first[value], k);
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
        var all = new SortedSet<uint>(features.EntityHashes);
        all.UnionWith(features.NumberHashes);
        return [.. all.Take(FactSample)];
    }
}
