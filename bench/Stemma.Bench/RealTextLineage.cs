using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using Stemma.Ingest;
using Stemma.Pipeline;
using Stemma.Testing.Corpus;

namespace Stemma.Bench;

/// <summary>
/// Families, stories' copy trees and parents on real news text: English article bodies from the shared development
/// pages become originals; copies are made from the original or from an earlier copy (30%) by verbatim repost,
/// wrapping (read-more line, photo credit, repeated title, comment footer), a 45-75% excerpt, editing (figures changed,
/// a sentence replaced), spinning (WordNet synonyms for a quarter of the words) and paraphrasing (30-60% of the
/// sentences reworded: clauses swapped, attributions moved, half the content words swapped); the other pages (all
/// languages) stay unrelated. Everything is read as `stemma analyze` reads JSONL and scored against the known
/// parents, with and without publication dates.
/// Usage: real-lineage [DIR] [--wordnet DIR] [--mixed [--fit]] [--seed N | --seeds N,N,...] (defaults ../shared/extraction-dev, /usr/share/wordnet).
/// --mixed: originals as undated plain-text files (title line, then paragraphs), a quarter of the copies undated
/// plain text too, the rest dated JSONL records; parent accuracy by operation and by copy of a copy against the
/// ceiling (a copy whose true parent has the same text as k earlier members counts 1/k; an undated copy identical to
/// its undated parent counts another half, as nothing tells which came first), the misses by kind and operation, and
/// accuracy by edge confidence. --seeds: the mixed mode on each seed in turn, then the mean and spread over the seeds.
/// </summary>
internal static partial class RealTextLineage
{
    private enum Operation
    {
        Original,
        Verbatim,
        Wrapped,
        Excerpt,
        Edited,
        Spun,
        Paraphrase,
    }

    // Share of words a spun copy swaps (STEMMA_SPIN overrides the quarter the acceptance describes).
    private static readonly double SpinShare = double.TryParse(Environment.GetEnvironmentVariable("STEMMA_SPIN"), CultureInfo.InvariantCulture, out var share) ? share : 0.25;

    private sealed record Document(string Id, string Title, List<string> Sentences, string Family, string? Parent, Operation Operation, DateTimeOffset Date)
    {
        /// <summary>Published without a date (mixed mode): read as a plain-text file.</summary>
        public bool Undated { get; init; }
    }

    public static int Run(string[] args)
    {
        var directory = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : Path.Combine("..", "shared", "extraction-dev");
        var wordNetDirectory = args.SkipWhile(a => a != "--wordnet").Skip(1).FirstOrDefault() ?? WordNet.DefaultDirectory;
        var pages = Path.Combine(directory, "pages");
        if (!Directory.Exists(pages) || !WordNet.IsAvailable(wordNetDirectory))
        {
            Console.Error.WriteLine($"real-lineage: needs {pages} (the shared development set) and WordNet in {wordNetDirectory} (apt-get install wordnet-base)");
            return 2;
        }

        var spinner = new Spinner(WordNet.Load(wordNetDirectory));
        var english = new List<(string Title, List<string> Sentences)>();
        var others = new List<(string Title, List<string> Sentences)>();
        foreach (var (article, sentences) in RealTextFamilies.ReadBodies(pages))
        {
            (article.Language == "en" || LooksEnglish(article.Body) ? english : others).Add((article.Title ?? "Untitled", sentences));
        }

        var seeds = args.SkipWhile(a => a != "--seeds").Skip(1).FirstOrDefault() is { } list
            ? [.. list.Split(',').Select(x => int.Parse(x, CultureInfo.InvariantCulture))]
            : new[] { int.TryParse(args.SkipWhile(a => a != "--seed").Skip(1).FirstOrDefault(), CultureInfo.InvariantCulture, out var given) ? given : 2027 };
        var mixedMode = args.Contains("--mixed") || seeds.Length > 1;
        foreach (var seed in seeds)
        {
            if (seeds.Length > 1)
            {
                Console.WriteLine($"seed {seed}");
            }

            RunSeed(seed, english, others, spinner, mixedMode);
        }

        if (mixedMode)
        {
            ReportCells(fit: args.Contains("--fit"));
            ReportSeeds();
        }

        return 0;
    }

