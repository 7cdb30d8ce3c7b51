namespace Stemma.Storage.Sqlite;

/// <summary>
/// Document ids by sequence number, learnt from reads, so that hot index reads (postings) return ids without joining
/// every row to <c>documents</c> (a row look-up each: about 5x the cost of the index read itself). A sequence number keeps
/// its id until a document is deleted (SQLite may then give the largest one to the next insert), so the cache is tied to
/// the store's deletion count (<c>store_state.deletions</c>, raised by every delete, in any process): a read that sees
/// another count than the cache's starts the cache again, and only a read made at the cache's count may add to it.
/// </summary>
internal sealed class SqliteDocumentIds
{
    /// <summary>More entries than this and the cache starts again (about 100 bytes each).</summary>
    private const int MaxEntries = 2_000_000;

    private readonly object _gate = new();
    private Dictionary<long, string> _ids = [];
    private long _deletions = -1;

    public const string DeletionsSql = "SELECT value FROM store_state WHERE key = 'deletions'";

    public const string CountDeletionSql =
        "INSERT INTO store_state (key, value) VALUES ('deletions', 1) ON CONFLICT (key) DO UPDATE SET value = value + 1";

    /// <summary>
    /// The ids of <paramref name="sequences"/> as of a read that saw <paramref name="deletions"/>: known ones from the cache,
    /// the rest from <paramref name="lookUp"/> (made in the same read), which are then kept. Sequences with no document
    /// are left out.
    /// </summary>
    public Dictionary<long, string> Resolve(long deletions, IReadOnlyCollection<long> sequences, Func<List<long>, IEnumerable<(long Sequence, string Id)>> lookUp)
    {
        var found = new Dictionary<long, string>(sequences.Count);
        var missing = new List<long>();
        lock (_gate)
        {
            if (deletions > _deletions)
            {
                // A newer count: what the cache holds may name deleted documents.
                _ids = [];
                _deletions = deletions;
            }

            var current = deletions == _deletions;
            foreach (var sequence in sequences)
            {
                if (current && _ids.TryGetValue(sequence, out var id))
                {
                    found[sequence] = id;
                }
                else
                {
                    missing.Add(sequence);
                }
            }
        }

        if (missing.Count == 0)
        {
            return found;
        }

        var read = lookUp(missing).ToList();
        lock (_gate)
        {
            var keep = deletions == _deletions;
            if (keep && _ids.Count + read.Count > MaxEntries)
            {
                _ids = [];
            }

            foreach (var (sequence, id) in read)
            {
                found[sequence] = id;
                if (keep)
                {
                    _ids[sequence] = id;
                }
            }
        }

        return found;
    }
}
