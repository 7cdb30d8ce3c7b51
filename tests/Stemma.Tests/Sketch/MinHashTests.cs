using FsCheck;
using FsCheck.Fluent;
using Stemma.Sketch;

namespace Stemma.Tests.Sketch;

public class MinHashTests
{
    private static ulong[] RandomSet(Random random, int size, ulong[]? shared = null, int sharedCount = 0)
    {
        var set = new HashSet<ulong>();
        for (var i = 0; i < sharedCount; i++)
        {
            set.Add(shared![i]);
        }

        while (set.Count < size)
        {
            set.Add(Shingler.Mix((ulong)random.NextInt64()));
        }

        return [.. set];
    }

    /// <summary>Two random sets with a chosen overlap, and their exact Jaccard.</summary>
    private static (ulong[] A, ulong[] B, double Jaccard) RandomPair(Random random, int sizeA, int sizeB, int shared)
    {
        var common = RandomSet(random, shared);
        var a = RandomSet(random, sizeA, common, shared);
        var b = RandomSet(random, sizeB, common, shared);
        var exact = (double)a.Intersect(b).Count() / a.Union(b).Count();
        return (a, b, exact);
    }

    [Fact]
    public void Estimates_are_unbiased_and_within_the_theoretical_error_bound()
    {
        var hasher = new MinHasher();
        var random = new Random(42);
        var errors = new List<double>();
        var outside = 0;
        const int Trials = 400;
        for (var t = 0; t < Trials; t++)
        {
            // Sets from smaller than the signature (heavy densification) to much larger.
            var size = random.Next(20, 1500);
            var shared = random.Next(0, size);
            var (a, b, exact) = RandomPair(random, size, size + random.Next(0, size / 2), shared);
            var estimate = SignatureMath.EstimateJaccard(hasher.Compute(a), hasher.Compute(b));
            errors.Add(estimate - exact);

            // Binomial standard deviation of an estimate from k independent agreements.
            var sigma = Math.Sqrt(exact * (1 - exact) / hasher.SignatureSize);
            if (Math.Abs(estimate - exact) > (3 * sigma) + 0.01)
            {
                outside++;
            }
        }

        Assert.InRange(errors.Average(), -0.01, 0.01);
        Assert.True(outside <= Trials * 0.02, $"{outside} of {Trials} estimates outside 3 sigma");
    }

    [Fact]
    public void Identical_sets_give_identical_signatures_whatever_the_order_and_duplicates()
    {
        Prop.ForAll(
            Gen.Choose(1, 400).Select(n => n).ToArbitrary(),
            Gen.Choose(0, 1_000_000).ToArbitrary(),
            (size, seed) =>
            {
                var random = new Random(seed);
                var set = RandomSet(random, size);
                var shuffled = set.Concat(set.Take(size / 3)).OrderBy(_ => random.Next()).ToArray();
                var hasher = new MinHasher();
                return hasher.Compute(set).SequenceEqual(hasher.Compute(shuffled));
            }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Disjoint_sets_rarely_agree_and_empty_input_is_reported()
    {
        var hasher = new MinHasher();
        var random = new Random(5);
        var (a, b, exact) = RandomPair(random, 600, 600, 0);
        Assert.Equal(0, exact);
        Assert.True(SignatureMath.EstimateJaccard(hasher.Compute(a), hasher.Compute(b)) < 0.05);
        var signature = new uint[hasher.SignatureSize];
        Assert.False(hasher.Compute([], signature));
        Assert.All(signature, v => Assert.Equal(MinHasher.EmptyBin, v));
    }

    [Fact]
    public void Vector_and_scalar_comparisons_agree()
    {
        Prop.ForAll(
            Gen.Choose(0, 300).ToArbitrary(),
            Gen.Choose(0, 1_000_000).ToArbitrary(),
            (length, seed) =>
            {
                var random = new Random(seed);
                var a = Enumerable.Range(0, length).Select(_ => (uint)random.Next(4)).ToArray();
                var b = Enumerable.Range(0, length).Select(_ => (uint)random.Next(4)).ToArray();
                var scalar = SignatureMath.CountEqualScalar(a, b);
                var vector128 = SignatureMath.CountEqualVector128(a, b);
                var vector256 = SignatureMath.CountEqualVector256(a, b);
                var dispatched = SignatureMath.CountEqual(a, b);
                return scalar == a.Zip(b).Count(p => p.First == p.Second) && vector128 == scalar && vector256 == scalar && dispatched == scalar;
            }).QuickCheckThrowOnFailure();
    }
}
