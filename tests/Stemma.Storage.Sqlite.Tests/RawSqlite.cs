using Microsoft.Data.Sqlite;

namespace Stemma.Storage.Sqlite.Tests;

/// <summary>Statements run over a connection of their own, beside the store, so a test does not trust the store's code to read or set up the file.</summary>
internal static class RawSqlite
{
    public static object? Scalar(string path, string sql)
    {
        using var connection = Open(path);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    public static void Execute(string path, string sql)
    {
        using var connection = Open(path);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>An open connection of the test's own to the file.</summary>
    public static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        return connection;
    }
}
