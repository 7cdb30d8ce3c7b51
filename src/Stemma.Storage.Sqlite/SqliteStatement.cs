using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Stemma.Storage.Sqlite;

/// <summary>
/// A statement prepared once on a session's connection and bound by position. The add path runs a handful of statements
/// per document; through <see cref="SqliteCommand"/> every execution looked up each named parameter again (converting
/// its name to UTF-8 and scanning the statement's names); resolved once here, the add step takes 12 % less CPU
/// (docs/benchmarks.md, "The add step alone"). Runs inside whatever transaction the connection has open. Not thread-safe
/// (one session, one user).
/// </summary>
internal sealed class SqliteStatement : IDisposable
{
    private readonly sqlite3 database;
    private readonly sqlite3_stmt statement;
    private readonly Dictionary<string, int> indexes = new(StringComparer.Ordinal);

    public SqliteStatement(SqliteConnection connection, string sql)
    {
        ArgumentNullException.ThrowIfNull(connection);
        database = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        Check(raw.sqlite3_prepare_v2(database, sql, out statement));
        var count = raw.sqlite3_bind_parameter_count(statement);
        for (var index = 1; index <= count; index++)
        {
            var name = raw.sqlite3_bind_parameter_name(statement, index).utf8_to_string();
            if (name is not null)
            {
                indexes[name] = index;
            }
        }
    }

    public SqliteStatement Bind(string name, long value) => BindAt(Index(name), value);

    public SqliteStatement Bind(string name, long? value) => value is { } known ? Bind(name, known) : BindNull(name);

    public SqliteStatement Bind(string name, string? value) => BindAt(Index(name), value);

    public SqliteStatement Bind(string name, double value) => BindAt(Index(name), value);

    public SqliteStatement Bind(string name, double? value) => value is { } known ? Bind(name, known) : BindNull(name);

    /// <summary>Binds UTF-8 text (the column's affinity applies, as it does to any bound text).</summary>
    public SqliteStatement BindText(string name, ReadOnlySpan<byte> utf8) => BindTextAt(Index(name), utf8);

    public SqliteStatement Bind(string name, ReadOnlySpan<byte> value) => BindAt(Index(name), value);

    public SqliteStatement BindNull(string name) => BindNullAt(Index(name));

    /// <summary>Binds the parameter at <paramref name="index"/> (1-based, as SQLite numbers them; for <c>?</c> parameters).</summary>
    public SqliteStatement BindAt(int index, long value)
    {
        Check(raw.sqlite3_bind_int64(statement, index, value));
        return this;
    }

    public SqliteStatement BindAt(int index, string? value)
    {
        if (value is null)
        {
            return BindNullAt(index);
        }

        // Encoded into a rented array and bound by its length (SQLite copies it): the string overload made a new UTF-8 array
        // for every value, the article bodies' among them (345 MB over a 100k ingest).
        var utf8 = System.Buffers.ArrayPool<byte>.Shared.Rent(System.Text.Encoding.UTF8.GetMaxByteCount(value.Length));
        try
        {
            var length = System.Text.Encoding.UTF8.GetBytes(value, utf8);
            return BindTextAt(index, utf8.AsSpan(0, length));
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(utf8);
        }
    }

    public SqliteStatement BindAt(int index, double value)
    {
        Check(raw.sqlite3_bind_double(statement, index, value));
        return this;
    }

    public SqliteStatement BindAt(int index, ReadOnlySpan<byte> value)
    {
        Check(raw.sqlite3_bind_blob(statement, index, value));
        return this;
    }

    public SqliteStatement BindTextAt(int index, ReadOnlySpan<byte> utf8)
    {
        Check(raw.sqlite3_bind_text(statement, index, utf8));
        return this;
    }

    public SqliteStatement BindNullAt(int index)
    {
        Check(raw.sqlite3_bind_null(statement, index));
        return this;
    }

    /// <summary>Runs the statement to its end.</summary>
    public void Execute()
    {
        try
        {
            int code;
            while ((code = raw.sqlite3_step(statement)) == raw.SQLITE_ROW)
            {
            }

            Check(code, raw.SQLITE_DONE);
        }
        finally
        {
            raw.sqlite3_reset(statement);
        }
    }

    /// <summary>Runs the statement and returns the first column of its first row as an integer (null without a row).</summary>
    public long? ExecuteInt64()
    {
        try
        {
            var code = raw.sqlite3_step(statement);
            if (code == raw.SQLITE_DONE)
            {
                return null;
            }

            Check(code, raw.SQLITE_ROW);
            var value = raw.sqlite3_column_int64(statement, 0);
            while ((code = raw.sqlite3_step(statement)) == raw.SQLITE_ROW)
            {
            }

            Check(code, raw.SQLITE_DONE);
            return value;
        }
        finally
        {
            raw.sqlite3_reset(statement);
        }
    }

    /// <summary>Steps to the next row; false at the end (the statement is then reset). Call <see cref="Reset"/> to stop early.</summary>
    public bool Read()
    {
        var code = raw.sqlite3_step(statement);
        if (code == raw.SQLITE_ROW)
        {
            return true;
        }

        raw.sqlite3_reset(statement);
        Check(code, raw.SQLITE_DONE);
        return false;
    }

    public void Reset() => raw.sqlite3_reset(statement);

    public long Int64(int column) => raw.sqlite3_column_int64(statement, column);

    public double Double(int column) => raw.sqlite3_column_double(statement, column);

    public bool IsNull(int column) => raw.sqlite3_column_type(statement, column) == raw.SQLITE_NULL;

    public ReadOnlySpan<byte> Blob(int column) => raw.sqlite3_column_blob(statement, column);

    public void Dispose() => statement.Dispose();

    private int Index(string name) =>
        indexes.TryGetValue(name, out var index) ? index : throw new ArgumentException($"The statement has no parameter {name}.", nameof(name));

    private void Check(int code, int expected = raw.SQLITE_OK)
    {
        if (code != expected)
        {
            SqliteException.ThrowExceptionForRC(code, database);
        }
    }
}
