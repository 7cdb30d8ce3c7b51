using System.Globalization;
using System.Runtime.CompilerServices;
using Npgsql;
using NpgsqlTypes;

namespace Stemma.Storage.PostgreSql;

/// <summary>
/// The server <see cref="IStore"/>: one PostgreSQL database, reached through Npgsql's pooled data source.
/// Reads take a pooled connection each. Writes are one transaction per batch, serialized inside this process by a gate
/// and across processes by a transaction-scoped advisory lock (the role SQLite's <c>BEGIN IMMEDIATE</c> plays), and
/// they go to the server in bulk: one lookup of the batch's ids, binary COPY for new rows, array (<c>unnest</c>)
/// statements for updates and deletions, so a batch costs a fixed number of round trips, not one per document.
/// </summary>
public sealed partial class PostgreSqlStore : IStore
{
    /// <summary>Advisory lock keys (per database): one for write transactions, one for migrations, one for the ingest writer lock.</summary>
    private const long WriteTransactionLockKey = 0x5374_656D_6D61_0001;
    private const long MigrationLockKey = 0x5374_656D_6D61_0002;
    private const long WriterLockKey = 0x5374_656D_6D61_0003;

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _lockConnectionString;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private volatile bool _initialized;
    private volatile bool _disposed;

    /// <param name="uriOrConnectionString">
    /// <c>postgres://user[:password]@host[:port]/database[?keyword=value...]</c> (or <c>postgresql://</c>), or an Npgsql
    /// connection string (<c>Host=...;Username=...;Database=...</c>). Nothing is contacted until first use.
    /// </param>
    /// <exception cref="StoreException">The value is not a usable URI or connection string.</exception>
    public PostgreSqlStore(string uriOrConnectionString)
    {
        var builder = PostgreSqlConnectionString.Parse(uriOrConnectionString);
        Server = PostgreSqlConnectionString.Describe(builder);
        builder.ApplicationName ??= "stemma";
        _dataSource = NpgsqlDataSource.Create(builder);

        // The writer lock lives as long as one session: its connection must really close (not return to a pool) on release.
        var lockBuilder = new NpgsqlConnectionStringBuilder(builder.ConnectionString) { Pooling = false };
        _lockConnectionString = lockBuilder.ConnectionString;
    }

    /// <summary>host:port/database, for messages.</summary>
    public string Server { get; }

    /// <summary>The schema version this build writes (the highest version in <c>schema_migrations</c>).</summary>
    public static int SchemaVersion => PostgreSqlSchema.CurrentVersion;

