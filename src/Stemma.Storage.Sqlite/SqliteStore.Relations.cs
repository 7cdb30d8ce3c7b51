using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Data.Sqlite;
using Stemma.Lineage;

namespace Stemma.Storage.Sqlite;

/// <summary>The candidate index's terms and postings, and the relate stage's stored results.</summary>
public sealed partial class SqliteStore
{
    /// <summary>Rows per bulk statement for term counts and postings (one JSON array parameter each).</summary>
    private const int RowsPerBulkStatement = 8192;

    private static readonly TimeSpan WriterLockPoll = TimeSpan.FromMilliseconds(100);

    public Task<IReadOnlyList<TermFrequency>> GetTermFrequenciesAsync(IReadOnlyList<uint> terms, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(terms);
        return ReadAsync<IReadOnlyList<TermFrequency>>(
            session =>
            {
                var found = new List<TermFrequency>(terms.Count);
                var command = session.Command(
                    """
                    SELECT f.term, f.df, CASE WHEN f.df <= $upTo THEN (SELECT d.id FROM documents d WHERE d.seq = f.first_doc) END
                    FROM json_each($terms) j JOIN term_frequencies f ON f.term = j.value
                    """).With("$upTo", TermFrequency.FirstDocumentUpTo);
                foreach (var chunk in DistinctChunks(terms))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    using var reader = command.With("$terms", chunk).ExecuteReader();
                    while (reader.Read())
                    {
                        found.Add(new TermFrequency((uint)reader.GetInt64(0), reader.GetInt32(1), NullableString(reader, 2)));
                    }
                }

                return found;
            },
            cancellationToken);
    }

    public Task<IReadOnlyList<Posting>> GetPostingsAsync(IReadOnlyList<uint> terms, int maxPerTerm, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(terms);
        return ReadAsync<IReadOnlyList<Posting>>(
            session =>
            {
                // One snapshot for the postings and the ids they name. One statement, run per term: the strongest postings
                // come first in term_postings' key, so each term costs its first rows only, however many documents it is
                // posted for. Ids come from the id cache, not from a join per row.
                using var transaction = session.Connection.BeginTransaction(deferred: true);
                var deletions = session.Command(SqliteDocumentIds.DeletionsSql, transaction).ExecuteScalar() is long counted ? counted : 0;
                var rows = new List<(uint Term, long Sequence, float Weight)>();
                var limit = Math.Max(0, maxPerTerm);
                // A prepared statement bound by position: a batch runs it for thousands of terms.
                var statement = session.Statement(
                    """
                    SELECT p.doc, p.weight FROM term_postings p
                    WHERE p.term = $term ORDER BY p.weight DESC, p.doc LIMIT $limit
                    """).Bind("$limit", limit);
                var sequences = new HashSet<long>();
                foreach (var term in terms.Distinct())
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    statement.Bind("$term", (long)term);
                    while (statement.Read())
                    {
                        var sequence = statement.Int64(0);
                        rows.Add((term, sequence, (float)statement.Double(1)));
                        sequences.Add(sequence);
                    }
                }

                var ids = _documentIds.Resolve(deletions, sequences, missing => IdsOf(session, transaction, missing));
                var found = new List<Posting>(rows.Count);
                foreach (var (term, sequence, weight) in rows)
                {
                    // A posting of a document deleted since its postings were read is left out, as a join would.
                    if (ids.TryGetValue(sequence, out var id))
                    {
                        found.Add(new Posting(term, id, weight));
                    }
                }

                transaction.Commit();
                return found;
            },
            cancellationToken);
    }

    /// <summary>The ids of the documents with these sequence numbers, read in chunks in the caller's transaction.</summary>
    private static IEnumerable<(long Sequence, string Id)> IdsOf(SqliteSession session, SqliteTransaction transaction, List<long> sequences)
    {
        var command = session.Command("SELECT d.seq, d.id FROM json_each($seqs) j JOIN documents d ON d.seq = j.value", transaction);
        for (var first = 0; first < sequences.Count; first += IdsPerStatement)
        {
            var chunk = sequences.GetRange(first, Math.Min(IdsPerStatement, sequences.Count - first));
            using var reader = command.With("$seqs", "[" + string.Join(',', chunk.Select(s => s.ToString(CultureInfo.InvariantCulture))) + "]").ExecuteReader();
            while (reader.Read())
            {
                yield return (reader.GetInt64(0), reader.GetString(1));
            }
        }
    }

    /// <summary>Distinct terms as JSON arrays of at most <see cref="RowsPerBulkStatement"/>, one statement each.</summary>
    private static IEnumerable<string> DistinctChunks(IReadOnlyList<uint> terms)
    {
        var distinct = terms.Distinct().ToList();
        for (var first = 0; first < distinct.Count; first += RowsPerBulkStatement)
        {
            yield return "[" + string.Join(',', distinct.Skip(first).Take(RowsPerBulkStatement).Select(t => t.ToString(CultureInfo.InvariantCulture))) + "]";
        }
    }

    public Task<IReadOnlyList<StoredPlacement>> GetPlacementsAsync(IReadOnlyList<string> documentIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documentIds);
        return ReadAsync<IReadOnlyList<StoredPlacement>>(
            session =>
            {
                // One statement per chunk of ids (joined as a JSON array), not one per document.
                var byId = new Dictionary<string, StoredPlacement>(StringComparer.Ordinal);
                var command = session.Command(
                    """
                    SELECT d.id, g.family_id, g.story_id, g.parent, g.relation, g.origin, g.labeled_at
                    FROM json_each($ids) j JOIN documents d ON d.id = j.value JOIN groups g ON g.doc = d.seq
                    """);
                var distinct = documentIds.Where(id => id is not null).Distinct(StringComparer.Ordinal).ToList();
                for (var first = 0; first < distinct.Count; first += IdsPerStatement)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    using var reader = command.With("$ids", ToJsonArray(distinct.GetRange(first, Math.Min(IdsPerStatement, distinct.Count - first)))).ExecuteReader();
                    while (reader.Read())
                    {
                        var id = reader.GetString(0);
                        byId[id] = new StoredPlacement(id, reader.GetString(1), reader.GetString(2), NullableString(reader, 3), NullableString(reader, 4), NullableString(reader, 5), reader.GetInt64(6));
                    }
                }

                var found = new List<StoredPlacement>(byId.Count);
                foreach (var id in documentIds)
                {
                    if (id is not null && byId.TryGetValue(id, out var placement))
                    {
                        found.Add(placement);
                    }
                }

                return found;
            },
            cancellationToken);
    }

    public Task<IReadOnlyList<LineageTree>> GetTreesAsync(string storyId, CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<LineageTree>>(
            session =>
            {
                using var reader = session.Command("SELECT tree FROM lineage_trees WHERE story_id = $story ORDER BY family_id")
                    .With("$story", storyId).ExecuteReader();
                var trees = new List<LineageTree>();
                while (reader.Read())
                {
                    trees.Add(StoredJson.ReadTree(reader.GetString(0)));
                }

                return trees;
            },
            cancellationToken);

    public Task<IReadOnlyList<string>> GetPendingAsync(int limit, CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<string>>(
            session => ReadStrings(session.Command("SELECT d.id FROM pending p JOIN documents d ON d.seq = p.doc ORDER BY p.doc LIMIT $limit")
                .With("$limit", Math.Max(0, limit))),
            cancellationToken);

    public Task<IReadOnlyList<string>> GetLabeledBeforeAsync(long documentCount, int limit, CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<string>>(
            session => ReadStrings(session.Command(
                // Through the labeled_at index: usually few or none match, and walking the table in insertion order to find
                // them reads every placement.
                "SELECT d.id FROM groups g INDEXED BY groups_labeled_at JOIN documents d ON d.seq = g.doc WHERE g.labeled_at < $count ORDER BY g.doc LIMIT $limit")
                .With("$count", documentCount).With("$limit", Math.Max(0, limit))),
            cancellationToken);

    /// <summary>
    /// Writes only what the region changed: what the store holds for the region (placements, inner pairs, the trees of its
    /// stories) is read in bulk and compared with the commit, and only the difference is deleted, inserted or updated.
    /// Stored documents that come out of a region as they were (in a bulk ingest nearly all stored pairs and part of the
    /// placements) are not written again. A placement equal in all but <c>labeled_at</c> gets only <c>labeled_at</c>
    /// rewritten (see docs/storage.md).
    /// </summary>
    public Task<long> CommitRelateAsync(RelateCommit commit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commit);
        return WriteAsync(
            (session, transaction) =>
            {
                var sequences = Sequences(
                    session,
                    transaction,
                    commit.Region
                        .Concat(commit.Placements.Select(p => p?.DocumentId!))
                        .Concat(commit.Pairs.SelectMany(p => p is null ? [] : new[] { p.A, p.B }))
                        .Concat(commit.Postings.Select(p => p.DocumentId))
                        .Concat(commit.Processed),
                    cancellationToken);
                var region = new HashSet<long>();
                foreach (var id in commit.Region)
                {
                    if (id is not null && sequences.TryGetValue(id, out var sequence))
                    {
                        region.Add(sequence);
                    }
                }

                session.Command("CREATE TEMP TABLE IF NOT EXISTS commit_region (seq INTEGER PRIMARY KEY)", transaction).ExecuteNonQuery();
                session.Command("DELETE FROM commit_region", transaction).ExecuteNonQuery();
                ExecuteForChunks(session.Command("INSERT OR IGNORE INTO commit_region (seq) SELECT value FROM json_each($rows)", transaction), [.. region], cancellationToken);

                var stories = new HashSet<string>(StringComparer.Ordinal);
                var placed = ReadRegionPlacements(session, transaction);
                stories.UnionWith(placed.Values.Select(p => p.StoryId));
                WritePlacements(session, transaction, commit.Placements, sequences, region, placed, stories, cancellationToken);
                WriteTrees(session, transaction, commit.Trees, stories, cancellationToken);
                WriteRegionPairs(session, transaction, commit.Pairs, sequences, cancellationToken);
                ReplacePostings(session, transaction, commit.Postings, sequences, cancellationToken);
                ExecuteForChunks(
                    session.Command("DELETE FROM pending WHERE doc IN (SELECT value FROM json_each($rows))", transaction),
                    [.. commit.Processed.Where(id => id is not null && sequences.ContainsKey(id)).Select(id => sequences[id]).Distinct()],
                    cancellationToken);
                session.Command("DELETE FROM commit_region", transaction).ExecuteNonQuery();

                // WriteAsync raises the version after this; report the value it will have.
                return (long)session.Command("SELECT value FROM store_state WHERE key = 'version'", transaction).ExecuteScalar()! + 1;
            },
            cancellationToken);
    }

    /// <summary>The sequences of the named documents that exist, one statement per chunk of ids.</summary>
    private static Dictionary<string, long> Sequences(SqliteSession session, SqliteTransaction transaction, IEnumerable<string> ids, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, long>(StringComparer.Ordinal);
        var distinct = ids.Where(id => id is not null).Distinct(StringComparer.Ordinal).ToList();
        var command = session.Command("SELECT d.seq, d.id FROM json_each($ids) j JOIN documents d ON d.id = j.value", transaction);
        for (var first = 0; first < distinct.Count; first += IdsPerStatement)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var reader = command.With("$ids", ToJsonArray(distinct.GetRange(first, Math.Min(IdsPerStatement, distinct.Count - first)))).ExecuteReader();
            while (reader.Read())
            {
                found[reader.GetString(1)] = reader.GetInt64(0);
            }
        }

        return found;
    }

    /// <summary>Runs a statement over <paramref name="values"/> as JSON arrays of at most <see cref="RowsPerBulkStatement"/> integers.</summary>
    private static void ExecuteForChunks(SqliteCommand command, IReadOnlyList<long> values, CancellationToken cancellationToken)
    {
        for (var first = 0; first < values.Count; first += RowsPerBulkStatement)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var chunk = values.Skip(first).Take(RowsPerBulkStatement).Select(v => v.ToString(CultureInfo.InvariantCulture));
            command.With("$rows", "[" + string.Join(',', chunk) + "]").ExecuteNonQuery();
        }
    }

    /// <summary>The stored placements of the region (in <c>commit_region</c>), by document sequence.</summary>
    private static Dictionary<long, StoredPlacement> ReadRegionPlacements(SqliteSession session, SqliteTransaction transaction)
    {
        // CROSS JOIN keeps the region as the outer loop: the planner, knowing nothing of the temp table, would otherwise
        // walk every placement of the store.
        var placed = new Dictionary<long, StoredPlacement>();
        using var reader = session.Command(
            "SELECT g.doc, g.family_id, g.story_id, g.parent, g.relation, g.origin, g.labeled_at FROM commit_region r CROSS JOIN groups g ON g.doc = r.seq",
            transaction).ExecuteReader();
        while (reader.Read())
        {
            placed[reader.GetInt64(0)] = new StoredPlacement(string.Empty, reader.GetString(1), reader.GetString(2), NullableString(reader, 3), NullableString(reader, 4), NullableString(reader, 5), reader.GetInt64(6));
        }

        return placed;
    }

    /// <summary>
    /// Sets the commit's placements (the last one wins for a document named twice), writing only those that differ from
    /// <paramref name="placed"/>; adds the stories the region's documents now belong to to <paramref name="stories"/>.
    /// </summary>
    private static void WritePlacements(
        SqliteSession session,
        SqliteTransaction transaction,
        IReadOnlyList<StoredPlacement> placements,
        Dictionary<string, long> sequences,
        HashSet<long> region,
        Dictionary<long, StoredPlacement> placed,
        HashSet<string> stories,
        CancellationToken cancellationToken)
    {
        var wanted = new Dictionary<long, StoredPlacement>();
        foreach (var placement in placements)
        {
            if (placement?.DocumentId is null || placement.FamilyId is null || placement.StoryId is null || !sequences.TryGetValue(placement.DocumentId, out var sequence))
            {
                continue;
            }

            wanted[sequence] = placement;
        }

        var changed = new List<(long Sequence, StoredPlacement Placement)>();
        var relabeled = new List<long>();
        foreach (var (sequence, placement) in wanted)
        {
            if (region.Contains(sequence))
            {
                stories.Add(placement.StoryId);
            }

            if (!placed.TryGetValue(sequence, out var old)
                || old.FamilyId != placement.FamilyId || old.StoryId != placement.StoryId || old.Parent != placement.Parent
                || old.Relation != placement.Relation || old.Origin != placement.Origin)
            {
                changed.Add((sequence, placement));
            }
            else if (old.LabeledAt != placement.LabeledAt)
            {
                relabeled.Add(sequence);
            }
        }

        // labeled_at is one value per commit in practice; grouped so each value is one statement.
        foreach (var group in relabeled.GroupBy(sequence => wanted[sequence].LabeledAt))
        {
            ExecuteForChunks(
                session.Command("UPDATE groups SET labeled_at = $labeled_at WHERE doc IN (SELECT value FROM json_each($rows))", transaction).With("$labeled_at", group.Key),
                [.. group],
                cancellationToken);
        }

        // Bound by position, many rows per statement (SqliteRows): the rows' values went through a JSON text before,
        // written here and parsed again by SQLite.
        var upsert = new SqliteRows(
            session,
            "INSERT INTO groups (doc, family_id, story_id, parent, relation, origin, labeled_at) VALUES",
            7,
            """
            ON CONFLICT (doc) DO UPDATE SET family_id = excluded.family_id, story_id = excluded.story_id, parent = excluded.parent,
                relation = excluded.relation, origin = excluded.origin, labeled_at = excluded.labeled_at
            """).Start(changed.Count);
        changed.Sort((x, y) => x.Sequence.CompareTo(y.Sequence));
        foreach (var (sequence, placement) in changed)
        {
            cancellationToken.ThrowIfCancellationRequested();
            upsert.Value(sequence).Value(placement.FamilyId).Value(placement.StoryId).Value(placement.Parent)
                .Value(placement.Relation).Value(placement.Origin).Value(placement.LabeledAt).EndRow();
        }
    }

    /// <summary>
    /// Replaces the trees of <paramref name="stories"/> by <paramref name="trees"/> (the last one wins for a family named
    /// twice), deleting, inserting or updating only the trees that differ from what is stored.
    /// </summary>
    private static void WriteTrees(SqliteSession session, SqliteTransaction transaction, IReadOnlyList<LineageTree> trees, HashSet<string> stories, CancellationToken cancellationToken)
    {
        // Trees as UTF-8 JSON, made, compared and bound as bytes (no UTF-16 string on the way; pairs likewise).
        var stored = new Dictionary<string, (string Story, byte[] Tree)>(StringComparer.Ordinal);
        var read = session.Command("SELECT t.family_id, t.story_id, t.tree FROM json_each($ids) j JOIN lineage_trees t ON t.story_id = j.value", transaction);
        var storyList = stories.ToList();
        for (var first = 0; first < storyList.Count; first += IdsPerStatement)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var reader = read.With("$ids", ToJsonArray(storyList.GetRange(first, Math.Min(IdsPerStatement, storyList.Count - first)))).ExecuteReader();
            while (reader.Read())
            {
                stored[reader.GetString(0)] = (reader.GetString(1), reader.GetFieldValue<byte[]>(2));
            }
        }

        var wanted = new Dictionary<string, (string Story, byte[] Tree)>(StringComparer.Ordinal);
        foreach (var tree in trees)
        {
            if (tree is not null)
            {
                wanted[tree.Family] = (tree.Story, StoredJson.WriteUtf8(tree));
            }
        }

        var delete = session.Command("DELETE FROM lineage_trees WHERE family_id = $family", transaction);
        foreach (var family in stored.Keys.Where(family => !wanted.ContainsKey(family)))
        {
            delete.With("$family", family).ExecuteNonQuery();
        }

        var insert = session.Statement("INSERT OR REPLACE INTO lineage_trees (family_id, story_id, tree) VALUES ($family, $story, $tree)");
        foreach (var (family, tree) in wanted)
        {
            if (!stored.TryGetValue(family, out var old) || old.Story != tree.Story || !old.Tree.AsSpan().SequenceEqual(tree.Tree))
            {
                insert.Bind("$family", family).Bind("$story", tree.Story).BindText("$tree", tree.Tree).Execute();
            }
        }
    }

    /// <summary>
    /// Replaces the pairs among the region (in <c>commit_region</c>) by <paramref name="pairs"/>: stored inner pairs the
    /// commit does not name are deleted, and a named pair is written only when it is new or differs from the stored row.
    /// </summary>
    private static void WriteRegionPairs(SqliteSession session, SqliteTransaction transaction, IReadOnlyList<PairScore> pairs, Dictionary<string, long> sequences, CancellationToken cancellationToken)
    {
        // Each region document's pairs by their first document, kept when the second is in the region too (not one probe
        // per two region documents).
        var stored = new Dictionary<(long A, long B), StoredPairRow>();
        using (var reader = session.Command(
            """
            SELECT p.a, p.b, p.jaccard, p.containment, p.relation, p.similarity, p.details
            FROM commit_region r CROSS JOIN pairs p ON p.a = r.seq WHERE +p.b IN (SELECT seq FROM commit_region)
            """,
            transaction).ExecuteReader())
        {
            while (reader.Read())
            {
                stored[(reader.GetInt64(0), reader.GetInt64(1))] = new StoredPairRow(
                    reader.GetDouble(2), reader.GetDouble(3), NullableString(reader, 4), reader.IsDBNull(5) ? null : reader.GetDouble(5), reader.IsDBNull(6) ? null : reader.GetFieldValue<byte[]>(6));
            }
        }

        var wanted = CanonicalPairs(pairs, sequences);
        var gone = stored.Keys.Where(key => !wanted.ContainsKey(key)).ToList();
        var delete = session.Statement("DELETE FROM pairs WHERE a = $a AND b = $b");
        foreach (var (a, b) in gone)
        {
            delete.Bind("$a", a).Bind("$b", b).Execute();
        }

        WritePairRows(session, wanted.Where(entry => !stored.TryGetValue(entry.Key, out var old) || old != entry.Value), cancellationToken);
    }

    /// <summary>A pair row as stored (<c>details</c> is the evidence's JSON as UTF-8, compared by its bytes).</summary>
    private sealed record StoredPairRow(double Jaccard, double Containment, string? Relation, double? Similarity, byte[]? Details)
    {
        public bool Equals(StoredPairRow? other) =>
            other is not null && Jaccard.Equals(other.Jaccard) && Containment.Equals(other.Containment) && Relation == other.Relation
            && Similarity.Equals(other.Similarity) && (Details is null ? other.Details is null : other.Details is not null && Details.AsSpan().SequenceEqual(other.Details));

        public override int GetHashCode() => HashCode.Combine(Jaccard, Containment, Relation, Similarity, Details?.Length);
    }

    /// <summary>Pairs keyed by the sequences of their canonical order (the last one wins for a pair named twice); unknown documents are skipped.</summary>
    private static Dictionary<(long A, long B), StoredPairRow> CanonicalPairs(IReadOnlyList<PairScore> pairs, Dictionary<string, long> sequences)
    {
        var rows = new Dictionary<(long A, long B), StoredPairRow>();
        foreach (var pair in pairs)
        {
            if (pair is null || pair.A is null || pair.B is null || pair.A == pair.B)
            {
                continue;
            }

            var canonical = StoreRules.IsCanonicalOrder(pair.A, pair.B) ? pair : pair with { A = pair.B, B = pair.A };
            if (sequences.TryGetValue(canonical.A, out var a) && sequences.TryGetValue(canonical.B, out var b))
            {
                rows[(a, b)] = new StoredPairRow(
                    canonical.Jaccard, canonical.Containment, canonical.Relation, canonical.Similarity, canonical.Details is null ? null : StoredJson.WriteUtf8(canonical.Details));
            }
        }

        return rows;
    }

    /// <summary>Inserts or updates pair rows, in key order; values are bound, so the doubles are stored exactly.</summary>
    private static void WritePairRows(SqliteSession session, IEnumerable<KeyValuePair<(long A, long B), StoredPairRow>> rows, CancellationToken cancellationToken)
    {
        var ordered = rows.OrderBy(entry => entry.Key).ToList();
        var insert = new SqliteRows(
            session,
            "INSERT INTO pairs (a, b, jaccard, containment, relation, similarity, details) VALUES",
            7,
            """
            ON CONFLICT (a, b) DO UPDATE SET jaccard = excluded.jaccard, containment = excluded.containment,
                relation = excluded.relation, similarity = excluded.similarity, details = excluded.details
            """).Start(ordered.Count);
        foreach (var ((a, b), row) in ordered)
        {
            cancellationToken.ThrowIfCancellationRequested();
            insert.Value(a).Value(b).Value(row.Jaccard).Value(row.Containment).Value(row.Relation).Value(row.Similarity);
            (row.Details is null ? insert.Null() : insert.Text(row.Details)).EndRow();
        }
    }

    public Task<long> GetVersionAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(session => (long)session.Command("SELECT value FROM store_state WHERE key = 'version'").ExecuteScalar()!, cancellationToken);

    /// <summary>
    /// An exclusive lock on <c>FILE.lock</c> beside the database (an advisory file lock the operating system drops when the
    /// process dies, so a killed ingest never leaves the store locked).
    /// </summary>
    public async Task<IAsyncDisposable> AcquireWriterLockAsync(Action? waiting = null, CancellationToken cancellationToken = default)
    {
        var path = DataSource + ".lock";
        var told = false;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
                return new FileLock(stream);
            }
            catch (IOException) when (File.Exists(path))
            {
                if (!told)
                {
                    told = true;
                    waiting?.Invoke();
                }

                await Task.Delay(WriterLockPoll, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private sealed class FileLock(FileStream stream) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => stream.DisposeAsync();
    }

    private static bool HasTerms(SqliteSession session, SqliteTransaction transaction, long sequence) =>
        session.Command("SELECT 1 FROM document_terms WHERE doc = $seq", transaction).With("$seq", sequence).ExecuteScalar() is not null;

    /// <summary>
    /// Replaces a document's counted terms (null removes them and its postings), collecting the frequency changes in
    /// <paramref name="termCounts"/> so a batch writes each term once. <paramref name="added"/>: the document was inserted
    /// by this transaction, so it has no terms to read (a look-up per added document was most of the term cost of a batch).
    /// </summary>
    private static void ReplaceTerms(SqliteSession session, SqliteTransaction transaction, long sequence, uint[]? terms, TermCountChanges termCounts, bool added = false)
    {
        using (var reader = added ? null : session.Command("SELECT terms, posted FROM document_terms WHERE doc = $seq", transaction).With("$seq", sequence).ExecuteReader())
        {
            if (reader is not null && reader.Read())
            {
                termCounts.Add(SqliteEncoding.ToUInt32Array(reader.GetFieldValue<byte[]>(0)), -1, sequence);
                if (!reader.IsDBNull(1))
                {
                    var keys = new List<(long Term, float Weight, long Sequence)>();
                    AddPosted(keys, sequence, reader.GetFieldValue<byte[]>(1));
                    DeletePostings(session, transaction, keys, CancellationToken.None);
                }
            }
        }

        if (terms is null)
        {
            session.Command("DELETE FROM document_terms WHERE doc = $seq", transaction).With("$seq", sequence).ExecuteNonQuery();
            return;
        }

        termCounts.Add(terms, 1, sequence);

        session.Statement("INSERT OR REPLACE INTO document_terms (doc, terms, posted) VALUES ($seq, $terms, NULL)")
            .Bind("$seq", sequence).Bind("$terms", SqliteEncoding.AsBlob(terms)).Execute();
    }

    private static void UpdateTermFrequencies(SqliteSession session, SqliteTransaction transaction, TermCountChanges termCounts)
    {
        var rows = termCounts.Totals.Where(entry => entry.Value.Delta != 0).OrderBy(entry => entry.Key).ToList();
        var command = session.Command(
            """
            INSERT INTO term_frequencies (term, df, first_doc) SELECT value ->> 0, value ->> 1, value ->> 2 FROM json_each($rows) WHERE true
            ON CONFLICT (term) DO UPDATE SET df = df + excluded.df
            """,
            transaction);
        var json = new StringBuilder();
        for (var first = 0; first < rows.Count; first += RowsPerBulkStatement)
        {
            json.Clear().Append('[');
            var count = Math.Min(RowsPerBulkStatement, rows.Count - first);
            for (var i = 0; i < count; i++)
            {
                var (term, (delta, firstDocument)) = rows[first + i];
                json.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? string.Empty : ",")}[{term},{delta},{firstDocument}]");
            }

            command.With("$rows", json.Append(']').ToString()).ExecuteNonQuery();
        }

        if (rows.Any(row => row.Value.Delta < 0))
        {
            session.Command("DELETE FROM term_frequencies WHERE df <= 0", transaction).ExecuteNonQuery();
        }
    }

    /// <summary>
    /// Replaces the postings of the named documents (the last list wins for a document named twice, and the last weight
    /// for a term named twice in one list): the postings they had are read from their posted blobs and deleted in bulk,
    /// the new ones inserted in key order.
    /// </summary>
    private static void ReplacePostings(SqliteSession session, SqliteTransaction transaction, IReadOnlyList<(string DocumentId, PostedTerm[] Terms)> postings, Dictionary<string, long> sequences, CancellationToken cancellationToken)
    {
        var lists = new SortedDictionary<long, PostedTerm[]>();
        foreach (var (documentId, terms) in postings)
        {
            if (documentId is not null && sequences.TryGetValue(documentId, out var sequence))
            {
                lists[sequence] = terms ?? [];
            }
        }

        var old = new List<(long Term, float Weight, long Sequence)>();
        var read = session.Command("SELECT t.doc, t.posted FROM json_each($rows) j JOIN document_terms t ON t.doc = j.value WHERE t.posted IS NOT NULL", transaction);
        var documents = lists.Keys.ToList();
        for (var first = 0; first < documents.Count; first += RowsPerBulkStatement)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var chunk = documents.Skip(first).Take(RowsPerBulkStatement).Select(d => d.ToString(CultureInfo.InvariantCulture));
            using var reader = read.With("$rows", "[" + string.Join(',', chunk) + "]").ExecuteReader();
            while (reader.Read())
            {
                AddPosted(old, reader.GetInt64(0), reader.GetFieldValue<byte[]>(1));
            }
        }

        DeletePostings(session, transaction, old, cancellationToken);
        var rows = new List<PostingRow>(lists.Values.Sum(terms => terms.Length));
        var setPosted = new SqliteRows(session, "INSERT INTO document_terms (doc, terms, posted) VALUES", 3, "ON CONFLICT (doc) DO UPDATE SET posted = excluded.posted")
            .Start(lists.Count);
        var at = new Dictionary<uint, int>();
        var distinct = new List<PostedTerm>();
        foreach (var (sequence, terms) in lists)
        {
            cancellationToken.ThrowIfCancellationRequested();
            at.Clear();
            distinct.Clear();
            foreach (var term in terms)
            {
                if (at.TryGetValue(term.Term, out var index))
                {
                    distinct[index] = term;
                }
                else
                {
                    at[term.Term] = distinct.Count;
                    distinct.Add(term);
                }
            }

            var blob = new byte[distinct.Count * 8];
            for (var k = 0; k < distinct.Count; k++)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(k * 8), distinct[k].Term);
                BinaryPrimitives.WriteSingleLittleEndian(blob.AsSpan((k * 8) + 4), distinct[k].Weight);
                rows.Add(new PostingRow(distinct[k].Term, distinct[k].Weight, sequence));
            }

            setPosted.Value(sequence).Value(ReadOnlySpan<byte>.Empty).Value(blob).EndRow();
        }

        rows.Sort();

        // Many rows per statement (SqliteRows). The weight is bound as the double SQLite would make of the float's shortest
        // decimal text (SqliteEncoding.StoredWeight), which DeletePostings relies on; bound as that text, SQLite parsed every
        // row's weight itself, most of the time a region's postings took.
        var insert = new SqliteRows(session, "INSERT OR IGNORE INTO term_postings (term, weight, doc) VALUES", 3).Start(rows.Count);
        foreach (var (term, weight, sequence) in rows)
        {
            insert.Value(term).Value(SqliteEncoding.StoredWeight(weight)).Value(sequence).EndRow();
        }
    }

    /// <summary>A posting to insert, ordered as term_postings' key: term, strongest first, then document.</summary>
    private readonly record struct PostingRow(uint Term, float Weight, long Sequence) : IComparable<PostingRow>
    {
        public int CompareTo(PostingRow other) =>
            Term != other.Term ? Term.CompareTo(other.Term) : Weight != other.Weight ? other.Weight.CompareTo(Weight) : Sequence.CompareTo(other.Sequence);
    }

    /// <summary>Adds the postings of a posted blob ((uint32 term, float32 weight) pairs) to <paramref name="postings"/>.</summary>
    private static void AddPosted(List<(long Term, float Weight, long Sequence)> postings, long sequence, byte[] posted)
    {
        for (var at = 0; at + 8 <= posted.Length; at += 8)
        {
            postings.Add((BinaryPrimitives.ReadUInt32LittleEndian(posted.AsSpan(at)), BinaryPrimitives.ReadSingleLittleEndian(posted.AsSpan(at + 4)), sequence));
        }
    }

    /// <summary>
    /// Deletes postings in bulk statements. A posting is found by its key (term, weight, document): the weight was written
    /// as the float's shortest decimal text, so the stored double lies strictly between the float's neighbours, and that
    /// open interval holds no other posting of the same term and document.
    /// </summary>
    private static void DeletePostings(SqliteSession session, SqliteTransaction transaction, List<(long Term, float Weight, long Sequence)> postings, CancellationToken cancellationToken)
    {
        postings.Sort();
        var command = session.Command(
            """
            DELETE FROM term_postings WHERE (term, weight, doc) IN (
                SELECT p.term, p.weight, p.doc FROM json_each($rows) j JOIN term_postings p
                ON p.term = j.value ->> 0 AND p.weight > j.value ->> 1 AND p.weight < j.value ->> 2 AND p.doc = j.value ->> 3)
            """,
            transaction);
        var json = new StringBuilder();
        for (var first = 0; first < postings.Count; first += RowsPerBulkStatement)
        {
            cancellationToken.ThrowIfCancellationRequested();
            json.Clear().Append('[');
            var count = Math.Min(RowsPerBulkStatement, postings.Count - first);
            for (var i = 0; i < count; i++)
            {
                var (term, weight, sequence) = postings[first + i];
                var below = (double)float.BitDecrement(weight);
                var above = (double)float.BitIncrement(weight);
                json.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? string.Empty : ",")}[{term},{below:R},{above:R},{sequence}]");
            }

            command.With("$rows", json.Append(']').ToString()).ExecuteNonQuery();
        }
    }
}
