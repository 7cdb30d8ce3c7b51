namespace Stemma.Storage.Sqlite;

/// <summary>
/// The schema as forward migrations: <see cref="Migrations"/>[i] takes a database from version i to i + 1.
/// The version lives in <c>PRAGMA user_version</c> (cheap to read on every open) and each applied step is
/// also recorded in <c>schema_migrations</c> for people inspecting a file. Never edit a released step; append one.
/// </summary>
internal static class SqliteSchema
{
    public static readonly string[] Migrations =
    [
        // 0 -> 1
        """
        CREATE TABLE schema_migrations (
            version INTEGER PRIMARY KEY,
            applied_at TEXT NOT NULL
        );

        -- seq is the physical key: it keeps insertion order and lets the big tables refer to a document
        -- with an 8-byte integer instead of its id text. id stays unique and is what callers see.
        CREATE TABLE documents (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            source_path TEXT,
            title TEXT,
            title_folded TEXT NOT NULL,          -- lower-cased title for story search
            content_hash INTEGER NOT NULL,       -- ulong reinterpreted as signed 64-bit
            date_utc_ticks INTEGER,              -- sortable instant
            date_offset_minutes INTEGER,         -- the offset the date was given in
            site TEXT,
            url TEXT,
            author TEXT,
            language TEXT,
            attribution TEXT,
            format TEXT,
            ingested_at_ticks INTEGER NOT NULL   -- UTC ticks
        );
        CREATE INDEX documents_content_hash ON documents (content_hash);

        -- Bodies apart: a ~3 KB body inline would make every scan or id lookup of documents read the text too
        -- (candidate lookups, family and story listings only need the small columns).
        CREATE TABLE document_bodies (
            doc INTEGER PRIMARY KEY REFERENCES documents (seq) ON DELETE CASCADE,
            body TEXT NOT NULL
        );

        CREATE TABLE annotations (
            doc INTEGER NOT NULL REFERENCES documents (seq) ON DELETE CASCADE,
            ordinal INTEGER NOT NULL,            -- order in Article.Annotations
            position INTEGER NOT NULL,
            kind TEXT NOT NULL,                  -- kebab-case AnnotationKind
            text TEXT NOT NULL,
            PRIMARY KEY (doc, ordinal)
        ) WITHOUT ROWID;

        -- Little-endian blobs: a 128-value signature is one 512-byte read, not 128 rows.
        CREATE TABLE signatures (
            doc INTEGER PRIMARY KEY REFERENCES documents (seq) ON DELETE CASCADE,
            signature BLOB NOT NULL,             -- uint[]
            band_keys BLOB NOT NULL              -- ulong[], index = band
        );

        -- One row per (band, key, document); the primary key is the (band, key) lookup index itself.
        -- No foreign key on purpose: a cascade would need a second index on doc; rows are removed
        -- explicitly using the document's band_keys blob.
        CREATE TABLE lsh_buckets (
            band INTEGER NOT NULL,
            key INTEGER NOT NULL,                -- ulong reinterpreted as signed 64-bit
            doc INTEGER NOT NULL,
            PRIMARY KEY (band, key, doc)
        ) WITHOUT ROWID;

        -- One row per unordered pair: a is the document whose id sorts first (ordinal).
        CREATE TABLE pairs (
            a INTEGER NOT NULL REFERENCES documents (seq) ON DELETE CASCADE,
            b INTEGER NOT NULL REFERENCES documents (seq) ON DELETE CASCADE,
            jaccard REAL NOT NULL,
            containment REAL NOT NULL,
            relation TEXT,
            similarity REAL,
            PRIMARY KEY (a, b),
            CHECK (a <> b)
        ) WITHOUT ROWID;
        CREATE INDEX pairs_b ON pairs (b);

        CREATE TABLE groups (
            doc INTEGER PRIMARY KEY REFERENCES documents (seq) ON DELETE CASCADE,
            family_id TEXT NOT NULL,
            story_id TEXT NOT NULL
        );
        CREATE INDEX groups_family ON groups (family_id);
        CREATE INDEX groups_story ON groups (story_id);
        """,

        // 1 -> 2: the whole relate stage is stored (pair evidence, placements, lineage trees, term statistics and
        // postings), and ingest is a resumable job (pending documents, a version readers watch).
        """
        ALTER TABLE pairs ADD COLUMN details TEXT;          -- RelatedPair as JSON
        ALTER TABLE groups ADD COLUMN parent TEXT;
        ALTER TABLE groups ADD COLUMN relation TEXT;
        ALTER TABLE groups ADD COLUMN origin TEXT;
        ALTER TABLE groups ADD COLUMN labeled_at INTEGER NOT NULL DEFAULT 0;   -- documents stored when placed
        CREATE INDEX groups_labeled_at ON groups (labeled_at);

        -- Added or updated, not yet related. Documents stored before this version are related by the next ingest.
        CREATE TABLE pending (doc INTEGER PRIMARY KEY REFERENCES documents (seq) ON DELETE CASCADE);
        INSERT INTO pending (doc) SELECT seq FROM documents;

        -- terms: distinct term hashes (uint[]) counted in term_frequencies; posted: the (term, weight) pairs in term_postings.
        CREATE TABLE document_terms (
            doc INTEGER PRIMARY KEY REFERENCES documents (seq) ON DELETE CASCADE,
            terms BLOB NOT NULL,
            posted BLOB
        );
        CREATE TABLE term_frequencies (
            term INTEGER PRIMARY KEY,
            df INTEGER NOT NULL,
            first_doc INTEGER NOT NULL
        );
        -- No foreign key, as for lsh_buckets: rows are removed explicitly from the document's posted blob.
        CREATE TABLE term_postings (
            term INTEGER NOT NULL,
            doc INTEGER NOT NULL,
            weight REAL NOT NULL,
            PRIMARY KEY (term, doc)
        ) WITHOUT ROWID;

        CREATE TABLE lineage_trees (
            family_id TEXT PRIMARY KEY,
            story_id TEXT NOT NULL,
            tree TEXT NOT NULL                               -- LineageTree as JSON
        );
        CREATE INDEX lineage_trees_story ON lineage_trees (story_id);

        CREATE TABLE store_state (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
        INSERT INTO store_state (key, value) VALUES ('version', 0);
        """,

        // 2 -> 3: a term's strongest postings read straight from an index (a common term has thousands of postings in a
        // large store; the look-up wants a few dozen).
        """
        CREATE INDEX term_postings_strongest ON term_postings (term, weight DESC, doc);
        """,

        // 3 -> 4: postings keyed by (term, weight desc, doc) in one b-tree. The (term, doc) key was a second copy of every
        // posting, written with each document related, and only deletes used it; they now find a posting by its weight
        // (kept in the document's posted blob) instead.
        """
        CREATE TABLE term_postings_by_weight (
            term INTEGER NOT NULL,
            weight REAL NOT NULL,
            doc INTEGER NOT NULL,
            PRIMARY KEY (term, weight DESC, doc)
        ) WITHOUT ROWID;
        INSERT INTO term_postings_by_weight (term, weight, doc)
            SELECT term, weight, doc FROM term_postings INDEXED BY term_postings_strongest ORDER BY term, weight DESC, doc;
        DROP TABLE term_postings;
        ALTER TABLE term_postings_by_weight RENAME TO term_postings;
        """,

        // 4 -> 5: new bucket rows go to a small table first and move to lsh_buckets in bulk (see SqliteStore.Buckets). Band
        // keys are hashes, so a batch's rows land on nearly every page of a large index: inserted straight into lsh_buckets,
        // each add batch rewrote the whole index (729 MB at a million documents), and its time grew with the store.
        // store_state counts the rows each table received (an estimate: deletes do not lower it) to decide when to move.
        """
        CREATE TABLE lsh_recent (
            band INTEGER NOT NULL,
            key INTEGER NOT NULL,
            doc INTEGER NOT NULL,
            PRIMARY KEY (band, key, doc)
        ) WITHOUT ROWID;
        INSERT INTO store_state (key, value) VALUES ('recent_buckets', 0);
        INSERT INTO store_state (key, value) SELECT 'merged_buckets', COUNT(*) FROM lsh_buckets;
        """,
    ];

    /// <summary>The schema version this build writes and understands.</summary>
    public static int CurrentVersion => Migrations.Length;
}
