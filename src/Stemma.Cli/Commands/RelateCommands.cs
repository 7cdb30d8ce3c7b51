using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using Stemma.Ingest;
using Stemma.Lineage;
using Stemma.Pipeline;
using Stemma.Present;
using Stemma.Relate;
using Stemma.Storage;
using Stemma.Storage.Sqlite;
using Stemma.Web.Pages;

namespace Stemma.Cli.Commands;

/// <summary>`compare`, `story` and `lineage`: how versions of a story relate, what changed, who copied whom.</summary>
internal static class RelateCommands
{
    public static Command Compare(CliContext context)
    {
        var files = new Argument<string[]>("A B") { Description = "Two article files to compare", Arity = new ArgumentArity(0, 2) };
        var pairs = new Option<string?>("--pairs") { Description = "A JSONL file of {\"id\",\"a\",\"b\"} text pairs; prints {\"id\",\"relation\",\"similarity\"} per line" };
        var format = CommonOptions.Format("text", "text", "json");
        var full = new Option<bool>("--full") { Description = "Show every passage side by side (by default passages both versions share are collapsed and changes marked inline)" };
        var command = new Command("compare", "Align two versions, label how they relate and list what changed (the earlier version on the left)") { files, pairs, format, full };
        command.SetAction((parse, cancellationToken) =>
        {
            var pairFile = parse.GetValue(pairs);
            var paths = parse.GetValue(files) ?? [];
            if (pairFile is not null)
            {
                return Task.FromResult(ComparePairs(context, pairFile, cancellationToken));
            }

            if (paths.Length != 2)
            {
                throw new UsageException("compare needs two files, or --pairs FILE.jsonl");
            }

            var input = InputCollector.Read(paths, context, cancellationToken);
            if (input.Articles.Count < 2)
            {
                throw new UsageException("compare needs an article from each of the two files");
            }

            var (a, b) = (input.Articles[0], input.Articles[1]);
            var comparison = PairComparer.Compare(a, b);
            if (parse.GetValue(format) == "json")
            {
                context.Out.WriteLine(WireJson.Write(CompareResult.From(a, b, comparison), indented: true));
            }
            else
            {
                // The earlier version goes on the left, whichever order the files were given in.
                var order = CompareLayout.Order(a, b, comparison);
                if (order.Swap)
                {
                    (a, b) = (b, a);
                    comparison = PairComparer.Compare(a, b);
                }

                TerminalViews.WriteCompare(context, a, b, comparison, order, parse.GetValue(full));
            }

            return Task.FromResult(input.Rejected > 0 ? ExitCodes.InputsRejected : ExitCodes.Ok);
        });
        return command;
    }

