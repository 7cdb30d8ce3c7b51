using Stemma.Align;
using Stemma.Relate;
using Stemma.Testing.Corpus;

namespace Stemma.Tests.Relate;

/// <summary>
/// A pair's changes kept as ranges of the two bodies (<see cref="SlicedChanges"/>) read back as the changes the detector
/// made, from either side, with lines appended; a change whose text is not its range of the body is kept as it is.
/// </summary>
public sealed class SlicedChangesTests
{
    public static TheoryData<int> Seeds => [5, 17, 31];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Copies_read_back_every_change_the_detector_made_from_either_side(int seed)
    {
        var generated = new SyntheticCorpus(seed, new CorpusOptions { Stories = 25, UnrelatedArticles = 0 }).Generate().ToList();
        var byId = generated.ToDictionary(d => d.Id);
        var pairs = 0;
        var inserted = 0;
        foreach (var copy in generated.Where(d => d.ParentId is not null))
        {
            var parent = byId[copy.ParentId!].Body;
            var changes = ChangeDetector.Detect(parent, copy.Body);
            var sliced = SlicedChanges.From(changes, parent, copy.Body);
            Assert.Equal(changes, sliced);
            Assert.Equal(changes.Count, sliced.Count);

            // Seen from the copy: kinds and sides swapped, restatements and summaries left out.
            var expectedReverse = changes.Select(c => new Change(
                c.Kind switch { ChangeKind.Inserted => ChangeKind.Dropped, ChangeKind.Dropped => ChangeKind.Inserted, var k => k },
                c.After,
                c.Before,
                c.InB,
                c.InA)).ToList();
            var reversed = SlicedChanges.Reversed(sliced);
            Assert.Equal(expectedReverse.Where(c => c.Kind == ChangeKind.Inserted), OfKind(reversed, ChangeKind.Inserted));
            Assert.Equal(expectedReverse, reversed);
            Assert.Equal(changes, SlicedChanges.Reversed(reversed));

            // The analysis's own path: passages never copied out, read back the same.
            var (featuresA, featuresB) = (TextFeatures.Create(parent), TextFeatures.Create(copy.Body));
            Assert.Equal(changes, ChangeDetector.Detect(featuresA, featuresB, PassageAligner.Default.Align(featuresA.Words, featuresB.Words)));

            // Chosen by kind without reading them: the same as choosing among the read changes.
            foreach (var limit in new[] { 1, 2, 50 })
            {
                Assert.Equal(changes.Where(c => c.Matters).Take(limit), SlicedChanges.Keep(sliced, parent, copy.Body, Change.KindMatters, limit));
            }

            Assert.Equal(changes.Where(c => c.Kind == ChangeKind.Figure), OfKind(sliced, ChangeKind.Figure));
            Assert.Equal(expectedReverse.Where(c => c.Kind == ChangeKind.Dropped), OfKind(SlicedChanges.Reversed(sliced), ChangeKind.Dropped));

            var line = new Change(ChangeKind.Inserted, null, "READ MORE: " + copy.Title, null, null);
            Assert.Equal([.. expectedReverse, line], SlicedChanges.Concat(reversed, [line]));
            Assert.Same(reversed, SlicedChanges.Concat(reversed, []));

            pairs++;
            inserted += changes.Count(c => c.Kind is ChangeKind.Inserted or ChangeKind.Dropped && (c.After ?? c.Before)!.Length > 40);
        }

        // The corpus had copies with passages inserted or dropped, the changes slicing saves the most on.
        Assert.True(pairs >= 20, $"{pairs} copies");
        Assert.True(inserted >= 5, $"{inserted} long inserted or dropped passages");
    }

    /// <summary>The changes whose kind, read without making them (<see cref="SlicedChanges.KindAt"/>), is <paramref name="kind"/>.</summary>
    private static IEnumerable<Change> OfKind(IReadOnlyList<Change> changes, ChangeKind kind) =>
        Enumerable.Range(0, changes.Count).Where(i => SlicedChanges.KindAt(changes, i) == kind).Select(i => changes[i]);

    [Fact]
    public void A_change_whose_text_is_not_its_range_is_kept_as_it_is()
    {
        const string a = "The council approved a $2 billion plan on Monday.";
        const string b = "The council approved a $2.5 billion plan on Monday.";
        var inA = new TextRange(a.IndexOf("$2", StringComparison.Ordinal), a.IndexOf(" plan", StringComparison.Ordinal));
        var inB = new TextRange(b.IndexOf("$2", StringComparison.Ordinal), b.IndexOf(" plan", StringComparison.Ordinal));
        var exact = new Change(ChangeKind.Figure, "$2 billion", "$2.5 billion", inA, inB) { Restatement = null };
        var normalized = new Change(ChangeKind.Figure, "$2 BILLION", "$2.5 billion", inA, inB);
        var outOfRange = new Change(ChangeKind.Figure, "$2 billion", "$2.5 billion", new TextRange(a.Length - 3, a.Length + 7), inB);
        var unplaced = new Change(ChangeKind.Inserted, null, "Photo: Agency", null, null);
        Change[] changes = [exact, normalized, outOfRange, unplaced];

        var sliced = SlicedChanges.From(changes, a, b);
        Assert.Equal(changes, sliced);
        Assert.NotSame(exact, sliced[0]);
        Assert.Same(normalized, sliced[1]);
        Assert.Same(outOfRange, sliced[2]);
        Assert.Same(unplaced, sliced[3]);
        Assert.Throws<ArgumentOutOfRangeException>(() => sliced[4]);
        Assert.Empty(SlicedChanges.From([], a, b));
    }
}
