using System.IO.Hashing;
using System.Runtime.InteropServices;
using Stemma.Text;

namespace Stemma.Lineage;

/// <summary>
/// The lines copiers insert (read-more links, captions, promotions, source links, editor's notes), kept per document
/// as lineage evidence. Ingest takes them out of the body, but a copy of a copy inherits them: a document that repeats
/// another copy's inserted line descends from that copy. Only lines found in one copy family count: a line that turns
/// up in several families is a site's or an agency's stock line ("Photo: Agency"), which copiers add on their own.
/// Repeated titles and comment forms say nothing about descent (every copier adds them) and are left out.
/// </summary>
internal sealed class InsertedLines
{
    // Each word of a line weighs about what a content word's IDF does, so a line counts like the words it holds.
    private const double WordWeight = 2.0;

    private readonly (ulong Key, double Weight)[][] lines;

    private InsertedLines((ulong Key, double Weight)[][] lines) => this.lines = lines;

    /// <param name="articles">The analysed articles.</param>
    /// <param name="familyIds">Each article's copy family.</param>
    public static InsertedLines From(IReadOnlyList<Article> articles, IReadOnlyList<string> familyIds)
    {
        var keys = new (ulong Key, int Words)[articles.Count][];
        var familiesOf = new Dictionary<ulong, string?>();
        for (var d = 0; d < articles.Count; d++)
        {
            keys[d] = [.. articles[d].Annotations
                .Where(a => a.Kind is AnnotationKind.ReadMore or AnnotationKind.Related or AnnotationKind.Caption or AnnotationKind.SourceLink or AnnotationKind.Promo or AnnotationKind.EditorNote or AnnotationKind.Injected)
                .Select(a => (Key: KeyOf(a.Text), Words: WordTokenizer.Count(a.Text)))
                .Where(l => l.Words > 0)
                .DistinctBy(l => l.Key)];
            foreach (var (key, _) in keys[d])
            {
                // The family the line belongs to, or null once it is seen in a second one.
                familiesOf[key] = familiesOf.TryGetValue(key, out var family) && family != familyIds[d] ? null : familyIds[d];
            }
        }

        var weighted = new (ulong, double)[articles.Count][];
        for (var d = 0; d < articles.Count; d++)
        {
            weighted[d] = [.. keys[d].Where(l => familiesOf[l.Key] is not null).Select(l => (l.Key, l.Words * WordWeight))];
        }

        return new InsertedLines(weighted);
    }

    /// <summary>The weight of the inserted lines of <paramref name="document"/> that <paramref name="by"/> lacks.</summary>
    public double Unexplained(int document, int by)
    {
        double cost = 0;
        foreach (var (key, weight) in lines[document])
        {
            cost += Has(by, key) ? 0 : weight;
        }

        return cost;
    }

    /// <summary>The weight of all inserted lines of <paramref name="document"/>.</summary>
    public double Total(int document)
    {
        double total = 0;
        foreach (var (_, weight) in lines[document])
        {
            total += weight;
        }

        return total;
    }

    /// <summary>How many inserted lines of <paramref name="child"/> it shares with <paramref name="parent"/> but not with <paramref name="other"/>.</summary>
    public int SharedWithout(int child, int parent, int other)
    {
        var count = 0;
        foreach (var (key, _) in lines[child])
        {
            count += Has(parent, key) && !Has(other, key) ? 1 : 0;
        }

        return count;
    }

    /// <summary>How many inserted lines <paramref name="document"/> has that <paramref name="by"/> lacks.</summary>
    public int CountUnexplained(int document, int by)
    {
        var count = 0;
        foreach (var (key, _) in lines[document])
        {
            count += Has(by, key) ? 0 : 1;
        }

        return count;
    }

    private bool Has(int document, ulong key)
    {
        foreach (var (other, _) in lines[document])
        {
            if (other == key)
            {
                return true;
            }
        }

        return false;
    }

    private static ulong KeyOf(string line) => XxHash64.HashToUInt64(MemoryMarshal.AsBytes(TextNormalizer.Normalize(line).AsSpan()));
}
