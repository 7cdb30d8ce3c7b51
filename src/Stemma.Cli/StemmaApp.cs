using System.CommandLine;
using Stemma.Cli.Commands;

namespace Stemma.Cli;

/// <summary>The `stemma` command line: builds the commands, maps failures to exit codes and one-line errors.</summary>
public static class StemmaApp
{
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default) =>
        RunAsync(args, output, error, TerminalSettings.None, cancellationToken);

    /// <param name="args">The command line.</param>
    /// <param name="output">Results.</param>
    /// <param name="error">Errors and progress.</param>
    /// <param name="terminal">Whether the writers are terminals, and how wide.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, TerminalSettings terminal, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(terminal);
        var context = new CliContext(output, error, terminal);
        if (Environment.GetEnvironmentVariable(Pipeline.StageTimings.Variable) == "1")
        {
            // Profiling: each stage's wall and CPU time on standard error.
            Pipeline.StageTimings.Sink = error.WriteLine;
        }
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Log progress and show full error details", Recursive = true };
        var width = new Option<int?>("--width") { Description = "Columns to lay tables out in (default: the terminal's width, or 200 when output is not a terminal)", Recursive = true };
        width.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is < 40 or > 1000)
            {
                result.AddError("--width must be between 40 and 1000");
            }
        });
        var limits = new Option<string[]>("--limit")
        {
            Description = $"Change a reading limit, NAME=VALUE (repeatable; see docs/security.md): {string.Join(", ", Stemma.Ingest.IngestLimits.Names)}",
            Recursive = true,
            Arity = ArgumentArity.ZeroOrMore,
        };
        var idRoot = new Option<string?>("--id-root")
        {
            Description = "Document ids are paths relative to this directory (stable whichever path is given); by default relative to each directory argument",
            Recursive = true,
        };
        var root = new RootCommand("Stemma: how news travels — copies, excerpts, edits and who copied whom")
        {
            verbose,
            width,
            limits,
            idRoot,
        };
        root.Subcommands.Add(AnalyzeCommand.Create(context));
        root.Subcommands.Add(StoreCommands.Ingest(context));
        root.Subcommands.Add(StoreCommands.Stories(context));
        root.Subcommands.Add(StoreCommands.Similar(context));
        root.Subcommands.Add(ExtractCommand.Create(context));
        root.Subcommands.Add(RelateCommands.Compare(context));
        root.Subcommands.Add(RelateCommands.Story(context));
        root.Subcommands.Add(RelateCommands.Lineage(context));
        root.Subcommands.Add(RelateCommands.Check(context));
        root.Subcommands.Add(ServeCommand.Create(context));
        root.Subcommands.Add(ClusterCommands.Silo(context));

        var parse = root.Parse(args);
        context.Verbose = parse.GetValue(verbose);
        context.Width = parse.GetValue(width);

        // Help text is folded at our width: left to itself the parser asks System.Console, which prints ESC[?1h ESC= to a terminal.
        foreach (var help in root.Options.OfType<System.CommandLine.Help.HelpOption>())
        {
            if (help.Action is System.CommandLine.Help.HelpAction action)
            {
                action.MaxWidth = context.Columns;
            }
        }
        if (parse.Errors.Count > 0)
        {
            foreach (var parseError in parse.Errors)
            {
                context.ReportError(parseError.Message);
            }

            error.WriteLine("Try 'stemma --help'.");
            return ExitCodes.Usage;
        }

        try
        {
            context.ReaderOptions = ReaderOptionsFrom(parse.GetValue(limits), parse.GetValue(idRoot));
        }
        catch (UsageException ex)
        {
            context.ReportError(ex.Message);
            return ExitCodes.Usage;
        }

        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration
            {
                Output = output,
                Error = error,
                EnableDefaultExceptionHandler = false,

                // Ctrl+C arrives through the caller's token: the parser's own handler (Console.CancelKeyPress) would
                // put a terminal's keypad into application mode and print ESC[?1h ESC= first.
                ProcessTerminationTimeout = null,
            }, cancellationToken);
        }
        catch (UsageException ex)
        {
            context.ReportError(ex.Message);
            return ExitCodes.Usage;
        }
        catch (OperationCanceledException)
        {
            context.ReportError("cancelled");
            return ExitCodes.Cancelled;
        }
        catch (Exception ex) when (!context.Verbose)
        {
            // One clear line; --verbose lets the exception through with its stack trace.
            context.ReportError(ex.Message);
            return ExitCodes.InputsRejected;
        }
    }

    private static Stemma.Ingest.ReaderOptions ReaderOptionsFrom(string[]? assignments, string? idRoot)
    {
        var limits = Stemma.Ingest.IngestLimits.Default;
        foreach (var assignment in assignments ?? [])
        {
            try
            {
                limits = limits.With(assignment);
            }
            catch (FormatException ex)
            {
                throw new UsageException($"--limit: {ex.Message}");
            }
        }

        if (idRoot is not null && !Directory.Exists(idRoot))
        {
            throw new UsageException($"--id-root {idRoot}: no such directory");
        }

        return new Stemma.Ingest.ReaderOptions { Limits = limits, IdRoot = idRoot };
    }
}