    public static Command Story(CliContext context)
    {
        var id = new Argument<string>("ID") { Description = "A story id, family id or document id" };
        var source = Source();
        var format = CommonOptions.Format("text", "text", "json");
        var command = new Command("story", "A story's members, how each relates to its parent, the copy tree and what changed") { id, source.Database, source.From, format };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var wanted = parse.GetValue(id)!;
            var (analysis, rejected) = await source.AnalyzeAsync(parse, context, wanted, cancellationToken);
            var placement = analysis.Documents.FirstOrDefault(d => d.Story == wanted || d.Family == wanted || d.Id == wanted)
                ?? throw new UsageException($"no story, family or document '{wanted}'");
            var members = analysis.Documents.Select((d, i) => (Document: d, Article: analysis.Articles[i])).Where(m => m.Document.Story == placement.Story).ToList();
            var trees = analysis.Stories?.Trees.Where(t => t.Story == placement.Story).ToList() ?? [];
            var pairs = analysis.Stories?.Pairs.Where(p => members.Any(m => m.Document.Id == p.A) && members.Any(m => m.Document.Id == p.B)).ToList() ?? [];

            if (parse.GetValue(format) == "json")
            {
                // The wire shape the API returns for GET /api/stories/{id}.
                var placements = analysis.Stories?.Documents ?? [.. analysis.Documents.Select(d => new DocumentPlacement(d.Id, d.Family, d.Story, d.Parent, d.Relation, d.Origin))];
                var story = StoryResult.From(placement.Story, [.. members.Select(m => m.Article)], new StoryAnalysis(placements, pairs, trees));
                context.Out.WriteLine(WireJson.Write(story, indented: true));
                return rejected > 0 ? ExitCodes.InputsRejected : ExitCodes.Ok;
            }

            TerminalViews.WriteStory(context, placement.Story, members, trees, pairs);
            return rejected > 0 ? ExitCodes.InputsRejected : ExitCodes.Ok;
        });
        return command;
    }

    public static Command Lineage(CliContext context)
    {
        var source = Source();
        var format = CommonOptions.Format("text", "text", "json", "dot", "graphml");
        var command = new Command("lineage", "The copy trees (stemmata) of every family") { source.Database, source.From, format };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var (analysis, rejected) = await source.AnalyzeAsync(parse, context, null, cancellationToken);
            var trees = analysis.Stories?.Trees ?? [];
            var chosen = parse.GetValue(format);
            if (chosen == "text")
            {
                TerminalViews.WriteLineage(context, trees);
            }
            else
            {
                context.Out.WriteLine(chosen switch
                {
                    "json" => LineageFormats.ToJson(trees, indented: true),
                    "dot" => LineageFormats.ToDot(trees),
                    _ => LineageFormats.ToGraphMl(trees),
                });
            }
            return rejected > 0 ? ExitCodes.InputsRejected : ExitCodes.Ok;
        });
        return command;
    }

    private static int ComparePairs(CliContext context, string file, CancellationToken cancellationToken)
    {
        if (!File.Exists(file))
        {
            throw new UsageException($"{file}: no such file");
        }

        var ids = new List<string>();
        var texts = new List<(string A, string B)>();
        var rejected = 0;
        var lineNumber = 0;
        foreach (var line in File.ReadLines(file))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                using var json = JsonDocument.Parse(line);
                var root = json.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    throw new KeyNotFoundException($"a pair must be a JSON object with \"a\" and \"b\", not a {root.ValueKind.ToString().ToLowerInvariant()}");
                }

                var a = PairText(root, "a");
                var b = PairText(root, "b");

                ids.Add(root.TryGetProperty("id", out var id) ? id.ToString() : lineNumber.ToString(CultureInfo.InvariantCulture));
                texts.Add((a, b));
            }
            catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                context.ReportError($"{file}:{lineNumber}: {ex.Message}");
                rejected++;
            }
        }

        var comparisons = PairComparer.CompareAll(texts, cancellationToken);
        for (var i = 0; i < comparisons.Count; i++)
        {
            var comparison = comparisons[i];
            context.Out.WriteLine(WireJson.Write(new PairLabelResult(ids[i], comparison.Relation, Math.Round(comparison.Similarity, 4), DimensionsResult.From(comparison.Dimensions))));
        }

        return rejected > 0 ? ExitCodes.InputsRejected : ExitCodes.Ok;
    }

    /// <summary>A pair's text field; a missing or non-string field is named in the error.</summary>
    private static string PairText(JsonElement pair, string field)
    {
        if (!pair.TryGetProperty(field, out var value))
        {
            throw new KeyNotFoundException($"missing field \"{field}\" (each line needs \"a\" and \"b\" texts)");
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new KeyNotFoundException($"field \"{field}\" must be a string, not {value.ValueKind.ToString().ToLowerInvariant()}");
    }

    public static Command Check(CliContext context)
    {
        var file = new Argument<string>("FILE") { Description = "An article file (any format ingest reads; the first article in it is checked)" };
        var database = CommonOptions.Database();
        var cluster = ClusterCommands.ClusterOption("Check against a Stemma cluster's store instead of --db");
        var top = new Option<int>("--top") { Description = "Most matches to show", DefaultValueFactory = _ => 10 };
        var format = CommonOptions.Format("table", "table", "json");
        var command = new Command("check", "How an article relates to what is stored: the stored versions it copies, spins, rewrites or reports on, with their stories; stores nothing")
        {
            file, database, cluster, top, format,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(top) < 1)
            {
                throw new UsageException($"--top must be at least 1 (got {parse.GetValue(top)})");
            }

            var name = parse.GetValue(file)!;
            var input = InputCollector.Read([name], context, cancellationToken);
            var article = input.Articles.FirstOrDefault() ?? throw new UsageException($"{name}: no article could be read");
            var location = parse.GetValue(database)!;
            await using var store = await ClusterCommands.OpenAsync(parse.GetValue(cluster), () => StoreCommands.OpenExistingAsync(context, location, cancellationToken), cancellationToken);

            // The same candidates and labels an ingest would give it (StoryReader, as the web's /api/check), against the store as it stands.
            var matches = await new StoryReader(store).CheckAsync(article, parse.GetValue(top), cancellationToken);
            if (parse.GetValue(format) == "json")
            {
                context.Out.WriteLine(WireJson.Write(matches.Select(CheckMatchResult.From).ToList(), indented: true));
            }
            else
            {
                var table = new Table().Border(TableBorder.Rounded);
                table.AddColumns("Stored", "Relation", "Similarity", "Story", "Title");
                foreach (var match in matches)
                {
                    table.AddRow(
                        Markup.Escape(match.Stored.Id),
                        Markup.Escape(match.Comparison.Relation),
                        match.Comparison.Similarity.ToString("F3", CultureInfo.InvariantCulture),
                        Markup.Escape(match.Placement?.StoryId ?? string.Empty),
                        Markup.Escape(match.Stored.Title ?? string.Empty));
                }

                context.Console.Write(table);
                context.Console.WriteLine($"{matches.Count} stored {(matches.Count == 1 ? "document relates" : "documents relate")} to {article.Id}");
            }

            return input.Rejected > 0 ? ExitCodes.InputsRejected : ExitCodes.Ok;
        });
        return command;
    }

    private static string Quote(string? text) => text is null ? "(none)" : $"\"{text}\"";

    private static AnalysisSource Source() => new();

    /// <summary>Where `story` and `lineage` take their documents from: the database, or files analysed in memory.</summary>
    private sealed class AnalysisSource
    {
        public Option<string> Database { get; } = CommonOptions.Database();

        public Option<string[]> From { get; } = new("--from") { Description = "Analyze these files or directories instead of the database", AllowMultipleArgumentsPerToken = true };

        public async Task<(CorpusAnalysis Analysis, int Rejected)> AnalyzeAsync(ParseResult parse, CliContext context, string? around, CancellationToken cancellationToken)
        {
            var paths = parse.GetValue(From);
            if (paths is { Length: > 0 })
            {
                var input = InputCollector.Read(paths, context, cancellationToken);
                return (CorpusAnalyzer.Analyze(input.Articles, new AnalyzeOptions { PauseCollections = true }, cancellationToken), input.Rejected);
            }

            // The stored results, exactly as ingest made them: the same truth the web pages and the API show.
            var database = parse.GetValue(Database)!;
            await using var store = await StoreCommands.OpenExistingAsync(context, database, cancellationToken);
            var reader = new StoryReader(store);
            if (around is null)
            {
                return (await reader.ReadAllAsync(cancellationToken), 0);
            }

            var story = await reader.ReadStoryAsync(around, int.MaxValue, cancellationToken)
                ?? throw new UsageException($"{database}: no story or document '{around}'");
            return (story.ToCorpusAnalysis(), 0);
        }
    }
}
