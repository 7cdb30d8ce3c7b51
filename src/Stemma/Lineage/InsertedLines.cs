using System.IO.Hashing;
using System.Runtime.InteropServices;
using Stemma.Text;

namespace Stemma.Lineage;

/// <summary>
/// The lines copiers insert (read-more links, captions, promotions, source links, editor's notes), kept per document
/// as lineage evidence. Ingest takes them out of the body, but a copy of a copy inherits them: a document that repeats
/// another copy's inserted line descends from that copy. As descent evidence a line found in one copy family counts
/// whole; a caption, credit or promotion found in several families is a site's or an agency's stock line ("Photo:
/// Agency") that copiers add on their own and does not count; a read-more or related link in several families names
/// one particular article, which a site may promote beside several reposts, so it counts at its 1/families weight. As
/// evidence of being a copy at all (the root, the direction of an edge) every line counts, weighing like the words it
/// holds divided by the number of families it turns up in, as a word's IDF discounts common words. A copy may carry an
/// inherited line reworded (a spinner rewrote it out of the pattern ingest recognises) or in its body (its own
/// extraction kept it): a document whose lines or body hold most of a line's content words counts as having the line.
/// Repeated titles and comment forms say nothing about descent (every copier adds them) and are left out.
/// </summary>
internal sealed class InsertedLines
{
    // Each word of a line weighs about what a content word's IDF does, so a line counts like the words it holds.
    private const double WordWeight = 2.0;

    // Share of a line's content words a body (or another line) must hold to count as carrying the line.
    private const double InBodyShare = 0.6;

    private readonly Line[][] lines;
    private readonly Func<int, uint[]> bodyTerms;

    /// <param name="Descent">The weight the line carries as evidence of descent (see the class summary).</param>
    private readonly record struct Line(ulong Key, double Weight, uint[] Terms, double Descent)
    {
        public bool CountsForDescent => Descent > 0;
    }

    private InsertedLines(Line[][] lines, Func<int, uint[]> bodyTerms) => (this.lines, this.bodyTerms) = (lines, bodyTerms);

