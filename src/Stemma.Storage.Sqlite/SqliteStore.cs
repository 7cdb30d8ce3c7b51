using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Stemma.Storage.Sqlite;

/// <summary>
/// The embedded <see cref="IStore"/>: one SQLite file in WAL mode (default <c>./stemma.db</c>).
/// Concurrency: readers each take a pooled connection of their own (WAL lets them read while a write is in progress);
/// writes are serialized on one writer connection inside this process, and across processes SQLite's lock plus a
/// busy timeout make a second writer wait instead of failing. Every batch is one transaction.
/// </summary>
public sealed partial class SqliteStore : IStore
{
    public const string DefaultPath = "stemma.db";

    /// <summary>More bands than this are looked up in several statements (keeps statements small and cacheable).</summary>
    private const int BandsPerStatement = 64;

    /// <summary>Ids per look-up statement (joined as one JSON array parameter).</summary>
    private const int IdsPerStatement = 2048;

    private const int MaxIdleReaders = 8;

    // Page caches are memory of this process; the operating system caches the file beside them. The writer's was 128 MB
    // and held about 250 MB of SQLite's memory by the end of a 100k ingest; at 16 MB an ingest of 30k or 100k articles
    // takes the same CPU (docs/benchmarks.md, tenth pass of issue 9).
    private const int WriterCacheKibibytes = 16 * 1024;
    private const int ReaderCacheKibibytes = 16 * 1024;

    private static readonly ConcurrentDictionary<(int FirstBand, int Count), string> BucketQuerySql = new();

    private readonly string _connectionString;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly ConcurrentBag<SqliteSession> _idleReaders = [];
    private readonly SqliteDocumentIds _documentIds = new();
    private SqliteSession? _writer;
    private volatile bool _initialized;
    private volatile bool _disposed;

    /// <summary>Opens (lazily) the store at <see cref="DefaultPath"/> in the current directory.</summary>
    public SqliteStore()
        : this(DefaultPath)
    {
    }

    /// <param name="pathOrConnectionString">
    /// A file path, or a Microsoft.Data.Sqlite connection string (recognized by containing '=').
    /// </param>
    public SqliteStore(string pathOrConnectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pathOrConnectionString);
        var builder = pathOrConnectionString.Contains('=', StringComparison.Ordinal)
            ? new SqliteConnectionStringBuilder(pathOrConnectionString)
            : new SqliteConnectionStringBuilder { DataSource = pathOrConnectionString };

        // The store pools its own connections (with their prepared commands); the provider's pool would only
        // keep files open after dispose.
        builder.Pooling = false;
        if (builder.Mode == SqliteOpenMode.ReadOnly)
        {
            throw new ArgumentException("A read-only SQLite store is not supported.", nameof(pathOrConnectionString));
        }

        // Every operation may use its own connection, and each connection to ":memory:" is a separate empty database.
        if (builder.Mode == SqliteOpenMode.Memory || builder.DataSource.Length == 0 || builder.DataSource == ":memory:")
        {
            throw new ArgumentException("An in-memory SQLite database is not supported; use InMemoryStore.", nameof(pathOrConnectionString));
        }

