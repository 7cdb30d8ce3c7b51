using System.CommandLine;
using Stemma.Ingest;
using Stemma.Pipeline;

namespace Stemma.Cli.Commands;

/// <summary>`stemma extract FILE...`: what Stemma reads from each input — metadata, body and the lines set apart as annotations.</summary>
internal static class ExtractCommand
{
    public static Command Create(CliContext context)
    {
        var paths = new Argument<string[]>("FILE") { Description = "Files or directories to read (a feed or WARC yields many articles)", Arity = ArgumentArity.OneOrMore };
        var format = CommonOptions.Format("text", "text", "json");
        var command = new Command("extract", "Print the article(s) Stemma reads from each input") { paths, format };
        command.SetAction((parse, cancellationToken) =>
        {
            var input = InputCollector.Read(parse.GetValue(paths)!, context, cancellationToken);
            using var output = StageTimings.Start("output");
            if (parse.GetValue(format) == "json")
            {
                ArticleJson.WriteJsonLines(context.Out, input.Articles);
            }
            else
            {
                using var bulk = context.BulkOutput();
                foreach (var article in input.Articles)
                {
                    ArticleJson.WriteText(context.Out, article);
                    context.Out.WriteLine();
                }
            }

            return Task.FromResult(input.Rejected > 0 ? ExitCodes.InputsRejected : ExitCodes.Ok);
        });
        return command;
    }
}
