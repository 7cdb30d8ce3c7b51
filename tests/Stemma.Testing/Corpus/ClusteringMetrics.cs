namespace Stemma.Testing.Corpus;

/// <summary>Scores a clustering against ground truth: adjusted Rand index and pairwise precision/recall.</summary>
public static class ClusteringMetrics
{
    /// <summary>Adjusted Rand index (Hubert and Arabie) of two labelings of the same items.</summary>
    public static double AdjustedRandIndex<TItem>(IReadOnlyDictionary<TItem, string> truth, IReadOnlyDictionary<TItem, string> predicted)
        where TItem : notnull
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(predicted);
        var items = truth.Keys.ToList();
        var contingency = new Dictionary<(string, string), long>();
        var truthSizes = new Dictionary<string, long>(StringComparer.Ordinal);
        var predictedSizes = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            var t = truth[item];
            var p = predicted.TryGetValue(item, out var label) ? label : "<missing>:" + item;
            contingency[(t, p)] = contingency.GetValueOrDefault((t, p)) + 1;
            truthSizes[t] = truthSizes.GetValueOrDefault(t) + 1;
            predictedSizes[p] = predictedSizes.GetValueOrDefault(p) + 1;
        }

        static double Pairs(long n) => n * (n - 1) / 2.0;
        var index = contingency.Values.Sum(Pairs);
        var truthPairs = truthSizes.Values.Sum(Pairs);
        var predictedPairs = predictedSizes.Values.Sum(Pairs);
        var expected = truthPairs * predictedPairs / Pairs(items.Count);
        var maximum = (truthPairs + predictedPairs) / 2;
        return maximum - expected == 0 ? 1.0 : (index - expected) / (maximum - expected);
    }

    /// <summary>Pairwise precision and recall: of item pairs put together, how many belong together, and of those that belong together, how many were found.</summary>
    public static (double Precision, double Recall) PairwisePrecisionRecall<TItem>(IReadOnlyDictionary<TItem, string> truth, IReadOnlyDictionary<TItem, string> predicted)
        where TItem : notnull
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(predicted);
        var items = truth.Keys.ToList();
        long together = 0, belong = 0, both = 0;
        for (var i = 0; i < items.Count; i++)
        {
            for (var j = i + 1; j < items.Count; j++)
            {
                var sameTruth = truth[items[i]] == truth[items[j]];
                var samePredicted = predicted.TryGetValue(items[i], out var a) && predicted.TryGetValue(items[j], out var b) && a == b;
                together += samePredicted ? 1 : 0;
                belong += sameTruth ? 1 : 0;
                both += sameTruth && samePredicted ? 1 : 0;
            }
        }

        return (together == 0 ? 1 : (double)both / together, belong == 0 ? 1 : (double)both / belong);
    }
}