    /// <summary>Connects to <paramref name="uriOrConnectionString"/> and creates or migrates the schema.</summary>
    /// <exception cref="StoreException">The server cannot be reached or the database cannot be used as a Stemma store.</exception>
    public static async Task<PostgreSqlStore> OpenAsync(string uriOrConnectionString, CancellationToken cancellationToken = default)
    {
        var store = new PostgreSqlStore(uriOrConnectionString);
        try
        {
            await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
            return store;
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_initialized)
            {
                return;
            }

            try
            {
                await MigrateAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is NpgsqlException or InvalidOperationException or System.Net.Sockets.SocketException
                && !cancellationToken.IsCancellationRequested)
            {
                throw new StoreException($"Cannot use PostgreSQL database {Server} as a Stemma store: {exception.Message}", exception);
            }

            _initialized = true;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    // ---- documents ----------------------------------------------------------------------------------------------

    public Task<IReadOnlyList<AddOutcome>> AddDocumentsAsync(IReadOnlyList<StoredDocument> documents, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documents);
        return WriteAsync<IReadOnlyList<AddOutcome>>(
            async (connection, transaction) =>
            {
                var outcomes = new List<AddOutcome>(documents.Count);
                var ids = documents.Where(document => StoreRules.Validate(document) is null).Select(document => document.Article.Id).Distinct().ToArray();
                var entries = await FindExistingAsync(connection, transaction, ids, cancellationToken).ConfigureAwait(false);

                // Decide every outcome first, in input order (a repeated id sees what came before it in the batch).
                var changed = new List<Entry>();
                foreach (var document in documents)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var error = StoreRules.Validate(document) ?? NulError(document);
                    if (error is not null)
                    {
                        outcomes.Add(new AddOutcome(document?.Article?.Id ?? string.Empty, AddStatus.Rejected, error));
                        continue;
                    }

                    var id = document.Article.Id;
                    if (entries.TryGetValue(id, out var entry))
                    {
                        if (entry.ContentHash == document.ContentHash)
                        {
                            outcomes.Add(new AddOutcome(id, AddStatus.Unchanged));
                            continue;
                        }

                        outcomes.Add(new AddOutcome(id, AddStatus.Updated));
                    }
                    else
                    {
                        entry = new Entry(id) { IsNew = true };
                        entries[id] = entry;
                        outcomes.Add(new AddOutcome(id, AddStatus.Added));
                    }

                    if (entry.Final is null)
                    {
                        changed.Add(entry);
                    }

                    entry.ContentHash = document.ContentHash;
                    entry.Final = Snapshot(document);
                }

                if (changed.Count > 0)
                {
                    await WriteChangedAsync(connection, transaction, changed, cancellationToken).ConfigureAwait(false);
                }

                return outcomes;
            },
            cancellationToken);
    }

    public async Task<StoredDocument?> GetDocumentAsync(string id, CancellationToken cancellationToken = default) =>
        id is null ? null : (await GetDocumentsAsync([id], cancellationToken).ConfigureAwait(false)).FirstOrDefault();

    public Task<IReadOnlyList<StoredDocument>> GetDocumentsAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        return ReadAsync<IReadOnlyList<StoredDocument>>(
            async connection =>
            {
                var wanted = ids.Where(id => id is not null).Distinct(StringComparer.Ordinal).ToArray();
                var byId = new Dictionary<string, StoredDocument>(StringComparer.Ordinal);
                await using (var command = Command(connection, null, SelectDocumentSql + " WHERE d.id = ANY($1)", (object)wanted))
                {
                    await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        var document = ReadDocument(reader);
                        byId[document.Article.Id] = document;
                    }
                }

                return [.. ids.Where(id => id is not null && byId.ContainsKey(id)).Select(id => byId[id])];
            },
            cancellationToken);
    }

    public Task<long> CountDocumentsAsync(CancellationToken cancellationToken = default) =>
        ScalarAsync<long>("SELECT COUNT(*) FROM documents", cancellationToken);

    public async IAsyncEnumerable<StoredDocument> ListDocumentsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);

        // A read-only transaction for one consistent snapshot; Npgsql streams the rows as they are read.
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, transaction, SelectDocumentSql + " ORDER BY d.seq");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return ReadDocument(reader);
        }
    }

    public Task<int> DeleteDocumentsAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        return WriteAsync(
            async (connection, transaction) =>
            {
                var wanted = ids.Where(id => id is not null).Distinct(StringComparer.Ordinal).ToArray();
                var found = (await FindExistingAsync(connection, transaction, wanted, cancellationToken).ConfigureAwait(false)).Values
                    .OrderBy(entry => entry.Sequence).ToList();
                if (found.Count == 0)
                {
                    return 0;
                }

                var termCounts = new Dictionary<uint, (int Delta, long First)>();
                await DeleteIndexRowsAsync(connection, transaction, found, termCounts, cancellationToken).ConfigureAwait(false);
                await ExecuteAsync(connection, transaction, "DELETE FROM documents WHERE seq = ANY($1)", cancellationToken, found.Select(entry => entry.Sequence).ToArray()).ConfigureAwait(false);
                await UpdateTermFrequenciesAsync(connection, transaction, termCounts, cancellationToken).ConfigureAwait(false);
                return found.Count;
            },
            cancellationToken);
    }

    public Task ClearAsync(CancellationToken cancellationToken = default) =>
        WriteAsync(
            async (connection, transaction) =>
            {
                await ExecuteAsync(
                    connection,
                    transaction,
                    "TRUNCATE pairs, groups, annotations, signatures, document_bodies, lsh_buckets, pending, document_terms, term_frequencies, term_postings, lineage_trees, documents",
                    cancellationToken).ConfigureAwait(false);
                return 0;
            },
            cancellationToken);

    // ---- candidate index: hashes and bands ------------------------------------------------------------------------

    public Task<IReadOnlyList<string>> FindByContentHashAsync(ulong contentHash, CancellationToken cancellationToken = default) =>
        ReadAsync(
            connection => ReadStringsAsync(
                Command(connection, null, "SELECT id FROM documents WHERE content_hash = $1 ORDER BY seq", ToStored(contentHash)), cancellationToken),
            cancellationToken);

    public Task<IReadOnlyList<string>> FindBandCandidatesAsync(IReadOnlyList<ulong> bandKeys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bandKeys);
        var bands = Enumerable.Range(0, bandKeys.Count).ToArray();
        var keys = bandKeys.Select(ToStored).ToArray();
        return ReadAsync(
            connection => ReadStringsAsync(
                Command(
                    connection,
                    null,
                    """
                    SELECT d.id FROM documents d
                    WHERE d.seq IN (SELECT b.doc FROM unnest($1::integer[], $2::bigint[]) AS q (band, key)
                                    JOIN lsh_buckets b ON b.band = q.band AND b.key = q.key)
                    ORDER BY d.seq
                    """,
                    bands,
                    keys),
                cancellationToken),
            cancellationToken);
    }

    public Task<IReadOnlyList<IReadOnlyList<string>>> FindSketchCandidatesAsync(IReadOnlyList<SketchProbe> probes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(probes);
        var hashProbes = Enumerable.Range(0, probes.Count).ToArray();
        var hashes = probes.Select(p => ToStored(p.ContentHash)).ToArray();
        var bandProbes = probes.SelectMany((p, i) => Enumerable.Repeat(i, p.BandKeys.Count)).ToArray();
        var bands = probes.SelectMany(p => Enumerable.Range(0, p.BandKeys.Count)).ToArray();
        var keys = probes.SelectMany(p => p.BandKeys.Select(ToStored)).ToArray();
        return ReadAsync<IReadOnlyList<IReadOnlyList<string>>>(
            async connection =>
            {
                // One statement for the whole batch: each probe's hash and band matches, merged per probe (UNION drops
                // repeats), in insertion order.
                await using var command = Command(
                    connection,
                    null,
                    """
                    SELECT m.probe, d.id FROM (
                        SELECT h.probe, d.seq FROM unnest($1::integer[], $2::bigint[]) AS h (probe, hash)
                        JOIN documents d ON d.content_hash = h.hash
                        UNION
                        SELECT q.probe, b.doc FROM unnest($3::integer[], $4::integer[], $5::bigint[]) AS q (probe, band, key)
                        JOIN lsh_buckets b ON b.band = q.band AND b.key = q.key) m
                    JOIN documents d ON d.seq = m.seq
                    ORDER BY m.probe, m.seq
                    """,
                    hashProbes,
                    hashes,
                    bandProbes,
                    bands,
                    keys);
                var found = new List<string>[probes.Count];
                for (var p = 0; p < found.Length; p++)
                {
                    found[p] = [];
                }

                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    found[reader.GetInt32(0)].Add(reader.GetString(1));
                }

                return found;
            },
            cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;

        // Wait for a write in progress to finish rather than pull its connection away.
        await _writeGate.WaitAsync().ConfigureAwait(false);
        try
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    // ---- writing a batch of documents -----------------------------------------------------------------------------

    private const string SelectDocumentSql =
        """
        SELECT d.seq, d.id, d.source_path, d.title, b.body, d.content_hash, d.date_utc_ticks, d.date_offset_minutes,
            d.site, d.url, d.author, d.language, d.attribution, d.format, d.ingested_at_ticks, s.signature, s.band_keys,
            n.positions, n.kinds, n.texts
        FROM documents d JOIN signatures s ON s.doc = d.seq JOIN document_bodies b ON b.doc = d.seq
        LEFT JOIN LATERAL (
            SELECT array_agg(a.position ORDER BY a.ordinal) AS positions, array_agg(a.kind ORDER BY a.ordinal) AS kinds,
                array_agg(a.text ORDER BY a.ordinal) AS texts
            FROM annotations a WHERE a.doc = d.seq) n ON true
        """;

    /// <summary>What the store holds for one id (when it held it before this batch) and what the batch leaves.</summary>
    private sealed class Entry(string id)
    {
        public string Id { get; } = id;

        public long Sequence { get; set; }

        public bool IsNew { get; init; }

        public ulong ContentHash { get; set; }

        public long[] StoredBandKeys { get; init; } = [];

        public long[] StoredTerms { get; init; } = [];

        public long[]? StoredPosted { get; init; }

        /// <summary>The version this batch writes; null while the batch has not changed the document.</summary>
        public StoredDocument? Final { get; set; }
    }

    private static async Task<Dictionary<string, Entry>> FindExistingAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string[] ids, CancellationToken cancellationToken)
    {
        var entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
        if (ids.Length == 0)
        {
            return entries;
        }

        await using var command = Command(
            connection,
            transaction,
            """
            SELECT d.seq, d.id, d.content_hash, s.band_keys, t.terms, t.posted_terms
            FROM documents d LEFT JOIN signatures s ON s.doc = d.seq LEFT JOIN document_terms t ON t.doc = d.seq
            WHERE d.id = ANY($1)
            """,
            (object)ids);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var id = reader.GetString(1);
            entries[id] = new Entry(id)
            {
                Sequence = reader.GetInt64(0),
                ContentHash = FromStored(reader.GetInt64(2)),
                StoredBandKeys = reader.IsDBNull(3) ? [] : reader.GetFieldValue<long[]>(3),
                StoredTerms = reader.IsDBNull(4) ? [] : reader.GetFieldValue<long[]>(4),
                StoredPosted = reader.IsDBNull(5) ? null : reader.GetFieldValue<long[]>(5),
            };
        }

        return entries;
    }

    /// <summary>PostgreSQL text cannot hold U+0000; say so instead of failing the whole batch on the server.</summary>
    private static string? NulError(StoredDocument document)
    {
        var article = document.Article;
        string?[] fields = [article.Id, article.Body, article.Title, article.SourcePath, article.Site, article.Url, article.Author, article.Language, article.Attribution, article.Format];
        return fields.Any(HasNul) || article.Annotations.Any(annotation => HasNul(annotation.Text))
            ? "contains a NUL character (U+0000), which PostgreSQL text cannot store"
            : null;

        static bool HasNul(string? value) => value is not null && value.Contains('\0', StringComparison.Ordinal);
    }

    /// <summary>A copy of the arrays, so a caller changing them after the call cannot change what is written.</summary>
    private static StoredDocument Snapshot(StoredDocument document) => document with
    {
        Signature = [.. document.Signature],
        BandKeys = [.. document.BandKeys],
        Terms = document.Terms is null ? null : [.. document.Terms],
    };

    private async Task WriteChangedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, List<Entry> changed, CancellationToken cancellationToken)
    {
        // Reserve insertion positions for the new documents in one round trip, in batch order.
        var added = changed.Where(entry => entry.IsNew).ToList();
        if (added.Count > 0)
        {
            var sequences = new List<long>(added.Count);
            await using (var command = Command(connection, transaction, "SELECT nextval('documents_seq') FROM generate_series(1, $1)", added.Count))
            {
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    sequences.Add(reader.GetInt64(0));
                }
            }

            sequences.Sort();
            for (var i = 0; i < added.Count; i++)
            {
                added[i].Sequence = sequences[i];
            }
        }

        var termCounts = new Dictionary<uint, (int Delta, long First)>();
        var replaced = changed.Where(entry => !entry.IsNew).ToList();
        if (replaced.Count > 0)
        {
            // Updated documents: drop the old version's index rows, children and stale pair scores; keep the row itself
            // (its position, ingestion time and placement stay).
            await DeleteIndexRowsAsync(connection, transaction, replaced, termCounts, cancellationToken).ConfigureAwait(false);
            var sequences = replaced.Select(entry => entry.Sequence).ToArray();
            await BatchAsync(
                connection,
                transaction,
                cancellationToken,
                ("DELETE FROM annotations WHERE doc = ANY($1)", [sequences]),
                ("DELETE FROM document_bodies WHERE doc = ANY($1)", [sequences]),
                ("DELETE FROM signatures WHERE doc = ANY($1)", [sequences]),
                ("DELETE FROM document_terms WHERE doc = ANY($1)", [sequences]),
                ("DELETE FROM pairs WHERE a = ANY($1) OR b = ANY($1)", [sequences])).ConfigureAwait(false);
            await UpdateDocumentRowsAsync(connection, transaction, replaced, cancellationToken).ConfigureAwait(false);
        }

        var ingestedAt = DateTimeOffset.UtcNow.UtcTicks;
        if (added.Count > 0)
        {
            await CopyAsync(
                connection,
                "COPY documents (seq, id, source_path, title, title_folded, content_hash, date_utc_ticks, date_offset_minutes, site, url, author, language, attribution, format, ingested_at_ticks) FROM STDIN (FORMAT BINARY)",
                added,
                async (writer, entry) =>
                {
                    var document = entry.Final!;
                    var article = document.Article;
                    await writer.WriteAsync(entry.Sequence, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                    await writer.WriteAsync(article.Id, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                    await WriteTextAsync(writer, article.SourcePath, cancellationToken).ConfigureAwait(false);
                    await WriteTextAsync(writer, article.Title, cancellationToken).ConfigureAwait(false);
                    await writer.WriteAsync(StoreRules.FoldForSearch(article.Title), NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                    await writer.WriteAsync(ToStored(document.ContentHash), NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                    if (article.Date is { } date)
                    {
                        await writer.WriteAsync(date.UtcTicks, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                        await writer.WriteAsync((long)date.Offset.TotalMinutes, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                    }
                    else
                    {
                        await writer.WriteNullAsync(cancellationToken).ConfigureAwait(false);
                        await writer.WriteNullAsync(cancellationToken).ConfigureAwait(false);
                    }

                    foreach (var text in new[] { article.Site, article.Url, article.Author, article.Language, article.Attribution, article.Format })
                    {
                        await WriteTextAsync(writer, text, cancellationToken).ConfigureAwait(false);
                    }

                    await writer.WriteAsync(ingestedAt, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                },
                cancellationToken).ConfigureAwait(false);
        }

        await CopyAsync(
            connection,
            "COPY document_bodies (doc, body) FROM STDIN (FORMAT BINARY)",
            changed,
            async (writer, entry) =>
            {
                await writer.WriteAsync(entry.Sequence, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                await writer.WriteAsync(entry.Final!.Article.Body, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
        await CopyAsync(
            connection,
            "COPY signatures (doc, signature, band_keys) FROM STDIN (FORMAT BINARY)",
            changed,
            async (writer, entry) =>
            {
                await writer.WriteAsync(entry.Sequence, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                await writer.WriteAsync(Array.ConvertAll(entry.Final!.Signature, value => unchecked((int)value)), NpgsqlDbType.Array | NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                await writer.WriteAsync(Array.ConvertAll(entry.Final.BandKeys, ToStored), NpgsqlDbType.Array | NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);

        var annotations = changed.SelectMany(entry => entry.Final!.Article.Annotations.Select((annotation, ordinal) => (entry.Sequence, ordinal, annotation))).ToList();
        await CopyAsync(
            connection,
            "COPY annotations (doc, ordinal, position, kind, text) FROM STDIN (FORMAT BINARY)",
            annotations,
            async (writer, row) =>
            {
                await writer.WriteAsync(row.Sequence, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                await writer.WriteAsync(row.ordinal, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                await writer.WriteAsync(row.annotation.Position, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                await writer.WriteAsync(row.annotation.Kind.ToKebabCase(), NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await writer.WriteAsync(row.annotation.Text, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);

        foreach (var entry in changed)
        {
            foreach (var term in entry.Final!.Terms ?? [])
            {
                termCounts[term] = termCounts.TryGetValue(term, out var known) ? (known.Delta + 1, known.First) : (1, entry.Sequence);
            }
        }

        await CopyAsync(
            connection,
            "COPY document_terms (doc, terms) FROM STDIN (FORMAT BINARY)",
            changed,
            async (writer, entry) =>
            {
                await writer.WriteAsync(entry.Sequence, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                await writer.WriteAsync(Array.ConvertAll(entry.Final!.Terms ?? [], term => (long)term), NpgsqlDbType.Array | NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);

        // Bucket rows in index order: consecutive rows land on the same index pages.
        var buckets = new List<(int Band, long Key, long Sequence)>(changed.Count * 32);
        foreach (var entry in changed)
        {
            var keys = entry.Final!.BandKeys;
            for (var band = 0; band < keys.Length; band++)
            {
                buckets.Add((band, ToStored(keys[band]), entry.Sequence));
            }
        }

        buckets.Sort();
        await CopyAsync(
            connection,
            "COPY lsh_buckets (band, key, doc) FROM STDIN (FORMAT BINARY)",
            buckets,
            async (writer, row) =>
            {
                await writer.WriteAsync(row.Band, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                await writer.WriteAsync(row.Key, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                await writer.WriteAsync(row.Sequence, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);

        await ExecuteAsync(
            connection,
            transaction,
            "INSERT INTO pending (doc) SELECT unnest($1::bigint[]) ON CONFLICT (doc) DO NOTHING",
            cancellationToken,
            changed.Select(entry => entry.Sequence).ToArray()).ConfigureAwait(false);
        await UpdateTermFrequenciesAsync(connection, transaction, termCounts, cancellationToken).ConfigureAwait(false);
    }

    private static async Task UpdateDocumentRowsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, List<Entry> replaced, CancellationToken cancellationToken)
    {
        var articles = replaced.Select(entry => entry.Final!.Article).ToArray();
        await ExecuteAsync(
            connection,
            transaction,
            """
            UPDATE documents d SET source_path = u.source_path, title = u.title, title_folded = u.title_folded,
                content_hash = u.content_hash, date_utc_ticks = u.date_utc_ticks, date_offset_minutes = u.date_offset_minutes,
                site = u.site, url = u.url, author = u.author, language = u.language, attribution = u.attribution, format = u.format
            FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[], $7::bigint[],
                $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[])
                AS u (seq, source_path, title, title_folded, content_hash, date_utc_ticks, date_offset_minutes, site, url, author, language, attribution, format)
            WHERE d.seq = u.seq
            """,
            cancellationToken,
            replaced.Select(entry => entry.Sequence).ToArray(),
            articles.Select(article => article.SourcePath).ToArray(),
            articles.Select(article => article.Title).ToArray(),
            articles.Select(article => StoreRules.FoldForSearch(article.Title)).ToArray(),
            replaced.Select(entry => ToStored(entry.Final!.ContentHash)).ToArray(),
            articles.Select(article => article.Date?.UtcTicks).ToArray(),
            articles.Select(article => article.Date is { } date ? (long?)date.Offset.TotalMinutes : null).ToArray(),
            articles.Select(article => article.Site).ToArray(),
            articles.Select(article => article.Url).ToArray(),
            articles.Select(article => article.Author).ToArray(),
            articles.Select(article => article.Language).ToArray(),
            articles.Select(article => article.Attribution).ToArray(),
            articles.Select(article => article.Format).ToArray()).ConfigureAwait(false);
    }

    /// <summary>
    /// Removes the stored band bucket rows and postings of <paramref name="entries"/> (found from their stored arrays, so
    /// the big tables need no index on the document) and counts their terms out of the document frequencies.
    /// </summary>
    private static async Task DeleteIndexRowsAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        List<Entry> entries,
        Dictionary<uint, (int Delta, long First)> termCounts,
        CancellationToken cancellationToken)
    {
        var bands = new List<int>();
        var keys = new List<long>();
        var bucketDocs = new List<long>();
        var postedTerms = new List<long>();
        var postedDocs = new List<long>();
        foreach (var entry in entries)
        {
            for (var band = 0; band < entry.StoredBandKeys.Length; band++)
            {
                bands.Add(band);
                keys.Add(entry.StoredBandKeys[band]);
                bucketDocs.Add(entry.Sequence);
            }

            foreach (var term in entry.StoredPosted ?? [])
            {
                postedTerms.Add(term);
                postedDocs.Add(entry.Sequence);
            }

            foreach (var stored in entry.StoredTerms)
            {
                var term = (uint)stored;
                termCounts[term] = termCounts.TryGetValue(term, out var known) ? (known.Delta - 1, known.First) : (-1, entry.Sequence);
            }
        }

        await BatchAsync(
            connection,
            transaction,
            cancellationToken,
            (
                """
                DELETE FROM lsh_buckets b USING unnest($1::integer[], $2::bigint[], $3::bigint[]) AS x (band, key, doc)
                WHERE b.band = x.band AND b.key = x.key AND b.doc = x.doc
                """,
                [bands.ToArray(), keys.ToArray(), bucketDocs.ToArray()]),
            (
                """
                DELETE FROM term_postings p USING unnest($1::bigint[], $2::bigint[]) AS x (term, doc)
                WHERE p.term = x.term AND p.doc = x.doc
                """,
                [postedTerms.ToArray(), postedDocs.ToArray()])).ConfigureAwait(false);
    }

    private static async Task UpdateTermFrequenciesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Dictionary<uint, (int Delta, long First)> termCounts, CancellationToken cancellationToken)
    {
        var rows = termCounts.Where(entry => entry.Value.Delta != 0).OrderBy(entry => entry.Key).ToList();
        if (rows.Count == 0)
        {
            return;
        }

        await ExecuteAsync(
            connection,
            transaction,
            """
            INSERT INTO term_frequencies (term, df, first_doc)
            SELECT * FROM unnest($1::bigint[], $2::integer[], $3::bigint[])
            ON CONFLICT (term) DO UPDATE SET df = term_frequencies.df + excluded.df
            """,
            cancellationToken,
            rows.Select(row => (long)row.Key).ToArray(),
            rows.Select(row => row.Value.Delta).ToArray(),
            rows.Select(row => row.Value.First).ToArray()).ConfigureAwait(false);
        if (rows.Any(row => row.Value.Delta < 0))
        {
            await ExecuteAsync(connection, transaction, "DELETE FROM term_frequencies WHERE df <= 0", cancellationToken).ConfigureAwait(false);
        }
    }

    // ---- reading ------------------------------------------------------------------------------------------------

    private static StoredDocument ReadDocument(NpgsqlDataReader reader)
    {
        var annotations = new List<Annotation>();
        if (!reader.IsDBNull(17))
        {
            var positions = reader.GetFieldValue<int[]>(17);
            var kinds = reader.GetFieldValue<string[]>(18);
            var texts = reader.GetFieldValue<string[]>(19);
            for (var i = 0; i < positions.Length; i++)
            {
                if (!AnnotationKindNames.TryParse(kinds[i], out var kind))
                {
                    throw new StoreException($"Unknown annotation kind '{kinds[i]}' in the database.");
                }

                annotations.Add(new Annotation(kind, texts[i], positions[i]));
            }
        }

        return new StoredDocument
        {
            Article = new Article
            {
                Id = reader.GetString(1),
                SourcePath = NullableString(reader, 2),
                Title = NullableString(reader, 3),
                Body = reader.GetString(4),
                Date = reader.IsDBNull(6)
                    ? null
                    : new DateTimeOffset(reader.GetInt64(6), TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(reader.GetInt64(7))),
                Site = NullableString(reader, 8),
                Url = NullableString(reader, 9),
                Author = NullableString(reader, 10),
                Language = NullableString(reader, 11),
                Attribution = NullableString(reader, 12),
                Format = NullableString(reader, 13),
                Annotations = annotations,
            },
            ContentHash = FromStored(reader.GetInt64(5)),
            Position = reader.GetInt64(0),
            IngestedAt = new DateTimeOffset(reader.GetInt64(14), TimeSpan.Zero),
            Signature = Array.ConvertAll(reader.GetFieldValue<int[]>(15), value => unchecked((uint)value)),
            BandKeys = Array.ConvertAll(reader.GetFieldValue<long[]>(16), FromStored),
        };
    }

    private static string? NullableString(NpgsqlDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetString(column);

    private static async Task<IReadOnlyList<string>> ReadStringsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using (command.ConfigureAwait(false))
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var values = new List<string>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                values.Add(reader.GetString(0));
            }

            return values;
        }
    }

    // ---- plumbing -----------------------------------------------------------------------------------------------

    /// <summary>Hashes are ulong; PostgreSQL's bigint is signed: reinterpret the bits so the top bit survives.</summary>
    private static long ToStored(ulong value) => unchecked((long)value);

    private static ulong FromStored(long value) => unchecked((ulong)value);

    /// <summary>A command with positional parameters $1..$n (null becomes SQL NULL).</summary>
    private static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, params object?[] values)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        return command;
    }

    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken, params object?[] values)
    {
        await using var command = Command(connection, transaction, sql, values);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Several statements in one round trip, each with its own positional parameters.</summary>
    private static async Task BatchAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken, params (string Sql, object?[] Values)[] statements)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var (sql, values) in statements)
        {
            var command = new NpgsqlBatchCommand(sql);
            foreach (var value in values)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
            }

            batch.BatchCommands.Add(command);
        }

        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task CopyAsync<T>(NpgsqlConnection connection, string copySql, IReadOnlyList<T> rows, Func<NpgsqlBinaryImporter, T, Task> writeRow, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        await using var writer = await connection.BeginBinaryImportAsync(copySql, cancellationToken).ConfigureAwait(false);
        foreach (var row in rows)
        {
            await writer.StartRowAsync(cancellationToken).ConfigureAwait(false);
            await writeRow(writer, row).ConfigureAwait(false);
        }

        await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    private static Task WriteTextAsync(NpgsqlBinaryImporter writer, string? value, CancellationToken cancellationToken) =>
        value is null ? writer.WriteNullAsync(cancellationToken) : writer.WriteAsync(value, NpgsqlDbType.Text, cancellationToken);

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        try
        {
            return await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw new StoreException($"Cannot reach PostgreSQL database {Server}: {exception.Message}", exception);
        }
    }

    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        // Two processes opening a new database at once: the second waits here, then sees the first one's version.
        await ExecuteAsync(connection, transaction, "SELECT pg_advisory_xact_lock($1)", cancellationToken, MigrationLockKey).ConfigureAwait(false);
        await ExecuteAsync(
            connection,
            transaction,
            "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
            cancellationToken).ConfigureAwait(false);
        int version;
        await using (var command = Command(connection, transaction, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations"))
        {
            version = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }

        if (version > PostgreSqlSchema.CurrentVersion)
        {
            throw new StoreException(
                $"PostgreSQL database {Server} has Stemma schema version {version}, newer than this Stemma understands ({PostgreSqlSchema.CurrentVersion}); upgrade Stemma.");
        }

        for (; version < PostgreSqlSchema.CurrentVersion; version++)
        {
            await ExecuteAsync(connection, transaction, PostgreSqlSchema.Migrations[version], cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, transaction, "INSERT INTO schema_migrations (version) VALUES ($1)", cancellationToken, version + 1).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task EnsureInitializedAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_initialized)
        {
            await InitializeAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<T> ReadAsync<T>(Func<NpgsqlConnection, Task<T>> read, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await read(connection).ConfigureAwait(false);
    }

    private Task<T> ScalarAsync<T>(string sql, CancellationToken cancellationToken) =>
        ReadAsync(
            async connection =>
            {
                await using var command = Command(connection, null, sql);
                return (T)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            },
            cancellationToken);

    /// <summary>One transaction: serialized with every other writer of the database, raises the version, commits.</summary>
    private async Task<T> WriteAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> write, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, transaction, "SELECT pg_advisory_xact_lock($1)", cancellationToken, WriteTransactionLockKey).ConfigureAwait(false);
            var result = await write(connection, transaction).ConfigureAwait(false);
            await ExecuteAsync(connection, transaction, "UPDATE store_state SET value = value + 1 WHERE key = 'version'", cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return result;
        }
        finally
        {
            _writeGate.Release();
        }
    }
}