    private static void RunSeed(int seed, List<(string Title, List<string> Sentences)> english, List<(string Title, List<string> Sentences)> others, Spinner spinner, bool mixedMode)
    {
        var random = new Random(seed);
        var documents = new List<Document>();
        var epoch = new DateTimeOffset(2026, 5, 1, 8, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < english.Count; i++)
        {
            var (title, sentences) = english[i];
            var family = $"e{i:D4}";
            var members = new List<Document> { new(family, title, sentences, family, null, Operation.Original, epoch.AddDays(i)) };
            var copies = random.Next(2, 7);
            for (var c = 0; c < copies; c++)
            {
                var parent = members.Count > 1 && random.NextDouble() < 0.3 ? members[random.Next(1, members.Count)] : members[0];
                var operation = (Operation)random.Next(1, 7);
                var other = english[random.Next(english.Count)];
                var copy = Derive(parent, operation, other, spinner, random) with
                {
                    Id = $"{family}-{c + 1}-{operation.ToString().ToLowerInvariant()}",
                    Family = family,
                    Parent = parent.Id,
                    Operation = operation,
                    Date = parent.Date.AddHours(1 + random.Next(48)),
                };
                members.Add(copy);
            }

            documents.AddRange(members);
        }

        for (var i = 0; i < others.Count; i++)
        {
            documents.Add(new Document($"u{i:D4}", others[i].Title, others[i].Sentences, $"u{i:D4}", null, Operation.Original, epoch.AddDays(random.Next(60))));
        }

        Console.WriteLine($"{english.Count} English originals, {documents.Count(d => d.Parent is not null)} copies, {others.Count} unrelated articles");
        if (mixedMode)
        {
            // Originals (and the unrelated pages) as undated plain text, a quarter of the copies too; the rest dated.
            var mixed = documents.Select(d => d with { Undated = d.Parent is null || random.NextDouble() < 0.25 }).ToList();
            ScoreMixed(mixed, shuffled: false, random);
            ScoreMixed([.. mixed.OrderBy(_ => random.Next())], shuffled: true, random);
            return;
        }

        // As generated (each original before its copies, readable ids), then shuffled with opaque ids: content alone.
        foreach (var (withDates, shuffled) in new[] { (true, false), (false, false), (true, true), (false, true) })
        {
            Score(shuffled ? [.. documents.OrderBy(_ => random.Next())] : documents, withDates, shuffled);
        }
    }

    // Per input order, each seed's share of the ceiling reached: overall, and for copies of copies.
    private static readonly Dictionary<string, List<(double Overall, double Chains)>> SeedFigures = new(StringComparer.Ordinal);

    private static void ReportSeeds()
    {
        foreach (var (order, figures) in SeedFigures)
        {
            if (figures.Count < 2)
            {
                continue;
            }

            static string Spread(IReadOnlyList<double> values)
            {
                var mean = values.Average();
                var sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
                return $"mean {mean:F1} %, sd {sd:F1}, min {values.Min():F1}, max {values.Max():F1}";
            }

            Console.WriteLine($"{order} over {figures.Count} seeds, % of the ceiling: overall {Spread([.. figures.Select(f => f.Overall)])}; copies of copies {Spread([.. figures.Select(f => f.Chains)])}");
        }
    }

