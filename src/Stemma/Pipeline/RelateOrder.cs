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
    private readonly Dictionary<string, Note> notes = new(StringComparer.Ordinal);

    public RelateOrder(LshParameters lsh)
    {
        this.lsh = lsh ?? throw new ArgumentNullException(nameof(lsh));
    }

    public int Count => notes.Count;

    /// <summary>Keeps what ordering needs of one document (a few hundred bytes), from what the add step computed.</summary>
    public void Add(string id, TextFeatures features, DocumentSketch sketch)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(sketch);
        var bands = sketch.IsEmpty ? [] : LshIndex.BandKeys(sketch.Signature, lsh);
        notes[id] = new Note(sketch.IsEmpty ? null : sketch.ContentHash, bands, SampleFacts(features));
    }

    /// <summary>
    /// <paramref name="pending"/> (in insertion order) rearranged: groups of documents that likely relate, each group at the
    /// place of its first document, its members in insertion order. Documents this order holds nothing of stay alone.
    /// </summary>
    public IReadOnlyList<string> Arrange(IReadOnlyList<string> pending, out int groups, out int largest)
    {
        ArgumentNullException.ThrowIfNull(pending);
        var n = pending.Count;
        var known = new Note?[n];
        for (var k = 0; k < n; k++)
        {
            known[k] = notes.TryGetValue(pending[k], out var note) ? note : null;
        }

        var together = new UnionFind(n);
        JoinOnKeys(known, together, note => note.ContentHash);
        for (var band = 0; band < lsh.Bands; band++)
        {
            var b = band;
            JoinOnKeys(known, together, note => note.Bands.Length > b ? note.Bands[b] : null);
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

    /// <summary>Joins the documents whose key (one per document, or none) is equal.</summary>
    private static void JoinOnKeys(Note?[] known, UnionFind together, Func<Note, ulong?> keyOf)
    {
        var first = new Dictionary<ulong, int>();
        for (var k = 0; k < known.Length; k++)
        {
            if (known[k] is not { } note || keyOf(note) is not { } key)
            {
                continue;
            }

            if (!first.TryAdd(key, k))
            {
                together.Union(first[key], k);
            }
        }
    }

    private static void JoinOnSharedFacts(Note?[] known, UnionFind together)
    {
        var holders = new Dictionary<uint, List<int>>();
        for (var k = 0; k < known.Length; k++)
        {
            foreach (var fact in known[k]?.Facts ?? [])
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
            foreach (var fact in known[k]?.Facts ?? [])
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

    private sealed record Note(ulong? ContentHash, ulong[] Bands, uint[] Facts);
}
