using Spectre.Console;

namespace Stemma.Cli;

/// <summary>What every command writes to: results on <see cref="Out"/>, errors and progress on <see cref="Error"/>.</summary>
internal sealed class CliContext(TextWriter output, TextWriter error, TerminalSettings? terminal = null)
{
    private readonly TerminalSettings terminal = terminal ?? TerminalSettings.None;
    private IAnsiConsole? console;
    private Stemma.Storage.StoreOpener? stores;

    public TextWriter Out { get; } = output;

    public TextWriter Error { get; } = error;

    /// <summary>
    /// While the result is disposed, <see cref="Out"/> is written in blocks rather than flushed at every write (standard
    /// output flushes each write so a line shows at once; a long listing made 80,000 writes for 10,000 articles); it is
    /// flushed at the end.
    /// </summary>
    public IDisposable BulkOutput() => Out is StreamWriter { AutoFlush: true } writer ? new Buffered(writer) : Buffered.None;

    private sealed class Buffered : IDisposable
    {
        public static readonly IDisposable None = new Buffered(null);

        private readonly StreamWriter? writer;

        public Buffered(StreamWriter? writer)
        {
            this.writer = writer;
            if (writer is not null)
            {
                writer.AutoFlush = false;
            }
        }

        public void Dispose()
        {
            if (writer is not null)
            {
                // Setting it back flushes what is held.
                writer.AutoFlush = true;
            }
        }
    }

    public bool Verbose { get; set; }

    /// <summary>
    /// The kinds of store <c>--db</c> can name: a path is a SQLite file, postgres://... (or Host=...) a PostgreSQL
    /// database. Each storage assembly brings its provider; this host registers both. Made on first use, so commands
    /// without a database (and --help) do not load the storage assemblies.
    /// </summary>
    public Stemma.Storage.StoreOpener Stores => stores ??= new(new Stemma.Storage.Sqlite.SqliteStoreProvider(), new Stemma.Storage.PostgreSql.PostgreSqlStoreProvider());

    /// <summary>How inputs are read: the limits (<c>--limit</c>) and the id root (<c>--id-root</c>).</summary>
    public Stemma.Ingest.ReaderOptions ReaderOptions { get; set; } = Stemma.Ingest.ReaderOptions.Default;

    /// <summary>Columns asked for with --width; the terminal's width (or 200 off a terminal) otherwise.</summary>
    public int? Width { get; set; }

    /// <summary>Progress bars only when a person watches stderr; logs are plain lines otherwise.</summary>
    public bool ShowProgress => terminal.ErrorIsTerminal && !Verbose;

    /// <summary>True when output goes to a terminal (colours on).</summary>
    public bool IsTerminal => terminal.OutputIsTerminal;

    /// <summary>Columns tables and wrapped text are laid out in (worked out without Spectre, which help text does not need).</summary>
    public int Columns => Width ?? terminal.Width ?? (terminal.OutputIsTerminal ? 100 : 200);

    /// <summary>Spectre console over <see cref="Out"/>; colours only on a terminal. Made on first use, after --width is known.</summary>
    public IAnsiConsole Console => console ??= CreateConsole();

    private IAnsiConsole CreateConsole()
    {
        var created = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Out),
            Ansi = terminal.OutputIsTerminal && Environment.GetEnvironmentVariable("NO_COLOR") is null ? AnsiSupport.Yes : AnsiSupport.No,
            ColorSystem = terminal.OutputIsTerminal && Environment.GetEnvironmentVariable("NO_COLOR") is null ? ColorSystemSupport.Standard : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });

        // Redirected output has no width of its own; wide enough that ids are not folded mid-word.
        created.Profile.Width = Columns;

        // Set, so Spectre never asks System.Console (whose first terminal query prints ESC[?1h ESC=); nothing here pages.
        created.Profile.Height = 40;
        return created;
    }

    /// <summary>
    /// A Spectre console for progress bars on <see cref="Error"/> (a terminal): ANSI and live updates on, and its size
    /// set, so Spectre never asks System.Console for them (that first query switches the terminal's keypad into
    /// application mode and prints ESC[?1h ESC=).
    /// </summary>
    public IAnsiConsole CreateProgressConsole()
    {
        var colours = Environment.GetEnvironmentVariable("NO_COLOR") is null;
        var created = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Error),
            Ansi = AnsiSupport.Yes,
            ColorSystem = colours ? ColorSystemSupport.Standard : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.Yes,
        });
        created.Profile.Width = Width ?? terminal.Width ?? 80;
        created.Profile.Height = 40;
        return created;
    }

    /// <summary>One line on stderr for a rejected input or a failure: "stemma: file:line: reason".</summary>
    public void ReportError(string message) => Error.WriteLine($"stemma: {message}");

    public void Log(string message)
    {
        if (Verbose)
        {
            Error.WriteLine(message);
        }
    }
}

/// <summary>A usage mistake the parser cannot see (e.g. an option combination): exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>Exit codes of every command.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int InputsRejected = 1;
    public const int Usage = 2;

    /// <summary>Stopped by Ctrl+C (128 + SIGINT, as shells report it).</summary>
    public const int Cancelled = 130;
}
