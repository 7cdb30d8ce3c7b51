namespace Stemma.Storage.Sqlite.Tests;

/// <summary>
/// Text bound to a prepared statement comes back as it was given, whatever its length and characters: the statement
/// encodes it into a reused buffer, so one value's bytes must never leak into the next, and a NUL inside the text is kept.
/// Read back over a connection of the test's own.
/// </summary>
public sealed class SqliteStatementTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    private string DatabasePath => Path.Combine(_folder.Path, "statement.db");

    public void Dispose() => _folder.Dispose();

    private List<string?> WriteAndReadBack(IReadOnlyList<string?> values)
    {
        RawSqlite.Execute(DatabasePath, "CREATE TABLE IF NOT EXISTS t (k INTEGER PRIMARY KEY, s TEXT)");
        using (var session = SqliteSession.Open($"Data Source={DatabasePath};Pooling=False", 1024))
        using (var transaction = session.Connection.BeginTransaction())
        {
            var insert = session.Statement("INSERT INTO t (k, s) VALUES ($k, $s)");
            for (var i = 0; i < values.Count; i++)
            {
                insert.Bind("$k", i).Bind("$s", values[i]).Execute();
            }

            transaction.Commit();
        }

        using var connection = RawSqlite.Open(DatabasePath);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT s FROM t ORDER BY k";
        using var reader = command.ExecuteReader();
        var read = new List<string?>();
        while (reader.Read())
        {
            read.Add(reader.IsDBNull(0) ? null : reader.GetString(0));
        }

        return read;
    }

    [Fact]
    public void Texts_of_every_length_and_script_come_back_unchanged_and_a_shorter_one_after_a_longer_takes_nothing_of_it()
    {
        var random = new Random(7);
        string[] alphabet = ["a", "b", "Z", "0", " ", "é", "ß", "“", "”", "—", "Ω", "漢", "🙂", "\n", "\t"];
        var values = new List<string?>();
        foreach (var length in new[] { 0, 1, 5, 300, 70_000, 2, 0, 4_000, 1 })
        {
            values.Add(string.Concat(Enumerable.Range(0, length).Select(_ => alphabet[random.Next(alphabet.Length)])));
            values.Add(null);
        }

        Assert.Equal(values, WriteAndReadBack(values));
    }

    [Fact]
    public void A_nul_inside_a_text_is_kept()
    {
        string?[] values = ["before\0after", "\0", "end\0"];

        Assert.Equal(values, WriteAndReadBack(values));
    }
}
