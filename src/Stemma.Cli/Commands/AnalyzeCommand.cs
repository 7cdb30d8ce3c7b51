using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using Stemma.Index;
using Stemma.Pipeline;

namespace Stemma.Cli.Commands;

/// <summary>`stemma analyze PATH...`: the whole pipeline in memory, no database.</summary>
internal static class AnalyzeCommand
{
    public static Command Create(CliContext context)
    {
        var paths = new Argument<string[]>("PATH") { Description = "Files or directories to analyze (directories are read recursively)", Arity = ArgumentArity.OneOrMore };
        var format = CommonOptions.Format("table", "json", "jsonl");
        var threshold = new Option<double>("--threshold")
        {
            Description = "Shingle Jaccard at or above which two documents are copies",
            DefaultValueFactory = _ => NearDuplicateOptions.Default.JaccardThreshold,
        };
        threshold.Validators.Add(result =>
        {
            // A value that is not a number is already a parse error; reading it here would throw.
            if (result.Tokens.Count > 0 && !double.TryParse(result.Tokens[^1].Value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _))
            {
                return;
            }

            var value = result.GetValueOrDefault<double>();
            if (value is <= 0 or > 1)
            {
                result.AddError("--threshold must be in (0, 1]");
            }
        });

        var command = new Command("analyze", "Find the copy families and stories in a set of articles (in memory)") { paths, format, threshold };
        command.SetAction((parse, cancellationToken) =>
        {
            var input = InputCollector.Read(parse.GetValue(paths)!, context, cancellationToken);
            var options = new AnalyzeOptions { NearDuplicates = NearDuplicateOptions.Default with { JaccardThreshold = parse.GetValue(threshold) }, PauseCollections = true };
            var analysis = CorpusAnalyzer.Analyze(input.Articles, options, cancellationToken);
            using var output = StageTimings.Start("output");
            switch (parse.GetValue(format))
            {
                case "jsonl":
                    WriteJsonLines(context.Out, analysis);
                    break;
                case "json":
                    WriteJson(context.Out, analysis, input.Rejected);
                    break;
                default:
                    TerminalViews.WriteAnalyzeTable(context, analysis, input.Rejected);
                    break;
            }

            return Task.FromResult(input.Rejected > 0 ? ExitCodes.InputsRejected : ExitCodes.Ok);
        });
        return command;
    }

    private static void WriteJsonLines(TextWriter output, CorpusAnalysis analysis) =>
        JsonOutput.Lines(output, analysis.Documents, JsonOutput.WriteDocumentResult);

    private static void WriteJson(TextWriter output, CorpusAnalysis analysis, int rejected)
    {
        output.WriteLine(JsonOutput.Document(writer =>
        {
            writer.WriteStartObject();
            writer.WriteNumber("rejected", rejected);
            writer.WriteStartArray("documents");
            foreach (var document in analysis.Documents)
            {
                JsonOutput.WriteDocumentResult(writer, document);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("families");
            foreach (var family in Families(analysis))
            {
                writer.WriteStartObject();
                writer.WriteString("family", family.Key);
                writer.WriteString("story", family.First().Document.Story);
                writer.WriteStartArray("members");
                foreach (var member in family)
                {
                    writer.WriteStringValue(member.Document.Id);
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }));
    }

    private static IEnumerable<IGrouping<string, (DocumentResult Document, Article Article)>> Families(CorpusAnalysis analysis) =>
        analysis.Documents
            .Select((document, i) => (Document: document, Article: analysis.Articles[i]))
            .GroupBy(m => m.Document.Family, StringComparer.Ordinal)
            .OrderByDescending(f => f.Count())
            .ThenBy(f => f.Key, StringComparer.Ordinal);
}
