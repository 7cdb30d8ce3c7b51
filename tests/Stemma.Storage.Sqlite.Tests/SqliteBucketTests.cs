using Stemma.Testing.Storage;

namespace Stemma.Storage.Sqlite.Tests;

/// <summary>
/// The bucket index in two tables (recent rows apart, moved to the large table in bulk): look-ups read both, a move empties
/// the recent table at the documented point, updates and deletes find a row wherever it is, and older files migrate.
/// </summary>
public sealed class SqliteBucketTests : IDisposable
{
    private const int Bands = 3;

    private readonly TemporaryFolder _folder = new();

    private string DatabasePath => Path.Combine(_folder.Path, "buckets.db");

    public void Dispose() => _folder.Dispose();

    private static ulong[] KeysOf(int i, int version = 0) => [.. Enumerable.Range(0, Bands).Select(band => 0x4000_0000_0000_0000UL + (ulong)((i * 100) + (band * 10) + version))];

    private static StoredDocument Numbered(int i, int version = 0) =>
        StoreContractTests.Document($"doc-{i:D3}", contentHash: ((ulong)(i + 1) * 7919) + ((ulong)version * 13), bandKeys: KeysOf(i, version), body: $"Body {i} version {version}", seed: i);

    private long Rows(string table) => (long)Scalar($"SELECT COUNT(*) FROM {table}")!;

    private object? Scalar(string sql) => RawSqlite.Scalar(DatabasePath, sql);

    private async Task<SqliteStore> OpenAsync(long floor)
    {
        var store = new SqliteStore(DatabasePath) { RecentBucketsFloor = floor };
        await store.InitializeAsync();
        return store;
    }

    private static async Task AssertEachKeyFinds(SqliteStore store, IEnumerable<(string Id, ulong[] Keys)> documents)
    {
        var list = documents.ToList();
        foreach (var (id, keys) in list)
        {
            foreach (var key in keys)
            {
                // A key is one band's key; the look-up asks every band for it, as a probe's keys are given band by band.
                var found = await store.FindSketchCandidatesAsync([new SketchProbe(0, [.. Enumerable.Range(0, Bands).Select(band => band == Array.IndexOf(keys, key) ? key : 0UL)])]);
                Assert.Contains(id, found[0]);
            }

            Assert.Contains(id, await store.FindBandCandidatesAsync(keys));
        }
    }

    [Fact]
    public async Task Rows_move_to_the_large_table_once_the_recent_one_outgrows_an_eighth_of_it_and_look_ups_read_both()
    {
        // Floor 10 rows: the first move comes when the recent table would pass 10 rows, later ones when it passes an eighth
        // of the large table. Batches of 2 documents are 6 rows.
        await using var store = await OpenAsync(floor: 10);
        long recent = 0, moved = 0;
        var movesSeen = 0;
        var bothHeldRows = false;
        var added = new List<(string, ulong[])>();
        for (var batch = 0; batch < 30; batch++)
        {
            var documents = new[] { Numbered(2 * batch), Numbered((2 * batch) + 1) };
            await store.AddDocumentsAsync(documents);
            added.AddRange(documents.Select(d => (d.Article.Id, d.BandKeys.ToArray())));

            recent += 2 * Bands;
            if (recent > Math.Max(10, moved / 8))
            {
                moved += recent;
                recent = 0;
                movesSeen++;
            }

            Assert.Equal(recent, Rows("lsh_recent"));
            Assert.Equal(moved, Rows("lsh_buckets"));
            bothHeldRows |= recent > 0 && moved > 0;
        }

        Assert.True(movesSeen >= 3, $"only {movesSeen} moves");
        Assert.True(bothHeldRows);
        await AssertEachKeyFinds(store, added);
    }

    [Fact]
    public async Task An_update_or_a_delete_removes_the_rows_from_whichever_table_holds_them()
    {
        await using var store = await OpenAsync(floor: 10);
        await store.AddDocumentsAsync([.. Enumerable.Range(0, 4).Select(i => Numbered(i))]);   // 12 rows: moved
        await store.AddDocumentsAsync([Numbered(4)]);                                           // 3 rows: recent
        Assert.Equal(12, Rows("lsh_buckets"));
        Assert.Equal(3, Rows("lsh_recent"));

        // doc-001's rows are in the large table, doc-004's in the recent one; both change their keys.
        var outcomes = await store.AddDocumentsAsync([Numbered(1, version: 1), Numbered(4, version: 1)]);
        Assert.All(outcomes, outcome => Assert.Equal(AddStatus.Updated, outcome.Status));
        Assert.Equal(15, Rows("lsh_buckets") + Rows("lsh_recent"));
        foreach (var i in new[] { 1, 4 })
        {
            Assert.DoesNotContain($"doc-{i:D3}", await store.FindBandCandidatesAsync(KeysOf(i)));
        }

        await AssertEachKeyFinds(store, [("doc-001", KeysOf(1, 1)), ("doc-004", KeysOf(4, 1)), ("doc-000", KeysOf(0))]);

        Assert.Equal(2, await store.DeleteDocumentsAsync(["doc-000", "doc-004"]));
        Assert.Equal(9, Rows("lsh_buckets") + Rows("lsh_recent"));
        Assert.Empty(await store.FindBandCandidatesAsync([.. KeysOf(0), .. KeysOf(4, 1)]));

        await store.ClearAsync();
        Assert.Equal(0, Rows("lsh_buckets") + Rows("lsh_recent"));
        Assert.Equal(0L, Scalar("SELECT value FROM store_state WHERE key = 'merged_buckets'"));

        // After a clear the counts start again: the floor decides the next move, not what was moved before.
        await store.AddDocumentsAsync([Numbered(7), Numbered(8), Numbered(9)]);
        Assert.Equal(9, Rows("lsh_recent"));
        Assert.Equal(0, Rows("lsh_buckets"));
    }

    [Fact]
    public async Task A_file_of_the_previous_schema_counts_its_bucket_rows_as_moved_and_is_read_whole()
    {
        await using (var store = await OpenAsync(floor: 1))
        {
            await store.AddDocumentsAsync([.. Enumerable.Range(0, 5).Select(i => Numbered(i))]);
        }

        // Back to schema 4 as an older build left it: one bucket table, no counts.
        Assert.Equal(15L, Rows("lsh_buckets"));
        RawSqlite.Execute(
            DatabasePath,
            """
            DROP TABLE lsh_recent;
            DELETE FROM store_state WHERE key IN ('recent_buckets', 'merged_buckets');
            DELETE FROM schema_migrations WHERE version = 5;
            PRAGMA user_version = 4;
            """);

        await using var reopened = await OpenAsync(floor: 100);
        Assert.Equal((long)SqliteStore.SchemaVersion, Scalar("PRAGMA user_version"));
        Assert.Equal(15L, Scalar("SELECT value FROM store_state WHERE key = 'merged_buckets'"));
        await reopened.AddDocumentsAsync([Numbered(5)]);
        Assert.Equal(3, Rows("lsh_recent"));
        await AssertEachKeyFinds(reopened, Enumerable.Range(0, 6).Select(i => ($"doc-{i:D3}", KeysOf(i))));
    }
}