    /// <param name="articles">The analysed articles.</param>
    /// <param name="familyIds">Each article's copy family.</param>
    /// <param name="bodyTerms">Each article's body terms (sorted distinct content-word hashes, as <see cref="Relate.TextFeatures"/> keeps them).</param>
    public static InsertedLines From(IReadOnlyList<Article> articles, IReadOnlyList<string> familyIds, Func<int, uint[]> bodyTerms)
    {
        var found = new (ulong Key, int Words, string Text, bool Names)[articles.Count][];
        var familiesOf = new Dictionary<ulong, HashSet<string>>();
        for (var d = 0; d < articles.Count; d++)
        {
            // Most articles carry no inserted lines: no query over them.
            if (articles[d].Annotations.Count == 0)
            {
                found[d] = [];
                continue;
            }

            found[d] = [.. articles[d].Annotations
                .Where(a => a.Kind is AnnotationKind.ReadMore or AnnotationKind.Related or AnnotationKind.Caption or AnnotationKind.SourceLink or AnnotationKind.Promo or AnnotationKind.EditorNote or AnnotationKind.Injected)
                .Select(a => (Key: KeyOf(a.Text), Words: WordTokenizer.Count(a.Text), a.Text, Names: a.Kind is AnnotationKind.ReadMore or AnnotationKind.Related))
                .Where(l => l.Words > 0)
                .DistinctBy(l => l.Key)];
            foreach (var (key, _, _, _) in found[d])
            {
                if (!familiesOf.TryGetValue(key, out var families))
                {
                    familiesOf[key] = families = new HashSet<string>(StringComparer.Ordinal);
                }

                families.Add(familyIds[d]);
            }
        }

        // Content words of the lines, for matching reworded lines and lines kept in a body: only members of families of
        // two or more ever compare lines.
        var familySizes = familyIds.GroupBy(f => f, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var terms = new Dictionary<ulong, uint[]>();
        var weighted = new Line[articles.Count][];
        for (var d = 0; d < articles.Count; d++)
        {
            if (found[d].Length == 0)
            {
                weighted[d] = [];
                continue;
            }

            var compared = familySizes[familyIds[d]] > 1;
            weighted[d] = [.. found[d].Select(l =>
            {
                var (families, weight) = (familiesOf[l.Key].Count, l.Words * WordWeight / familiesOf[l.Key].Count);
                return new Line(
                    l.Key,
                    weight,
                    !compared ? Array.Empty<uint>() : terms.TryGetValue(l.Key, out var known) ? known : terms[l.Key] = Relate.TextFeatures.Create(l.Text).TermHashes,
                    families == 1 || l.Names ? weight : 0);
            })];
        }

        return new InsertedLines(weighted, bodyTerms);
    }

    /// <summary>
    /// The weight of the inserted lines of <paramref name="document"/> that <paramref name="by"/> lacks, as descent
    /// evidence (a stock line another family has too is a copier's habit, not an inheritance).
    /// </summary>
    public double Unexplained(int document, int by)
    {
        double cost = 0;
        foreach (var line in lines[document])
        {
            cost += !line.CountsForDescent || Has(by, line) ? 0 : line.Descent;
        }

        return cost;
    }

    /// <summary>The weight of all inserted lines of <paramref name="document"/>, stock lines at their discounted weight: a member that adds any line looks less like the original.</summary>
    public double Total(int document)
    {
        double total = 0;
        foreach (var line in lines[document])
        {
            total += line.Weight;
        }

        return total;
    }

    /// <summary>How many inserted lines of <paramref name="child"/> it shares with <paramref name="parent"/> but not with <paramref name="other"/>, counting only lines that are descent evidence.</summary>
    public int SharedWithout(int child, int parent, int other)
    {
        var count = 0;
        foreach (var line in lines[parent])
        {
            count += line.CountsForDescent && Has(child, line) && !Has(other, line) ? 1 : 0;
        }

        return count;
    }

    /// <summary>How many inserted lines <paramref name="document"/> has that <paramref name="by"/> lacks.</summary>
    public int CountUnexplained(int document, int by)
    {
        var count = 0;
        foreach (var line in lines[document])
        {
            count += Has(by, line) ? 0 : 1;
        }

        return count;
    }

    /// <summary>
    /// The words of <paramref name="parent"/>'s inserted lines (weighted as the lines are) that <paramref name="child"/>
    /// carries in its body while <paramref name="parent"/>'s body lacks them: the child's own-looking words its parent
    /// explains after all. <paramref name="idfOf"/> gives a document's weight of a term.
    /// </summary>
    public double InheritedIntoBody(int child, int parent, Func<int, uint, double> idfOf)
    {
        double explained = 0;
        var (childTerms, parentTerms) = (bodyTerms(child), bodyTerms(parent));
        foreach (var line in lines[parent])
        {
            if (line.CountsForDescent && Has(child, line) && !HasKey(child, line.Key))
            {
                foreach (var term in line.Terms)
                {
                    if (Index.SortedSets.IndexOf(childTerms, term) >= 0 && Index.SortedSets.IndexOf(parentTerms, term) < 0)
                    {
                        explained += idfOf(child, term) * line.Descent / line.Weight;
                    }
                }
            }
        }

        return explained;
    }

    // The line itself, a reworded version of it among the document's lines, or the line inside its body.
    private bool Has(int document, Line line) => HasKey(document, line.Key) || InLines(document, line) || InBody(document, line);

    /// <summary>Whether one of the lines of <paramref name="document"/> holds most of the line's content words (a spun or reworded copy of it).</summary>
    private bool InLines(int document, Line line)
    {
        if (line.Terms.Length < 2)
        {
            return false;
        }

        foreach (var other in lines[document])
        {
            if (Holds(other.Terms, line.Terms))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Holds(uint[] sortedTerms, uint[] wanted)
    {
        var held = 0;
        foreach (var term in wanted)
        {
            held += Index.SortedSets.IndexOf(sortedTerms, term) >= 0 ? 1 : 0;
        }

        return held >= InBodyShare * wanted.Length;
    }

    private bool HasKey(int document, ulong key)
    {
        foreach (var other in lines[document])
        {
            if (other.Key == key)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the body of <paramref name="document"/> holds most of the line's content words (at least two).</summary>
    private bool InBody(int document, Line line)
    {
        if (line.Terms.Length < 2)
        {
            return false;
        }

        return Holds(bodyTerms(document), line.Terms);
    }

    private static ulong KeyOf(string line) => XxHash64.HashToUInt64(MemoryMarshal.AsBytes(TextNormalizer.Normalize(line).AsSpan()));
}
