using System.Text;

namespace Stemma.Storage.Sqlite;

/// <summary>
/// Writes many rows of one shape through one prepared statement of <see cref="RowsPerStatement"/> rows
/// (<c>INSERT ... VALUES (?, ?), (?, ?), ...</c>), bound by position; the last rows that do not fill one go one row per
/// statement. SQLite pays a statement's start-up (opening its cursors, a descent from the root of each b-tree) once per
/// statement, so one row per statement paid it once per row: inserting a 100k ingest region's 563,200 postings took
/// 0.87 s of CPU one row per statement, 0.37 s at 64 rows, 0.50 s through INSERT ... SELECT from a table (measured on a
/// copy of that store; docs/benchmarks.md, "Seventeenth pass"). Rows within a statement are written in their order, as
/// separate statements would write them. Not thread-safe (one session, one user).
/// </summary>
internal sealed class SqliteRows
{
    /// <summary>Rows per full statement (with 7 columns, 448 parameters: well under SQLite's limit of 32,766).</summary>
    public const int RowsPerStatement = 64;

    private readonly SqliteSession session;
    private readonly string full;
    private readonly string single;
    private readonly int columns;
    private SqliteStatement? statement;
    private int statementRows;
    private int row;
    private int column;
    private long remaining;

    /// <param name="insert">The statement up to its VALUES clause, e.g. <c>INSERT INTO t (a, b) VALUES</c>.</param>
    /// <param name="columns">Values per row.</param>
    /// <param name="conflict">What follows the rows, e.g. an <c>ON CONFLICT</c> clause.</param>
    public SqliteRows(SqliteSession session, string insert, int columns, string conflict = "")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        this.session = session;
        this.columns = columns;
        full = Sql(insert, columns, RowsPerStatement, conflict);
        single = Sql(insert, columns, 1, conflict);
    }

    /// <summary>
    /// Starts a run of <paramref name="rows"/> rows; each is its values (in column order), then <see cref="EndRow"/>. Give
    /// exactly that many: a statement runs once all its rows are bound, so rows short of a started statement are not written.
    /// </summary>
    public SqliteRows Start(long rows)
    {
        if (column != 0 || row != 0)
        {
            throw new InvalidOperationException("The previous run of rows was not finished.");
        }

        remaining = rows;
        statement = null;
        return this;
    }

    public SqliteRows Value(long value)
    {
        Current().BindAt(Next(), value);
        return this;
    }

    public SqliteRows Value(long? value) => value is { } known ? Value(known) : Null();

    public SqliteRows Value(double value)
    {
        Current().BindAt(Next(), value);
        return this;
    }

    public SqliteRows Value(double? value) => value is { } known ? Value(known) : Null();

    public SqliteRows Value(string? value)
    {
        Current().BindAt(Next(), value);
        return this;
    }

    /// <summary>A blob.</summary>
    public SqliteRows Value(ReadOnlySpan<byte> value)
    {
        Current().BindAt(Next(), value);
        return this;
    }

    /// <summary>UTF-8 text (the column's affinity applies, as to any bound text).</summary>
    public SqliteRows Text(ReadOnlySpan<byte> utf8)
    {
        Current().BindTextAt(Next(), utf8);
        return this;
    }

    public SqliteRows Null()
    {
        Current().BindNullAt(Next());
        return this;
    }

    /// <summary>Ends a row; runs the statement once all its rows are bound.</summary>
    public void EndRow()
    {
        if (column != columns)
        {
            throw new InvalidOperationException($"A row has {columns} values; {column} were given.");
        }

        column = 0;
        remaining--;
        if (++row == statementRows)
        {
            row = 0;
            var done = statement!;
            statement = null;
            done.Execute();
        }
    }

    private SqliteStatement Current()
    {
        if (statement is null)
        {
            if (remaining <= 0)
            {
                throw new InvalidOperationException("More rows were given than the run was started with.");
            }

            statementRows = remaining >= RowsPerStatement ? RowsPerStatement : 1;
            statement = session.Statement(statementRows == 1 ? single : full);
        }

        return statement;
    }

    /// <summary>The 1-based position of the next value's parameter.</summary>
    private int Next()
    {
        if (column == columns)
        {
            throw new InvalidOperationException($"A row has {columns} values; call EndRow after them.");
        }

        return (row * columns) + ++column;
    }

    private static string Sql(string insert, int columns, int rows, string conflict)
    {
        var tuple = "(" + string.Join(", ", Enumerable.Repeat("?", columns)) + ")";
        var sql = new StringBuilder(insert).Append(' ');
        for (var i = 0; i < rows; i++)
        {
            sql.Append(i == 0 ? string.Empty : ", ").Append(tuple);
        }

        return sql.Append(' ').Append(conflict).ToString();
    }
}
