using System.Globalization;
using System.Text.Json;
using Stemma.Relate;

namespace Stemma.Bench;

/// <summary>
/// Stories on real news of overlapping themes: the SemEval pair texts (`../shared/semeval-train/pairs.jsonl`, many pairs
/// on one topic) plus generated copies of a third of them (verbatim, a 60 % excerpt, a figure-free sentence drop), analysed
/// as `analyze` relates them. Reports story sizes and each multi-family story's median member-pair cosine (one member per
/// family) against the median of random pairs of the corpus: no story should hold together at random-pair level.
/// Usage: real-stories [FILE] [--seed S]
/// </summary>
internal static class RealStories
{
    public static int Run(string[] args)
    {
        var file = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : Path.Combine("..", "shared", "semeval-train", "pairs.jsonl");
        var seed = int.Parse(args.SkipWhile(a => a != "--seed").Skip(1).FirstOrDefault() ?? "5", CultureInfo.InvariantCulture);
        if (!File.Exists(file))
        {
            Console.Error.WriteLine($"real-stories: {file} not found (the shared SemEval pairs)");
            return 2;
        }

        var texts = new List<string>();
        foreach (var line in File.ReadLines(file).Where(l => l.Trim().Length > 0))
        {
            using var json = JsonDocument.Parse(line);
            foreach (var side in new[] { "a", "b" })
            {
                var text = json.RootElement.GetProperty(side).GetString()?.Trim();
                if (!string.IsNullOrEmpty(text) && !texts.Contains(text, StringComparer.Ordinal))
                {
                    texts.Add(text);
                }
            }
        }

        var random = new Random(seed);
        var articles = texts.Select((t, i) => new Article { Id = $"s{i:D3}", Body = t }).ToList();
        foreach (var original in articles.Where((_, i) => i % 3 == 0).ToList())
        {
            var sentences = original.Body.Split(". ");
            articles.Add(original with { Id = original.Id + "-repost" });
            articles.Add(original with { Id = original.Id + "-excerpt", Body = string.Join(". ", sentences.Take(Math.Max(2, (int)(sentences.Length * 0.6)))) });
            articles.Add(original with { Id = original.Id + "-drop", Body = string.Join(". ", sentences.Where((_, k) => k != sentences.Length / 2)) });
        }

        var analysis = new StoryAnalyzer().Analyze(articles, []);
        var placed = analysis.Documents.ToDictionary(d => d.Id);
        var byId = articles.ToDictionary(a => a.Id);
        var stories = analysis.Documents.GroupBy(d => d.Story).Select(g => (Story: g.Key, Families: g.GroupBy(d => d.Family).Select(f => f.First().Id).ToList(), Size: g.Count()))
            .OrderByDescending(s => s.Size).ToList();
        var memberPairs = new List<(string Story, string A, string B)>();
        foreach (var (story, families, _) in stories.Where(s => s.Families.Count > 1))
        {
            for (var i = 0; i < families.Count; i++)
            {
                for (var j = i + 1; j < families.Count; j++)
                {
                    memberPairs.Add((story, families[i], families[j]));
                }
            }
        }

        var originals = articles.Where(a => !a.Id.Contains('-', StringComparison.Ordinal)).ToList();
        var randomPairs = Enumerable.Range(0, 400).Select(_ => (originals[random.Next(originals.Count)], originals[random.Next(originals.Count)])).Where(p => p.Item1.Id != p.Item2.Id).ToList();
        var comparisons = PairComparer.CompareAll([.. memberPairs.Select(p => (byId[p.A], byId[p.B])), .. randomPairs]);
        var randomMedian = Median([.. comparisons.Skip(memberPairs.Count).Select(c => c.Evidence.TermCosine)]);
        var medians = memberPairs.Select((p, k) => (p.Story, Cosine: comparisons[k].Evidence.TermCosine)).GroupBy(x => x.Story).ToDictionary(g => g.Key, g => Median([.. g.Select(x => x.Cosine)]));
        Console.WriteLine($"{texts.Count} SemEval texts + {articles.Count - texts.Count} generated copies; {stories.Count} stories, {stories.Count(s => s.Families.Count > 1)} with several families; random-pair median cosine {randomMedian:F3}");
        Console.WriteLine($"  largest stories (documents/families, cohesion, median member-pair cosine): {string.Join("; ", stories.Take(8).Select(s => $"{s.Size}/{s.Families.Count} {analysis.Stories.First(x => x.Id == s.Story).Cohesion:F2} {(medians.TryGetValue(s.Story, out var m) ? m.ToString("F2", CultureInfo.InvariantCulture) : "-")}"))}");
        var atRandom = medians.Count(m => m.Value <= randomMedian * 1.5);
        Console.WriteLine($"  multi-family stories whose median member-pair cosine is within 1.5x the random-pair median: {atRandom} of {medians.Count}; lowest median {(medians.Count == 0 ? 0 : medians.Values.Min()):F3}");
        return 0;
    }

    private static double Median(double[] values)
    {
        if (values.Length == 0)
        {
            return 0;
        }

        Array.Sort(values);
        return values.Length % 2 == 1 ? values[values.Length / 2] : (values[(values.Length / 2) - 1] + values[values.Length / 2]) / 2;
    }
}
