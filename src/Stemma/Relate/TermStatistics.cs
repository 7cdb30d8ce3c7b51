using System.Runtime.InteropServices;

namespace Stemma.Relate;

/// <summary>Document frequencies of terms over a collection, for inverse-document-frequency weights.</summary>
public sealed class TermStatistics
{
    private readonly Dictionary<ulong, int>[] shards;
    private readonly float[] idfByFrequency;

    private TermStatistics(Dictionary<ulong, int>[] shards, int documents)
    {
        this.shards = shards;
        Documents = documents;
        var maxFrequency = 0;
        foreach (var shard in shards)
        {
            foreach (var frequency in shard.Values)
            {
                maxFrequency = Math.Max(maxFrequency, frequency);
            }
        }

        idfByFrequency = new float[maxFrequency + 1];
        for (var df = 0; df <= maxFrequency; df++)
        {
            idfByFrequency[df] = (float)IdfOf(df, documents);
        }
    }

    public int Documents { get; }

    /// <summary>Weight of a term when no collection is known (every content word alike).</summary>
    internal const double UnknownIdf = 3.0;

    public int DocumentFrequency(ulong term) => shards[ShardOf(term, shards.Length)].GetValueOrDefault(term);

    /// <summary>
    /// Unseen background documents added to every count. In a small collection one story's names fill most documents and
    /// raw IDF would discount exactly the words that tie the story together; against a thousand background documents
    /// without the term they keep their weight, while in large collections real frequencies dominate.
    /// </summary>
    public const int PseudoDocuments = 1000;

    /// <summary>BM25-style inverse document frequency over the collection plus <see cref="PseudoDocuments"/>.</summary>
    public double Idf(ulong term) => idfByFrequency[DocumentFrequency(term)];

    private static double IdfOf(int df, int documents) => Math.Log(1 + ((documents + PseudoDocuments - df + 0.5) / (df + 0.5)));

    public static TermStatistics Build(IEnumerable<TextFeatures> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var all = documents as IReadOnlyList<TextFeatures> ?? [.. documents];
        // Terms are counted in shards by hash, one per core: each task scans every document but counts only its own
        // terms, so there are no locks and no merge.
        var shards = new Dictionary<ulong, int>[Math.Clamp(Environment.ProcessorCount, 1, 64)];
        Parallel.For(0, shards.Length, s =>
        {
            var counts = new Dictionary<ulong, int>();
            foreach (var document in all)
            {
                foreach (var term in document.TermHashes)
                {
                    if (ShardOf(term, shards.Length) == s)
                    {
                        CollectionsMarshal.GetValueRefOrAddDefault(counts, term, out _)++;
                    }
                }
            }

            shards[s] = counts;
        });

        return new TermStatistics(shards, all.Count);
    }

    /// <summary>Statistics over plain texts, e.g. all texts of a `compare --pairs` file.</summary>
    public static TermStatistics Build(IEnumerable<string> texts) => Build((texts ?? throw new ArgumentNullException(nameof(texts))).Select(TextFeatures.Create));

    // Word hashes are FNV with the high half folded in; the top 32 bits are well mixed. Multiply-shift maps them onto the shards.
    private static int ShardOf(ulong term, int shards) => (int)(((term >> 32) * (ulong)shards) >> 32);
}
