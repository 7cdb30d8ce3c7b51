using Stemma.Storage;

namespace Stemma.Tests.Storage;

/// <summary>
/// <see cref="TermCountChanges"/> gives each term the change and first document that one hash look-up per term, in the
/// order the terms were counted, gives (the store's rule): the change is the sum of the counts, the first document the one
/// whose count came first. Batches large enough to be sorted in several rounds, documents counted out and in again under
/// one number (an update), and one article at a time.
/// </summary>
public class TermCountChangesTests
{
    // The last value is the number of terms the counts are told to expect (0: none, then fewer and more than come).
    [Theory]
    [InlineData(3000, 400, 20_000, 1, 0)]
    [InlineData(5000, 400, 300, 2, 0)]
    [InlineData(40, 50, 100, 3, 0)]
    [InlineData(1, 2000, 5000, 4, 0)]
    [InlineData(3000, 400, 20_000, 1, 1000)]
    [InlineData(5000, 400, 300, 2, 2_000_000)]
    [InlineData(40, 50, 100, 3, 1)]
    public void Totals_are_those_of_counting_each_term_in_order(int documents, int maxTerms, int vocabulary, int seed, int expectedTerms)
    {
        var random = new Random(seed);
        var changes = new TermCountChanges(expectedTerms);
        var expected = new Dictionary<uint, (int Delta, long First)>();
        var counted = 0L;
        for (var d = 0; d < documents; d++)
        {
            // Numbers mostly rise; an update counts the old terms out and the new ones in under the same number.
            var document = (d * 3L) + random.Next(3);
            var updated = random.Next(10) == 0;
            foreach (var delta in updated ? new[] { -1, 1 } : [1])
            {
                // Distinct terms, sorted as a document's are; high bits set too (the sort reads every byte of a term).
                var terms = Enumerable.Range(0, random.Next(maxTerms + 1))
                    .Select(_ => (uint)random.Next(vocabulary) * 2654435761u)
                    .Distinct()
                    .Order()
                    .ToArray();
                changes.Add(terms, delta, document);
                counted += terms.Length;
                foreach (var term in terms)
                {
                    expected[term] = expected.TryGetValue(term, out var known) ? (known.Delta + delta, known.First) : (delta, document);
                }
            }
        }

        var totals = changes.Totals;
        Assert.Equal(expected.Count, totals.Count);
        foreach (var (term, total) in expected)
        {
            Assert.Equal(total, totals[term]);
        }

        // The totals asked again, and after more counts, go on from where they were.
        Assert.Equal(expected.Count, changes.Totals.Count);
        changes.Add([7u, 8u], 1, long.MaxValue);
        Assert.Equal(expected.TryGetValue(7u, out var seven) ? (seven.Delta + 1, seven.First) : (1, long.MaxValue), changes.Totals[7u]);
        if (documents > 1000)
        {
            Assert.True(counted > 1 << 19, "the batch is sorted in more than one round");
        }
    }

    [Fact]
    public void Nothing_counted_gives_no_totals()
    {
        var changes = new TermCountChanges();
        changes.Add([], 1, 1);
        Assert.Empty(changes.Totals);
    }

    [Theory]
    [InlineData(4000, 400, 20_000, 5, 0)]
    [InlineData(200, 50, 100, 6, 0)]
    [InlineData(4000, 400, 20_000, 5, 800_000)]
    public void A_document_taken_back_leaves_no_trace(int documents, int maxTerms, int vocabulary, int seed, int expectedTerms)
    {
        // The store counts a document's terms, then may roll the document back (its savepoint); the totals must be those
        // of the documents kept, first documents included, however many rounds the buffer was sorted in.
        var random = new Random(seed);
        var changes = new TermCountChanges(expectedTerms);
        var expected = new Dictionary<uint, (int Delta, long First)>();
        var takenBack = 0;
        for (var d = 0; d < documents; d++)
        {
            var mark = changes.Begin();
            var rejected = random.Next(5) == 0;
            foreach (var delta in random.Next(10) == 0 ? new[] { -1, 1 } : [1])
            {
                var terms = Enumerable.Range(0, random.Next(maxTerms + 1))
                    .Select(_ => (uint)random.Next(vocabulary) * 2654435761u)
                    .Distinct()
                    .Order()
                    .ToArray();
                changes.Add(terms, delta, d);
                if (!rejected)
                {
                    foreach (var term in terms)
                    {
                        expected[term] = expected.TryGetValue(term, out var known) ? (known.Delta + delta, known.First) : (delta, d);
                    }
                }
            }

            if (rejected)
            {
                changes.Undo(mark);
                takenBack++;
            }
        }

        Assert.True(takenBack > 0);
        var totals = changes.Totals;
        Assert.Equal(expected.Count, totals.Count);
        foreach (var (term, total) in expected)
        {
            Assert.Equal(total, totals[term]);
        }
    }

    [Fact]
    public void Changes_already_in_the_totals_cannot_be_taken_back()
    {
        var changes = new TermCountChanges();
        var mark = changes.Begin();
        changes.Add([1u, 2u], 1, 1);
        Assert.Equal(2, changes.Totals.Count);
        Assert.Throws<InvalidOperationException>(() => changes.Undo(mark));
    }
}
