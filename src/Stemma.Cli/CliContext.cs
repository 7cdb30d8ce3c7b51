using Spectre.Console;

namespace Stemma.Cli;

/// <summary>What every command writes to: results on <see cref="Out"/>, errors and progress on <see cref="Error"/>.</summary>
internal sealed class CliContext(TextWriter output, TextWriter error)
{
    public TextWriter Out { get; } = output;

    public TextWriter Error { get; } = error;

    public bool Verbose { get; set; }

    /// <summary>How inputs are read: the limits (<c>--limit</c>) and the id root (<c>--id-root</c>).</summary>
    public Stemma.Ingest.ReaderOptions ReaderOptions { get; set; } = Stemma.Ingest.ReaderOptions.Default;

    /// <summary>Progress bars only when a person watches stderr; logs are plain lines otherwise.</summary>
    public bool ShowProgress => ReferenceEquals(Error, System.Console.Error) && !System.Console.IsErrorRedirected && !Verbose;

    /// <summary>Spectre console over <see cref="Out"/>; colours only on a terminal.</summary>
    public IAnsiConsole Console { get; } = CreateConsole(output);

    private static IAnsiConsole CreateConsole(TextWriter output)
    {
        var terminal = ReferenceEquals(output, System.Console.Out) && !System.Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        });

        // Redirected output has no width of its own; wide enough that ids are not folded mid-word.
        if (!terminal)
        {
            console.Profile.Width = 200;
        }

        return console;
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
