using Microsoft.Data.Sqlite;

namespace Stemma.Storage.Sqlite;

/// <summary>
/// The SQLite kind of <c>--db</c>: a file path (or a Microsoft.Data.Sqlite connection string, <c>Data Source=...</c>).
/// Accepts any value without a URI scheme that is not a server connection string (naming a Host or Server).
/// </summary>
public sealed class SqliteStoreProvider : IStoreProvider
{
    public string Name => "SQLite";

    public string Example => "a file path such as stemma.db";

    public bool Accepts(string location) =>
        !string.IsNullOrWhiteSpace(location) && StoreOpener.SchemeOf(location) is null && !StoreOpener.NamesKeyword(location, "host", "server");

    public string Describe(string location) => FileOf(location) ?? location;

    public bool? Exists(string location) => FileOf(location) is { } file ? File.Exists(file) : null;

    public IStore Create(string location)
    {
        try
        {
            return new SqliteStore(location);
        }
        catch (ArgumentException exception)
        {
            throw new StoreException($"Cannot use '{location}' as a SQLite database: {exception.Message}", exception);
        }
    }

    /// <summary>The database file a path or connection string names; null when it cannot be told.</summary>
    private static string? FileOf(string location)
    {
        if (!location.Contains('=', StringComparison.Ordinal))
        {
            return location;
        }

        try
        {
            var source = new SqliteConnectionStringBuilder(location).DataSource;
            return string.IsNullOrEmpty(source) ? null : source;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
