namespace Stemma.Storage.PostgreSql;

/// <summary>
/// The schema as forward migrations: <see cref="Migrations"/>[i] takes a database from version i to i + 1; each applied
/// step is recorded in <c>schema_migrations</c>, whose highest version is the schema version. Never edit a released
/// step; append one. Identifiers that are compared or sorted (document, family and story ids) use the "C" collation so
/// ordering is ordinal, as in the other backends, whatever the server's default locale.
/// </summary>
internal static class PostgreSqlSchema
{
    public static readonly string[] Migrations =
    [
        // 0 -> 1: the whole store as SQLite has it at its version 2 (documents, candidate index, relate results, job state).
        """
        -- seq is the compact key the big tables use; taken from documents_seq so a batch can reserve its numbers up front.
        CREATE SEQUENCE documents_seq;
        CREATE TABLE documents (
            seq bigint PRIMARY KEY,
            id text COLLATE "C" NOT NULL UNIQUE,
            source_path text,
            title text,
            title_folded text NOT NULL,          -- lower-cased title for story search
            content_hash bigint NOT NULL,        -- ulong reinterpreted as signed 64-bit
            date_utc_ticks bigint,
            date_offset_minutes bigint,
            site text,
            url text,
            author text,
            language text,
            attribution text,
            format text,
            ingested_at_ticks bigint NOT NULL
        );
        CREATE INDEX documents_content_hash ON documents (content_hash);

        CREATE TABLE document_bodies (
            doc bigint PRIMARY KEY REFERENCES documents (seq) ON DELETE CASCADE,
            body text NOT NULL
        );

        CREATE TABLE annotations (
            doc bigint NOT NULL REFERENCES documents (seq) ON DELETE CASCADE,
            ordinal integer NOT NULL,
            position integer NOT NULL,
            kind text NOT NULL,                  -- kebab-case AnnotationKind
            text text NOT NULL,
            PRIMARY KEY (doc, ordinal)
        );

        CREATE TABLE signatures (
            doc bigint PRIMARY KEY REFERENCES documents (seq) ON DELETE CASCADE,
            signature integer[] NOT NULL,        -- uint reinterpreted as signed 32-bit
            band_keys bigint[] NOT NULL          -- ulong reinterpreted, index = band
        );

        -- The primary key is the (band, key) lookup index; rows are removed explicitly from the document's band_keys.
        CREATE TABLE lsh_buckets (
            band integer NOT NULL,
            key bigint NOT NULL,
            doc bigint NOT NULL,
            PRIMARY KEY (band, key, doc)
        );

        CREATE TABLE pairs (
            a bigint NOT NULL REFERENCES documents (seq) ON DELETE CASCADE,
            b bigint NOT NULL REFERENCES documents (seq) ON DELETE CASCADE,
            jaccard double precision NOT NULL,
            containment double precision NOT NULL,
            relation text,
            similarity double precision,
            details text,                        -- RelatedPair as JSON
            PRIMARY KEY (a, b),
            CHECK (a <> b)
        );
        CREATE INDEX pairs_b ON pairs (b);

        CREATE TABLE groups (
            doc bigint PRIMARY KEY REFERENCES documents (seq) ON DELETE CASCADE,
            family_id text COLLATE "C" NOT NULL,
            story_id text COLLATE "C" NOT NULL,
            parent text,
            relation text,
            origin text,
            labeled_at bigint NOT NULL DEFAULT 0
        );
        CREATE INDEX groups_family ON groups (family_id);
        CREATE INDEX groups_story ON groups (story_id);
        CREATE INDEX groups_labeled_at ON groups (labeled_at);

        CREATE TABLE pending (doc bigint PRIMARY KEY REFERENCES documents (seq) ON DELETE CASCADE);

        -- terms: distinct term hashes counted in term_frequencies; posted_*: what term_postings holds for the document.
        CREATE TABLE document_terms (
            doc bigint PRIMARY KEY REFERENCES documents (seq) ON DELETE CASCADE,
            terms bigint[] NOT NULL,
            posted_terms bigint[],
            posted_weights real[]
        );
        CREATE TABLE term_frequencies (
            term bigint PRIMARY KEY,
            df integer NOT NULL,
            first_doc bigint NOT NULL
        );
        CREATE TABLE term_postings (
            term bigint NOT NULL,
            doc bigint NOT NULL,
            weight real NOT NULL,
            PRIMARY KEY (term, doc)
        );

        CREATE TABLE lineage_trees (
            family_id text COLLATE "C" PRIMARY KEY,
            story_id text COLLATE "C" NOT NULL,
            tree text NOT NULL                   -- LineageTree as JSON
        );
        CREATE INDEX lineage_trees_story ON lineage_trees (story_id);

        CREATE TABLE store_state (key text PRIMARY KEY, value bigint NOT NULL);
        INSERT INTO store_state (key, value) VALUES ('version', 0);
        """,
    ];

    /// <summary>The schema version this build writes and understands.</summary>
    public static int CurrentVersion => Migrations.Length;
}
