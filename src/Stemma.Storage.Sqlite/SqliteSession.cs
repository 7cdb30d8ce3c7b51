using Microsoft.Data.Sqlite;

namespace Stemma.Storage.Sqlite;

/// <summary>
/// One open connection with its prepared commands, reused across operations so hot statements are compiled once.
/// A session is used by one operation at a time (the store hands them out); it is not thread-safe itself.
/// </summary>
internal sealed class SqliteSession : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SqliteStatement> _statements = new(StringComparer.Ordinal);

    private SqliteSession(SqliteConnection connection) => Connection = connection;

    public SqliteConnection Connection { get; }

    /// <param name="cacheKibibytes">Page cache size; the writer gets a large one because bulk ingest reworks the bucket index.</param>
    public static SqliteSession Open(string connectionString, int cacheKibibytes)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            using var pragmas = connection.CreateCommand();

            // busy_timeout: a reader or a second process holding the lock makes us wait, not fail.
            // synchronous=NORMAL is durable enough in WAL mode (a power cut may lose the last commits, never corrupt).
            // No memory map: every page read through one counts in this process's resident set, up to the map's size per
            // connection (with 256 MB maps the 100k ingest held 250-420 MB of the file resident), and reads through the
            // page cache cost the same CPU here.
            pragmas.CommandText = $"""
                PRAGMA busy_timeout = 10000;
                PRAGMA foreign_keys = ON;
                PRAGMA synchronous = NORMAL;
                PRAGMA temp_store = MEMORY;
                PRAGMA cache_size = -{cacheKibibytes};
                PRAGMA mmap_size = 0;
                """;
            pragmas.ExecuteNonQuery();
            return new SqliteSession(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>The prepared command for <paramref name="sql"/>, created on first use; parameters keep their last values.</summary>
    public SqliteCommand Command(string sql, SqliteTransaction? transaction = null)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = Connection.CreateCommand();
            command.CommandText = sql;
            _commands[sql] = command;
        }

        command.Transaction = transaction;
        return command;
    }

    /// <summary>
    /// The statement for <paramref name="sql"/> bound by position, prepared on first use (for statements run once per
    /// document or row on a hot path; see <see cref="SqliteStatement"/>). Bindings keep their last values.
    /// </summary>
    public SqliteStatement Statement(string sql)
    {
        if (!_statements.TryGetValue(sql, out var statement))
        {
            statement = new SqliteStatement(Connection, sql);
            _statements[sql] = statement;
        }

        return statement;
    }

    public void Dispose()
    {
        foreach (var statement in _statements.Values)
        {
            statement.Dispose();
        }

        _statements.Clear();
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        _commands.Clear();
        Connection.Dispose();
    }
}

internal static class SqliteCommandExtensions
{
    /// <summary>Sets a named parameter, adding it on the command's first use.</summary>
    public static SqliteCommand With(this SqliteCommand command, string name, object? value)
    {
        var index = command.Parameters.IndexOf(name);
        if (index < 0)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        else
        {
            command.Parameters[index].Value = value ?? DBNull.Value;
        }

        return command;
    }
}
