using System.Globalization;
using System.Text;
using Npgsql;
using Stemma.Lineage;

namespace Stemma.Storage.PostgreSql;

/// <summary>Term statistics and postings, pairs, placements, stories, lineage trees and the ingest job's state.</summary>
public sealed partial class PostgreSqlStore
{
    private const string SelectPairSql =
        """
        SELECT da.id, db.id, p.jaccard, p.containment, p.relation, p.similarity, coalesce(p.similarity, p.jaccard) AS ranking, p.details
        FROM pairs p JOIN documents da ON da.seq = p.a JOIN documents db ON db.seq = p.b
        """;

    private const string PairOrderSql = "ORDER BY 7 DESC, 3 DESC, 1, 2";

    // ---- terms and postings -------------------------------------------------------------------------------------

    public Task<IReadOnlyList<TermFrequency>> GetTermFrequenciesAsync(IReadOnlyList<uint> terms, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(terms);
        var distinct = terms.Distinct().ToArray();
        return ReadAsync<IReadOnlyList<TermFrequency>>(
            async connection =>
            {
                var found = new Dictionary<uint, TermFrequency>();
                await using (var command = Command(
                    connection,
                    null,
                    "SELECT f.term, f.df, CASE WHEN f.df <= " + TermFrequency.FirstDocumentUpTo.ToString(System.Globalization.CultureInfo.InvariantCulture) +
                    " THEN (SELECT d.id FROM documents d WHERE d.seq = f.first_doc) END FROM term_frequencies f WHERE f.term = ANY($1)",
                    distinct.Select(term => (long)term).ToArray()))
                {
                    await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        var term = (uint)reader.GetInt64(0);
                        found[term] = new TermFrequency(term, reader.GetInt32(1), NullableString(reader, 2));
                    }
                }

                return [.. distinct.Where(found.ContainsKey).Select(term => found[term])];
            },
            cancellationToken);
    }

    public Task<IReadOnlyList<Posting>> GetPostingsAsync(IReadOnlyList<uint> terms, int maxPerTerm, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(terms);
        var distinct = terms.Distinct().Select(term => (long)term).ToArray();
        return ReadAsync<IReadOnlyList<Posting>>(
            async connection =>
            {
                var found = new List<Posting>();
                await using var command = Command(
                    connection,
                    null,
                    """
                    SELECT q.term, d.id, p.weight
                    FROM unnest($1::bigint[]) WITH ORDINALITY AS q (term, ord)
                    CROSS JOIN LATERAL (
                        SELECT t.doc, t.weight FROM term_postings t WHERE t.term = q.term ORDER BY t.weight DESC, t.doc LIMIT $2) p
                    JOIN documents d ON d.seq = p.doc
                    ORDER BY q.ord, p.weight DESC, p.doc
                    """,
                    distinct,
                    Math.Max(0, maxPerTerm));
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    found.Add(new Posting((uint)reader.GetInt64(0), reader.GetString(1), reader.GetFloat(2)));
                }

                return found;
            },
            cancellationToken);
    }

    // ---- pairs --------------------------------------------------------------------------------------------------

    public Task<int> AddPairsAsync(IReadOnlyList<PairScore> pairs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        return WriteAsync((connection, transaction) => InsertPairsAsync(connection, transaction, pairs, cancellationToken), cancellationToken);
    }

    public Task<IReadOnlyList<PairScore>> GetPairsAsync(string documentId, CancellationToken cancellationToken = default) =>
        ReadAsync(
            connection => ReadPairsAsync(
                Command(
                    connection,
                    null,
                    $"""
                    {SelectPairSql}
                    WHERE p.a = (SELECT seq FROM documents WHERE id = $1)
                    UNION ALL
                    {SelectPairSql}
                    WHERE p.b = (SELECT seq FROM documents WHERE id = $1)
                    {PairOrderSql}
                    """,
                    documentId),
                cancellationToken),
            cancellationToken);

    public Task<IReadOnlyList<PairScore>> GetPairsAmongAsync(IReadOnlyList<string> documentIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documentIds);
        var ids = documentIds.Where(id => id is not null).ToArray();
        return ReadAsync(
            connection => ReadPairsAsync(
                Command(
                    connection,
                    null,
                    $"""
                    WITH members AS (SELECT seq FROM documents WHERE id = ANY($1))
                    {SelectPairSql}
                    WHERE p.a IN (SELECT seq FROM members) AND p.b IN (SELECT seq FROM members)
                    {PairOrderSql}
                    """,
                    (object)ids),
                cancellationToken),
            cancellationToken);
    }

    public Task<long> CountPairsAsync(CancellationToken cancellationToken = default) =>
        ScalarAsync<long>("SELECT COUNT(*) FROM pairs", cancellationToken);

    /// <summary>
    /// Upserts pairs in one statement. Returns, like the other backends, how many of the given pairs were stored
    /// (a pair given twice counts twice; the last one given is what stays).
    /// </summary>
    /// <param name="onlyChanged">Leave a stored row equal to the given one as it is (a commit, which needs no count); the count then leaves it out too.</param>
    private static async Task<int> InsertPairsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<PairScore> pairs, CancellationToken cancellationToken, bool onlyChanged = false)
    {
        var keys = new List<(string A, string B)>();
        var last = new Dictionary<(string A, string B), PairScore>();
        foreach (var pair in pairs)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (pair is null || pair.A is null || pair.B is null || pair.A == pair.B)
            {
                continue;
            }

            var canonical = StoreRules.IsCanonicalOrder(pair.A, pair.B) ? pair : pair with { A = pair.B, B = pair.A };
            keys.Add((canonical.A, canonical.B));
            last[(canonical.A, canonical.B)] = canonical;
        }

        if (last.Count == 0)
        {
            return 0;
        }

        var rows = last.Values.ToArray();
        var stored = new HashSet<(string, string)>();
        await using (var command = Command(
            connection,
            transaction,
            $"""
            WITH written AS (
                INSERT INTO pairs (a, b, jaccard, containment, relation, similarity, details)
                SELECT x.seq, y.seq, u.jaccard, u.containment, u.relation, u.similarity, u.details
                FROM unnest($1::text[], $2::text[], $3::float8[], $4::float8[], $5::text[], $6::float8[], $7::text[])
                    AS u (a, b, jaccard, containment, relation, similarity, details)
                JOIN documents x ON x.id = u.a JOIN documents y ON y.id = u.b
                ON CONFLICT (a, b) DO UPDATE SET jaccard = excluded.jaccard, containment = excluded.containment,
                    relation = excluded.relation, similarity = excluded.similarity, details = excluded.details
                {(onlyChanged ? UnchangedPairSql : string.Empty)}
                RETURNING a, b)
            SELECT x.id, y.id FROM written w JOIN documents x ON x.seq = w.a JOIN documents y ON y.seq = w.b
            """,
            rows.Select(pair => pair.A).ToArray(),
            rows.Select(pair => pair.B).ToArray(),
            rows.Select(pair => pair.Jaccard).ToArray(),
            rows.Select(pair => pair.Containment).ToArray(),
            rows.Select(pair => pair.Relation).ToArray(),
            rows.Select(pair => pair.Similarity).ToArray(),
            rows.Select(pair => pair.Details is null ? null : StoredJson.Write(pair.Details)).ToArray()))
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                stored.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        return keys.Count(stored.Contains);
    }

    private const string UnchangedPairSql =
        """
        WHERE (pairs.jaccard, pairs.containment, pairs.relation, pairs.similarity, pairs.details)
            IS DISTINCT FROM (excluded.jaccard, excluded.containment, excluded.relation, excluded.similarity, excluded.details)
        """;

    private static async Task<IReadOnlyList<PairScore>> ReadPairsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using (command.ConfigureAwait(false))
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var pairs = new List<PairScore>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
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
    }

    // ---- groups, families, stories --------------------------------------------------------------------------------

    public Task<int> SetGroupsAsync(IReadOnlyList<GroupAssignment> assignments, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(assignments);
        var valid = assignments.Where(assignment => assignment?.DocumentId is not null && assignment.FamilyId is not null && assignment.StoryId is not null).ToList();
        var placements = valid.Select(assignment => new StoredPlacement(assignment.DocumentId, assignment.FamilyId, assignment.StoryId, null, null, null, 0)).ToList();
        return WriteAsync(
            async (connection, transaction) =>
            {
                var placed = await PlaceAsync(connection, transaction, placements, keepDetails: true, cancellationToken).ConfigureAwait(false);
                return valid.Count(assignment => placed.Contains(assignment.DocumentId));
            },
            cancellationToken);
    }

    public Task<GroupAssignment?> GetGroupAsync(string documentId, CancellationToken cancellationToken = default) =>
        ReadAsync(
            async connection =>
            {
                await using var command = Command(
                    connection, null, "SELECT g.family_id, g.story_id FROM groups g JOIN documents d ON d.seq = g.doc WHERE d.id = $1", documentId);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
                    ? new GroupAssignment(documentId, reader.GetString(0), reader.GetString(1))
                    : null;
            },
            cancellationToken);

    public Task<IReadOnlyList<FamilySummary>> ListFamiliesAsync(int minSize = 1, CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<FamilySummary>>(
            async connection =>
            {
                await using var command = Command(
                    connection,
                    null,
                    """
                    WITH ranked AS (
                        SELECT g.family_id, g.story_id, d.id, d.title,
                            ROW_NUMBER() OVER (PARTITION BY g.family_id ORDER BY d.date_utc_ticks IS NULL, d.date_utc_ticks, d.seq) AS rank,
                            COUNT(*) OVER (PARTITION BY g.family_id) AS size
                        FROM groups g JOIN documents d ON d.seq = g.doc)
                    SELECT family_id, story_id, size::integer, id, title FROM ranked
                    WHERE rank = 1 AND size >= $1
                    ORDER BY size DESC, family_id
                    """,
                    minSize);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                var families = new List<FamilySummary>();
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    families.Add(new FamilySummary(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetString(3), NullableString(reader, 4)));
                }

                return families;
            },
            cancellationToken);

    public Task<IReadOnlyList<string>> GetFamilyMembersAsync(string familyId, CancellationToken cancellationToken = default) =>
        ReadAsync(
            connection => ReadStringsAsync(
                Command(connection, null, "SELECT d.id FROM groups g JOIN documents d ON d.seq = g.doc WHERE g.family_id = $1 ORDER BY d.seq", familyId),
                cancellationToken),
            cancellationToken);

    public Task<IReadOnlyList<string>> GetStoryMembersAsync(string storyId, CancellationToken cancellationToken = default) =>
        ReadAsync(
            connection => ReadStringsAsync(
                Command(connection, null, "SELECT d.id FROM groups g JOIN documents d ON d.seq = g.doc WHERE g.story_id = $1 ORDER BY d.seq", storyId),
                cancellationToken),
            cancellationToken);

    public Task<IReadOnlyList<IReadOnlyList<string>>> GetStoryMembersAsync(IReadOnlyList<string> storyIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(storyIds);
        var ids = storyIds.Where(id => id is not null).Distinct(StringComparer.Ordinal).ToArray();
        return ReadAsync<IReadOnlyList<IReadOnlyList<string>>>(
            async connection =>
            {
                // One statement for every story asked.
                var rows = new List<(string Story, string Document)>();
                await using (var command = Command(
                    connection,
                    null,
                    "SELECT g.story_id, d.id FROM groups g JOIN documents d ON d.seq = g.doc WHERE g.story_id = ANY($1) ORDER BY d.seq",
                    (object)ids))
                {
                    await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
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
            async connection =>
            {
                var (stories, total) = await ReadStoriesAsync(connection, sql, query.MinSize, site, words, Math.Max(0, query.Offset), query.Limit > 0 ? query.Limit : null, cancellationToken).ConfigureAwait(false);
                if (stories.Count == 0 && query.Offset > 0)
                {
                    // Paged past the end: the window count came back with no rows; ask for the first row only.
                    (_, total) = await ReadStoriesAsync(connection, sql, query.MinSize, site, words, 0, 1, cancellationToken).ConfigureAwait(false);
                }

                return new StoryPage(stories, total);
            },
            cancellationToken);
    }

    /// <summary>
    /// The story's original (<see cref="StorySummary.OriginalId"/>) for page row p: the parentless member of its largest
    /// family, earliest-dated first (undated last), then the first inserted.
    /// </summary>
    private const string OriginalSql =
        """
        SELECT d.seq FROM groups g JOIN documents d ON d.seq = g.doc WHERE g.story_id = p.story_id AND g.parent IS NULL
        ORDER BY (SELECT COUNT(*) FROM groups m WHERE m.family_id = g.family_id) DESC, d.date_utc_ticks IS NULL, d.date_utc_ticks, d.seq LIMIT 1
        """;

    /// <summary>Parameters: $1 min size, $2 site, $3 offset, $4 limit (null: all), $5.. search words.</summary>
    private static string StoriesSql(int searchWords, bool filterSite, StorySort sort)
    {
        var filters = new StringBuilder();
        if (searchWords > 0)
        {
            filters.Append(" AND EXISTS (SELECT 1 FROM members m WHERE m.story_id = s.story_id");
            for (var i = 0; i < searchWords; i++)
            {
                filters.Append(CultureInfo.InvariantCulture, $" AND strpos(m.title_folded, ${i + 5}) > 0");
            }

            filters.Append(')');
        }

        if (filterSite)
        {
            filters.Append(" AND EXISTS (SELECT 1 FROM members m WHERE m.story_id = s.story_id AND lower(m.site) = $2)");
        }

        var order = sort switch
        {
            StorySort.Newest => "s.earliest IS NULL, s.earliest DESC, s.story_id",
            StorySort.Oldest => "s.earliest IS NULL, s.earliest, s.story_id",
            _ => "s.size DESC, s.story_id",
        };

        return $"""
            WITH members AS (
                SELECT g.story_id, g.family_id, d.title_folded, d.site, d.date_utc_ticks AS ticks
                FROM groups g JOIN documents d ON d.seq = g.doc),
            stories AS (
                SELECT story_id, COUNT(*)::integer AS size, COUNT(DISTINCT family_id)::integer AS families, MIN(ticks) AS earliest,
                    MAX(ticks) AS latest, COUNT(DISTINCT lower(site))::integer AS sites
                FROM members GROUP BY story_id HAVING COUNT(*) >= $1),
            page AS (
                SELECT s.*, (COUNT(*) OVER ())::integer AS total FROM stories s
                WHERE true{filters}
                ORDER BY {order}
                LIMIT $4 OFFSET $3)
            SELECT p.story_id, p.size, p.families, f.id, f.title, p.earliest, p.latest, p.sites, p.total, original.id, original.title
            FROM page p JOIN documents f ON f.seq = (
                SELECT d.seq FROM groups g JOIN documents d ON d.seq = g.doc WHERE g.story_id = p.story_id
                ORDER BY d.date_utc_ticks IS NULL, d.date_utc_ticks, d.seq LIMIT 1)
            LEFT JOIN documents original ON original.seq = ({OriginalSql})
            ORDER BY {order.Replace("s.", "p.", StringComparison.Ordinal)}
            """;
    }

    private static async Task<(List<StorySummary> Stories, int Total)> ReadStoriesAsync(
        NpgsqlConnection connection,
        string sql,
        int minSize,
        string? site,
        IReadOnlyList<string> words,
        int offset,
        int? limit,
        CancellationToken cancellationToken)
    {
        object?[] values = [minSize, site, offset, limit, .. words];
        await using var command = Command(connection, null, sql, values);
        command.Parameters[1].NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text;
        command.Parameters[3].NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Integer;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var stories = new List<StorySummary>();
        var total = 0;
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
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

    // ---- placements, trees, the ingest job --------------------------------------------------------------------------

    public Task<IReadOnlyList<StoredPlacement>> GetPlacementsAsync(IReadOnlyList<string> documentIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documentIds);
        var ids = documentIds.Where(id => id is not null).Distinct(StringComparer.Ordinal).ToArray();
        return ReadAsync<IReadOnlyList<StoredPlacement>>(
            async connection =>
            {
                var found = new Dictionary<string, StoredPlacement>(StringComparer.Ordinal);
                await using (var command = Command(
                    connection,
                    null,
                    """
                    SELECT d.id, g.family_id, g.story_id, g.parent, g.relation, g.origin, g.labeled_at
                    FROM groups g JOIN documents d ON d.seq = g.doc WHERE d.id = ANY($1)
                    """,
                    (object)ids))
                {
                    await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        var id = reader.GetString(0);
                        found[id] = new StoredPlacement(id, reader.GetString(1), reader.GetString(2), NullableString(reader, 3), NullableString(reader, 4), NullableString(reader, 5), reader.GetInt64(6));
                    }
                }

                return [.. documentIds.Where(id => id is not null && found.ContainsKey(id)).Select(id => found[id])];
            },
            cancellationToken);
    }

    public Task<IReadOnlyList<LineageTree>> GetTreesAsync(string storyId, CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<LineageTree>>(
            async connection =>
            {
                var trees = new List<LineageTree>();
                foreach (var json in await ReadStringsAsync(Command(connection, null, "SELECT tree FROM lineage_trees WHERE story_id = $1 ORDER BY family_id", storyId), cancellationToken).ConfigureAwait(false))
                {
                    trees.Add(StoredJson.ReadTree(json));
                }

                return trees;
            },
            cancellationToken);

    public Task<IReadOnlyList<string>> GetPendingAsync(int limit, CancellationToken cancellationToken = default) =>
        ReadAsync(
            connection => ReadStringsAsync(
                Command(connection, null, "SELECT d.id FROM pending p JOIN documents d ON d.seq = p.doc ORDER BY p.doc LIMIT $1", Math.Max(0, limit)),
                cancellationToken),
            cancellationToken);

    public Task<IReadOnlyList<string>> GetLabeledBeforeAsync(long documentCount, int limit, CancellationToken cancellationToken = default) =>
        ReadAsync(
            connection => ReadStringsAsync(
                Command(
                    connection,
                    null,
                    "SELECT d.id FROM groups g JOIN documents d ON d.seq = g.doc WHERE g.labeled_at < $1 ORDER BY g.doc LIMIT $2",
                    documentCount,
                    Math.Max(0, limit)),
                cancellationToken),
            cancellationToken);

    public Task<long> CommitRelateAsync(RelateCommit commit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commit);
        return WriteAsync(
            async (connection, transaction) =>
            {
                var region = new List<long>();
                await using (var command = Command(connection, transaction, "SELECT seq FROM documents WHERE id = ANY($1)", (object)commit.Region.Where(id => id is not null).ToArray()))
                {
                    await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        region.Add(reader.GetInt64(0));
                    }
                }

                var regionSeqs = region.ToArray();
                var regionIds = new HashSet<string>(commit.Region.Where(id => id is not null), StringComparer.Ordinal);

                // Only what changed is written: pairs among the region that the commit no longer names are deleted, and
                // rows equal to what is stored (pairs, placements, trees) are left as they are (IS DISTINCT FROM below).
                var placements = commit.Placements.Where(placement => placement?.DocumentId is not null && placement.FamilyId is not null && placement.StoryId is not null)
                    .GroupBy(placement => placement.DocumentId, StringComparer.Ordinal).Select(group => group.Last()).ToList();
                var pairs = commit.Pairs.Where(pair => pair?.A is not null && pair.B is not null && pair.A != pair.B)
                    .Select(pair => StoreRules.IsCanonicalOrder(pair.A, pair.B) ? (pair.A, pair.B) : (A: pair.B, B: pair.A)).ToArray();

                // The stories the region's documents belonged to, before the placements move them, and belong to now.
                var stories = new HashSet<string>(StringComparer.Ordinal);
                stories.UnionWith(await ReadStringsAsync(Command(connection, transaction, "SELECT DISTINCT story_id FROM groups WHERE doc = ANY($1)", (object)regionSeqs), cancellationToken).ConfigureAwait(false));

                stories.UnionWith(placements.Where(placement => regionIds.Contains(placement.DocumentId)).Select(placement => placement.StoryId));
                var trees = commit.Trees.Where(tree => tree is not null).GroupBy(tree => tree.Family, StringComparer.Ordinal).Select(group => group.Last()).ToArray();

                // b + 0 keeps b out of the index condition: a btree scan with both array keys would visit region² key pairs.
                await BatchAsync(
                    connection,
                    transaction,
                    cancellationToken,
                    (
                        """
                        DELETE FROM pairs p WHERE p.a = ANY($1) AND p.b + 0 = ANY($1)
                            AND NOT EXISTS (SELECT 1 FROM unnest($2::text[], $3::text[]) AS u (a, b) JOIN documents x ON x.id = u.a JOIN documents y ON y.id = u.b
                                            WHERE x.seq = p.a AND y.seq = p.b)
                        """,
                        [regionSeqs, pairs.Select(pair => pair.A).ToArray(), pairs.Select(pair => pair.B).ToArray()]),
                    (
                        "DELETE FROM lineage_trees WHERE story_id = ANY($1) AND NOT (family_id = ANY($2))",
                        [stories.ToArray(), trees.Select(tree => tree.Family).ToArray()])).ConfigureAwait(false);

                await PlaceAsync(connection, transaction, placements, keepDetails: false, cancellationToken, onlyChanged: true).ConfigureAwait(false);
                if (trees.Length > 0)
                {
                    await ExecuteAsync(
                        connection,
                        transaction,
                        """
                        INSERT INTO lineage_trees (family_id, story_id, tree) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
                        ON CONFLICT (family_id) DO UPDATE SET story_id = excluded.story_id, tree = excluded.tree
                        WHERE (lineage_trees.story_id, lineage_trees.tree) IS DISTINCT FROM (excluded.story_id, excluded.tree)
                        """,
                        cancellationToken,
                        trees.Select(tree => tree.Family).ToArray(),
                        trees.Select(tree => tree.Story).ToArray(),
                        trees.Select(StoredJson.Write).ToArray()).ConfigureAwait(false);
                }

                await InsertPairsAsync(connection, transaction, commit.Pairs, cancellationToken, onlyChanged: true).ConfigureAwait(false);
                await ReplacePostingsAsync(connection, transaction, commit.Postings, cancellationToken).ConfigureAwait(false);
                await ExecuteAsync(
                    connection,
                    transaction,
                    "DELETE FROM pending WHERE doc IN (SELECT seq FROM documents WHERE id = ANY($1))",
                    cancellationToken,
                    (object)commit.Processed.Where(id => id is not null).ToArray()).ConfigureAwait(false);

                // WriteAsync raises the version after this; report the value it will have.
                await using var version = Command(connection, transaction, "SELECT value + 1 FROM store_state WHERE key = 'version'");
                return (long)(await version.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            },
            cancellationToken);
    }

    public Task<long> GetVersionAsync(CancellationToken cancellationToken = default) =>
        ScalarAsync<long>("SELECT value FROM store_state WHERE key = 'version'", cancellationToken);

    /// <summary>
    /// A session-level PostgreSQL advisory lock (<c>pg_advisory_lock</c>) held on a connection of its own: disposing
    /// the result unlocks and closes that connection, and the server drops the lock by itself when the session ends
    /// (the process died or the connection broke), so a killed ingest never leaves the database locked.
    /// The lock is per database, so it serialises ingests from any machine writing the same database.
    /// </summary>
    public async Task<IAsyncDisposable> AcquireWriterLockAsync(Action? waiting = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        var connection = new NpgsqlConnection(_lockConnectionString);
        try
        {
            try
            {
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (NpgsqlException exception) when (!cancellationToken.IsCancellationRequested)
            {
                throw new StoreException($"Cannot reach PostgreSQL database {Server}: {exception.Message}", exception);
            }

            await using (var attempt = Command(connection, null, "SELECT pg_try_advisory_lock($1)", WriterLockKey))
            {
                if (!(bool)(await attempt.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
                {
                    waiting?.Invoke();
                    await using var wait = Command(connection, null, "SELECT pg_advisory_lock($1)", WriterLockKey);
                    wait.CommandTimeout = 0;
                    await wait.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            return new AdvisoryLock(connection);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private sealed class AdvisoryLock(NpgsqlConnection connection) : IAsyncDisposable
    {
        private int _released;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) != 0)
            {
                return;
            }

            try
            {
                await using var unlock = Command(connection, null, "SELECT pg_advisory_unlock($1)", WriterLockKey);
                await unlock.ExecuteNonQueryAsync().ConfigureAwait(false);
            }
            catch (NpgsqlException)
            {
                // The session is gone, and the server released the lock with it.
            }
            finally
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Sets placements (the last one wins for a document named twice). <paramref name="keepDetails"/>: only family and
    /// story change (SetGroups); otherwise parent, relation, origin and labeled_at are set too. Returns the ids placed.
    /// </summary>
    /// <param name="onlyChanged">Leave a stored placement equal to the given one as it is (it is then not among the ids returned).</param>
    private static async Task<HashSet<string>> PlaceAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<StoredPlacement> placements, bool keepDetails, CancellationToken cancellationToken, bool onlyChanged = false)
    {
        var placed = new HashSet<string>(StringComparer.Ordinal);
        var rows = placements.GroupBy(placement => placement.DocumentId, StringComparer.Ordinal).Select(group => group.Last()).ToArray();
        if (rows.Length == 0)
        {
            return placed;
        }

        var update = keepDetails
            ? "family_id = excluded.family_id, story_id = excluded.story_id"
            : "family_id = excluded.family_id, story_id = excluded.story_id, parent = excluded.parent, relation = excluded.relation, origin = excluded.origin, labeled_at = excluded.labeled_at";
        await using var command = Command(
            connection,
            transaction,
            $"""
            WITH written AS (
                INSERT INTO groups (doc, family_id, story_id, parent, relation, origin, labeled_at)
                SELECT d.seq, u.family_id, u.story_id, u.parent, u.relation, u.origin, u.labeled_at
                FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[])
                    AS u (id, family_id, story_id, parent, relation, origin, labeled_at)
                JOIN documents d ON d.id = u.id
                ON CONFLICT (doc) DO UPDATE SET {update}
                {(onlyChanged ? UnchangedPlacementSql : string.Empty)}
                RETURNING doc)
            SELECT d.id FROM written w JOIN documents d ON d.seq = w.doc
            """,
            rows.Select(row => row.DocumentId).ToArray(),
            rows.Select(row => row.FamilyId).ToArray(),
            rows.Select(row => row.StoryId).ToArray(),
            rows.Select(row => row.Parent).ToArray(),
            rows.Select(row => row.Relation).ToArray(),
            rows.Select(row => row.Origin).ToArray(),
            rows.Select(row => row.LabeledAt).ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            placed.Add(reader.GetString(0));
        }

        return placed;
    }

    private const string UnchangedPlacementSql =
        """
        WHERE (groups.family_id, groups.story_id, groups.parent, groups.relation, groups.origin, groups.labeled_at)
            IS DISTINCT FROM (excluded.family_id, excluded.story_id, excluded.parent, excluded.relation, excluded.origin, excluded.labeled_at)
        """;

    /// <summary>Replaces the postings of the named documents (the last list wins for a document named twice).</summary>
    private static async Task ReplacePostingsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<(string DocumentId, PostedTerm[] Terms)> postings, CancellationToken cancellationToken)
    {
        var lists = new Dictionary<string, PostedTerm[]>(StringComparer.Ordinal);
        foreach (var (documentId, terms) in postings)
        {
            if (documentId is not null)
            {
                lists[documentId] = terms ?? [];
            }
        }

        if (lists.Count == 0)
        {
            return;
        }

        var oldTerms = new List<long>();
        var oldDocs = new List<long>();
        var sequences = new Dictionary<string, long>(StringComparer.Ordinal);
        await using (var command = Command(
            connection,
            transaction,
            "SELECT d.id, d.seq, t.posted_terms FROM documents d LEFT JOIN document_terms t ON t.doc = d.seq WHERE d.id = ANY($1)",
            (object)lists.Keys.ToArray()))
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var sequence = reader.GetInt64(1);
                sequences[reader.GetString(0)] = sequence;
                foreach (var term in reader.IsDBNull(2) ? [] : reader.GetFieldValue<long[]>(2))
                {
                    oldTerms.Add(term);
                    oldDocs.Add(sequence);
                }
            }
        }

        // One row per (term, document), the last weight given; sorted in index order.
        var rows = new SortedDictionary<(long Term, long Sequence), (int Order, float Weight)>();
        var order = 0;
        foreach (var (documentId, sequence) in sequences)
        {
            foreach (var posted in lists[documentId])
            {
                rows[(posted.Term, sequence)] = (order++, posted.Weight);
            }
        }

        var docs = sequences.Values.ToArray();
        var rowTerms = rows.Keys.Select(key => key.Term).ToArray();
        var rowDocs = rows.Keys.Select(key => key.Sequence).ToArray();
        var rowOrder = rows.Values.Select(value => value.Order).ToArray();
        var rowWeights = rows.Values.Select(value => value.Weight).ToArray();
        await BatchAsync(
            connection,
            transaction,
            cancellationToken,
            (
                """
                DELETE FROM term_postings p USING unnest($1::bigint[], $2::bigint[]) AS x (term, doc)
                WHERE p.term = x.term AND p.doc = x.doc
                """,
                [oldTerms.ToArray(), oldDocs.ToArray()]),
            (
                """
                INSERT INTO document_terms (doc, terms, posted_terms, posted_weights) SELECT unnest($1::bigint[]), '{}', '{}', '{}'
                ON CONFLICT (doc) DO UPDATE SET posted_terms = '{}', posted_weights = '{}'
                """,
                [docs]),
            (
                """
                UPDATE document_terms t SET posted_terms = g.terms, posted_weights = g.weights
                FROM (SELECT doc, array_agg(term ORDER BY ord) AS terms, array_agg(weight ORDER BY ord) AS weights
                      FROM unnest($1::bigint[], $2::bigint[], $3::integer[], $4::real[]) AS x (term, doc, ord, weight) GROUP BY doc) g
                WHERE t.doc = g.doc
                """,
                [rowTerms, rowDocs, rowOrder, rowWeights]),
            (
                """
                INSERT INTO term_postings (term, doc, weight) SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::real[])
                ON CONFLICT (term, doc) DO UPDATE SET weight = excluded.weight
                """,
                [rowTerms, rowDocs, rowWeights])).ConfigureAwait(false);
    }
}
