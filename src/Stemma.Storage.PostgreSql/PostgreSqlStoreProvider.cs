namespace Stemma.Storage.PostgreSql;

/// <summary>
/// The PostgreSQL kind of <c>--db</c>: <c>postgres://user[:password]@host[:port]/database</c> (or <c>postgresql://</c>),
/// or an Npgsql connection string naming a Host (<c>Host=db;Username=stemma;Database=news</c>).
/// </summary>
public sealed class PostgreSqlStoreProvider : IStoreProvider
{
    public string Name => "PostgreSQL";

    public string Example => "postgres://user@host:port/database or Host=...;Database=...";

    public bool Accepts(string location) =>
        PostgreSqlConnectionString.IsUri(location) || StoreOpener.NamesKeyword(location, "host", "server");

    public string Describe(string location)
    {
        try
        {
            return PostgreSqlConnectionString.Describe(PostgreSqlConnectionString.Parse(location));
        }
        catch (StoreException)
        {
            return "a PostgreSQL server";
        }
    }

    /// <summary>Only connecting tells whether the database is there.</summary>
    public bool? Exists(string location) => null;

    public IStore Create(string location) => new PostgreSqlStore(location);
}
