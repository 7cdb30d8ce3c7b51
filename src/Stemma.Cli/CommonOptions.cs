using System.CommandLine;

namespace Stemma.Cli;

/// <summary>Options several commands share, defined once so they read the same everywhere.</summary>
internal static class CommonOptions
{
    public static Option<string> Format(string defaultFormat, params string[] formats)
    {
        var option = new Option<string>("--format")
        {
            Description = $"Output format: {string.Join(", ", formats)}",
            DefaultValueFactory = _ => defaultFormat,
        };
        option.AcceptOnlyFromAmong(formats);
        return option;
    }

    public static Option<string> Database() => new("--db")
    {
        Description = "The database: a SQLite file, or a PostgreSQL server as postgres://user@host:port/database (or Host=...;Database=...)",
        DefaultValueFactory = _ => "stemma.db",
    };
}
