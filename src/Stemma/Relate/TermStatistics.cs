namespace Stemma.Relate;

/// <summary>Document frequencies of terms over a collection, for inverse-document-frequency weights.</summary>
public sealed class TermStatistics
{
    private static long lastStamp;

    private readonly Index.HashTable documentFrequency;

    /// <summary>This object's number (from 1, never reused): what weights made with it are marked with (<see cref="TextFeatures.Weighted"/>).</summary>
    internal long Stamp { get; } = Interlocked.Increment(ref lastStamp);
    private float[] idfByFrequency;

    private TermStatistics(Index.HashTable documentFrequency, int documents)
    {
        this.documentFrequency = documentFrequency;
        Documents = documents;
        var maxFrequency = 0;
        foreach (var (_, frequency) in documentFrequency.Entries())
        {
            maxFrequency = Math.Max(maxFrequency, frequency);
        }

        idfByFrequency = IdfTableFor(documents, maxFrequency);
    }

    /// <summary>The IDF table last handed out: statistics over the same number of documents share it.</summary>
    private static IdfTable? lastTable;

    private sealed record IdfTable(int Documents, float[] Values);

    /// <summary>
    /// A table of IDF by document frequency for <paramref name="documents"/> documents, filled as frequencies are asked
    /// (0 = not yet). A store's statistics cover a few hundred terms whose frequencies reach tens of thousands: computing
    /// every entry up front cost more than the rest of a check, and every check and add over one store count the same
    /// documents, so they share one table. Entries are written racily with the one value each can have.
    /// </summary>
    private static float[] IdfTableFor(int documents, int maxFrequency)
    {
        var last = Volatile.Read(ref lastTable);
        if (last is not null && last.Documents == documents && last.Values.Length > maxFrequency)
        {
            return last.Values;
        }

        var length = maxFrequency + 1;
        if (last is not null && last.Documents == documents)
        {
            length = Math.Max(length, 2 * last.Values.Length);
        }

        var values = new float[length];
        Volatile.Write(ref lastTable, new IdfTable(documents, values));
        return values;
    }

    public int Documents { get; }

    /// <summary>Weight of a term when no collection is known (every content word alike).</summary>
    internal const double UnknownIdf = 3.0;

    public int DocumentFrequency(uint term) => documentFrequency.GetValueOrDefault(term);

    /// <summary>
    /// Statistics over <paramref name="documents"/> documents holding no term yet, filled by <see cref="Include"/>: one
    /// object for every step of a store's relate region, so weights a document cached from it serve all of them.
    /// </summary>
    internal static TermStatistics Growing(int documents) => new(new Index.HashTable(1024), Math.Max(0, documents));

    /// <summary>Whether <see cref="Include"/> has given this term's frequency (or a constructor).</summary>
    internal bool Holds(uint term) => documentFrequency.TryGetValue(term, out _);

    /// <summary>
    /// Adds a term's frequency when the term is not held yet (a held term keeps its frequency, so every weight made from
    /// these statistics stays right). Not thread-safe: call between the parallel steps that read the statistics.
    /// </summary>
    internal void Include(uint term, int documentFrequency)
    {
        if (Holds(term))
        {
            return;
        }

        ref var held = ref this.documentFrequency.GetValueRefOrAdd(term);
        held = Math.Max(0, documentFrequency);
        if (held >= idfByFrequency.Length)
        {
            idfByFrequency = IdfTableFor(Documents, held);
        }
    }

    /// <summary>
    /// Unseen background documents added to every count. In a small collection one story's names fill most documents and
    /// raw IDF would discount exactly the words that tie the story together; against a thousand background documents
    /// without the term they keep their weight, while in large collections real frequencies dominate.
    /// </summary>
    public const int PseudoDocuments = 1000;

    /// <summary>BM25-style inverse document frequency over the collection plus <see cref="PseudoDocuments"/>.</summary>
    public double Idf(uint term)
    {
        var frequency = DocumentFrequency(term);
        var idf = idfByFrequency[frequency];
        if (idf == 0)
        {
            idf = (float)IdfOf(frequency, Documents);
            idfByFrequency[frequency] = idf;
        }

        return idf;
    }

    /// <summary>The IDF a term in <paramref name="documentFrequency"/> documents has, exactly as <see cref="Idf"/> gives it: IDF falls as frequency rises, so a document's cached IDFs tell frequency thresholds without a lookup.</summary>
    internal float IdfAtFrequency(int documentFrequency) => (float)IdfOf(documentFrequency, Documents);

    private static double IdfOf(int df, int documents) => Math.Log(1 + ((documents + PseudoDocuments - df + 0.5) / (df + 0.5)));

    public static TermStatistics Build(IEnumerable<TextFeatures> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var all = documents as IReadOnlyList<TextFeatures> ?? [.. documents];

        // Each task counts a range of documents into its own table; the tables are merged at the end (distinct terms
        // only, far fewer than occurrences).
        var partial = new List<Index.HashTable>();
        if (all.Count == 0)
        {
            return new TermStatistics(new Index.HashTable(), 0);
        }

        Parallel.ForEach(
            System.Collections.Concurrent.Partitioner.Create(0, all.Count, Math.Max(256, all.Count / (4 * Environment.ProcessorCount))),
            () => new Index.HashTable(1024),
            (range, state, counts) =>
            {
                for (var d = range.Item1; d < range.Item2; d++)
                {
                    foreach (var term in all[d].TermHashes)
                    {
                        counts.GetValueRefOrAdd(term)++;
                    }
                }

                return counts;
            },
            counts =>
            {
                lock (partial)
                {
                    partial.Add(counts);
                }
            });

        partial.Sort((x, y) => y.Count.CompareTo(x.Count));
        var merged = partial.Count > 0 ? partial[0] : new Index.HashTable();
        foreach (var counts in partial.Skip(1))
        {
            foreach (var (term, count) in counts.Entries())
            {
                merged.GetValueRefOrAdd(term) += count;
            }
        }

        return new TermStatistics(merged, all.Count);
    }

    /// <summary>
    /// Statistics kept elsewhere (a store's document frequencies): the frequencies of the terms at hand over
    /// <paramref name="documents"/> documents. Terms left out count as in no document.
    /// </summary>
    public static TermStatistics FromFrequencies(IEnumerable<(uint Term, int DocumentFrequency)> frequencies, int documents)
    {
        ArgumentNullException.ThrowIfNull(frequencies);
        var table = new Index.HashTable(1024);
        foreach (var (term, frequency) in frequencies)
        {
            table.GetValueRefOrAdd(term) = Math.Max(0, frequency);
        }

        return new TermStatistics(table, Math.Max(0, documents));
    }

    /// <summary>Statistics over plain texts, e.g. all texts of a `compare --pairs` file.</summary>
    public static TermStatistics Build(IEnumerable<string> texts) => Build((texts ?? throw new ArgumentNullException(nameof(texts))).Select(TextFeatures.Create));
}
