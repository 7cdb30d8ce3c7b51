using FsCheck;
using FsCheck.Fluent;
using Stemma.Sketch;
using Stemma.Text;

namespace Stemma.Tests.Sketch;

public class ShingleTests
{
    [Fact]
    public void Rolling_shingles_equal_shingles_hashed_from_scratch()
    {
        Prop.ForAll(
            Gen.Choose(0, 50).Select(n => n).ToArbitrary(),
            Gen.Choose(1, 8).ToArbitrary(),
            (words, k) =>
            {
                var hashes = Enumerable.Range(0, words).Select(i => Shingler.Mix((ulong)i * 7919)).ToArray();
                var rolled = new ulong[Math.Max(1, words)];
                var count = Shingler.Combine(hashes, k, 99, rolled);

                // From scratch: every window is combined anew.
                var window = Math.Min(k, words);
                var expected = new List<ulong>();
                for (var start = 0; words > 0 && start + window <= words; start++)
                {
                    var fresh = new ulong[1];
                    Shingler.Combine(hashes.AsSpan(start, window), window, 99, fresh);
                    expected.Add(fresh[0]);
                }

                return rolled.Take(count).SequenceEqual(expected);
            }).QuickCheckThrowOnFailure();
    }

    /// <summary>
    /// Sets made one after another on one thread (its sorting scratch reused, longer and shorter) hold the distinct low 32
    /// bits of their hashes, sorted, whatever the repeats, and none keeps another's values.
    /// </summary>
    [Fact]
    public void Sets_hold_the_distinct_fingerprints_of_their_hashes()
    {
        var random = new Random(9);
        var made = new List<(ShingleSet Set, uint[] Expected)>();
        foreach (var length in new[] { 1, 5000, 63, 64, 300, 20000, 2, 1000 })
        {
            // Some inputs repeat a few values many times; others hardly repeat.
            var range = random.Next(2) == 0 ? 50 : int.MaxValue;
            var hashes = Enumerable.Range(0, length).Select(_ => ((ulong)random.Next() << 32) | (uint)random.Next(0, range)).ToArray();
            made.Add((ShingleSet.From(hashes), [.. hashes.Select(h => (uint)h).Distinct().Order()]));
        }

        Assert.All(made, m => Assert.Equal(m.Expected, m.Set.Fingerprints.ToArray()));
        Assert.Same(ShingleSet.Empty, ShingleSet.From([]));
    }

    [Fact]
    public void Shares_at_least_answers_as_the_full_intersection_count_does()
    {
        // Sets drawn from a small range overlap anywhere from not at all to wholly; sizes range from equal to 1:40, so
        // both the stopping merge and the binary-search path are taken, and needed counts straddle the true count.
        Prop.ForAll(
            Gen.Choose(0, 1_000_000).ToArbitrary(),
            seed =>
            {
                var random = new Random(seed);
                var (sizeA, sizeB, range) = (random.Next(401), random.Next(401), random.Next(1, 1001));
                ShingleSet Draw(int size) => ShingleSet.FromSortedFingerprints(
                    [.. Enumerable.Range(0, size).Select(_ => (uint)random.Next(range)).Distinct().Order()]);
                var (a, b) = (Draw(sizeA), Draw(sizeB));
                var shared = a.IntersectionCount(b);
                return new[] { 0, 1, shared - 1, shared, shared + 1, (a.Count + b.Count) / 3, Math.Min(a.Count, b.Count) + 1 }
                    .All(needed => a.SharesAtLeast(b, needed) == (shared >= needed) && b.SharesAtLeast(a, needed) == (shared >= needed));
            }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Shingles_depend_on_word_order_and_normalization_hides_case_and_quotes()
    {
        var sketcher = new Sketcher();
        var a = sketcher.Sketch("The mayor said \u201Cthe bridge will reopen on Monday\u201D after repairs.");
        var b = sketcher.Sketch("the MAYOR said \"the bridge   will reopen on monday\" after repairs.");
        var shuffled = sketcher.Sketch("repairs after Monday on reopen will bridge the said mayor the");
        Assert.Equal(a.ContentHash, b.ContentHash);
        Assert.Equal(1.0, a.Shingles.Compare(b.Shingles).Jaccard);
        Assert.Equal(0.0, a.Shingles.Compare(shuffled.Shingles).Jaccard);
        Assert.Equal(11, a.WordCount);
    }

    [Fact]
    public void Jaccard_and_containment_are_exact_on_sets_with_known_overlap()
    {
        ulong[] Range(int from, int to) => [.. Enumerable.Range(from, to - from).Select(i => Shingler.Mix((ulong)i))];
        var big = ShingleSet.From(Range(0, 1000));
        var excerpt = ShingleSet.From(Range(200, 600));
        var overlapping = ShingleSet.From(Range(500, 1500));
        var (jaccard, containment, shared) = big.Compare(excerpt);
        Assert.Equal(400, shared);
        Assert.Equal(0.4, jaccard, 6);
        Assert.Equal(1.0, containment, 6);
        (jaccard, containment, _) = big.Compare(overlapping);
        Assert.Equal(500.0 / 1500, jaccard, 6);
        Assert.Equal(0.5, containment, 6);
        Assert.Equal((0.0, 0.0, 0), big.Compare(ShingleSet.Empty));
    }

    [Fact]
    public void Short_texts_yield_one_shingle_and_empty_texts_none()
    {
        var sketcher = new Sketcher(new SketchOptions { ShingleSize = 5 });
        Assert.Equal(1, sketcher.Sketch("just three words").Shingles.Count);
        var empty = sketcher.Sketch(" ... ");
        Assert.True(empty.IsEmpty);
        Assert.Equal(0, empty.Shingles.Count);
        Assert.Equal(0, WordTokenizer.Count(" ... "));
    }
}

public class SignatureOnlyTests
{
    [Fact]
    public void Signature_alone_equals_the_full_sketch_signature_for_ascii_and_unicode_text()
    {
        var sketcher = new Sketcher();
        var corpus = new Stemma.Testing.Corpus.SyntheticCorpus(3, new Stemma.Testing.Corpus.CorpusOptions { Stories = 3, UnrelatedArticles = 3 }).Generate();
        foreach (var body in corpus.Select(d => d.Body).Append("Ça coûte \u201C2,5 millions\u201D \u2014 dit-il, à Zürich.").Append(string.Empty))
        {
            Assert.Equal(sketcher.Sketch(body).Signature, sketcher.Signature(body));
        }
    }
}
