using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Stemma.Storage.Sqlite;

/// <summary>
/// The LSH bucket index in two tables. A new document's rows go to <c>lsh_recent</c>, and move to <c>lsh_buckets</c> in one
/// sorted pass once <c>lsh_recent</c> has received more than an eighth of what <c>lsh_buckets</c> holds (and at least
/// <see cref="RecentBucketsFloor"/> rows). Band keys are hashes, so the rows of any batch fall on nearly every page of the
/// table they go to: inserted straight into one table, each add batch of 5,000 rewrote the whole index (729 MB at a million
/// documents), and the add step's time grew with the store. Now a batch rewrites the small table, and each page of the large
/// one is rewritten once per move, that is once per eighth the store grows. Look-ups read both (a row is in exactly one).
/// </summary>
public sealed partial class SqliteStore
{
    /// <summary><c>lsh_recent</c> moves when it has received more than <c>lsh_buckets</c>' rows over this.</summary>
    private const int RecentBucketsShare = 8;

    /// <summary>Band keys of a batch of probes (a JSON array of keys, one band) joined to both bucket tables.</summary>
    private const string BandKeysJoinSql = """
        SELECT j.key, b.doc FROM json_each($keys) j CROSS JOIN lsh_buckets b ON b.band = $band AND b.key = j.value
        UNION ALL
        SELECT j.key, r.doc FROM json_each($keys) j CROSS JOIN lsh_recent r ON r.band = $band AND r.key = j.value
        """;

    /// <summary>
    /// Rows <c>lsh_recent</c> takes before a move however small <c>lsh_buckets</c> is, so that a young store does not move
    /// at every batch (about 28,000 documents' rows at 37 bands; a few tens of MB of pages).
    /// </summary>
    internal long RecentBucketsFloor { get; init; } = 1L << 20;

    /// <summary>The documents in one bucket, from both tables.</summary>
    private static string BucketProbeSql(int band, string keyParameter) => string.Create(
        CultureInfo.InvariantCulture,
        $"SELECT doc FROM lsh_buckets WHERE band = {band} AND key = {keyParameter} UNION ALL SELECT doc FROM lsh_recent WHERE band = {band} AND key = {keyParameter}");

    /// <summary>
    /// Inserts the batch's bucket rows into <c>lsh_recent</c> in index order (sorted, consecutive rows land on the same pages,
    /// many rows per statement), then moves <c>lsh_recent</c> into <c>lsh_buckets</c> when it is due. Same transaction as the
    /// documents: a crash leaves both or neither.
    /// </summary>
    private void InsertBuckets(SqliteSession session, SqliteTransaction transaction, Dictionary<long, ulong[]> bandKeysBySequence)
    {
        if (bandKeysBySequence.Count == 0)
        {
            return;
        }

        var count = 0;
        foreach (var bandKeys in bandKeysBySequence.Values)
        {
            count += bandKeys.Length;
        }

        var rows = new List<(long Band, long Key, long Sequence)>(count);
        foreach (var (sequence, bandKeys) in bandKeysBySequence)
        {
            for (var band = 0; band < bandKeys.Length; band++)
            {
                rows.Add((band, SqliteEncoding.ToStored(bandKeys[band]), sequence));
            }
        }

        rows.Sort();

        // Many rows per statement (SqliteRows): one row per statement, or one JSON array per 8,192 rows unpacked by
        // json_each, cost more (docs/benchmarks.md, "Seventeenth pass").
        var insert = new SqliteRows(session, "INSERT INTO lsh_recent (band, key, doc) VALUES", 3).Start(rows.Count);
        foreach (var (band, key, sequence) in rows)
        {
            insert.Value(band).Value(key).Value(sequence).EndRow();
        }

        var recent = BucketCount(session, transaction, "recent_buckets") + rows.Count;
        var merged = BucketCount(session, transaction, "merged_buckets");
        if (recent <= Math.Max(RecentBucketsFloor, merged / RecentBucketsShare))
        {
            SetBucketCount(session, transaction, "recent_buckets", recent);
            return;
        }

        // Read in key order, inserted in key order: each page of lsh_buckets is visited once.
        session.Command("INSERT INTO lsh_buckets (band, key, doc) SELECT band, key, doc FROM lsh_recent ORDER BY band, key, doc", transaction).ExecuteNonQuery();
        session.Command("DELETE FROM lsh_recent", transaction).ExecuteNonQuery();
        SetBucketCount(session, transaction, "merged_buckets", merged + recent);
        SetBucketCount(session, transaction, "recent_buckets", 0);
    }

    /// <summary>Removes a document's bucket rows, from whichever table holds them.</summary>
    private static void DeleteBuckets(SqliteSession session, SqliteTransaction transaction, long sequence, ulong[] bandKeys)
    {
        foreach (var table in (string[])["lsh_buckets", "lsh_recent"])
        {
            var command = session.Command($"DELETE FROM {table} WHERE band = $band AND key = $key AND doc = $seq", transaction);
            for (var band = 0; band < bandKeys.Length; band++)
            {
                command.With("$band", band).With("$key", SqliteEncoding.ToStored(bandKeys[band])).With("$seq", sequence).ExecuteNonQuery();
            }
        }
    }

    /// <summary>After every bucket row is gone: nothing received.</summary>
    private static void ResetBucketCounts(SqliteSession session, SqliteTransaction transaction)
    {
        SetBucketCount(session, transaction, "recent_buckets", 0);
        SetBucketCount(session, transaction, "merged_buckets", 0);
    }

    private static long BucketCount(SqliteSession session, SqliteTransaction transaction, string key) =>
        (long)session.Command($"SELECT value FROM store_state WHERE key = '{key}'", transaction).ExecuteScalar()!;

    private static void SetBucketCount(SqliteSession session, SqliteTransaction transaction, string key, long value) =>
        session.Command($"UPDATE store_state SET value = $value WHERE key = '{key}'", transaction).With("$value", value).ExecuteNonQuery();
}