    private static void Score(List<Document> documents, bool withDates, bool opaqueIds)
    {
        // Opaque ids, so that no tie-break on ids can favour the original (whose readable id sorts first).
        var opaque = documents.ToDictionary(d => d.Id, d => opaqueIds ? "d" + System.IO.Hashing.XxHash32.HashToUInt32(Encoding.UTF8.GetBytes(d.Id)).ToString("x8", CultureInfo.InvariantCulture) : d.Id);
        var readable = opaque.ToDictionary(p => p.Value, p => p.Key);
        var jsonl = new StringBuilder();
        foreach (var d in documents)
        {
            var record = new Dictionary<string, object?> { ["id"] = opaque[d.Id], ["title"] = d.Title, ["text"] = RealTextFamilies.Paragraphs(d.Sentences) };
            if (withDates)
            {
                record["date"] = d.Date;
            }

            jsonl.AppendLine(System.Text.Json.JsonSerializer.Serialize(record));
        }

        var articles = ArticleReader.ReadBytes(Encoding.UTF8.GetBytes(jsonl.ToString()), "corpus.jsonl").Where(o => o.Article is not null).Select(o => o.Article!).ToList();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        // Annotated as `stemma analyze` annotates what it reads (inserted lines, site boilerplate), so the lineage sees what the command's does.
        var analysis = CorpusAnalyzer.Analyze(Stemma.Ingest.Annotations.CorpusAnnotator.Apply(articles));
        var placed = analysis.Documents.ToDictionary(p => readable[p.Id], p => p with { Id = readable[p.Id], Family = readable[p.Family], Parent = p.Parent is null ? null : readable[p.Parent] });
        var familyAri = ClusteringMetrics.AdjustedRandIndex(documents.ToDictionary(d => d.Id, d => d.Family), placed.ToDictionary(p => p.Key, p => p.Value.Family));
        var copies = documents.Where(d => d.Parent is not null).ToList();
        var right = copies.Count(d => placed[d.Id].Parent == d.Parent);
        var originalsRight = documents.Count(d => d.Parent is null && placed[d.Id].Parent is null);
        Console.WriteLine($"{(withDates ? "with dates" : "without dates")}{(opaqueIds ? ", shuffled, opaque ids" : "")}: family ARI {familyAri:F4}, parent right {right}/{copies.Count} = {100.0 * right / copies.Count:F1} %, originals without parent {originalsRight}/{documents.Count(d => d.Parent is null)} ({watch.Elapsed.TotalSeconds:F1} s)");
        var wrongRoots = documents.Count(d => d.Parent is null && d.Id.StartsWith('e') && placed[d.Id].Parent is not null);
        var mistakes = copies.Where(d => placed[d.Id].Parent != d.Parent).ToList();
        Console.WriteLine($"  originals given a parent: {wrongRoots}; wrong parents: {mistakes.Count(d => placed[d.Id].Parent is null)} left without one, "
            + $"{mistakes.Count(d => placed[d.Id].Parent == d.Family)} put under the original instead, "
            + $"{mistakes.Count(d => placed[d.Id].Parent is { } p && documents.First(x => x.Id == p).Parent == d.Id)} swapped with their parent, {mistakes.Count(d => placed[d.Id].Parent is { } p && documents.First(x => x.Id == p).Family != d.Family)} outside the family");
        if (Environment.GetEnvironmentVariable("STEMMA_EXPLAIN") is not null)
        {
            foreach (var d in documents.Where(d => d.Parent is null && d.Id.StartsWith('e') && placed[d.Id].Parent is not null).Take(15))
            {
                var roots = documents.Where(x => x.Family == d.Family && placed[x.Id].Parent is null).Select(x => x.Id);
                Console.WriteLine($"    original {d.Id} got parent {placed[d.Id].Parent}; roots: {string.Join(", ", roots)}; family: {string.Join(", ", documents.Where(x => x.Family == d.Family).Select(x => x.Id + "<" + (x.Parent ?? "")))}");
            }

            foreach (var d in mistakes.Where(d => Environment.GetEnvironmentVariable("STEMMA_EXPLAIN") is not { Length: > 1 } op || d.Id.EndsWith(op, StringComparison.Ordinal)).Take(12))
            {
                Console.WriteLine($"    {d.Id}: truth {d.Parent}, got {placed[d.Id].Parent ?? "none"} ({placed[d.Id].Relation})");
            }
        }

        foreach (var group in copies.GroupBy(d => d.Operation).OrderBy(g => g.Key))
        {
            var ok = group.Count(d => placed[d.Id].Parent == d.Parent);
            var sameFamily = group.Count(d => placed[d.Id].Family == placed[d.Parent!].Family);
            var labels = string.Join(", ", group.GroupBy(d => placed[d.Id].Relation ?? "none").OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {g.Count()}"));
            Console.WriteLine($"  {group.Key,-10} parent {100.0 * ok / group.Count(),5:F1} %, in its family {100.0 * sameFamily / group.Count(),5:F1} % of {group.Count(),4}; labels: {labels}");
        }
    }

    private static void ScoreMixed(List<Document> documents, bool shuffled, Random random)
    {
        _ = random;
        var opaque = documents.ToDictionary(d => d.Id, d => shuffled ? "d" + System.IO.Hashing.XxHash32.HashToUInt32(Encoding.UTF8.GetBytes(d.Id)).ToString("x8", CultureInfo.InvariantCulture) : d.Id);
        var readable = opaque.ToDictionary(p => p.Value, p => p.Key);
        var jsonl = new StringBuilder();
        var articles = new List<Stemma.Article>();
        foreach (var d in documents)
        {
            if (d.Undated)
            {
                var text = d.Title + "\n\n" + RealTextFamilies.Paragraphs(d.Sentences);
                articles.AddRange(ArticleReader.ReadBytes(Encoding.UTF8.GetBytes(text), opaque[d.Id] + ".txt").Where(o => o.Article is not null).Select(o => o.Article! with { Id = opaque[d.Id] }));
            }
            else
            {
                jsonl.AppendLine(System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object?> { ["id"] = opaque[d.Id], ["title"] = d.Title, ["text"] = RealTextFamilies.Paragraphs(d.Sentences), ["date"] = d.Date }));
            }
        }

        articles.AddRange(ArticleReader.ReadBytes(Encoding.UTF8.GetBytes(jsonl.ToString()), "corpus.jsonl").Where(o => o.Article is not null).Select(o => o.Article!));
        if (shuffled)
        {
            var order = documents.Select((d, k) => (opaque[d.Id], k)).ToDictionary(x => x.Item1, x => x.k);
            articles = [.. articles.OrderBy(a => order[a.Id])];
        }

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var analysis = CorpusAnalyzer.Analyze(Stemma.Ingest.Annotations.CorpusAnnotator.Apply(articles));
        var placed = analysis.Documents.ToDictionary(p => readable[p.Id], p => p with { Id = readable[p.Id], Family = readable[p.Family], Parent = p.Parent is null ? null : readable[p.Parent] });
        var byId = documents.ToDictionary(d => d.Id);
        var familyAri = ClusteringMetrics.AdjustedRandIndex(documents.ToDictionary(d => d.Id, d => d.Family), placed.ToDictionary(p => p.Key, p => p.Value.Family));
        var copies = documents.Where(d => d.Parent is not null).ToList();

        // The ceiling: members made before the copy with the same text as its true parent cannot be told from it.
        var made = documents.Where(d => d.Id.StartsWith('e')).GroupBy(d => d.Family).ToDictionary(g => g.Key, g => g.OrderBy(d => d.Parent is null ? 0 : 1).ThenBy(d => CopyNumber(d.Id)).ToList());
        double Credit(Document d)
        {
            var parent = byId[d.Parent!];
            var members = made[d.Family];
            var before = members.TakeWhile(m => m.Id != d.Id).ToList();
            var k = before.Count(m => m.Sentences.SequenceEqual(parent.Sentences));
            var credit = 1.0 / Math.Max(1, k);
            return d.Undated && parent.Undated && d.Sentences.SequenceEqual(parent.Sentences) ? credit / 2 : credit;
        }

        bool Right(Document d) => placed[d.Id].Parent == d.Parent;
        var right = copies.Count(Right);
        var ceiling = copies.Sum(Credit);
        Console.WriteLine($"mixed dated/undated{(shuffled ? ", shuffled, opaque ids" : ", originals listed first")}: {documents.Count(d => d.Undated && d.Parent is not null)} undated copies; family ARI {familyAri:F4}; "
            + $"parent right {right}/{copies.Count} = {100.0 * right / copies.Count:F1} %, ceiling {100.0 * ceiling / copies.Count:F1} %, {100.0 * right / ceiling:F1} % of the ceiling ({watch.Elapsed.TotalSeconds:F1} s)");
        var mistakes = copies.Where(d => !Right(d)).ToList();
        Console.WriteLine($"  wrong parents: {mistakes.Count(d => placed[d.Id].Parent is null)} left without one, {mistakes.Count(d => placed[d.Id].Parent == d.Family && d.Parent != d.Family)} put under the original instead of the intermediate, "
            + $"{mistakes.Count(d => placed[d.Id].Parent is { } p && byId[p].Parent == d.Id)} swapped with their parent, {mistakes.Count(d => placed[d.Id].Parent is { } p && byId[p].Family != d.Family)} outside the family; "
            + $"originals given a parent: {documents.Count(d => d.Parent is null && d.Id.StartsWith('e') && placed[d.Id].Parent is not null)}");
        void Line(string name, IReadOnlyCollection<Document> group)
        {
            if (group.Count == 0)
            {
                return;
            }

            var ok = group.Count(Right);
            var cap = group.Sum(Credit);
            Console.WriteLine($"  {name,-22} parent {100.0 * ok / group.Count,5:F1} %, ceiling {100.0 * cap / group.Count,5:F1} %, {100.0 * ok / cap,5:F1} % of it, of {group.Count,4}");
        }

        foreach (var group in copies.GroupBy(d => d.Operation).OrderBy(g => g.Key))
        {
            Line(group.Key.ToString(), [.. group]);
        }

        Line("copy of the original", [.. copies.Where(d => d.Parent == d.Family)]);
        Line("copy of a copy", [.. copies.Where(d => d.Parent != d.Family)]);
        var chainCopies = copies.Where(d => d.Parent != d.Family).ToList();
        var key = shuffled ? "shuffled, opaque ids" : "originals listed first";
        if (!SeedFigures.TryGetValue(key, out var seedFigures))
        {
            SeedFigures[key] = seedFigures = [];
        }

        seedFigures.Add((100.0 * right / ceiling, 100.0 * chainCopies.Count(Right) / chainCopies.Sum(Credit)));

        // Each miss by kind, with the ceiling credit it had (a miss worth 0.5 was a coin flip the ceiling already concedes).
        string KindOf(Document d) => placed[d.Id].Parent switch
        {
            null => "no parent (made a root)",
            var p when byId[p].Family != d.Family => "outside the family",
            var p when p == d.Family => "the original instead of the intermediate",
            var p when byId[p].Parent == d.Id => "reversed (its own child)",
            var p when byId[p].Parent == d.Parent => "a sibling",
            var p when IsBelow(p, d.Id) => "a descendant",
            _ => "another member",
        };
        bool IsBelow(string member, string ancestor)
        {
            for (var up = byId[member].Parent; up is not null; up = byId[up].Parent)
            {
                if (up == ancestor)
                {
                    return true;
                }
            }

            return false;
        }

        Console.WriteLine("  misses by kind (count, ceiling credit lost): " + string.Join("; ", mistakes.GroupBy(KindOf).OrderByDescending(g => g.Count())
            .Select(g => $"{g.Key} {g.Count()} ({g.Sum(Credit):F1}; copies of copies {g.Count(d => d.Parent != d.Family)})")));
        Console.WriteLine("  misses by operation (count, ceiling credit lost): " + string.Join("; ", mistakes.GroupBy(d => d.Operation).OrderBy(g => g.Key)
            .Select(g => $"{g.Key} {g.Count()} ({g.Sum(Credit):F1})")));
        Line("undated copy", [.. copies.Where(d => d.Undated)]);
        Line("dated copy", [.. copies.Where(d => !d.Undated)]);
        if (analysis.Stories?.Documents.ToDictionary(p => readable[p.Id]) is { } stories)
        {
            ReportConfidence(copies, d => stories[d.Id], Right);
        }

        if (Environment.GetEnvironmentVariable("STEMMA_EXPLAIN") is { } explain)
        {
            // Misses of copies of copies that the ceiling counts as distinguishable, by what the intermediate and the copy did.
            var rootWrong = documents.Where(d => d.Parent is null && d.Id.StartsWith('e') && placed[d.Id].Parent is not null).Select(d => d.Family).ToHashSet();
            var chains = mistakes.Where(d => d.Parent != d.Family && Credit(d) >= 1).ToList();
            Console.WriteLine($"  copy-of-copy misses counted by the ceiling: {chains.Count}, in families whose root is wrong {chains.Count(d => rootWrong.Contains(d.Family))}; under the original: "
                + string.Join(", ", chains.Where(d => placed[d.Id].Parent == d.Family).GroupBy(d => $"{byId[d.Parent!].Operation}{(byId[d.Parent!].Undated ? "*" : "")}>{d.Operation}{(d.Undated ? "*" : "")}").OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {g.Count()}"))
                + "; elsewhere: "
                + string.Join(", ", chains.Where(d => placed[d.Id].Parent != d.Family).GroupBy(d => $"{byId[d.Parent!].Operation}{(byId[d.Parent!].Undated ? "*" : "")}>{d.Operation}{(d.Undated ? "*" : "")}").OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {g.Count()}")));
            var evidenceOf = analysis.Stories?.Documents.ToDictionary(p => readable[p.Id], p => p.ParentEvidence);
            foreach (var d in chains.Where(d => !rootWrong.Contains(d.Family)).Take(12))
            {
                Console.WriteLine($"    chain {d.Id}{(d.Undated ? " (undated)" : "")}: truth {d.Parent}{(byId[d.Parent!].Undated ? " (undated)" : "")}, got {placed[d.Id].Parent ?? "none"} ({placed[d.Id].Relation}; {string.Join("; ", evidenceOf?[d.Id].Select(e => e.Kind + ": " + e.Detail) ?? [])})");
            }

            foreach (var d in mistakes.Where(d => explain.Length <= 1 || d.Id.EndsWith(explain, StringComparison.Ordinal)).Take(15))
            {
                Console.WriteLine($"    {d.Id}{(d.Undated ? " (undated)" : "")}: truth {d.Parent}{(byId[d.Parent!].Undated ? " (undated)" : "")}, got {placed[d.Id].Parent ?? "none"} ({placed[d.Id].Relation}); family {string.Join(", ", made[d.Family].Select(x => x.Id + (x.Undated ? "*" : "") + "<" + (placed[x.Id].Parent ?? "")))}");
            }
        }
    }

    private static int CopyNumber(string id) => id.Split('-') is { Length: > 1 } parts && int.TryParse(parts[1], CultureInfo.InvariantCulture, out var n) ? n : 0;

    /// <summary>Parent accuracy by the edge's stated confidence: a confidence means something only if it tracks accuracy.</summary>
    private static void ReportConfidence(List<Document> copies, Func<Document, Stemma.Relate.DocumentPlacement> placed, Func<Document, bool> right)
    {
        var withParent = copies.Where(d => placed(d).ParentConfidence is not null).ToList();
        foreach (var (low, high) in new[] { (0.0, 0.5), (0.5, 0.8), (0.8, 1.01) })
        {
            var bucket = withParent.Where(d => placed(d).ParentConfidence >= low && placed(d).ParentConfidence < high).ToList();
            if (bucket.Count > 0)
            {
                Console.WriteLine($"  confidence {low:0.0}-{Math.Min(high, 1):0.0}: {bucket.Count,4} edges, mean stated {bucket.Average(d => placed(d).ParentConfidence!.Value):F2}, right {100.0 * bucket.Count(right) / bucket.Count:F1} %");
            }
        }

        foreach (var d in withParent)
        {
            var cell = placed(d).ParentConfidenceBasis ?? "none";
            Cells[cell] = Cells.TryGetValue(cell, out var seen) ? (seen.Edges + 1, seen.Right + (right(d) ? 1 : 0), seen.Stated + placed(d).ParentConfidence!.Value) : (1, right(d) ? 1 : 0, placed(d).ParentConfidence!.Value);
        }

        var squared = withParent.Average(d => Math.Pow(placed(d).ParentConfidence!.Value - (right(d) ? 1 : 0), 2));
        Console.WriteLine($"  Brier score of the stated confidences {squared:F4} (lower is better; stating the overall rate for every edge: {BaseRateBrier(withParent.Count(right), withParent.Count):F4})");
        var unknown = withParent.Count(d => placed(d).ParentDirection == Stemma.Lineage.LineageTree.DirectionUnknown);
        var ties = withParent.Count(d => placed(d).ParentEvidence.Any(e => e.Kind == Stemma.Lineage.EdgeEvidence.TieBreak));
        Console.WriteLine($"  edges marked direction unknown: {unknown}; with a tie-break: {ties}");
    }

    // Edges, right parents and the sum of stated confidences per confidence cell, over the runs of this process.
    private static readonly SortedDictionary<string, (int Edges, int Right, double Stated)> Cells = new(StringComparer.Ordinal);

    private static double BaseRateBrier(int right, int edges) => (double)right / edges * (1 - ((double)right / edges));

    /// <summary>
    /// Accuracy per confidence cell over both input orders; with <c>fit</c>, the table for
    /// <see cref="Stemma.Lineage.LineageConfidence.Default"/>: (right + 1) / (edges + 2) for cells with at least 8 edges
    /// (not those of unknown direction).
    /// </summary>
    private static void ReportCells(bool fit)
    {
        Console.WriteLine("confidence cells (direction/choice), both orders: edges, right, mean stated");
        foreach (var (cell, (edges, right, stated)) in Cells)
        {
            Console.WriteLine($"  {cell,-28} {edges,5} {100.0 * right / edges,6:F1} % {stated / edges,6:F2}");
        }

        if (fit)
        {
            Console.WriteLine("fitted cells:");
            // Edges of unknown direction stay at the reasoned coin flip: which of two texts came first is not told by
            // the text, whatever this generator's undated originals make the tie-breaks look like.
            foreach (var (cell, (edges, right, _)) in Cells.Where(c => c.Value.Edges >= 8 && c.Key != "none" && !c.Key.StartsWith(Stemma.Lineage.LineageConfidence.ByNothing + "/", StringComparison.Ordinal)))
            {
                Console.WriteLine($"            [\"{cell}\"] = {(right + 1.0) / (edges + 2.0):0.###},");
            }
        }
    }

    private static Document Derive(Document parent, Operation operation, (string Title, List<string> Sentences) other, Spinner spinner, Random random)
    {
        var sentences = new List<string>(parent.Sentences);
        switch (operation)
        {
            case Operation.Wrapped:
                sentences.Insert(random.Next(1, sentences.Count), "\n\nREAD MORE: " + other.Title + "\n\n");
                sentences.Insert(random.Next(1, sentences.Count), "\n\n(Photo: Jan Novak/Agency via Wire)\n\n");
                sentences.Insert(0, parent.Title + "\n\n");
                sentences.Add("\n\nLeave a Reply\n\nYour email address will not be published. Required fields are marked *");
                break;
            case Operation.Excerpt:
                var keep = Math.Max(3, (int)(sentences.Count * (0.45 + (random.NextDouble() * 0.30))));
                sentences = sentences.GetRange(random.Next(0, sentences.Count - keep + 1), keep);
                break;
            case Operation.Edited:
                sentences = [.. sentences.Select(s => random.NextDouble() < 0.5 ? RealTextFamilies.Digits().Replace(s, m => ((long.Parse(m.Value, CultureInfo.InvariantCulture) * 3) + 1).ToString(CultureInfo.InvariantCulture)) : s)];
                sentences[random.Next(sentences.Count)] = other.Sentences[random.Next(other.Sentences.Count)];
                break;
            case Operation.Spun:
                sentences = [.. sentences.Select(s => spinner.Spin(s, SpinShare, random))];
                break;
            case Operation.Paraphrase:
                var share = 0.3 + (random.NextDouble() * 0.3);
                sentences = [.. sentences.Select(s => random.NextDouble() < share ? spinner.Paraphrase(s, random) : s)];
                break;
        }

        return parent with { Sentences = sentences };
    }

    private static bool LooksEnglish(string text)
    {
        var words = text.ToLowerInvariant().Split(' ', 400);
        return words.Count(w => w is "the" or "and" or "of" or "to") > words.Length / 20;
    }

    /// <summary>Swaps words for WordNet synonyms, as article spinners do; and rewords sentences as a paraphrase would.</summary>
    private sealed partial class Spinner(WordNet wordNet)
    {
        public string Spin(string sentence, double share, Random random) =>
            WordPattern().Replace(sentence, m => random.NextDouble() < share * 1.6 && Synonym(m.Value, random) is { } swap ? swap : m.Value);

        /// <summary>Clauses swapped or the attribution moved, then about half the content words swapped.</summary>
        public string Paraphrase(string sentence, Random random)
        {
            var text = sentence.TrimEnd('.', ' ');
            var comma = text.IndexOf(", ", StringComparison.Ordinal);
            if (comma > 20 && text.Length - comma > 20)
            {
                var (first, second) = (text[..comma], text[(comma + 2)..]);
                text = char.ToUpperInvariant(second[0]) + second[1..] + ", " + char.ToLowerInvariant(first[0]) + first[1..];
            }
            else if (text.StartsWith("The ", StringComparison.Ordinal))
            {
                text = "According to reports, the " + text[4..];
            }

            return Spin(text.Replace(" that ", " ", StringComparison.Ordinal), 0.5, random) + ".";
        }

        private string? Synonym(string word, Random random)
        {
            if (word.Length < 4 || char.IsUpper(word[0]) && word != word.ToUpperInvariant() && random.NextDouble() < 0.8)
            {
                return null;
            }

            var lower = word.ToLowerInvariant();
            if (!wordNet.SynsetsOf.TryGetValue(lower, out var synsets))
            {
                return null;
            }

            var choices = synsets.SelectMany(s => wordNet.Synsets[s]).Where(l => l != lower).Distinct().ToList();
            if (choices.Count == 0)
            {
                return null;
            }

            var choice = choices[random.Next(choices.Count)].Replace('_', ' ');
            return char.IsUpper(word[0]) ? char.ToUpperInvariant(choice[0]) + choice[1..] : choice;
        }

        [GeneratedRegex(@"\p{L}+")]
        private static partial Regex WordPattern();
    }
}
