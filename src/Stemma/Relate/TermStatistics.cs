namespace Stemma.Relate;

/// <summary>Document frequencies of terms over a collection, for inverse-document-frequency weights.</summary>
public sealed class TermStatistics
{
    private readonly Dictionary<ulong, int> documentFrequency;

    private TermStatistics(Dictionary<ulong, int> documentFrequency, int documents)
    {
        this.documentFrequency = documentFrequency;
        Documents = documents;
    }

    public int Documents { get; }

    public int DocumentFrequency(ulong term) => documentFrequency.GetValueOrDefault(term);

    /// <summary>
    /// Unseen background documents added to every count. In a small collection one story's names fill most documents and
    /// raw IDF would discount exactly the words that tie the story together; against a thousand background documents
    /// without the term they keep their weight, while in large collections real frequencies dominate.
    /// </summary>
    public const int PseudoDocuments = 1000;

    /// <summary>BM25-style inverse document frequency over the collection plus <see cref="PseudoDocuments"/>.</summary>
    public double Idf(ulong term)
    {
        var df = documentFrequency.GetValueOrDefault(term);
        return Math.Log(1 + ((Documents + PseudoDocuments - df + 0.5) / (df + 0.5)));
    }

    public static TermStatistics Build(IEnumerable<TextFeatures> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var df = new Dictionary<ulong, int>();
        var n = 0;
        foreach (var document in documents)
        {
            n++;
            foreach (var term in document.TermHashes)
            {
                df[term] = df.GetValueOrDefault(term) + 1;
            }
        }

        return new TermStatistics(df, n);
    }

    /// <summary>Statistics over plain texts, e.g. all texts of a `compare --pairs` file.</summary>
    public static TermStatistics Build(IEnumerable<string> texts) => Build((texts ?? throw new ArgumentNullException(nameof(texts))).Select(TextFeatures.Create));
}
