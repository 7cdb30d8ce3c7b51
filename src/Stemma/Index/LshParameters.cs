namespace Stemma.Index;

/// <summary>
/// Banding of a MinHash signature for LSH: <see cref="Bands"/> bands of <see cref="Rows"/> values each.
/// Two documents of Jaccard s become candidates with probability 1 - (1 - s^r)^b.
/// </summary>
public sealed record LshParameters(int Bands, int Rows)
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(double Threshold, int SignatureSize, double FalsePositiveWeight, double FalseNegativeWeight), LshParameters> Solved = new();

    /// <summary>Probability that two documents of Jaccard <paramref name="similarity"/> share at least one band.</summary>
    public double CandidateProbability(double similarity) => 1 - Math.Pow(1 - Math.Pow(similarity, Rows), Bands);

    /// <summary>
    /// The banding that minimises the weighted sum of the false-positive area (candidate probability below the
    /// threshold) and the false-negative area (miss probability above it), over all b·r ≤ <paramref name="signatureSize"/>.
    /// </summary>
    public static LshParameters Optimal(double threshold, int signatureSize, double falsePositiveWeight = 0.5, double falseNegativeWeight = 0.5)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(threshold, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(threshold, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(signatureSize, 1);

        // The search integrates thousands of candidates (milliseconds); a store relating one article at a time asks often.
        return Solved.GetOrAdd((threshold, signatureSize, falsePositiveWeight, falseNegativeWeight), key => Search(key.Threshold, key.SignatureSize, key.FalsePositiveWeight, key.FalseNegativeWeight));
    }

    private static LshParameters Search(double threshold, int signatureSize, double falsePositiveWeight, double falseNegativeWeight)
    {
        var best = new LshParameters(1, signatureSize);
        var bestError = double.MaxValue;
        for (var bands = 1; bands <= signatureSize; bands++)
        {
            for (var rows = 1; bands * rows <= signatureSize; rows++)
            {
                var candidate = new LshParameters(bands, rows);
                var falsePositive = Integrate(candidate.CandidateProbability, 0, threshold);
                var falseNegative = Integrate(s => 1 - candidate.CandidateProbability(s), threshold, 1);
                var error = (falsePositiveWeight * falsePositive) + (falseNegativeWeight * falseNegative);
                if (error < bestError)
                {
                    bestError = error;
                    best = candidate;
                }
            }
        }

        return best;
    }

    /// <summary>Composite Simpson's rule; the integrands are smooth polynomials in s.</summary>
    private static double Integrate(Func<double, double> f, double from, double to)
    {
        const int Steps = 64;
        var h = (to - from) / Steps;
        var sum = f(from) + f(to);
        for (var i = 1; i < Steps; i++)
        {
            sum += f(from + (i * h)) * (i % 2 == 1 ? 4 : 2);
        }

        return sum * h / 3;
    }
}
