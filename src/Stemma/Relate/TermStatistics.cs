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

    /// <summary>BM25-style inverse document frequency, never below a small floor so common words still count a little.</summary>
    public double Idf(ulong term)
    {
        var df = documentFrequency.GetValueOrDefault(term);
        return Math.Max(0.1, Math.Log(1 + ((Documents - df + 0.5) / (df + 0.5))));
    }

    public static TermStatistics Build(IEnumerable<TextFeatures> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var df = new Dictionary<ulong, int>();
        var n = 0;
        foreach (var document in documents)
        {
            n++;
            foreach (var term in document.TermCounts.Keys)
            {
                df[term] = df.GetValueOrDefault(term) + 1;
            }
        }

        return new TermStatistics(df, n);
    }

    /// <summary>Statistics over plain texts, e.g. all texts of a `compare --pairs` file.</summary>
    public static TermStatistics Build(IEnumerable<string> texts) => Build((texts ?? throw new ArgumentNullException(nameof(texts))).Select(TextFeatures.Create));
}
