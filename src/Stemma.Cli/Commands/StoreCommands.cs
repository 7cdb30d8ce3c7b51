using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Stemma.Ingest;
using Stemma.Pipeline;
using Stemma.Storage;

namespace Stemma.Cli.Commands;

/// <summary>The commands over the embedded store: `ingest`, `stories`, `similar`.</summary>
internal static class StoreCommands
{
    public static Command Ingest(CliContext context)
    {
        var paths = new Argument<string[]>("PATH") { Description = "Files or directories to ingest (directories are read recursively)", Arity = ArgumentArity.OneOrMore };
        var database = CommonOptions.Database();
        var batchSize = new Option<int?>("--batch-size")
        {
            Description = "Documents written per transaction, and related per region of pending documents twice that; by default sized by memory "
                + $"(as many as fit {StorePipelineOptions.BulkBatchBytes >> 20} MB of texts and features, at least {StorePipelineOptions.Default.AddBatchSize} "
                + $"and {StorePipelineOptions.Default.RelateBatchSize}); Ctrl+C stops at a batch boundary",
        };
        var cluster = ClusterCommands.ClusterOption();
        var command = new Command("ingest", "Add articles to the database and relate them to everything stored: copies, stories and copy trees") { paths, database, batchSize, cluster };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var store = await ClusterCommands.OpenAsync(parse.GetValue(cluster), () => OpenAsync(context, parse.GetValue(database)!, cancellationToken), cancellationToken);
            // Through a cluster, the silos read and extract the files; this process lists them and sends their bytes. Local
            // files are streamed: read a few times, never held whole.
            var input = await InputCollector.StreamAsync(parse.GetValue(paths)!, context, store as Ingest.IRemoteReading, cancellationToken);
            // Without --batch-size, batches and regions are sized by memory: a bulk ingest then takes fewer, larger ones.
            var pipeline = StorePipelineOptions.Default with { BatchBytes = StorePipelineOptions.BulkBatchBytes };
            if (parse.GetValue(batchSize) is { } size)
            {
                if (size < 1)
                {
                    throw new UsageException($"--batch-size must be at least 1 (got {size})");
                }

                pipeline = new StorePipelineOptions { AddBatchSize = size, RelateBatchSize = 2 * size };
            }

            var ingestor = new StoreIngestor(store, pipeline: pipeline)
            {
                Waiting = () => context.ReportError($"waiting for another ingest into {context.Stores.Describe(parse.GetValue(database)!)} to finish"),
                Committed = StageTimings.WithMemory(FaultInjection.At(Environment.GetEnvironmentVariable(FaultInjection.Variable), cancellationToken)),
                Log = context.Log,
            };
            IngestReport report;
            using var storing = StageTimings.Start("store ingest");
            if (context.ShowProgress)
            {
                report = await context.CreateProgressConsole().Progress().StartAsync(async progress =>
                {
                    var task = progress.AddTask("ingesting", maxValue: Math.Max(1, input.Count));
                    return await ingestor.IngestAsync(input.Articles, new Progress<int>(done => task.Value = done), cancellationToken);
                });
            }
            else
            {
                report = await ingestor.IngestAsync(input.Articles, null, cancellationToken);
            }

            foreach (var rejected in report.Rejected)
            {
                context.ReportError($"{rejected.Id}: {rejected.Error}");
            }

            var rejectedCount = input.Rejected + report.Rejected.Count;
            context.Out.WriteLine(
                $"{report.Added} added, {report.Updated} updated, {report.Unchanged} unchanged, {rejectedCount} rejected; " +
                $"{report.Related} related, {Plural(report.PairsStored, "related pair")}, {Plural(report.FamiliesTouched, "story", "stories")} updated");
            if (report.Cancelled)
            {
                context.ReportError($"cancelled: what was stored is kept; {Plural(report.Pending, "document")} not yet related (run ingest again to finish)");
                return ExitCodes.Cancelled;
            }

            return rejectedCount > 0 ? ExitCodes.InputsRejected : ExitCodes.Ok;
        });
        return command;
    }

    public static Command Stories(CliContext context)
    {
        var database = CommonOptions.Database();
        var minSize = new Option<int>("--min-size") { Description = "Only stories with at least this many documents", DefaultValueFactory = _ => 2 };
        var format = CommonOptions.Format("table", "table", "json", "jsonl");
        var command = new Command("stories", "List the stories in the database: copy families joined by rewrites and reports of the same event") { database, minSize, format };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var store = await OpenExistingAsync(context, parse.GetValue(database)!, cancellationToken);
            var stories = (await store.ListStoriesAsync(new StoryQuery { MinSize = parse.GetValue(minSize), Limit = 0 }, cancellationToken)).Stories;
            var members = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            foreach (var story in stories)
            {
                members[story.StoryId] = await store.GetStoryMembersAsync(story.StoryId, cancellationToken);
            }

            switch (parse.GetValue(format))
            {
                case "jsonl":
                    JsonOutput.Lines(context.Out, stories, (writer, story) => WriteStory(writer, story, members[story.StoryId]));
                    break;
                case "json":
                    context.Out.WriteLine(JsonOutput.Document(writer =>
                    {
                        writer.WriteStartArray();
                        foreach (var story in stories)
                        {
                            WriteStory(writer, story, members[story.StoryId]);
                        }

                        writer.WriteEndArray();
                    }));
                    break;
                default:
                    var table = new Table().Border(TableBorder.Rounded).Title("Stories");
                    // Titled after the original (the stored lineage root), not the earliest-dated member, which may be a doctored copy.
                    table.AddColumns("Story", "Size", "Families", "Original", "Title", "Members");
                    foreach (var story in stories)
                    {
                        table.AddRow(
                            Markup.Escape(story.StoryId),
                            story.Size.ToString(CultureInfo.InvariantCulture),
                            story.FamilyCount.ToString(CultureInfo.InvariantCulture),
                            Markup.Escape(story.OriginalId ?? story.FirstDocumentId),
                            Markup.Escape((story.OriginalId is null ? story.FirstTitle : story.OriginalTitle) ?? string.Empty),
                            Markup.Escape(string.Join("\n", members[story.StoryId])));
                    }

                    context.Console.Write(table);
                    context.Console.WriteLine($"{Plural(stories.Count, "story", "stories")} with at least {Plural(parse.GetValue(minSize), "document")}");
                    break;
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Similar(CliContext context)
    {
        var target = new Argument<string>("FILE|ID") { Description = "An article file to check, or the id of a stored document" };
        var database = CommonOptions.Database();
        var top = new Option<int>("--top") { Description = "Most matches to show", DefaultValueFactory = _ => 10 };
        var format = CommonOptions.Format("table", "table", "json");
        var command = new Command("similar", "The stored documents that FILE copies or is copied by") { target, database, top, format };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var store = await OpenExistingAsync(context, parse.GetValue(database)!, cancellationToken);
            var finder = new SimilarFinder(store);
            var name = parse.GetValue(target)!;
            IReadOnlyList<SimilarDocument> matches;
            var rejected = 0;
            if (File.Exists(name))
            {
                var outcomes = ArticleReader.Read([name], context.ReaderOptions).ToList();
                foreach (var error in outcomes.Where(o => o.IsError))
                {
                    context.ReportError(error.ToString());
                    rejected++;
                }

                var article = outcomes.FirstOrDefault(o => o.Article is not null)?.Article
                    ?? throw new UsageException($"{name}: no article could be read");

                // A file is compared as an outsider: it must not be excluded as "itself" by a coinciding id.
                matches = await finder.FindAsync(article with { Id = "\0" + article.Id }, parse.GetValue(top), cancellationToken);
            }
            else
            {
                matches = await finder.FindByIdAsync(name, parse.GetValue(top), cancellationToken)
                    ?? throw new UsageException($"'{name}' is neither a readable file nor a stored document id");
            }

            if (parse.GetValue(format) == "json")
            {
                context.Out.WriteLine(JsonOutput.Document(writer =>
                {
                    writer.WriteStartArray();
                    foreach (var match in matches)
                    {
                        writer.WriteStartObject();
                        writer.WriteString("id", match.Id);
                        writer.WriteString("title", match.Title);
                        writer.WriteNumber("jaccard", Math.Round(match.Jaccard, 4));
                        writer.WriteNumber("containment", Math.Round(match.Containment, 4));
                        writer.WriteEndObject();
                    }

                    writer.WriteEndArray();
                }));
            }
            else
            {
                var table = new Table().Border(TableBorder.Rounded);
                table.AddColumns("Id", "Jaccard", "Containment", "Title");
                foreach (var match in matches)
                {
                    table.AddRow(
                        Markup.Escape(match.Id),
                        match.Jaccard.ToString("F3", CultureInfo.InvariantCulture),
                        match.Containment.ToString("F3", CultureInfo.InvariantCulture),
                        Markup.Escape(match.Title ?? string.Empty));
                }

                context.Console.Write(table);
                context.Console.WriteLine($"{matches.Count} similar documents");
            }

            return rejected > 0 ? ExitCodes.InputsRejected : ExitCodes.Ok;
        });
        return command;
    }

    private static void WriteStory(System.Text.Json.Utf8JsonWriter writer, StorySummary story, IReadOnlyList<string> members)
    {
        writer.WriteStartObject();
        writer.WriteString("story", story.StoryId);
        writer.WriteNumber("size", story.Size);
        writer.WriteNumber("families", story.FamilyCount);
        writer.WriteString("first", story.FirstDocumentId);
        writer.WriteString("original", story.OriginalId ?? story.FirstDocumentId);
        writer.WriteString("title", story.OriginalId is null ? story.FirstTitle : story.OriginalTitle);
        writer.WriteStartArray("members");
        foreach (var member in members)
        {
            writer.WriteStringValue(member);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static string Plural(int count, string one, string? many = null) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} {(count == 1 ? one : many ?? one + "s")}");

    /// <summary>
    /// Opens the store <c>--db</c> names through the registered providers (a path: SQLite; postgres://...: PostgreSQL).
    /// A value no provider accepts, or a store that cannot be opened (unreachable server, not a database), is a usage
    /// error: one line, exit code 2.
    /// </summary>
    internal static async Task<IStore> OpenAsync(CliContext context, string location, CancellationToken cancellationToken, bool mustExist = false)
    {
        IStoreProvider provider;
        try
        {
            provider = context.Stores.Resolve(location);
        }
        catch (StoreException ex)
        {
            throw new UsageException(ex.Message);
        }

        // Reading commands do not create a database by accident: a missing file is a usage error.
        if (mustExist && provider.Exists(location) == false)
        {
            throw new UsageException($"{location}: no such database (run 'stemma ingest PATH --db {location}' first)");
        }

        try
        {
            return await context.Stores.OpenAsync(location, cancellationToken);
        }
        catch (StoreException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new UsageException(ex.Message);
        }
    }

    /// <summary>Opens an existing store for a reading command (see <see cref="OpenAsync"/>).</summary>
    internal static Task<IStore> OpenExistingAsync(CliContext context, string location, CancellationToken cancellationToken) =>
        OpenAsync(context, location, cancellationToken, mustExist: true);
}
