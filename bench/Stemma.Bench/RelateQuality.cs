using System.Diagnostics;
using System.Globalization;
using Stemma.Relate;
using Stemma.Testing.Corpus;

namespace Stemma.Bench;

/// <summary>
/// Relate quality on the generator with every operation (verbatim, wrapped, excerpt, edited, sentence drop, spun, 30%
/// copies of copies, one rewrite and one independent report per story, unrelated articles): family and story ARI and
/// how often the parent is right, overall and by operation. The term index alone finds the candidates (no near-duplicate
/// pairs are given, unless --near yes), so this also measures its recall.
/// Usage: relate-quality [--stories N] [--seed S] [--near yes] [--postings N] [--candidates N] [--terms N] (term-index settings)
/// </summary>
internal static class RelateQuality
{
    public static int Run(string[] args)
    {
        var stories = 500;
        var seed = 9;
        var options = new StoryAnalyzerOptions();
        var withNearDuplicates = false;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--stories": stories = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--seed": seed = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--postings": options = options with { PostingsBudget = int.Parse(args[i + 1], CultureInfo.InvariantCulture) }; break;
                case "--candidates": options = options with { CandidatesPerDocument = int.Parse(args[i + 1], CultureInfo.InvariantCulture) }; break;
                case "--near": withNearDuplicates = args[i + 1] == "yes"; break;
                case "--terms": options = options with { IndexTermsPerDocument = int.Parse(args[i + 1], CultureInfo.InvariantCulture) }; break;
                default: Console.Error.WriteLine($"relate-quality: unknown option {args[i]}"); return 2;
            }
        }

        var documents = new SyntheticCorpus(seed, new CorpusOptions
        {
            Stories = stories,
            UnrelatedArticles = 3 * stories,
            MaxCopies = 5,
            CopyOfCopyRate = 0.3,
            RewritesPerStory = 1,
            SameEventReportsPerStory = 1,
            Operations = [CopyOperation.Verbatim, CopyOperation.Wrapped, CopyOperation.Excerpt, CopyOperation.Edited, CopyOperation.SentenceDrop, CopyOperation.Spun],
        }).Generate();
        var articles = documents.Select(d => d.ToArticle()).ToList();
        var watch = Stopwatch.StartNew();
        Stemma.Sketch.DocumentSketch[]? sketches = null;
        IReadOnlyList<Stemma.Index.CandidatePair> nearDuplicates = [];
        if (withNearDuplicates)
        {
            // As `analyze` runs it: the near-duplicate engine's pairs first.
            sketches = Stemma.Pipeline.CorpusAnalyzer.SketchAll(articles, new Stemma.Sketch.Sketcher());
            nearDuplicates = Stemma.Index.NearDuplicateFinder.FindPairs(sketches);
        }

        var analysis = new StoryAnalyzer(options).Analyze(articles, nearDuplicates, sketches);
        var seconds = watch.Elapsed.TotalSeconds;
        Report(documents, analysis, seconds);
        return 0;
    }

    internal static void Report(IReadOnlyList<GeneratedDocument> documents, StoryAnalysis analysis, double seconds)
    {
        var placed = analysis.Documents.ToDictionary(p => p.Id);
        var familyAri = ClusteringMetrics.AdjustedRandIndex(documents.ToDictionary(d => d.Id, d => d.FamilyId), placed.ToDictionary(p => p.Key, p => p.Value.Family));
        var storyAri = ClusteringMetrics.AdjustedRandIndex(documents.ToDictionary(d => d.Id, d => d.StoryId), placed.ToDictionary(p => p.Key, p => p.Value.Story));
        var copies = documents.Where(d => d.ParentId is not null).ToList();
        var right = copies.Count(d => placed[d.Id].Parent == d.ParentId);
        Console.WriteLine($"{documents.Count} documents, analyzed in {seconds:F2} s ({analysis.Timings})");
        Console.WriteLine($"family ARI {familyAri:F4}, story ARI {storyAri:F4}, parent right {right}/{copies.Count} = {100.0 * right / Math.Max(1, copies.Count):F1} %");
        foreach (var group in copies.GroupBy(d => d.Operation).OrderBy(g => g.Key))
        {
            var ok = group.Count(d => placed[d.Id].Parent == d.ParentId);
            var labels = string.Join(", ", group.GroupBy(d => placed[d.Id].Relation ?? "none").OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {g.Count()}"));
            Console.WriteLine($"  {group.Key,-13} parent {100.0 * ok / group.Count(),5:F1} % of {group.Count(),5}; labels: {labels}");
        }
    }
}
