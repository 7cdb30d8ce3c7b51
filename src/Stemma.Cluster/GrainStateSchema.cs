namespace Stemma.Cluster;

/// <summary>
/// The table and statements Orleans' ADO.NET grain storage needs in PostgreSQL, written for Stemma (as
/// <see cref="MembershipSchema"/> is for membership): the provider reads its statements by key from <c>OrleansQuery</c>,
/// binds @ServiceId, @GrainTypeString (the state's name), @GrainIdN0, @GrainIdN1, @GrainIdExtensionString (the grain's
/// key), @GrainStateVersion and @PayloadBinary, and reads <c>PayloadBinary</c>, <c>Version</c> and
/// <c>NewGrainStateVersion</c> by name. A write succeeds only over the version the writer read (none: only where no row
/// is), so a stale activation cannot overwrite a newer state; it then answers nothing and the provider raises a conflict.
/// </summary>
public static class GrainStateSchema
{
    private const string Tables = """
        CREATE TABLE IF NOT EXISTS stemma_grain_state (
            service_id text NOT NULL,
            state_name text NOT NULL,
            grain_n0 bigint NOT NULL,
            grain_n1 bigint NOT NULL,
            grain_key text NOT NULL,
            version integer NOT NULL,
            payload bytea,
            written_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (service_id, state_name, grain_n0, grain_n1, grain_key));
        """;

    private const string OneState = """
        service_id = @ServiceId AND state_name = @GrainTypeString AND grain_n0 = @GrainIdN0 AND grain_n1 = @GrainIdN1
            AND grain_key = coalesce(@GrainIdExtensionString::text, '')
        """;

    internal static IReadOnlyDictionary<string, string> Queries { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["ReadFromStorageKey"] = $"""SELECT payload AS "PayloadBinary", version AS "Version" FROM stemma_grain_state WHERE {OneState}""",

        // Either the row at the version the writer read is replaced, or (the writer read none) a new row is made.
        ["WriteToStorageKey"] = $"""
            WITH replaced AS (
                UPDATE stemma_grain_state SET payload = @PayloadBinary, version = version + 1, written_at = now()
                WHERE {OneState} AND version = @GrainStateVersion::integer
                RETURNING version),
            added AS (
                INSERT INTO stemma_grain_state (service_id, state_name, grain_n0, grain_n1, grain_key, version, payload)
                SELECT @ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1, coalesce(@GrainIdExtensionString::text, ''), 1, @PayloadBinary
                WHERE @GrainStateVersion::integer IS NULL
                ON CONFLICT DO NOTHING
                RETURNING version)
            SELECT version AS "NewGrainStateVersion" FROM replaced UNION ALL SELECT version FROM added
            """,
        ["ClearStorageKey"] = $"""
            UPDATE stemma_grain_state SET payload = NULL, version = version + 1, written_at = now()
            WHERE {OneState} AND version = @GrainStateVersion::integer
            RETURNING version
            """,

        // The provider expects the deleted row's version plus one back.
        ["DeleteStorageKey"] = $"""
            DELETE FROM stemma_grain_state
            WHERE {OneState} AND version = @GrainStateVersion::integer
            RETURNING version + 1
            """,
    };

    /// <summary>Creates the grain state table and statements when missing, and brings the statements up to this version's.</summary>
    /// <param name="connectionString">An Npgsql connection string (see <see cref="ClusterHosting.PostgresConnectionString"/>).</param>
    /// <param name="cancellationToken">Stops the work.</param>
    public static Task EnsureAsync(string connectionString, CancellationToken cancellationToken = default) =>
        MembershipSchema.EnsureAsync(connectionString, Tables, Queries, cancellationToken);
}
