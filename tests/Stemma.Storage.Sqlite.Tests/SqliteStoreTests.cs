using Microsoft.Data.Sqlite;
using Stemma.Testing.Storage;

namespace Stemma.Storage.Sqlite.Tests;

/// <summary>What only the SQLite store promises: a durable file, WAL, migrations, clear errors, safe concurrent use.</summary>
public sealed class SqliteStoreTests : IDisposable
{
    private static readonly string[] Tables = ["documents", "document_bodies", "annotations", "signatures", "lsh_buckets", "pairs", "groups"];

    private readonly TemporaryFolder _folder = new();

    private string DatabasePath => Path.Combine(_folder.Path, "stemma.db");

    public void Dispose() => _folder.Dispose();

    private static StoredDocument Annotated(int i) => StoreContractTests.Document($"doc-{i}", contentHash: (uint)i | 0x8000_0000_0000_0000UL, bandKeys: [(ulong)i, (ulong)(i % 7), ulong.MaxValue - (ulong)i], seed: i) with
    {
        Article = new Article
        {
            Id = $"doc-{i}",
            Body = $"Body number {i}",
            Title = $"Title {i}",
            Date = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.FromHours(i % 5)).AddDays(i),
            Annotations = [new Annotation(AnnotationKind.ReadMore, $"Read more {i}", 1), new Annotation(AnnotationKind.Caption, "Photo", 2)],
        },
    };

    /// <summary>Row counts per table read over a separate raw connection, so the store's own code is not trusted.</summary>
    private Dictionary<string, long> RowCounts()
    {
        using var connection = RawSqlite.Open(DatabasePath);
        var counts = new Dictionary<string, long>();
        foreach (var table in Tables)
        {
            using var command = connection.CreateCommand();
            // The bucket index is two tables (SqliteStore.Buckets); a row is in one of them.
            command.CommandText = table == "lsh_buckets"
                ? "SELECT (SELECT COUNT(*) FROM lsh_buckets) + (SELECT COUNT(*) FROM lsh_recent)"
                : $"SELECT COUNT(*) FROM {table}";
            counts[table] = (long)command.ExecuteScalar()!;
        }

        return counts;
    }

    private object? Scalar(string sql) => RawSqlite.Scalar(DatabasePath, sql);

    [Fact]
    public async Task Reopening_after_dispose_keeps_everything()
    {
        var documents = Enumerable.Range(0, 50).Select(Annotated).ToArray();
        await using (var store = await SqliteStore.OpenAsync(DatabasePath))
        {
            await store.AddDocumentsAsync(documents);
            await store.AddPairsAsync([new PairScore("doc-1", "doc-2", 0.5, 0.6, "copy", 0.55)]);
            await store.SetGroupsAsync([new GroupAssignment("doc-1", "f", "s"), new GroupAssignment("doc-2", "f", "s")]);
        }

        await using var reopened = await SqliteStore.OpenAsync(DatabasePath);
        await reopened.WarmUpAsync();
        var listed = new List<StoredDocument>();
        await foreach (var document in reopened.ListDocumentsAsync())
        {
            listed.Add(document);
        }

        Assert.Equal(50, await reopened.CountDocumentsAsync());
        Assert.Equal(documents.Select(document => document.Article.Id), listed.Select(document => document.Article.Id));
        for (var i = 0; i < documents.Length; i++)
        {
            Assert.Equal(documents[i].Article.Annotations, listed[i].Article.Annotations);
            Assert.Equal(documents[i].Article.Date!.Value.Offset, listed[i].Article.Date!.Value.Offset);
            Assert.Equal(documents[i].Signature, listed[i].Signature);
            Assert.Equal(documents[i].BandKeys, listed[i].BandKeys);
            Assert.Equal(documents[i].ContentHash, listed[i].ContentHash);
        }

        Assert.Equal(["doc-3", "doc-10", "doc-17", "doc-24", "doc-31", "doc-38", "doc-45"], await reopened.FindBandCandidatesAsync([ulong.MaxValue, 3]));
        Assert.Single(await reopened.GetPairsAsync("doc-2"));
        Assert.Equal("doc-1", Assert.Single((await reopened.ListStoriesAsync(new StoryQuery())).Stories).FirstDocumentId);
        Assert.All(await reopened.AddDocumentsAsync(documents), outcome => Assert.Equal(AddStatus.Unchanged, outcome.Status));
    }

    [Fact]
    public async Task A_reader_s_postings_name_the_right_document_after_another_writer_deleted_and_added()
    {
        // Two stores on one file stand for two processes: a server reading, an ingest writing.
        await using var writer = await SqliteStore.OpenAsync(DatabasePath);
        await using var reader = await SqliteStore.OpenAsync(DatabasePath);
        await writer.AddDocumentsAsync([Annotated(1), Annotated(2)]);
        await writer.CommitRelateAsync(Posted(("doc-1", 1f), ("doc-2", 0.5f)));
        Assert.Equal(["doc-1", "doc-2"], (await reader.GetPostingsAsync([5], 10)).Select(p => p.DocumentId));

        await writer.DeleteDocumentsAsync(["doc-2"]);
        await writer.AddDocumentsAsync([Annotated(3)]);
        await writer.CommitRelateAsync(Posted(("doc-3", 0.7f)));
        Assert.Equal(2L, Scalar("SELECT seq FROM documents WHERE id = 'doc-3'")); // the deleted document's number, given again

        Assert.Equal(["doc-1", "doc-3"], (await reader.GetPostingsAsync([5], 10)).Select(p => p.DocumentId));
    }

    private static RelateCommit Posted(params (string Id, float Weight)[] postings) => new(
        [.. postings.Select(p => p.Id)],
        [.. postings.Select(p => new StoredPlacement(p.Id, p.Id, p.Id, null, null, null, 0))],
        [],
        [],
        [.. postings.Select(p => (p.Id, new[] { new PostedTerm(5, p.Weight) }))],
        [.. postings.Select(p => p.Id)]);

    [Fact]
    public async Task The_database_is_in_wal_mode()
    {
        await using var store = await SqliteStore.OpenAsync(DatabasePath);
        await store.AddDocumentsAsync([Annotated(1)]);

        Assert.Equal("wal", Scalar("PRAGMA journal_mode"));
        Assert.True(File.Exists(DatabasePath + "-wal"), "a WAL file exists while the store is open");
    }

    [Fact]
    public async Task Re_ingesting_the_same_batch_leaves_row_counts_unchanged()
    {
        var batch = Enumerable.Range(0, 100).Select(Annotated).ToArray();
        await using var store = await SqliteStore.OpenAsync(DatabasePath);

        var first = await store.AddDocumentsAsync(batch);
        var afterFirst = RowCounts();
        var second = await store.AddDocumentsAsync(batch);
        var afterSecond = RowCounts();

        Assert.All(first, outcome => Assert.Equal(AddStatus.Added, outcome.Status));
        Assert.All(second, outcome => Assert.Equal(AddStatus.Unchanged, outcome.Status));
        Assert.Equal(afterFirst, afterSecond);
        Assert.Equal(100, afterFirst["documents"]);
        Assert.Equal(100, afterFirst["document_bodies"]);
        Assert.Equal(200, afterFirst["annotations"]);
        Assert.Equal(100, afterFirst["signatures"]);
        Assert.Equal(300, afterFirst["lsh_buckets"]);
    }

    [Fact]
    public async Task Updating_a_document_replaces_its_rows_rather_than_adding_to_them()
    {
        await using var store = await SqliteStore.OpenAsync(DatabasePath);
        await store.AddDocumentsAsync([Annotated(1), Annotated(2)]);
        var before = RowCounts();

        var outcomes = await store.AddDocumentsAsync([Annotated(1) with { ContentHash = 12345, BandKeys = [9, 9, 9] }]);

        Assert.Equal(AddStatus.Updated, outcomes[0].Status);
        Assert.Equal(before, RowCounts());
        Assert.Equal(["doc-1"], await store.FindBandCandidatesAsync([0, 0, 9]));
    }

    [Fact]
    public async Task Readers_are_not_blocked_and_see_whole_batches_while_a_write_is_in_progress()
    {
        await using var store = await SqliteStore.OpenAsync(DatabasePath);
        await store.AddDocumentsAsync([Annotated(0)]);
        const int batchSize = 3000;
        var batch = Enumerable.Range(1, batchSize).Select(i => StoreContractTests.Document($"bulk-{i}", bandKeys: [42, (ulong)i], seed: i)).ToArray();

        var write = Task.Run(() => store.AddDocumentsAsync(batch));
        var observed = new List<long>();
        var readers = Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
        {
            var seen = new List<long>();
            while (!write.IsCompleted)
            {
                seen.Add(await store.CountDocumentsAsync());
                Assert.Equal("doc-0", (await store.GetDocumentAsync("doc-0"))?.Article.Id);
            }

            return seen;
        })).ToArray();

        await write;
        foreach (var reader in readers)
        {
            observed.AddRange(await reader);
        }

        Assert.All(observed, count => Assert.True(count == 1 || count == batchSize + 1, $"saw a partial batch: {count}"));
        Assert.Equal(batchSize + 1, await store.CountDocumentsAsync());
    }

    [Fact]
    public async Task Two_stores_on_one_file_can_both_write()
    {
        await using var first = await SqliteStore.OpenAsync(DatabasePath);
        await using var second = await SqliteStore.OpenAsync(DatabasePath);

        var writes = Enumerable.Range(0, 10).Select(i => Task.Run(() =>
            (i % 2 == 0 ? first : second).AddDocumentsAsync([.. Enumerable.Range(i * 100, 100).Select(Annotated)])));
        var outcomes = await Task.WhenAll(writes);

        Assert.All(outcomes.SelectMany(batch => batch), outcome => Assert.Equal(AddStatus.Added, outcome.Status));
        Assert.Equal(1000, await first.CountDocumentsAsync());
        Assert.Equal(1000, await second.CountDocumentsAsync());
    }

    [Fact]
    public async Task A_document_the_database_refuses_half_way_is_rejected_alone_and_leaves_no_rows()
    {
        await using (var created = await SqliteStore.OpenAsync(DatabasePath))
        {
        }

        // The refusal comes after the document's own row is written (bodies are written after documents), so the rows
        // written before it must be undone while the batch goes on.
        using (var connection = RawSqlite.Open(DatabasePath))
        {
            using var trigger = connection.CreateCommand();
            trigger.CommandText = "CREATE TRIGGER refuse BEFORE INSERT ON document_bodies WHEN NEW.body LIKE '%number 1' BEGIN SELECT RAISE(ABORT, 'refused by test'); END";
            trigger.ExecuteNonQuery();
        }

        await using var store = await SqliteStore.OpenAsync(DatabasePath);
        // Each counts its own term and a shared one: the refused document's must not be counted.
        var outcomes = await store.AddDocumentsAsync([.. Enumerable.Range(0, 3).Select(i => Annotated(i) with { Terms = [(uint)i, 100] })]);

        Assert.Equal([AddStatus.Added, AddStatus.Rejected, AddStatus.Added], outcomes.Select(outcome => outcome.Status));
        Assert.Contains("refused by test", outcomes[1].Error, StringComparison.Ordinal);
        Assert.Equal(["doc-0", "doc-2"], (await store.GetDocumentsAsync(["doc-0", "doc-1", "doc-2"])).Select(d => d.Article.Id));
        var counts = RowCounts();
        Assert.Equal(2, counts["documents"]);
        Assert.Equal(2, counts["signatures"]);
        Assert.Equal(4, counts["annotations"]);
        Assert.Equal(6, counts["lsh_buckets"]);
        Assert.Equal(2L, Scalar("SELECT COUNT(*) FROM pending"));
        Assert.Equal("0:1,2:1,100:2", Scalar("SELECT group_concat(term || ':' || df, ',') FROM (SELECT term, df FROM term_frequencies ORDER BY term)"));

        // The same statements serve the next batch after the refusal.
        var next = await store.AddDocumentsAsync([Annotated(3)]);
        Assert.Equal(AddStatus.Added, Assert.Single(next).Status);
    }

    [Fact]
    public async Task A_refusal_after_an_update_in_the_same_batch_keeps_the_update_once_and_the_store_consistent()
    {
        // The batch is written without a savepoint per document first; the refusal aborts that attempt, and what the
        // attempt had already written (the update before the refused document, and its term counts) must be neither lost
        // nor applied twice when the batch is written again.
        await using (var created = await SqliteStore.OpenAsync(DatabasePath))
        {
            var first = await created.AddDocumentsAsync([Annotated(0) with { Terms = [0, 100] }]);
            Assert.Equal(AddStatus.Added, Assert.Single(first).Status);
        }

        using (var connection = RawSqlite.Open(DatabasePath))
        {
            using var trigger = connection.CreateCommand();
            trigger.CommandText = "CREATE TRIGGER refuse BEFORE INSERT ON document_bodies WHEN NEW.body LIKE '%number 1' BEGIN SELECT RAISE(ABORT, 'refused by test'); END";
            trigger.ExecuteNonQuery();
        }

        await using var store = await SqliteStore.OpenAsync(DatabasePath);
        var changed = Annotated(0) with { ContentHash = 77, Terms = [7, 100], Article = Annotated(0).Article with { Body = "Body number 0, changed" } };
        var outcomes = await store.AddDocumentsAsync([changed, Annotated(1) with { Terms = [1, 100] }, Annotated(2) with { Terms = [2, 100] }]);

        Assert.Equal([AddStatus.Updated, AddStatus.Rejected, AddStatus.Added], outcomes.Select(outcome => outcome.Status));
        Assert.Equal("Body number 0, changed", (await store.GetDocumentAsync("doc-0"))!.Article.Body);
        Assert.Null(await store.GetDocumentAsync("doc-1"));
        var counts = RowCounts();
        Assert.Equal(2, counts["documents"]);
        Assert.Equal(4, counts["annotations"]);
        Assert.Equal(6, counts["lsh_buckets"]);
        Assert.Equal("2:1,7:1,100:2", Scalar("SELECT group_concat(term || ':' || df, ',') FROM (SELECT term, df FROM term_frequencies WHERE df > 0 ORDER BY term)"));
    }

    [Fact]
    public async Task A_file_that_is_not_a_database_gives_a_clear_error_naming_it()
    {
        var path = Path.Combine(_folder.Path, "notes.db");
        await File.WriteAllTextAsync(path, new string('x', 4096));

        var error = await Assert.ThrowsAsync<StoreException>(() => SqliteStore.OpenAsync(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.IsType<SqliteException>(error.InnerException);
    }

    [Fact]
    public async Task A_missing_folder_gives_a_clear_error_naming_the_file()
    {
        var path = Path.Combine(_folder.Path, "no", "such", "folder", "stemma.db");

        var error = await Assert.ThrowsAsync<StoreException>(() => SqliteStore.OpenAsync(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Operations_on_a_bad_file_also_raise_store_exception()
    {
        var path = Path.Combine(_folder.Path, "garbage.db");
        await File.WriteAllBytesAsync(path, [.. Enumerable.Range(0, 8192).Select(i => (byte)(i * 37))]);
        await using var store = new SqliteStore(path);

        var error = await Assert.ThrowsAsync<StoreException>(() => store.CountDocumentsAsync());

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_schema_version_is_recorded()
    {
        await using (var store = await SqliteStore.OpenAsync(DatabasePath))
        {
            Assert.Equal(5, SqliteStore.SchemaVersion);
        }

        Assert.Equal((long)SqliteStore.SchemaVersion, Scalar("PRAGMA user_version"));
        Assert.Equal((long)SqliteStore.SchemaVersion, Scalar("SELECT MAX(version) FROM schema_migrations"));

        // Opening again migrates nothing.
        await using (var store = await SqliteStore.OpenAsync(DatabasePath))
        {
            await store.InitializeAsync();
        }

        Assert.Equal((long)SqliteStore.SchemaVersion, Scalar("SELECT COUNT(*) FROM schema_migrations"));
    }

    [Fact]
    public async Task A_database_from_a_newer_version_is_refused_with_a_clear_error()
    {
        await using (await SqliteStore.OpenAsync(DatabasePath))
        {
        }

        Scalar("PRAGMA user_version = 99");

        var error = await Assert.ThrowsAsync<StoreException>(() => SqliteStore.OpenAsync(DatabasePath));

        Assert.Contains(DatabasePath, error.Message, StringComparison.Ordinal);
        Assert.Contains("99", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Content_hashes_are_stored_as_reinterpreted_signed_integers()
    {
        await using var store = await SqliteStore.OpenAsync(DatabasePath);
        await store.AddDocumentsAsync([StoreContractTests.Document("a", contentHash: ulong.MaxValue)]);

        Assert.Equal(-1L, Scalar("SELECT content_hash FROM documents"));
    }

    [Fact]
    public async Task A_connection_string_is_accepted_as_well_as_a_path()
    {
        await using var store = await SqliteStore.OpenAsync($"Data Source={DatabasePath};Default Timeout=5");
        await store.AddDocumentsAsync([Annotated(1)]);

        Assert.Equal(DatabasePath, store.DataSource);
        Assert.Equal(1L, Scalar("SELECT COUNT(*) FROM documents"));
    }

    [Theory]
    [InlineData(":memory:")]
    [InlineData("Data Source=x;Mode=Memory")]
    public void An_in_memory_sqlite_database_is_refused_in_favour_of_the_in_memory_store(string connection)
    {
        var error = Assert.Throws<ArgumentException>(() => new SqliteStore(connection));

        Assert.Contains(nameof(InMemoryStore), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_default_file_is_stemma_db_in_the_current_folder()
    {
        Assert.Equal("stemma.db", new SqliteStore().DataSource);
    }

    [Fact]
    public async Task Many_small_writes_are_checkpointed_beside_the_writer_so_the_wal_stays_bounded()
    {
        // The writer never checkpoints inside a commit; if nothing else did, every page of every one-document write
        // would stay in the WAL (about 16 KB per dirty page).
        const int writes = 600;
        await using (var store = await SqliteStore.OpenAsync(DatabasePath))
        {
            for (var i = 0; i < writes; i++)
            {
                await store.AddDocumentsAsync([Annotated(i)]);
                if (i % 30 == 29)
                {
                    // A pause, as between a newsroom's adds: the WAL is caught up and the next write restarts it. Waiting for
                    // the checkpoint rather than for a time keeps a loaded machine from failing the test.
                    await store.RunningCheckpoint;
                }
            }

            var walBytes = new FileInfo(DatabasePath + "-wal").Length;
            Assert.True(walBytes < 8 * 1024 * 1024, $"WAL of {walBytes} bytes after {writes} one-document writes");
            Assert.Equal(writes, await store.CountDocumentsAsync());
        }

        await using var reopened = await SqliteStore.OpenAsync(DatabasePath);
        Assert.Equal(writes, await reopened.CountDocumentsAsync());
    }

    [Fact]
    public async Task Disposing_closes_the_file_so_it_can_be_deleted()
    {
        var store = await SqliteStore.OpenAsync(DatabasePath);
        await store.AddDocumentsAsync([Annotated(1)]);
        _ = await store.CountDocumentsAsync();
        await store.DisposeAsync();

        File.Delete(DatabasePath);

        Assert.False(File.Exists(DatabasePath + "-wal"), "the last connection to close checkpoints and removes the WAL");
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.CountDocumentsAsync());
    }
}
