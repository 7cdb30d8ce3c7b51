using System.Buffers.Binary;
using System.Globalization;
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
                // come first in the term_postings_strongest index, so each term costs its first rows only, however many
                // documents it is posted for. Ids come from the id cache, not from a join per row.
                using var transaction = session.Connection.BeginTransaction(deferred: true);
                var deletions = session.Command(SqliteDocumentIds.DeletionsSql, transaction).ExecuteScalar() is long counted ? counted : 0;
                var rows = new List<(uint Term, long Sequence, float Weight)>();
                var limit = Math.Max(0, maxPerTerm);
                var command = session.Command(
                    """
                    SELECT p.doc, p.weight FROM term_postings p INDEXED BY term_postings_strongest
                    WHERE p.term = $term ORDER BY p.weight DESC, p.doc LIMIT $limit
                    """,
                    transaction).With("$limit", limit);
                var sequences = new HashSet<long>();
                foreach (var term in terms.Distinct())
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    using var reader = command.With("$term", (long)term).ExecuteReader();
                    while (reader.Read())
                    {
                        var sequence = reader.GetInt64(0);
                        rows.Add((term, sequence, reader.GetFloat(1)));
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

    public Task<long> CommitRelateAsync(RelateCommit commit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commit);
        return WriteAsync(
            (session, transaction) =>
            {
                session.Command("CREATE TEMP TABLE IF NOT EXISTS commit_region (seq INTEGER PRIMARY KEY)", transaction).ExecuteNonQuery();
                session.Command("DELETE FROM commit_region", transaction).ExecuteNonQuery();
                session.Command("INSERT OR IGNORE INTO commit_region (seq) SELECT seq FROM documents WHERE id IN (SELECT value FROM json_each($ids))", transaction)
                    .With("$ids", ToJsonArray(commit.Region)).ExecuteNonQuery();

                // Trees of the stories the region's documents belonged to, before the placements move them.
                // CROSS JOIN keeps the region as the outer loop: the planner, knowing nothing of the temp table, would
                // otherwise walk every placement of the store.
                const string DeleteTreesOfRegion =
                    "DELETE FROM lineage_trees WHERE story_id IN (SELECT g.story_id FROM commit_region r CROSS JOIN groups g ON g.doc = r.seq)";
                session.Command(DeleteTreesOfRegion, transaction).ExecuteNonQuery();
                // Each region document's pairs by their first document, kept when the second is in the region too (not one
                // probe per two region documents).
                session.Command(
                    """
                    DELETE FROM pairs WHERE (a, b) IN (
                        SELECT p.a, p.b FROM commit_region r CROSS JOIN pairs p ON p.a = r.seq WHERE +p.b IN (SELECT seq FROM commit_region))
                    """,
                    transaction).ExecuteNonQuery();

                var place = session.Command(
                    """
                    INSERT INTO groups (doc, family_id, story_id, parent, relation, origin, labeled_at)
                    SELECT seq, $family, $story, $parent, $relation, $origin, $labeled_at FROM documents WHERE id = $id
                    ON CONFLICT (doc) DO UPDATE SET family_id = excluded.family_id, story_id = excluded.story_id, parent = excluded.parent,
                        relation = excluded.relation, origin = excluded.origin, labeled_at = excluded.labeled_at
                    """,
                    transaction);
                foreach (var placement in commit.Placements)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (placement?.DocumentId is null || placement.FamilyId is null || placement.StoryId is null)
                    {
                        continue;
                    }

                    place.With("$id", placement.DocumentId).With("$family", placement.FamilyId).With("$story", placement.StoryId)
                        .With("$parent", placement.Parent).With("$relation", placement.Relation).With("$origin", placement.Origin)
                        .With("$labeled_at", placement.LabeledAt).ExecuteNonQuery();
                }

                session.Command(DeleteTreesOfRegion, transaction).ExecuteNonQuery();
                var insertTree = session.Command(
                    "INSERT OR REPLACE INTO lineage_trees (family_id, story_id, tree) VALUES ($family, $story, $tree)", transaction);
                foreach (var tree in commit.Trees)
                {
                    insertTree.With("$family", tree.Family).With("$story", tree.Story).With("$tree", StoredJson.Write(tree)).ExecuteNonQuery();
                }

                InsertPairs(session, transaction, commit.Pairs, cancellationToken);
                ReplacePostings(session, transaction, commit.Postings, cancellationToken);
                session.Command("DELETE FROM pending WHERE doc IN (SELECT seq FROM documents WHERE id IN (SELECT value FROM json_each($ids)))", transaction)
                    .With("$ids", ToJsonArray(commit.Processed)).ExecuteNonQuery();
                session.Command("DELETE FROM commit_region", transaction).ExecuteNonQuery();

                // WriteAsync raises the version after this; report the value it will have.
                return (long)session.Command("SELECT value FROM store_state WHERE key = 'version'", transaction).ExecuteScalar()! + 1;
            },
            cancellationToken);
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
    /// <paramref name="termCounts"/> so a batch writes each term once.
    /// </summary>
    private static void ReplaceTerms(SqliteSession session, SqliteTransaction transaction, long sequence, uint[]? terms, Dictionary<uint, (int Delta, long First)> termCounts)
    {
        using (var reader = session.Command("SELECT terms, posted FROM document_terms WHERE doc = $seq", transaction).With("$seq", sequence).ExecuteReader())
        {
            if (reader.Read())
            {
                foreach (var old in SqliteEncoding.ToUInt32Array(reader.GetFieldValue<byte[]>(0)))
                {
                    termCounts[old] = termCounts.TryGetValue(old, out var known) ? (known.Delta - 1, known.First) : (-1, sequence);
                }

                if (!reader.IsDBNull(1))
                {
                    DeletePostings(session, transaction, sequence, reader.GetFieldValue<byte[]>(1));
                }
            }
        }

        if (terms is null)
        {
            session.Command("DELETE FROM document_terms WHERE doc = $seq", transaction).With("$seq", sequence).ExecuteNonQuery();
            return;
        }

        foreach (var term in terms)
        {
            termCounts[term] = termCounts.TryGetValue(term, out var known) ? (known.Delta + 1, known.First) : (1, sequence);
        }

        session.Command("INSERT OR REPLACE INTO document_terms (doc, terms, posted) VALUES ($seq, $terms, NULL)", transaction)
            .With("$seq", sequence).With("$terms", SqliteEncoding.ToBlob(terms)).ExecuteNonQuery();
    }

    private static void UpdateTermFrequencies(SqliteSession session, SqliteTransaction transaction, Dictionary<uint, (int Delta, long First)> termCounts)
    {
        var rows = termCounts.Where(entry => entry.Value.Delta != 0).OrderBy(entry => entry.Key).ToList();
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

    private static void ReplacePostings(SqliteSession session, SqliteTransaction transaction, IReadOnlyList<(string DocumentId, PostedTerm[] Terms)> postings, CancellationToken cancellationToken)
    {
        var rows = new List<(long Term, long Sequence, float Weight)>();
        var find = session.Command("SELECT d.seq, t.posted FROM documents d LEFT JOIN document_terms t ON t.doc = d.seq WHERE d.id = $id", transaction);
        var setPosted = session.Command(
            "INSERT INTO document_terms (doc, terms, posted) VALUES ($seq, x'', $posted) ON CONFLICT (doc) DO UPDATE SET posted = excluded.posted",
            transaction);
        foreach (var (documentId, terms) in postings)
        {
            cancellationToken.ThrowIfCancellationRequested();
            long sequence;
            using (var reader = find.With("$id", documentId).ExecuteReader())
            {
                if (!reader.Read())
                {
                    continue;
                }

                sequence = reader.GetInt64(0);
                if (!reader.IsDBNull(1))
                {
                    DeletePostings(session, transaction, sequence, reader.GetFieldValue<byte[]>(1));
                }
            }

            var blob = new byte[terms.Length * 8];
            for (var k = 0; k < terms.Length; k++)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(k * 8), terms[k].Term);
                BinaryPrimitives.WriteSingleLittleEndian(blob.AsSpan((k * 8) + 4), terms[k].Weight);
                rows.Add((terms[k].Term, sequence, terms[k].Weight));
            }

            setPosted.With("$seq", sequence).With("$posted", blob).ExecuteNonQuery();
        }

        rows.Sort();
        var command = session.Command(
            "INSERT OR REPLACE INTO term_postings (term, doc, weight) SELECT value ->> 0, value ->> 1, value ->> 2 FROM json_each($rows)",
            transaction);
        var json = new StringBuilder();
        for (var first = 0; first < rows.Count; first += RowsPerBulkStatement)
        {
            json.Clear().Append('[');
            var count = Math.Min(RowsPerBulkStatement, rows.Count - first);
            for (var i = 0; i < count; i++)
            {
                var (term, sequence, weight) = rows[first + i];
                json.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? string.Empty : ",")}[{term},{sequence},{weight:R}]");
            }

            command.With("$rows", json.Append(']').ToString()).ExecuteNonQuery();
        }
    }

    private static void DeletePostings(SqliteSession session, SqliteTransaction transaction, long sequence, byte[] posted)
    {
        var command = session.Command("DELETE FROM term_postings WHERE term = $term AND doc = $seq", transaction);
        for (var at = 0; at + 8 <= posted.Length; at += 8)
        {
            command.With("$term", (long)BinaryPrimitives.ReadUInt32LittleEndian(posted.AsSpan(at))).With("$seq", sequence).ExecuteNonQuery();
        }
    }
}
