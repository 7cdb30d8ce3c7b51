using Microsoft.Data.Sqlite;

namespace Stemma.Storage.Sqlite.Tests;

/// <summary>
/// Many rows per statement: every row arrives with its values in their columns whatever the count (full statements, the
/// one-row tail, both), conflicts resolve row by row in order as separate statements would, and a run misused is refused.
/// Checked against the rows the test itself generated, read back over a connection of its own.
/// </summary>
public sealed class SqliteRowsTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    private string DatabasePath => Path.Combine(_folder.Path, "rows.db");

    public void Dispose() => _folder.Dispose();

    private SqliteSession Open()
    {
        RawSqlite.Execute(DatabasePath, "CREATE TABLE IF NOT EXISTS t (k INTEGER PRIMARY KEY, n INTEGER, r REAL NOT NULL, s TEXT, b BLOB NOT NULL)");
        return SqliteSession.Open($"Data Source={DatabasePath};Pooling=False", 1024);
    }

    private static (long K, long? N, double R, string? S, byte[] B) Row(int i) =>
        (i * 3, i % 5 == 0 ? null : i * 1_000_000_007L, i / 7.0, i % 4 == 0 ? null : $"row {i} é", [.. Enumerable.Range(0, i % 3).Select(j => (byte)(i + j))]);

    private List<(long K, long? N, double R, string? S, byte[] B)> ReadBack()
    {
        using var connection = RawSqlite.Open(DatabasePath);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT k, n, r, s, b, typeof(b) FROM t ORDER BY k";
        using var reader = command.ExecuteReader();
        var rows = new List<(long, long?, double, string?, byte[])>();
        while (reader.Read())
        {
            Assert.Equal("blob", reader.GetString(5));
            rows.Add((reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetInt64(1), reader.GetDouble(2), reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetFieldValue<byte[]>(4)));
        }

        return rows;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(SqliteRows.RowsPerStatement - 1)]
    [InlineData(SqliteRows.RowsPerStatement)]
    [InlineData(SqliteRows.RowsPerStatement + 1)]
    [InlineData((3 * SqliteRows.RowsPerStatement) + 17)]
    public void Every_row_is_written_with_its_values_whatever_the_count(int count)
    {
        using (var session = Open())
        using (var transaction = session.Connection.BeginTransaction())
        {
            var rows = new SqliteRows(session, "INSERT INTO t (k, n, r, s, b) VALUES", 5).Start(count);
            for (var i = 0; i < count; i++)
            {
                var (k, n, r, s, b) = Row(i);
                rows.Value(k).Value(n).Value(r).Value(s).Value(b).EndRow();
            }

            transaction.Commit();
        }

        var expected = Enumerable.Range(0, count).Select(Row).ToList();
        var actual = ReadBack();
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < count; i++)
        {
            Assert.Equal(expected[i].K, actual[i].K);
            Assert.Equal(expected[i].N, actual[i].N);
            Assert.Equal(expected[i].R, actual[i].R);
            Assert.Equal(expected[i].S, actual[i].S);
            Assert.Equal(expected[i].B, actual[i].B);
        }
    }

    [Fact]
    public void Conflicting_rows_resolve_in_order_as_separate_statements_would()
    {
        // 150 rows over 10 keys, in both full statements and the tail: each key keeps the last row given for it, and
        // the upsert adds up what came before (a row may conflict with one earlier in its own statement).
        const int Count = 150;
        using (var session = Open())
        using (var transaction = session.Connection.BeginTransaction())
        {
            var rows = new SqliteRows(session, "INSERT INTO t (k, n, r, s, b) VALUES", 5, "ON CONFLICT (k) DO UPDATE SET n = n + excluded.n, s = excluded.s").Start(Count);
            for (var i = 0; i < Count; i++)
            {
                rows.Value(i % 10).Value(1L).Value(0.5).Value($"last {i}").Value(ReadOnlySpan<byte>.Empty).EndRow();
            }

            transaction.Commit();
        }

        var actual = ReadBack();
        Assert.Equal(10, actual.Count);
        foreach (var (k, n, _, s, b) in actual)
        {
            Assert.Equal(Count / 10, n);
            Assert.Equal($"last {Count - 10 + k}", s);
            Assert.Empty(b);
        }
    }

    [Fact]
    public void A_run_given_too_many_rows_or_values_is_refused()
    {
        using var session = Open();
        using var transaction = session.Connection.BeginTransaction();
        var rows = new SqliteRows(session, "INSERT INTO t (k, n, r, s, b) VALUES", 5).Start(1);
        rows.Value(1L);
        Assert.Throws<InvalidOperationException>(rows.EndRow);                                  // 1 value of 5
        rows.Value(2L).Value(3.0).Value("x").Value(new byte[] { 1 });
        Assert.Throws<InvalidOperationException>(() => rows.Value(4L));                         // a 6th value
        rows.EndRow();
        Assert.Throws<InvalidOperationException>(() => rows.Value(5L));                         // a row beyond the run
        Assert.Equal(1L, (long)new SqliteCommand("SELECT COUNT(*) FROM t", session.Connection, transaction).ExecuteScalar()!);
    }
}
