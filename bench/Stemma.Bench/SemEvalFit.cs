using System.Globalization;
using System.Text.Json;
using Stemma.Relate;

namespace Stemma.Bench;

/// <summary>
/// Fits the story similarity's weights to human ratings: SemEval-2022 Task 8 English pairs (`../shared/semeval-train/pairs.jsonl`,
/// ratings 1 = very similar to 4 = very dissimilar). Features from <see cref="PairComparer.CompareAll(IReadOnlyList{ValueTuple{string, string}}, CancellationToken)"/>
/// (term weights from all texts): √cosine, √lead cosine, names, figures, dates. Least squares with a small ridge,
/// non-negative weights (a negative weight is dropped and the rest refitted); k-fold cross-validation reports each
/// fold's Pearson between the fitted score and the people's rating (negated: higher score, more similar).
/// Usage: semeval-fit [FILE] [--folds K] [--seed S]
/// </summary>
internal static class SemEvalFit
{
    private static readonly string[] Dimensions = ["Overall", "Geography", "Entities", "Time", "Narrative"];

    public static int Run(string[] args)
    {
        var file = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : Path.Combine("..", "shared", "semeval-train", "pairs.jsonl");
        var folds = int.Parse(args.SkipWhile(a => a != "--folds").Skip(1).FirstOrDefault() ?? "10", CultureInfo.InvariantCulture);
        var seed = int.Parse(args.SkipWhile(a => a != "--seed").Skip(1).FirstOrDefault() ?? "7", CultureInfo.InvariantCulture);
        if (!File.Exists(file))
        {
            Console.Error.WriteLine($"semeval-fit: {file} not found (the shared SemEval pairs)");
            return 2;
        }

        var rows = new List<(string A, string B, Dictionary<string, double> Ratings)>();
        foreach (var (line, number) in File.ReadLines(file).Select((l, k) => (l, k + 1)).Where(x => x.l.Trim().Length > 0))
        {
            try
            {
                using var json = JsonDocument.Parse(line);
                var root = json.RootElement;
                var ratings = root.GetProperty("ratings").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble(), StringComparer.Ordinal);
                rows.Add((root.GetProperty("a").GetString() ?? string.Empty, root.GetProperty("b").GetString() ?? string.Empty, ratings));
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                Console.Error.WriteLine($"{file}:{number}: skipped, not a rated pair ({e.Message})");
            }
        }

        var comparisons = PairComparer.CompareAll([.. rows.Select(r => (r.A, r.B))]);
        var x = comparisons.Select(c => Features(c.Evidence)).ToArray();
        Console.WriteLine($"{rows.Count} rated pairs from {file}; {folds}-fold cross-validation (seed {seed})");
        Console.WriteLine($"  Overall vs reasoned similarity (before fitting): r = {Pearson([.. comparisons.Select(c => Reasoned(c.Evidence))], Target(rows, "Overall")):F3}; vs plain term cosine: r = {Pearson([.. comparisons.Select(c => c.Evidence.TermCosine)], Target(rows, "Overall")):F3}; in use now: r = {Pearson([.. comparisons.Select(c => c.Similarity)], Target(rows, "Overall")):F3}");
        var order = Enumerable.Range(0, rows.Count).OrderBy(_ => 0).ToArray();
        new Random(seed).Shuffle(order);
        foreach (var dimension in Dimensions)
        {
            var y = Target(rows, dimension);
            var predicted = new double[rows.Count];
            var foldR = new List<double>();
            for (var f = 0; f < folds; f++)
            {
                var test = order.Where((_, k) => k % folds == f).ToArray();
                var train = order.Where((_, k) => k % folds != f).ToArray();
                var w = Fit([.. train.Select(i => x[i])], [.. train.Select(i => y[i])]);
                foreach (var i in test)
                {
                    predicted[i] = Predict(w, x[i]);
                }

                foldR.Add(Pearson([.. test.Select(i => predicted[i])], [.. test.Select(i => y[i])]));
            }

            var all = Fit(x, y);
            Console.WriteLine($"  {dimension,-9} cross-validated r = {Pearson(predicted, y):F3} (folds {string.Join(" ", foldR.Select(r => r.ToString("F2", CultureInfo.InvariantCulture)))}; mean {foldR.Average():F3}, sd {Math.Sqrt(foldR.Average(r => (r - foldR.Average()) * (r - foldR.Average()))):F3})");
            Console.WriteLine($"  {"",-9} fitted on all: new DimensionWeights({string.Join(", ", all.Select(v => v.ToString("0.###", CultureInfo.InvariantCulture)))})");
        }

        return 0;
    }

    // Similarity as people rate it: 1 (very similar) to 4 (very dissimilar) mapped to 1..0.
    private static double[] Target(List<(string A, string B, Dictionary<string, double> Ratings)> rows, string dimension) =>
        [.. rows.Select(r => (4 - r.Ratings[dimension]) / 3)];

    private static double Reasoned(PairEvidence e) => SimilarityWeights.Reasoned.Overall.Score(e);

    private static double[] Features(PairEvidence e) => [1, Math.Sqrt(e.TermCosine), Math.Sqrt(e.LeadCosine), e.EntityOverlap, e.NumberOverlap, e.DateOverlap];

    private static double Predict(double[] w, double[] x) => Math.Clamp(w.Zip(x).Sum(p => p.First * p.Second), 0, 1);

    /// <summary>Ridge least squares with non-negative feature weights (the intercept is free).</summary>
    private static double[] Fit(double[][] x, double[] y)
    {
        var d = x[0].Length;
        var active = Enumerable.Range(0, d).ToList();
        while (true)
        {
            var w = Solve(x, y, active, d);
            var negative = active.Where(j => j > 0 && w[j] < 0).ToList();
            if (negative.Count == 0)
            {
                return w;
            }

            active.Remove(negative.MinBy(j => w[j]));
        }
    }

    private static double[] Solve(double[][] x, double[] y, List<int> active, int d)
    {
        var m = active.Count;
        var a = new double[m, m + 1];
        for (var r = 0; r < x.Length; r++)
        {
            for (var i = 0; i < m; i++)
            {
                for (var j = 0; j < m; j++)
                {
                    a[i, j] += x[r][active[i]] * x[r][active[j]];
                }

                a[i, m] += x[r][active[i]] * y[r];
            }
        }

        for (var i = 1; i < m; i++)
        {
            a[i, i] += 0.01 * x.Length / 100.0;
        }

        // Gaussian elimination with partial pivoting.
        for (var c = 0; c < m; c++)
        {
            var pivot = Enumerable.Range(c, m - c).MaxBy(r => Math.Abs(a[r, c]));
            for (var k = 0; k <= m; k++)
            {
                (a[c, k], a[pivot, k]) = (a[pivot, k], a[c, k]);
            }

            for (var r = 0; r < m; r++)
            {
                if (r != c && a[c, c] != 0)
                {
                    var factor = a[r, c] / a[c, c];
                    for (var k = c; k <= m; k++)
                    {
                        a[r, k] -= factor * a[c, k];
                    }
                }
            }
        }

        var w = new double[d];
        for (var i = 0; i < m; i++)
        {
            w[active[i]] = a[i, i] == 0 ? 0 : a[i, m] / a[i, i];
        }

        return w;
    }

    private static double Pearson(double[] a, double[] b)
    {
        var (ma, mb) = (a.Average(), b.Average());
        double sab = 0, saa = 0, sbb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }

        return saa == 0 || sbb == 0 ? 0 : sab / Math.Sqrt(saa * sbb);
    }
}
