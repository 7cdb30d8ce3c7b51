using System.Globalization;

namespace Stemma.Storage.Sqlite.Tests;

/// <summary>
/// A posting's weight is stored as the double SQLite makes of the float's shortest decimal text (earlier builds bound that
/// text); the store now binds the double itself, parsed in .NET. Both must give the same bits, or postings written by
/// earlier builds would no longer sort and match as before.
/// </summary>
public sealed class PostingWeightTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void The_double_bound_for_a_weight_is_the_one_SQLite_makes_of_its_shortest_text()
    {
        var random = new Random(20261205);
        var weights = new List<float> { 0f, 1f, 0.1f, 1e-7f, float.Epsilon, float.MaxValue, 16_777_217f, 0.3333333f, 2.7182817f };
        for (var i = 0; i < 200_000; i++)
        {
            // Every bit pattern of a finite positive float, and weights of the size postings have (a tenth to some dozens).
            weights.Add(i % 2 == 0 ? BitConverter.Int32BitsToSingle(random.Next(0, 0x7F800000)) : (float)(random.NextDouble() * 40));
        }

        var path = Path.Combine(_folder.Path, "weights.db");
        using var connection = RawSqlite.Open(path);
        using (var create = connection.CreateCommand())
        {
            create.CommandText = "CREATE TABLE w (k INTEGER PRIMARY KEY, weight REAL NOT NULL)";
            create.ExecuteNonQuery();
        }

        using (var transaction = connection.BeginTransaction())
        using (var insert = connection.CreateCommand())
        {
            insert.CommandText = "INSERT INTO w (k, weight) VALUES ($k, $text)";
            var k = insert.Parameters.Add("$k", Microsoft.Data.Sqlite.SqliteType.Integer);
            var text = insert.Parameters.Add("$text", Microsoft.Data.Sqlite.SqliteType.Text);
            for (var i = 0; i < weights.Count; i++)
            {
                k.Value = i;
                text.Value = weights[i].ToString("R", CultureInfo.InvariantCulture);
                insert.ExecuteNonQuery();
            }

            transaction.Commit();
        }

        using var read = connection.CreateCommand();
        read.CommandText = "SELECT k, weight FROM w ORDER BY k";
        using var reader = read.ExecuteReader();
        var mismatches = new List<string>();
        while (reader.Read())
        {
            var weight = weights[reader.GetInt32(0)];
            var stored = reader.GetDouble(1);
            var bound = SqliteEncoding.StoredWeight(weight);
            if (BitConverter.DoubleToInt64Bits(stored) != BitConverter.DoubleToInt64Bits(bound))
            {
                mismatches.Add($"{weight:R}: SQLite {stored:R}, bound {bound:R}");
            }
        }

        Assert.Empty(mismatches.Take(10));
    }
}
