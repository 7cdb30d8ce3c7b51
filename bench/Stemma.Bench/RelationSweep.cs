using System.Globalization;
using Stemma.Relate;
using Stemma.Testing.Corpus;

namespace Stemma.Bench;

/// <summary>
/// Sweeps one relation threshold (<see cref="RelationThresholds"/>) over values and reports, for each, how often a
/// generated pair gets the label of the operation that made it (a copy against its parent; a rewrite or an independent
/// report against its story's original) and how often unrelated pairs stay unrelated.
/// Usage: relation-sweep --name SpunSubstitutionRate --values 0.05,0.07,0.09 [--stories N] [--seed S]
/// </summary>
internal static class RelationSweep
{
    private static readonly Dictionary<string, Func<RelationThresholds, double, RelationThresholds>> Setters = new(StringComparer.OrdinalIgnoreCase)
    {
        [nameof(RelationThresholds.TextReuseShortCoverage)] = (t, v) => t with { TextReuseShortCoverage = v },
        [nameof(RelationThresholds.TextReuseMinWords)] = (t, v) => t with { TextReuseMinWords = (int)v },
        [nameof(RelationThresholds.SharedPassagesShortCoverage)] = (t, v) => t with { SharedPassagesShortCoverage = v },
        [nameof(RelationThresholds.SharedPassagesLongCoverage)] = (t, v) => t with { SharedPassagesLongCoverage = v },
        [nameof(RelationThresholds.SpunLongCoverage)] = (t, v) => t with { SpunLongCoverage = v },
        [nameof(RelationThresholds.SpunSubstitutionRate)] = (t, v) => t with { SpunSubstitutionRate = v },
        [nameof(RelationThresholds.SpunMinSynonymSwaps)] = (t, v) => t with { SpunMinSynonymSwaps = (int)v },
        [nameof(RelationThresholds.SynonymDecidesFrom)] = (t, v) => t with { SynonymDecidesFrom = v },
        [nameof(RelationThresholds.CopyMaxSubstitutionRate)] = (t, v) => t with { CopyMaxSubstitutionRate = v },
        [nameof(RelationThresholds.ExcerptMaxShare)] = (t, v) => t with { ExcerptMaxShare = v },
        [nameof(RelationThresholds.MinStoryCosine)] = (t, v) => t with { MinStoryCosine = v },
        [nameof(RelationThresholds.RewriteMinFacts)] = (t, v) => t with { RewriteMinFacts = v },
        [nameof(RelationThresholds.RewriteMinRetold)] = (t, v) => t with { RewriteMinRetold = v },
        [nameof(RelationThresholds.RewriteFactOrder)] = (t, v) => t with { RewriteFactOrder = v },
        [nameof(RelationThresholds.SameEventMinEntities)] = (t, v) => t with { SameEventMinEntities = v },
        [nameof(RelationThresholds.SameEventMinCosine)] = (t, v) => t with { SameEventMinCosine = v },
        [nameof(RelationThresholds.OneEventMinOverlap)] = (t, v) => t with { OneEventMinOverlap = v },
        [nameof(RelationThresholds.SharedPassageWords)] = (t, v) => t with { SharedPassageWords = (int)v },
        [nameof(RelationThresholds.SharedPassageMinCoverage)] = (t, v) => t with { SharedPassageMinCoverage = v },
        [nameof(RelationThresholds.SharedBlockMinLeadWords)] = (t, v) => t with { SharedBlockMinLeadWords = (int)v },
        [nameof(RelationThresholds.SharedBlockMaxLeadCosine)] = (t, v) => t with { SharedBlockMaxLeadCosine = v },
    };

    public static int Run(string[] args)
    {
        string? name = null;
        double[] values = [];
        var stories = 120;
        var seed = 31;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--name": name = args[i + 1]; break;
                case "--values": values = [.. args[i + 1].Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture))]; break;
                case "--stories": stories = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--seed": seed = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                default: Console.Error.WriteLine($"relation-sweep: unknown option {args[i]}"); return 2;
            }
        }

        if (name is null || !Setters.TryGetValue(name, out var set) || values.Length == 0)
        {
            Console.Error.WriteLine($"relation-sweep: give --name (one of {string.Join(", ", Setters.Keys)}) and --values a,b,...");
            return 2;
        }

        var documents = new SyntheticCorpus(seed, OperationLabels.AllOperations with { Stories = stories, UnrelatedArticles = stories }).Generate();
        var byId = documents.ToDictionary(d => d.Id);
        var labelled = documents.Where(d => OperationLabels.Expected.ContainsKey(d.Operation))
            .Select(d => (Document: d, Source: OperationLabels.SourceOf(d, byId))).ToList();
        var unrelated = documents.Where(d => d.Operation == CopyOperation.Unrelated)
            .Zip(documents.Where(d => d.Operation != CopyOperation.Unrelated), (u, o) => (u, o)).ToList();
        var operations = OperationLabels.Expected.Keys.Where(op => labelled.Any(p => p.Document.Operation == op)).ToList();

        Console.WriteLine($"{name}: {labelled.Count} labelled pairs, {unrelated.Count} unrelated pairs (seed {seed}); share labelled as the operation made them");
        Console.WriteLine($"| {name} | {string.Join(" | ", operations)} | all | unrelated kept apart |");
        Console.WriteLine($"|---|{string.Concat(operations.Select(_ => "---:|"))}---:|---:|");
        foreach (var value in values)
        {
            var thresholds = set(RelationThresholds.Default, value);
            var right = new bool[labelled.Count];
            Parallel.For(0, labelled.Count, i =>
            {
                var (document, source) = labelled[i];
                var relation = PairComparer.Compare(source.ToArticle(), document.ToArticle(), thresholds: thresholds).Relation;
                right[i] = relation == OperationLabels.Expected[document.Operation];
            });
            var apart = new bool[unrelated.Count];
            Parallel.For(0, unrelated.Count, i => apart[i] = PairComparer.Compare(unrelated[i].u.ToArticle(), unrelated[i].o.ToArticle(), thresholds: thresholds).Relation == Relations.Unrelated);
            var cells = operations.Select(op =>
            {
                var indexes = Enumerable.Range(0, labelled.Count).Where(i => labelled[i].Document.Operation == op).ToList();
                return $"{100.0 * indexes.Count(i => right[i]) / indexes.Count:F1} %";
            });
            var marker = set(RelationThresholds.Default, value) == RelationThresholds.Default ? " (default)" : string.Empty;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {value}{marker} | {string.Join(" | ", cells)} | {100.0 * right.Count(r => r) / right.Length:F1} % | {100.0 * apart.Count(a => a) / Math.Max(1, apart.Length):F1} % |"));
        }

        return 0;
    }
}