        _connectionString = builder.ToString();
        DataSource = builder.DataSource;
    }

    /// <summary>The database file this store uses.</summary>
    public string DataSource { get; }

    /// <summary>The schema version this build writes (stored in <c>PRAGMA user_version</c>).</summary>
    public static int SchemaVersion => SqliteSchema.CurrentVersion;

    /// <summary>Opens the store at <paramref name="pathOrConnectionString"/> and creates or migrates its schema.</summary>
    /// <exception cref="StoreException">The file cannot be used as a Stemma database.</exception>
    public static async Task<SqliteStore> OpenAsync(string pathOrConnectionString = DefaultPath, CancellationToken cancellationToken = default)
    {
        var store = new SqliteStore(pathOrConnectionString);
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
                _writer ??= OpenWriter();
                Migrate(_writer);
            }
            catch (SqliteException exception)
            {
                _writer?.Dispose();
                _writer = null;
                throw new StoreException($"Cannot use '{DataSource}' as a Stemma database: {exception.Message}", exception);
            }

            _initialized = true;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public async Task<IReadOnlyList<AddOutcome>> AddDocumentsAsync(IReadOnlyList<StoredDocument> documents, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documents);

        // First without a savepoint per document: SQLite copies every page a document's rows touch into the savepoint's
        // journal: a tenth to a fifth of the time the add step spends on its documents (docs/benchmarks.md, nineteenth pass).
        // A document SQLite refuses then aborts the whole transaction, and the batch is written again with one savepoint per
        // document, so that only the refused document's rows are undone and the rest are added, as before.
        try
        {
            return await WriteAsync((session, transaction) => AddAll(session, transaction, documents, savepoints: false, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        catch (DocumentRefusedException)
        {
            return await WriteAsync((session, transaction) => AddAll(session, transaction, documents, savepoints: true, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
    }

    private List<AddOutcome> AddAll(SqliteSession session, SqliteTransaction transaction, IReadOnlyList<StoredDocument> documents, bool savepoints, CancellationToken cancellationToken)
    {
        var outcomes = new List<AddOutcome>(documents.Count);
        var ingestedAt = DateTimeOffset.UtcNow.UtcTicks;
        var bucketsToInsert = new Dictionary<long, ulong[]>();
        var expectedTerms = 0L;
        foreach (var document in documents)
        {
            expectedTerms += document?.Terms?.Length ?? 0;
        }

        var termCounts = new TermCountChanges((int)Math.Min(int.MaxValue, expectedTerms));

        // With savepoints, one per document (in AddOne). One savepoint over the whole batch was tried and was slower, the
        // more so the larger the store: the add step of the 100k ingest 22.7-28.7 s against 17.1-23.4 s, of an 11th batch
        // of 100k into a store of a million 228 s against 32 s (docs/benchmarks.md, the merged build at 1M).
        foreach (var document in documents)
        {
            cancellationToken.ThrowIfCancellationRequested();
            outcomes.Add(AddOne(session, transaction, document, ingestedAt, bucketsToInsert, termCounts, savepoints));
        }

        InsertBuckets(session, transaction, bucketsToInsert);
        UpdateTermFrequencies(session, transaction, termCounts);
        return outcomes;
    }

    /// <summary>A document SQLite refused in a batch written without savepoints: the batch is written again with them.</summary>
    private sealed class DocumentRefusedException(SqliteException refusal) : Exception(refusal.Message, refusal);

    public async Task<StoredDocument?> GetDocumentAsync(string id, CancellationToken cancellationToken = default) =>
        id is null ? null : (await GetDocumentsAsync([id], cancellationToken).ConfigureAwait(false)).FirstOrDefault();

    public async Task<IReadOnlyList<StoredDocument>> GetDocumentsAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        cancellationToken.ThrowIfCancellationRequested();
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);

        // A few statements per thousand ids (documents, then their annotations, joined to the ids as a JSON array) instead
        // of two per document: a region of a relate step reads thousands. Those statements run on as many reader
        // connections as there are cores: the read is CPU (pages copied in, UTF-8 decoded) on one thread otherwise, and the
        // relate step waits for it with the other cores idle. Each statement is its own snapshot either way.
        var distinct = ids.Where(id => id is not null).Distinct(StringComparer.Ordinal).ToList();
        var chunks = (distinct.Count + IdsPerStatement - 1) / IdsPerStatement;
        var read = new List<StoredDocument>[chunks];
        void ReadChunk(int chunk)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var session = RentReader();
            try
            {
                var first = chunk * IdsPerStatement;
                read[chunk] = ReadDocuments(session, distinct.GetRange(first, Math.Min(IdsPerStatement, distinct.Count - first)));
            }
            finally
            {
                ReturnReader(session);
            }
        }

        if (chunks == 1)
        {
            ReadChunk(0);
        }
        else if (chunks > 1)
        {
            try
            {
                Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = Math.Min(Environment.ProcessorCount, MaxIdleReaders), CancellationToken = cancellationToken }, ReadChunk);
            }
            catch (AggregateException exception)
            {
                // The first failure as the serial read would have thrown it (a StoreException or SqliteException).
                ExceptionDispatchInfo.Throw(exception.InnerExceptions[0]);
            }
        }

        var byId = new Dictionary<string, StoredDocument>(distinct.Count, StringComparer.Ordinal);
        foreach (var documents in read)
        {
            foreach (var document in documents)
            {
                byId[document.Article.Id] = document;
            }
        }

        var found = new List<StoredDocument>(ids.Count);
        foreach (var id in ids)
        {
            if (id is not null && byId.TryGetValue(id, out var document))
            {
                found.Add(document);
            }
        }

        return found;
    }

    /// <summary>The stored documents among <paramref name="ids"/> (at most <see cref="IdsPerStatement"/>), with their annotations.</summary>
    private static List<StoredDocument> ReadDocuments(SqliteSession session, List<string> ids)
    {
        var rows = new List<(long Sequence, StoredDocument Document)>(ids.Count);
        var annotations = new Dictionary<long, List<Annotation>>(ids.Count);
        using (var reader = session.Command(SelectDocumentSql + " JOIN json_each($ids) j ON d.id = j.value").With("$ids", ToJsonArray(ids)).ExecuteReader())
        {
            while (reader.Read())
            {
                var sequence = reader.GetInt64(0);
                var list = new List<Annotation>();
                annotations[sequence] = list;
                rows.Add((sequence, ReadDocumentFields(reader, list)));
            }
        }

        var readAnnotations = session.Command(
            "SELECT a.doc, a.position, a.kind, a.text FROM json_each($seqs) j JOIN annotations a ON a.doc = j.value ORDER BY a.doc, a.ordinal");
        using (var reader = readAnnotations.With("$seqs", "[" + string.Join(',', rows.Select(r => r.Sequence.ToString(CultureInfo.InvariantCulture))) + "]").ExecuteReader())
        {
            while (reader.Read())
            {
                annotations[reader.GetInt64(0)].Add(ReadAnnotation(reader, 1));
            }
        }

        return rows.ConvertAll(row => row.Document);
    }

    public Task<IReadOnlyList<string>> FindByContentHashAsync(ulong contentHash, CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<string>>(
            session => ReadStrings(session.Command("SELECT id FROM documents WHERE content_hash = $hash ORDER BY seq")
                .With("$hash", SqliteEncoding.ToStored(contentHash))),
            cancellationToken);

    public Task<IReadOnlyList<string>> FindBandCandidatesAsync(IReadOnlyList<ulong> bandKeys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bandKeys);
        return ReadAsync<IReadOnlyList<string>>(
            session =>
            {
                if (bandKeys.Count <= BandsPerStatement)
                {
                    return [.. QueryBuckets(session, bandKeys, 0, bandKeys.Count).Select(candidate => candidate.Id)];
                }

                // Many bands: several statements, merged back into insertion order without repeats.
                var merged = new SortedDictionary<long, string>();
                for (var first = 0; first < bandKeys.Count; first += BandsPerStatement)
                {
                    foreach (var (sequence, id) in QueryBuckets(session, bandKeys, first, Math.Min(BandsPerStatement, bandKeys.Count - first)))
                    {
                        merged[sequence] = id;
                    }
                }

                return [.. merged.Values];
            },
            cancellationToken);
    }

    public Task<IReadOnlyList<IReadOnlyList<string>>> FindSketchCandidatesAsync(IReadOnlyList<SketchProbe> probes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(probes);
        return ReadAsync<IReadOnlyList<IReadOnlyList<string>>>(
            session =>
            {
                // A batch of probes in a few statements, not two per probe: the content hashes, and each band's keys, go in
                // as flat JSON arrays joined to their index (an array element's position names its probe; nested rows
                // cost more to unpack than the look-ups). Ids come from the id cache, as for postings. One snapshot for all.
                using var transaction = session.Connection.BeginTransaction(deferred: true);
                var deletions = session.Command(SqliteDocumentIds.DeletionsSql, transaction).ExecuteScalar() is long counted ? counted : 0;
                var hits = new List<(int Probe, long Sequence)>();
                var bandCount = probes.Count == 0 ? 0 : probes.Max(probe => probe.BandKeys.Count);

                // CROSS JOIN keeps the JSON array as the outer loop, each element one index look-up.
                var byHash = session.Command("SELECT j.key, d.seq FROM json_each($keys) j CROSS JOIN documents d ON d.content_hash = j.value", transaction);
                var byBand = session.Command(BandKeysJoinSql, transaction);
                var asked = new List<int>(Math.Min(probes.Count, RowsPerBulkStatement));
                var json = new StringBuilder();
                for (var band = -1; band < bandCount; band++)
                {
                    for (var first = 0; first < probes.Count; first += RowsPerBulkStatement)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        asked.Clear();
                        json.Clear().Append('[');
                        for (var p = first; p < Math.Min(probes.Count, first + RowsPerBulkStatement); p++)
                        {
                            // Band -1 is the content hash.
                            var keys = probes[p].BandKeys;
                            if (band < 0 || band < keys.Count)
                            {
                                var key = SqliteEncoding.ToStored(band < 0 ? probes[p].ContentHash : keys[band]);
                                json.Append(CultureInfo.InvariantCulture, $"{(asked.Count == 0 ? string.Empty : ",")}{key}");
                                asked.Add(p);
                            }
                        }

                        var command = band < 0 ? byHash : byBand.With("$band", band);
                        using var reader = command.With("$keys", json.Append(']').ToString()).ExecuteReader();
                        while (reader.Read())
                        {
                            hits.Add((asked[(int)reader.GetInt64(0)], reader.GetInt64(1)));
                        }
                    }
                }

                // Per probe: each document once, in insertion order; a sequence with no document (deleted) is left out.
                var ids = _documentIds.Resolve(deletions, hits.Select(hit => hit.Sequence).ToHashSet(), missing => IdsOf(session, transaction, missing));
                transaction.Commit();
                hits.Sort();
                var found = new IReadOnlyList<string>[probes.Count];
                var at = 0;
                for (var p = 0; p < probes.Count; p++)
                {
                    var list = new List<string>();
                    for (var previous = -1L; at < hits.Count && hits[at].Probe == p; at++)
                    {
                        var sequence = hits[at].Sequence;
                        if (sequence != previous && ids.TryGetValue(sequence, out var id))
                        {
                            list.Add(id);
                        }

                        previous = sequence;
                    }

                    found[p] = list;
                }

                return found;
            },
            cancellationToken);
    }

    public Task<long> CountDocumentsAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(session => (long)session.Command("SELECT COUNT(*) FROM documents").ExecuteScalar()!, cancellationToken);

    public async IAsyncEnumerable<StoredDocument> ListDocumentsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        var session = RentReader();
        try
        {
            // Two cursors walked side by side (both ordered by document) instead of one annotation query per document.
            using var documents = session.Command(SelectDocumentSql + " ORDER BY d.seq").ExecuteReader();
            using var annotations = session.Command("SELECT doc, position, kind, text FROM annotations ORDER BY doc, ordinal").ExecuteReader();
            var hasAnnotation = annotations.Read();
            while (documents.Read())
            {
                cancellationToken.ThrowIfCancellationRequested();
                var sequence = documents.GetInt64(0);
                while (hasAnnotation && annotations.GetInt64(0) < sequence)
                {
                    hasAnnotation = annotations.Read();
                }

                var found = new List<Annotation>();
                while (hasAnnotation && annotations.GetInt64(0) == sequence)
                {
                    found.Add(ReadAnnotation(annotations, 1));
                    hasAnnotation = annotations.Read();
                }

                yield return ReadDocumentFields(documents, found);
            }
        }
        finally
        {
            ReturnReader(session);
        }
    }

    public Task<int> DeleteDocumentsAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        return WriteAsync(
            (session, transaction) =>
            {
                var removed = 0;
                var termCounts = new TermCountChanges();
                foreach (var id in ids)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (id is not null && FindExisting(session, id) is { } existing)
                    {
                        DeleteBuckets(session, transaction, existing.Sequence, existing.BandKeys);
                        termCounts.Begin();
                        ReplaceTerms(session, transaction, existing.Sequence, null, termCounts);
                        session.Command("DELETE FROM documents WHERE seq = $seq", transaction).With("$seq", existing.Sequence).ExecuteNonQuery();
                        removed++;
                    }
                }

                if (removed > 0)
                {
                    // Sequence numbers may now be given again: id caches of every process start again (SqliteDocumentIds).
                    session.Command(SqliteDocumentIds.CountDeletionSql, transaction).ExecuteNonQuery();
                }

                UpdateTermFrequencies(session, transaction, termCounts);
                return removed;
            },
            cancellationToken);
    }

    public Task ClearAsync(CancellationToken cancellationToken = default) =>
        WriteAsync(
            (session, transaction) =>
            {
                // Children first: cheaper than letting every document delete cascade.
                foreach (var table in new[] { "pairs", "groups", "annotations", "signatures", "document_bodies", "lsh_buckets", "lsh_recent", "pending", "document_terms", "term_frequencies", "term_postings", "lineage_trees", "documents" })
                {
                    session.Command($"DELETE FROM {table}", transaction).ExecuteNonQuery();
                }

                ResetBucketCounts(session, transaction);
                return 0;
            },
            cancellationToken);

    public Task<int> AddPairsAsync(IReadOnlyList<PairScore> pairs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        return WriteAsync(
            (session, transaction) =>
            {
                // Counted as given (a pair given twice counts twice, the last one stays), as the other backends count.
                var sequences = Sequences(session, transaction, pairs.SelectMany(p => p is null ? [] : new[] { p.A, p.B }), cancellationToken);
                WritePairRows(session, CanonicalPairs(pairs, sequences), cancellationToken);
                return pairs.Count(p => p?.A is not null && p.B is not null && p.A != p.B && sequences.ContainsKey(p.A) && sequences.ContainsKey(p.B));
            },
            cancellationToken);
    }

    public Task<IReadOnlyList<PairScore>> GetPairsAsync(string documentId, CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<PairScore>>(
            session => ReadPairs(session.Command(
                $"""
                {SelectPairSql}
                WHERE p.a = (SELECT seq FROM documents WHERE id = $id)
                UNION ALL
                {SelectPairSql}
                WHERE p.b = (SELECT seq FROM documents WHERE id = $id)
                {PairOrderSql}
                """).With("$id", documentId)),
            cancellationToken);

    public Task<IReadOnlyList<PairScore>> GetPairsAmongAsync(IReadOnlyList<string> documentIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documentIds);
        return ReadAsync<IReadOnlyList<PairScore>>(
            session => ReadPairs(session.Command(
                $"""
                WITH members (seq) AS (SELECT seq FROM documents WHERE id IN (SELECT value FROM json_each($ids)))
                {SelectPairSql}
                WHERE p.a IN members AND p.b IN members
                {PairOrderSql}
                """).With("$ids", ToJsonArray(documentIds))),
            cancellationToken);
    }

    public Task<long> CountPairsAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(session => (long)session.Command("SELECT COUNT(*) FROM pairs").ExecuteScalar()!, cancellationToken);

    public Task<int> SetGroupsAsync(IReadOnlyList<GroupAssignment> assignments, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(assignments);
        return WriteAsync(
            (session, transaction) =>
            {
                var stored = 0;
                var command = session.Command(
                    """
                    INSERT INTO groups (doc, family_id, story_id)
                    SELECT seq, $family, $story FROM documents WHERE id = $id
                    ON CONFLICT (doc) DO UPDATE SET family_id = excluded.family_id, story_id = excluded.story_id
                    """,
                    transaction);
                foreach (var assignment in assignments)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (assignment?.DocumentId is null || assignment.FamilyId is null || assignment.StoryId is null)
                    {
                        continue;
                    }

                    stored += command.With("$id", assignment.DocumentId).With("$family", assignment.FamilyId).With("$story", assignment.StoryId).ExecuteNonQuery();
                }

                return stored;
            },
            cancellationToken);
    }

    public Task<GroupAssignment?> GetGroupAsync(string documentId, CancellationToken cancellationToken = default) =>
        ReadAsync(
            session =>
            {
                using var reader = session.Command(
                    "SELECT g.family_id, g.story_id FROM groups g JOIN documents d ON d.seq = g.doc WHERE d.id = $id").With("$id", documentId).ExecuteReader();
                return reader.Read() ? new GroupAssignment(documentId, reader.GetString(0), reader.GetString(1)) : null;
            },
            cancellationToken);

    public Task<IReadOnlyList<FamilySummary>> ListFamiliesAsync(int minSize = 1, CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<FamilySummary>>(
            session =>
            {
                using var reader = session.Command(
                    """
                    WITH ranked AS (
                        SELECT g.family_id, g.story_id, d.id, d.title,
                            ROW_NUMBER() OVER (PARTITION BY g.family_id ORDER BY d.date_utc_ticks IS NULL, d.date_utc_ticks, d.seq) AS rank,
                            COUNT(*) OVER (PARTITION BY g.family_id) AS size
                        FROM groups g JOIN documents d ON d.seq = g.doc)
                    SELECT family_id, story_id, size, id, title FROM ranked
                    WHERE rank = 1 AND size >= $min_size
                    ORDER BY size DESC, family_id
                    """).With("$min_size", minSize).ExecuteReader();
                var families = new List<FamilySummary>();
                while (reader.Read())
                {
                    families.Add(new FamilySummary(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetString(3), NullableString(reader, 4)));
                }

                return families;
            },
            cancellationToken);

    public Task<IReadOnlyList<string>> GetFamilyMembersAsync(string familyId, CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<string>>(
            session => ReadStrings(session.Command(
                "SELECT d.id FROM groups g JOIN documents d ON d.seq = g.doc WHERE g.family_id = $family ORDER BY d.seq").With("$family", familyId)),
            cancellationToken);

    public Task<IReadOnlyList<string>> GetStoryMembersAsync(string storyId, CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<string>>(
            session => ReadStrings(session.Command(
                "SELECT d.id FROM groups g JOIN documents d ON d.seq = g.doc WHERE g.story_id = $story ORDER BY d.seq").With("$story", storyId)),
            cancellationToken);

    public Task<IReadOnlyList<IReadOnlyList<string>>> GetStoryMembersAsync(IReadOnlyList<string> storyIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(storyIds);
        return ReadAsync<IReadOnlyList<IReadOnlyList<string>>>(
            session =>
            {
                // One statement per few thousand stories, joined to the ids as a JSON array (the story_id index finds each).
                var rows = new List<(string Story, string Document)>();
                var read = session.Command(
                    "SELECT g.story_id, d.id FROM json_each($stories) j JOIN groups g ON g.story_id = j.value JOIN documents d ON d.seq = g.doc ORDER BY d.seq");
                var distinct = storyIds.Where(id => id is not null).Distinct(StringComparer.Ordinal).ToList();
                for (var first = 0; first < distinct.Count; first += IdsPerStatement)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    using var reader = read.With("$stories", ToJsonArray(distinct.GetRange(first, Math.Min(IdsPerStatement, distinct.Count - first)))).ExecuteReader();
                    while (reader.Read())
                    {
                        rows.Add((reader.GetString(0), reader.GetString(1)));
                    }
                }

                return StoreRules.MembersInOrderAsked(storyIds, rows);
            },
            cancellationToken);
    }

    public Task<StoryPage> ListStoriesAsync(StoryQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var words = StoreRules.SearchWords(query.Search);
        var site = StoreRules.FoldSite(query.Site);
        var sql = StoriesSql(words.Count, site is not null, query.Sort);
        return ReadAsync(
            session =>
            {
                var command = session.Command(sql).With("$min_size", query.MinSize).With("$site", site);
                for (var i = 0; i < words.Count; i++)
                {
                    command.With("$w" + i.ToString(CultureInfo.InvariantCulture), words[i]);
                }

                var (stories, total) = ReadStories(command.With("$offset", Math.Max(0, query.Offset)).With("$limit", query.Limit > 0 ? query.Limit : -1));
                if (stories.Count == 0 && query.Offset > 0)
                {
                    // Paged past the end: the window count came back with no rows; ask for the first row only.
                    (_, total) = ReadStories(command.With("$offset", 0).With("$limit", 1));
                }

                return new StoryPage(stories, total);
            },
            cancellationToken);
    }

    /// <summary>
    /// Reads the bucket index and the document rows once, so a long-running process (the web server) does not pay
    /// for cold pages on its first queries. Optional; a one-shot CLI command need not call it.
    /// </summary>
    public Task WarmUpAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(
            session =>
            {
                // Aggregates over a column outside each index's leading key force a full read of its pages.
                session.Command("SELECT MAX(doc) FROM lsh_buckets").ExecuteScalar();
                session.Command("SELECT MAX(doc) FROM lsh_recent").ExecuteScalar();
                session.Command("SELECT MAX(length(id)) FROM documents").ExecuteScalar();
                return 0;
            },
            cancellationToken);

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
            await _checkpoint.ConfigureAwait(false);
            _checkpointer?.Dispose();
            _checkpointer = null;
            _writer?.Dispose();
            _writer = null;
            while (_idleReaders.TryTake(out var reader))
            {
                reader.Dispose();
            }
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private const string SelectDocumentSql =
        """
        SELECT d.seq, d.id, d.source_path, d.title, b.body, d.content_hash, d.date_utc_ticks, d.date_offset_minutes,
            d.site, d.url, d.author, d.language, d.attribution, d.format, d.ingested_at_ticks, s.signature, s.band_keys
        FROM documents d JOIN signatures s ON s.doc = d.seq JOIN document_bodies b ON b.doc = d.seq
        """;

    private const string SelectPairSql =
        """
        SELECT da.id, db.id, p.jaccard, p.containment, p.relation, p.similarity, coalesce(p.similarity, p.jaccard) AS ranking, p.details
        FROM pairs p JOIN documents da ON da.seq = p.a JOIN documents db ON db.seq = p.b
        """;

    // Column positions, since a compound (UNION) select can only be ordered by its result columns.
    private const string PairOrderSql = "ORDER BY 7 DESC, 3 DESC, 1, 2";

    /// <summary>
    /// The story's original (<see cref="StorySummary.OriginalId"/>) for page row p: the parentless member of its largest
    /// family, earliest-dated first (undated last), then the first inserted.
    /// </summary>
    private const string OriginalSql =
        """
        SELECT d.seq FROM groups g JOIN documents d ON d.seq = g.doc WHERE g.story_id = p.story_id AND g.parent IS NULL
        ORDER BY (SELECT COUNT(*) FROM groups m WHERE m.family_id = g.family_id) DESC, d.date_utc_ticks IS NULL, d.date_utc_ticks, d.seq LIMIT 1
        """;

    private static string StoriesSql(int searchWords, bool filterSite, StorySort sort)
    {
        var filters = new StringBuilder();
        if (searchWords > 0)
        {
            filters.Append(" AND EXISTS (SELECT 1 FROM members m WHERE m.story_id = s.story_id");
            for (var i = 0; i < searchWords; i++)
            {
                filters.Append(CultureInfo.InvariantCulture, $" AND instr(m.title_folded, $w{i}) > 0");
            }

            filters.Append(')');
        }

        if (filterSite)
        {
            filters.Append(" AND EXISTS (SELECT 1 FROM members m WHERE m.story_id = s.story_id AND lower(m.site) = $site)");
        }

        var order = sort switch
        {
            StorySort.Newest => "s.earliest IS NULL, s.earliest DESC, s.story_id",
            StorySort.Oldest => "s.earliest IS NULL, s.earliest, s.story_id",
            _ => "s.size DESC, s.story_id",
        };

        // The first (earliest) member is looked up only for the stories on the page, not ranked for all of them.
        return $"""
            WITH members AS (
                SELECT g.story_id, g.family_id, d.title_folded, d.site, d.date_utc_ticks AS ticks
                FROM groups g JOIN documents d ON d.seq = g.doc),
            stories AS (
                SELECT story_id, COUNT(*) AS size, COUNT(DISTINCT family_id) AS families, MIN(ticks) AS earliest,
                    MAX(ticks) AS latest, COUNT(DISTINCT lower(site)) AS sites
                FROM members GROUP BY story_id HAVING COUNT(*) >= $min_size),
            page AS (
                SELECT s.*, COUNT(*) OVER () AS total FROM stories s
                WHERE 1 = 1{filters}
                ORDER BY {order}
                LIMIT $limit OFFSET $offset)
            SELECT p.story_id, p.size, p.families, first.id, first.title, p.earliest, p.latest, p.sites, p.total, original.id, original.title
            FROM page p JOIN documents first ON first.seq = (
                SELECT d.seq FROM groups g JOIN documents d ON d.seq = g.doc WHERE g.story_id = p.story_id
                ORDER BY d.date_utc_ticks IS NULL, d.date_utc_ticks, d.seq LIMIT 1)
            LEFT JOIN documents original ON original.seq = ({OriginalSql})
            ORDER BY {order.Replace("s.", "p.", StringComparison.Ordinal)}
            """;
    }

    private static (List<StorySummary> Stories, int Total) ReadStories(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        var stories = new List<StorySummary>();
        var total = 0;
        while (reader.Read())
        {
            stories.Add(new StorySummary(
                reader.GetString(0),
                reader.GetInt32(1),
                reader.GetInt32(2),
                reader.GetString(3),
                NullableString(reader, 4),
                reader.IsDBNull(5) ? null : new DateTimeOffset(reader.GetInt64(5), TimeSpan.Zero),
                reader.IsDBNull(6) ? null : new DateTimeOffset(reader.GetInt64(6), TimeSpan.Zero),
                reader.GetInt32(7))
            {
                OriginalId = reader.IsDBNull(9) ? reader.GetString(3) : reader.GetString(9),
                OriginalTitle = reader.IsDBNull(9) ? NullableString(reader, 4) : NullableString(reader, 10),
            });
            total = reader.GetInt32(8);
        }

        return (stories, total);
    }

    /// <param name="bucketsToInsert">Band keys by document sequence, inserted sorted once the whole batch is written.</param>
    /// <param name="savepoint">Under a savepoint of its own, so a refusal undoes this document alone and it is rejected;
    /// without, a refusal throws <see cref="DocumentRefusedException"/> and the caller writes the batch again.</param>
    private static AddOutcome AddOne(
        SqliteSession session,
        SqliteTransaction transaction,
        StoredDocument document,
        long ingestedAt,
        Dictionary<long, ulong[]> bucketsToInsert,
        TermCountChanges termCounts,
        bool savepoint)
    {
        var error = StoreRules.Validate(document);
        if (error is not null)
        {
            return new AddOutcome(document?.Article?.Id ?? string.Empty, AddStatus.Rejected, error);
        }

        var article = document.Article;

        // Its term counts are taken back with its rows if the savepoint is rolled back.
        var counted = termCounts.Begin();
        if (savepoint)
        {
            session.Statement("SAVEPOINT document").Execute();
        }

        try
        {
            AddStatus status;
            long sequence;
            if (FindExisting(session, article.Id) is { } existing)
            {
                if (existing.ContentHash == document.ContentHash)
                {
                    // Stored by a version that kept no terms: count them now (the migration left the document pending).
                    if (document.Terms is not null && !HasTerms(session, transaction, existing.Sequence))
                    {
                        ReplaceTerms(session, transaction, existing.Sequence, document.Terms, termCounts);
                    }

                    Release(session, savepoint);
                    return new AddOutcome(article.Id, AddStatus.Unchanged);
                }

                sequence = existing.Sequence;
                status = AddStatus.Updated;
                DeleteBuckets(session, transaction, sequence, existing.BandKeys);
                session.Command("DELETE FROM annotations WHERE doc = $seq", transaction).With("$seq", sequence).ExecuteNonQuery();
                session.Command("DELETE FROM pairs WHERE a = $seq OR b = $seq", transaction).With("$seq", sequence).ExecuteNonQuery();
                BindDocument(session.Statement(
                    """
                    UPDATE documents SET source_path = $source_path, title = $title, title_folded = $title_folded,
                        content_hash = $content_hash, date_utc_ticks = $date_utc_ticks, date_offset_minutes = $date_offset_minutes,
                        site = $site, url = $url, author = $author, language = $language, attribution = $attribution, format = $format
                    WHERE seq = $seq
                    """), document).Bind("$seq", sequence).Execute();
                session.Statement("UPDATE signatures SET signature = $signature, band_keys = $band_keys WHERE doc = $seq")
                    .Bind("$signature", SqliteEncoding.AsBlob(document.Signature))
                    .Bind("$band_keys", SqliteEncoding.AsBlob(document.BandKeys))
                    .Bind("$seq", sequence)
                    .Execute();
            }
            else
            {
                status = AddStatus.Added;
                sequence = BindDocument(session.Statement(
                    """
                    INSERT INTO documents (id, source_path, title, title_folded, content_hash, date_utc_ticks, date_offset_minutes,
                        site, url, author, language, attribution, format, ingested_at_ticks)
                    VALUES ($id, $source_path, $title, $title_folded, $content_hash, $date_utc_ticks, $date_offset_minutes,
                        $site, $url, $author, $language, $attribution, $format, $ingested_at_ticks)
                    RETURNING seq
                    """), document).Bind("$id", article.Id).Bind("$ingested_at_ticks", ingestedAt).ExecuteInt64()!.Value;
                session.Statement("INSERT INTO signatures (doc, signature, band_keys) VALUES ($seq, $signature, $band_keys)")
                    .Bind("$seq", sequence)
                    .Bind("$signature", SqliteEncoding.AsBlob(document.Signature))
                    .Bind("$band_keys", SqliteEncoding.AsBlob(document.BandKeys))
                    .Execute();
            }

            session.Statement("INSERT OR REPLACE INTO document_bodies (doc, body) VALUES ($seq, $body)")
                .Bind("$seq", sequence)
                .Bind("$body", article.Body)
                .Execute();
            InsertAnnotations(session, sequence, article.Annotations);
            ReplaceTerms(session, transaction, sequence, document.Terms ?? [], termCounts, added: status == AddStatus.Added);
            session.Statement("INSERT OR IGNORE INTO pending (doc) VALUES ($seq)").Bind("$seq", sequence).Execute();
            Release(session, savepoint);

            // Replaces keys queued earlier in this batch for the same document (added, then updated).
            bucketsToInsert[sequence] = [.. document.BandKeys];
            return new AddOutcome(article.Id, status);
        }
        catch (SqliteException exception)
        {
            if (!savepoint)
            {
                throw new DocumentRefusedException(exception);
            }

            session.Statement("ROLLBACK TO document").Execute();
            session.Statement("RELEASE document").Execute();
            termCounts.Undo(counted);
            return new AddOutcome(article.Id, AddStatus.Rejected, exception.Message);
        }
    }

    private static void Release(SqliteSession session, bool savepoint)
    {
        if (savepoint)
        {
            session.Statement("RELEASE document").Execute();
        }
    }

    private static SqliteStatement BindDocument(SqliteStatement statement, StoredDocument document)
    {
        var article = document.Article;
        return statement
            .Bind("$source_path", article.SourcePath)
            .Bind("$title", article.Title)
            .Bind("$title_folded", StoreRules.FoldForSearch(article.Title))
            .Bind("$content_hash", SqliteEncoding.ToStored(document.ContentHash))
            .Bind("$date_utc_ticks", article.Date?.UtcTicks)
            .Bind("$date_offset_minutes", article.Date is { } date ? (long)date.Offset.TotalMinutes : null)
            .Bind("$site", article.Site)
            .Bind("$url", article.Url)
            .Bind("$author", article.Author)
            .Bind("$language", article.Language)
            .Bind("$attribution", article.Attribution)
            .Bind("$format", article.Format);
    }

    private static void InsertAnnotations(SqliteSession session, long sequence, IReadOnlyList<Annotation> annotations)
    {
        if (annotations.Count == 0)
        {
            return;
        }

        var statement = session.Statement("INSERT INTO annotations (doc, ordinal, position, kind, text) VALUES ($seq, $ordinal, $position, $kind, $text)");
        for (var ordinal = 0; ordinal < annotations.Count; ordinal++)
        {
            var annotation = annotations[ordinal];
            statement.Bind("$seq", sequence).Bind("$ordinal", ordinal).Bind("$position", annotation.Position)
                .Bind("$kind", annotation.Kind.ToKebabCase()).Bind("$text", annotation.Text).Execute();
        }
    }


    private static List<(long Sequence, string Id)> QueryBuckets(SqliteSession session, IReadOnlyList<ulong> bandKeys, int first, int count)
    {
        var candidates = new List<(long, string)>();
        if (count == 0)
        {
            return candidates;
        }

        var command = session.Command(BucketQuerySql.GetOrAdd((first, count), BuildBucketQuerySql));
        EnsurePositionalParameters(command, count);
        for (var i = 0; i < count; i++)
        {
            command.Parameters[i].Value = SqliteEncoding.ToStored(bandKeys[first + i]);
        }

        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            candidates.Add((reader.GetInt64(0), reader.GetString(1)));
        }

        return candidates;
    }

    private static string BuildBucketQuerySql((int FirstBand, int Count) shape)
    {
        // One indexed probe per band; the IN list becomes a sorted ephemeral index, so rows come out in seq order, deduplicated.
        var probes = Enumerable.Range(0, shape.Count)
            .Select(i => BucketProbeSql(shape.FirstBand + i, "$p" + i.ToString(CultureInfo.InvariantCulture)));
        return $"SELECT d.seq, d.id FROM documents d WHERE d.seq IN ({string.Join(" UNION ALL ", probes)}) ORDER BY d.seq";
    }

    /// <summary>Creates parameters $p0..$pN-1 once, so hot loops set values by position instead of by name.</summary>
    private static void EnsurePositionalParameters(SqliteCommand command, int count)
    {
        if (command.Parameters.Count == count)
        {
            return;
        }

        command.Parameters.Clear();
        for (var i = 0; i < count; i++)
        {
            command.Parameters.Add(new SqliteParameter("$p" + i.ToString(CultureInfo.InvariantCulture), SqliteType.Integer));
        }
    }

    private static ExistingDocument? FindExisting(SqliteSession session, string id)
    {
        var statement = session.Statement("SELECT d.seq, d.content_hash, s.band_keys FROM documents d LEFT JOIN signatures s ON s.doc = d.seq WHERE d.id = $id")
            .Bind("$id", id);
        if (!statement.Read())
        {
            return null;
        }

        try
        {
            return new ExistingDocument(
                statement.Int64(0),
                SqliteEncoding.FromStored(statement.Int64(1)),
                statement.IsNull(2) ? [] : SqliteEncoding.ToUInt64Array(statement.Blob(2)));
        }
        finally
        {
            statement.Reset();
        }
    }

    private static Annotation ReadAnnotation(SqliteDataReader reader, int firstColumn)
    {
        var kindName = reader.GetString(firstColumn + 1);
        if (!AnnotationKindNames.TryParse(kindName, out var kind))
        {
            throw new StoreException($"Unknown annotation kind '{kindName}' in the database.");
        }

        return new Annotation(kind, reader.GetString(firstColumn + 2), reader.GetInt32(firstColumn));
    }

    private static StoredDocument ReadDocumentFields(SqliteDataReader reader, List<Annotation> annotations) => new()
    {
        Article = new Article
        {
            Id = reader.GetString(1),
            SourcePath = NullableString(reader, 2),
            Title = NullableString(reader, 3),
            Body = reader.GetString(4),
            Date = reader.IsDBNull(6) ? null : SqliteEncoding.FromStoredDate(reader.GetInt64(6), reader.GetInt64(7)),
            Site = NullableString(reader, 8),
            Url = NullableString(reader, 9),
            Author = NullableString(reader, 10),
            Language = NullableString(reader, 11),
            Attribution = NullableString(reader, 12),
            Format = NullableString(reader, 13),
            Annotations = annotations,
        },
        ContentHash = SqliteEncoding.FromStored(reader.GetInt64(5)),
        Position = reader.GetInt64(0),
        IngestedAt = new DateTimeOffset(reader.GetInt64(14), TimeSpan.Zero),
        Signature = SqliteEncoding.ToUInt32Array(reader.GetFieldValue<byte[]>(15)),
        BandKeys = SqliteEncoding.ToUInt64Array(reader.GetFieldValue<byte[]>(16)),
    };

    private static string? NullableString(SqliteDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetString(column);

    private static List<string> ReadStrings(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    private static List<PairScore> ReadPairs(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        var pairs = new List<PairScore>();
        while (reader.Read())
        {
            pairs.Add(new PairScore(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetDouble(2),
                reader.GetDouble(3),
                NullableString(reader, 4),
                reader.IsDBNull(5) ? null : reader.GetDouble(5),
                reader.IsDBNull(7) ? null : StoredJson.ReadPair(reader.GetString(7))));
        }

        return pairs;
    }

    private static string ToJsonArray(IReadOnlyList<string> values)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var value in values)
            {
                if (value is not null)
                {
                    writer.WriteStringValue(value);
                }
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private void Migrate(SqliteSession session)
    {
        var version = Convert.ToInt32(session.Command("PRAGMA user_version").ExecuteScalar(), CultureInfo.InvariantCulture);
        if (version > SqliteSchema.CurrentVersion)
        {
            throw new StoreException(
                $"'{DataSource}' has schema version {version}, newer than this Stemma understands ({SqliteSchema.CurrentVersion}); upgrade Stemma.");
        }

        if (version == 0)
        {
            // Only possible before the first table exists (and before WAL). 16 KiB pages make the bucket index
            // shallower: measured about a third less CPU for bulk ingest than the 4 KiB default.
            session.Command("PRAGMA page_size = 16384").ExecuteNonQuery();
        }

        var journalMode = (string?)session.Command("PRAGMA journal_mode = WAL").ExecuteScalar();
        var upgraded = false;

        for (; version < SqliteSchema.CurrentVersion; version++)
        {
            // BEGIN IMMEDIATE, then read the version again: another process opening the same new file may have
            // migrated it while this one waited for the lock.
            using var transaction = session.Connection.BeginTransaction(deferred: false);
            using var step = session.Connection.CreateCommand();
            step.Transaction = transaction;
            step.CommandText = "PRAGMA user_version";
            if (Convert.ToInt32(step.ExecuteScalar(), CultureInfo.InvariantCulture) > version)
            {
                continue;
            }

            step.CommandText = SqliteSchema.Migrations[version];
            step.ExecuteNonQuery();
            step.CommandText = string.Create(
                CultureInfo.InvariantCulture,
                $"INSERT INTO schema_migrations (version, applied_at) VALUES ({version + 1}, '{DateTimeOffset.UtcNow:O}'); PRAGMA user_version = {version + 1};");
            step.ExecuteNonQuery();
            transaction.Commit();
            upgraded |= version > 0;
        }

        if (upgraded)
        {
            // A migration of a full store rewrites whole tables (schema 4: every posting), leaving a WAL of hundreds of MB;
            // copied into the file now, while opening, rather than truncated by the first checkpoint after it, which made
            // the first writes wait for it (an add of 0.5-1 s).
            session.Command("PRAGMA wal_checkpoint(TRUNCATE)").ExecuteNonQuery();
        }

        if (!string.Equals(journalMode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            throw new StoreException($"'{DataSource}' could not be switched to WAL mode (journal mode is '{journalMode}').");
        }
    }

    private async Task EnsureInitializedAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_initialized)
        {
            await InitializeAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<T> ReadAsync<T>(Func<SqliteSession, T> read, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        var session = RentReader();
        try
        {
            return read(session);
        }
        finally
        {
            ReturnReader(session);
        }
    }

    private async Task<T> WriteAsync<T>(Func<SqliteSession, SqliteTransaction, T> write, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var session = _writer ??= OpenWriter();

            // BEGIN IMMEDIATE: take the write lock up front so a concurrent writer waits (busy timeout) instead of deadlocking.
            using var transaction = session.Connection.BeginTransaction(deferred: false);
            var result = write(session, transaction);
            session.Command("UPDATE store_state SET value = value + 1 WHERE key = 'version'", transaction).ExecuteNonQuery();
            transaction.Commit();
            ScheduleCheckpoint();
            return result;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>
    /// The writer's connection. It never checkpoints the WAL itself: SQLite's automatic checkpoint runs inside the commit
    /// that crosses its threshold, so one small write in every few (adding one article rewrites hundreds of term pages)
    /// paid for copying everything before it into the database file and syncing it, 0.1-2 s on a 1 GB store. Checkpoints
    /// run beside the writer instead (<see cref="ScheduleCheckpoint"/>).
    /// </summary>
    private SqliteSession OpenWriter()
    {
        var session = SqliteSession.Open(_connectionString, WriterCacheKibibytes);
        session.Command("PRAGMA wal_autocheckpoint = 0").ExecuteNonQuery();
        return session;
    }

    /// <summary>
    /// Asks for the WAL to be checkpointed beside the writer. One checkpoint runs at a time, right after a commit (while
    /// the writer works out its next write), and commits made while one ran get another, so the WAL is caught up before
    /// most writes and the next write restarts it from the beginning. Passive checkpoints wait for no reader or writer; a
    /// WAL that still grows past <see cref="LargeWalFrames"/> (writes that never pause) is truncated, which makes writers
    /// wait for that one checkpoint. Called holding the write gate.
    /// </summary>
    private void ScheduleCheckpoint()
    {
        lock (_checkpointState)
        {
            _checkpointWanted = true;
            if (_checkpointRunning)
            {
                return;
            }

            _checkpointRunning = true;
        }

        _checkpoint = Task.Run(CheckpointUntilCaughtUp);
    }

    private void CheckpointUntilCaughtUp()
    {
        while (true)
        {
            lock (_checkpointState)
            {
                if (!_checkpointWanted || _disposed)
                {
                    _checkpointRunning = false;
                    return;
                }

                _checkpointWanted = false;
            }

            try
            {
                _checkpointer ??= SqliteSession.Open(_connectionString, ReaderCacheKibibytes);
                using var reader = _checkpointer.Command("PRAGMA wal_checkpoint(PASSIVE)").ExecuteReader();
                var walFrames = reader.Read() ? reader.GetInt64(1) : 0;
                reader.Close();
                if (walFrames >= LargeWalFrames)
                {
                    _checkpointer.Command("PRAGMA wal_checkpoint(TRUNCATE)").ExecuteNonQuery();
                }
            }
            catch (SqliteException)
            {
                // Best effort: the WAL keeps the data; the next commit (or closing the store) checkpoints again.
            }
        }
    }

    private const long LargeWalFrames = 8192;
    private readonly Lock _checkpointState = new();
    private bool _checkpointWanted;
    private bool _checkpointRunning;
    private Task _checkpoint = Task.CompletedTask;

    /// <summary>The checkpoint running beside the writer, if any (tests wait for it instead of for a time).</summary>
    internal Task RunningCheckpoint => _checkpoint;
    private SqliteSession? _checkpointer;

    private SqliteSession RentReader()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _idleReaders.TryTake(out var session) ? session : SqliteSession.Open(_connectionString, ReaderCacheKibibytes);
    }

    private void ReturnReader(SqliteSession session)
    {
        if (_disposed || _idleReaders.Count >= MaxIdleReaders)
        {
            session.Dispose();
            return;
        }

        _idleReaders.Add(session);

        // Disposed while we were returning it: make sure it does not stay open.
        if (_disposed && _idleReaders.TryTake(out var late))
        {
            late.Dispose();
        }
    }

    private sealed record ExistingDocument(long Sequence, ulong ContentHash, ulong[] BandKeys);
}
