using Stemma.Lineage;
using Stemma.Relate;
using Stemma.Testing.Storage;

namespace Stemma.Storage.Sqlite.Tests;

/// <summary>
/// What a relate commit writes: only the rows that change (counted by triggers on a raw connection, so the store's own
/// code is not trusted), and schema 4's postings, including those migrated from schema 3.
/// </summary>
public sealed class SqliteCommitTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    private string DatabasePath => Path.Combine(_folder.Path, "stemma.db");

    public void Dispose() => _folder.Dispose();

    private void Execute(string sql) => RawSqlite.Execute(DatabasePath, sql);

    private List<string> Writes()
    {
        using var connection = RawSqlite.Open(DatabasePath);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT what FROM audit ORDER BY rowid";
        using var reader = command.ExecuteReader();
        var writes = new List<string>();
        while (reader.Read())
        {
            writes.Add(reader.GetString(0));
        }

        return writes;
    }

    private void AuditWrites()
    {
        var triggers = string.Concat(
            from table in new[] { "groups", "pairs", "lineage_trees" }
            from operation in new[] { "INSERT", "UPDATE", "DELETE" }
            select $"CREATE TRIGGER audit_{table}_{operation} AFTER {operation} ON {table} BEGIN INSERT INTO audit (what) VALUES ('{table} {operation.ToLowerInvariant()}'); END;");
        Execute("CREATE TABLE audit (what TEXT NOT NULL);" + triggers);
    }

    private static LineageTree Tree(string family, string story, string root, string child) =>
        new(family, story, root, [new LineageNode(root, false, null, null, "Root"), new LineageNode(child, false, null, null, null)], [new LineageEdge(root, child, Relations.Copy, 0.9, [])]);

    private static RelateCommit Region(long labeledAt, string parentOfC) => new(
        ["a", "b", "c", "d"],
        [
            new StoredPlacement("a", "a", "s", null, null, null, labeledAt),
            new StoredPlacement("b", "a", "s", "a", Relations.Copy, null, labeledAt),
            new StoredPlacement("c", "a", "s", parentOfC, Relations.Copy, null, labeledAt),
            new StoredPlacement("d", "d", "t", null, null, null, labeledAt),
        ],
        [new PairScore("a", "b", 0.9, 0.95, Relations.Copy, 0.97), new PairScore("a", "c", 0.8, 0.9, Relations.Copy, 0.93), new PairScore("b", "c", 0.85, 0.9, Relations.Copy, 0.94)],
        [Tree("a", "s", "a", "b"), Tree("d", "t", "d", "d")],
        [],
        []);

    [Fact]
    public async Task A_recommit_writes_only_the_rows_that_changed()
    {
        await using var store = await SqliteStore.OpenAsync(DatabasePath);
        await store.AddDocumentsAsync([.. new[] { "a", "b", "c", "d" }.Select((id, i) => StoreContractTests.Document(id, (ulong)i + 1, seed: i))]);
        await store.CommitRelateAsync(Region(labeledAt: 4, parentOfC: "a"));
        AuditWrites();

        // The same results: nothing is written.
        await store.CommitRelateAsync(Region(labeledAt: 4, parentOfC: "a"));
        Assert.Empty(Writes());

        // One placement changed: one row of groups; pairs and trees stay as they were.
        await store.CommitRelateAsync(Region(labeledAt: 4, parentOfC: "b"));
        Assert.Equal(["groups update"], Writes());
        Assert.Equal("b", Assert.Single(await store.GetPlacementsAsync(["c"])).Parent);

        // Related again on a bigger store with the same outcome: labeled_at moves on for every placement, nothing else.
        Execute("DELETE FROM audit");
        await store.CommitRelateAsync(Region(labeledAt: 8, parentOfC: "b"));
        Assert.Equal(Enumerable.Repeat("groups update", 4), Writes());
        Assert.All(await store.GetPlacementsAsync(["a", "b", "c", "d"]), placement => Assert.Equal(8, placement.LabeledAt));

        // A dropped pair is deleted and nothing else is written.
        Execute("DELETE FROM audit");
        var full = Region(labeledAt: 8, parentOfC: "b");
        await store.CommitRelateAsync(full with { Pairs = [.. full.Pairs.Where(p => !(p.A == "a" && p.B == "c"))] });
        Assert.Equal(["pairs delete"], Writes());
        Assert.DoesNotContain(await store.GetPairsAsync("c"), pair => pair.A == "a");
    }

    [Fact]
    public async Task Postings_stored_by_schema_3_are_kept_and_replaced_after_the_migration()
    {
        await using (var store = await SqliteStore.OpenAsync(DatabasePath))
        {
            await store.AddDocumentsAsync([StoreContractTests.Document("a", 1), StoreContractTests.Document("b", 2, seed: 1)]);
            await store.CommitRelateAsync(new RelateCommit(
                ["a", "b"],
                [new StoredPlacement("a", "a", "a", null, null, null, 2), new StoredPlacement("b", "b", "b", null, null, null, 2)],
                [],
                [],
                [("a", [new PostedTerm(1, 0.1f), new PostedTerm(2, 0.7071068f)]), ("b", [new PostedTerm(1, 1f / 3)])],
                ["a", "b"]));
        }

        // Back to schema 3's postings table (keyed by term and document, with the strongest-first index), as a store
        // written by the previous version holds it.
        Execute(
            """
            CREATE TABLE old_postings (term INTEGER NOT NULL, doc INTEGER NOT NULL, weight REAL NOT NULL, PRIMARY KEY (term, doc)) WITHOUT ROWID;
            INSERT INTO old_postings SELECT term, doc, weight FROM term_postings;
            DROP TABLE term_postings;
            ALTER TABLE old_postings RENAME TO term_postings;
            CREATE INDEX term_postings_strongest ON term_postings (term, weight DESC, doc);
            INSERT INTO lsh_buckets SELECT band, key, doc FROM lsh_recent;
            DROP TABLE lsh_recent;
            DELETE FROM store_state WHERE key IN ('recent_buckets', 'merged_buckets');
            DELETE FROM schema_migrations WHERE version IN (4, 5);
            PRAGMA user_version = 3;
            """);

        await using (var store = await SqliteStore.OpenAsync(DatabasePath))
        {
            // The migration's pages are in the database file once the store is open, not left in the WAL for the first
            // writes to wait on.
            Assert.Equal(0, new FileInfo(DatabasePath + "-wal").Length);
            Assert.Equal([("b", 1f / 3), ("a", 0.1f)], (await store.GetPostingsAsync([1], 10)).Select(p => (p.DocumentId, p.Weight)));
            Assert.Equal([("a", 0.7071068f)], (await store.GetPostingsAsync([2], 10)).Select(p => (p.DocumentId, p.Weight)));

            // The migrated rows are found by weight when a document's postings are replaced.
            await store.CommitRelateAsync(new RelateCommit(["a"], [new StoredPlacement("a", "a", "a", null, null, null, 3)], [], [], [("a", [new PostedTerm(3, 1f)])], []));
            Assert.Equal(["b"], (await store.GetPostingsAsync([1], 10)).Select(p => p.DocumentId));
            Assert.Empty(await store.GetPostingsAsync([2], 10));
            Assert.Equal(["a"], (await store.GetPostingsAsync([3], 10)).Select(p => p.DocumentId));
        }
    }
}
