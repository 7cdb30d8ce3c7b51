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

        // The command the arguments name is built alone (its options, and through its action its assemblies, and
        // nothing of the others); the whole tree only for help, a usage error or arguments the shortcut cannot read.
        var tree = new CommandTree(context, NamedCommand(args));
        var parse = tree.Root.Parse(args);
        if (parse.Errors.Count > 0 && tree.Only is not null)
        {
            tree = new CommandTree(context, null);
            parse = tree.Root.Parse(args);
        }

        context.Verbose = parse.GetValue(tree.Verbose);
        context.Width = parse.GetValue(tree.Width);

        // Help text is folded at our width: left to itself the parser asks System.Console, which prints ESC[?1h ESC= to a terminal.
        foreach (var help in tree.Root.Options.OfType<System.CommandLine.Help.HelpOption>())
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
            context.ReaderOptions = ReaderOptionsFrom(parse.GetValue(tree.Limits), parse.GetValue(tree.IdRoot));
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

    /// <summary>The version `--version` prints (the informational version, with the commit), as the parser prints it.</summary>
    public static string Version => BuildVersion.Informational;

    /// <summary>Every command, in the order help lists them, and how to build it.</summary>
    private static readonly (string Name, Func<CliContext, Command> Create)[] Commands =
    [
        ("analyze", AnalyzeCommand.Create),
        ("ingest", StoreCommands.Ingest),
        ("stories", StoreCommands.Stories),
        ("similar", StoreCommands.Similar),
        ("extract", ExtractCommand.Create),
        ("compare", RelateCommands.Compare),
        ("story", RelateCommands.Story),
        ("lineage", RelateCommands.Lineage),
        ("check", RelateCommands.Check),
        ("serve", ServeCommand.Create),
        ("silo", ClusterCommands.Silo),
    ];

    /// <summary>
    /// The command the first argument equal to a command's name names, or null (no command, or a response file or
    /// directive that could hold one). No argument before it is a command's name, so the whole tree would parse the
    /// same command; a parse that fails with one command is repeated with the whole tree.
    /// </summary>
    internal static string? NamedCommand(string[] args)
    {
        foreach (var arg in args)
        {
            if (arg.StartsWith('@') || arg.StartsWith('['))
            {
                return null;
            }

            foreach (var (name, _) in Commands)
            {
                if (string.Equals(arg, name, StringComparison.Ordinal))
                {
                    return name;
                }
            }
        }

        return null;
    }

    /// <summary>The root command with its options that every command shares, and the commands: all, or only <see cref="Only"/>.</summary>
    private sealed class CommandTree
    {
        public CommandTree(CliContext context, string? only)
        {
            Only = only;
            Verbose = new Option<bool>("--verbose", "-v") { Description = "Log progress and show full error details", Recursive = true };
            Width = new Option<int?>("--width") { Description = "Columns to lay tables out in (default: the terminal's width, or 200 when output is not a terminal)", Recursive = true };
            Width.Validators.Add(result =>
            {
                if (result.GetValueOrDefault<int?>() is < 40 or > 1000)
                {
                    result.AddError("--width must be between 40 and 1000");
                }
            });
            Limits = new Option<string[]>("--limit")
            {
                Description = $"Change a reading limit, NAME=VALUE (repeatable; see docs/security.md): {string.Join(", ", Stemma.Ingest.IngestLimits.Names)}",
                Recursive = true,
                Arity = ArgumentArity.ZeroOrMore,
            };
            IdRoot = new Option<string?>("--id-root")
            {
                Description = "Document ids are paths relative to this directory (stable whichever path is given); by default relative to each directory argument",
                Recursive = true,
            };
            Root = new RootCommand("Stemma: how news travels — copies, excerpts, edits and who copied whom")
            {
                Verbose,
                Width,
                Limits,
                IdRoot,
            };
            foreach (var (name, create) in Commands)
            {
                if (only is null || name == only)
                {
                    Root.Subcommands.Add(create(context));
                }
            }
        }

        public string? Only { get; }

        public RootCommand Root { get; }

        public Option<bool> Verbose { get; }

        public Option<int?> Width { get; }

        public Option<string[]> Limits { get; }

        public Option<string?> IdRoot { get; }
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
