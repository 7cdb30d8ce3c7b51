using Npgsql;

namespace Stemma.Cluster;

/// <summary>
/// The tables and statements Orleans' ADO.NET clustering provider needs in PostgreSQL, written for Stemma: the provider
/// reads its statements by key from <c>OrleansQuery</c> and binds its own parameters (@DeploymentId, @Address, @Port,
/// @Generation, @Version...), and reads result columns by name. A silo given <c>--cluster postgres://...</c> creates
/// them when missing, so a database needs no script run by hand. Membership rows are versioned as the provider expects:
/// every insert or update of a silo's row raises the deployment's version, and only when the caller saw the version
/// before it (an optimistic write; a stale one writes nothing and answers false).
/// </summary>
public static class MembershipSchema
{
    // Any fixed number: silos starting together create the schema one at a time.
    private const long CreationLock = 0x5354454D4D41;

    // Where the ADO.NET providers read their statements from, by key.
    private const string QueryTable = """
        CREATE TABLE IF NOT EXISTS OrleansQuery (
            QueryKey varchar(64) PRIMARY KEY,
            QueryText text NOT NULL);

        """;

    private const string Tables = """
        CREATE TABLE IF NOT EXISTS stemma_cluster_version (
            deployment_id text PRIMARY KEY,
            version integer NOT NULL DEFAULT 0,
            changed_at timestamptz NOT NULL DEFAULT now());
        CREATE TABLE IF NOT EXISTS stemma_cluster_silo (
            deployment_id text NOT NULL REFERENCES stemma_cluster_version ON DELETE CASCADE,
            address text NOT NULL,
            port integer NOT NULL,
            generation integer NOT NULL,
            silo_name text NOT NULL,
            host_name text NOT NULL,
            status integer NOT NULL,
            proxy_port integer NOT NULL DEFAULT 0,
            suspect_times text,
            start_time timestamptz NOT NULL,
            i_am_alive_time timestamptz NOT NULL,
            PRIMARY KEY (deployment_id, address, port, generation));
        """;

    // The columns a membership read answers with, named as the provider asks for them.
    private const string SiloColumns = """
        v.version AS "Version", s.address AS "Address", s.port AS "Port", s.generation AS "Generation",
        s.silo_name AS "SiloName", s.host_name AS "HostName", s.status AS "Status", s.proxy_port AS "ProxyPort",
        s.suspect_times AS "SuspectTimes", s.start_time AS "StartTime", s.i_am_alive_time AS "IAmAliveTime"
        """;

    private const string OneSilo = "address = @Address AND port = @Port AND generation = @Generation";

    /// <summary>The provider's statements by key. Status 6 is a dead silo.</summary>
    internal static IReadOnlyDictionary<string, string> Queries { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["InsertMembershipVersionKey"] = """
            WITH added AS (
                INSERT INTO stemma_cluster_version (deployment_id) VALUES (@DeploymentId) ON CONFLICT DO NOTHING RETURNING 1)
            SELECT count(*) > 0 FROM added
            """,

        // The version is raised first: its row lock makes concurrent writers take turns, and a writer that saw an older
        // version matches no row, so it inserts nothing.
        ["InsertMembershipKey"] = """
            WITH raised AS (
                UPDATE stemma_cluster_version SET version = version + 1, changed_at = now()
                WHERE deployment_id = @DeploymentId AND version = @Version
                RETURNING deployment_id),
            added AS (
                INSERT INTO stemma_cluster_silo (deployment_id, address, port, generation, silo_name, host_name, status, proxy_port, start_time, i_am_alive_time)
                SELECT deployment_id, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort, @StartTime, @IAmAliveTime FROM raised
                ON CONFLICT DO NOTHING
                RETURNING 1)
            SELECT count(*) > 0 FROM added
            """,
        ["UpdateMembershipKey"] = $"""
            WITH raised AS (
                UPDATE stemma_cluster_version SET version = version + 1, changed_at = now()
                WHERE deployment_id = @DeploymentId AND version = @Version
                RETURNING deployment_id),
            changed AS (
                UPDATE stemma_cluster_silo s SET status = @Status, suspect_times = @SuspectTimes, i_am_alive_time = @IAmAliveTime
                FROM raised r
                WHERE s.deployment_id = r.deployment_id AND s.{OneSilo}
                RETURNING 1)
            SELECT count(*) > 0 FROM changed
            """,
        ["UpdateIAmAlivetimeKey"] = $"""
            UPDATE stemma_cluster_silo SET i_am_alive_time = @IAmAliveTime
            WHERE deployment_id = @DeploymentId AND {OneSilo}
            """,

        // The version row comes back even when the silo has no row (a left join): the provider needs the version either way.
        ["MembershipReadRowKey"] = $"""
            SELECT {SiloColumns}
            FROM stemma_cluster_version v
            LEFT JOIN stemma_cluster_silo s ON s.deployment_id = v.deployment_id AND s.{OneSilo}
            WHERE v.deployment_id = @DeploymentId
            """,
        ["MembershipReadAllKey"] = $"""
            SELECT {SiloColumns}
            FROM stemma_cluster_version v
            LEFT JOIN stemma_cluster_silo s ON s.deployment_id = v.deployment_id
            WHERE v.deployment_id = @DeploymentId
            """,
        ["DeleteMembershipTableEntriesKey"] = "DELETE FROM stemma_cluster_version WHERE deployment_id = @DeploymentId",
        ["GatewaysQueryKey"] = """
            SELECT address AS "Address", proxy_port AS "ProxyPort", generation AS "Generation"
            FROM stemma_cluster_silo
            WHERE deployment_id = @DeploymentId AND status = @Status AND proxy_port > 0
            """,
        ["CleanupDefunctSiloEntriesKey"] = """
            DELETE FROM stemma_cluster_silo
            WHERE deployment_id = @DeploymentId AND status = 6 AND i_am_alive_time < @IAmAliveTime AND start_time < @IAmAliveTime
                AND coalesce(suspect_times, '') = ''
            """,

        // One dead silo's row, only as the caller last read it (a row changed since stays).
        ["CleanupDefunctSiloEntryKey"] = $"""
            DELETE FROM stemma_cluster_silo
            WHERE deployment_id = @DeploymentId AND status = 6 AND {OneSilo}
                AND i_am_alive_time = @IAmAliveTime AND start_time = @StartTime
                AND coalesce(suspect_times, '') = coalesce(@SuspectTimes::text, '')
            """,
    };

    /// <summary>Creates the membership tables and statements when missing, and brings the statements up to this version's.</summary>
    /// <param name="connectionString">An Npgsql connection string (see <see cref="ClusterHosting.PostgresConnectionString"/>).</param>
    /// <param name="cancellationToken">Stops the work.</param>
    public static Task EnsureAsync(string connectionString, CancellationToken cancellationToken = default) =>
        EnsureAsync(connectionString, Tables, Queries, cancellationToken);

    /// <summary>
    /// Creates <paramref name="tables"/> and the <c>OrleansQuery</c> table when missing and writes <paramref name="queries"/>
    /// into it, under an advisory lock so silos starting together take turns. Shared by membership and grain state.
    /// </summary>
    internal static async Task EnsureAsync(string connectionString, string tables, IReadOnlyDictionary<string, string> queries, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var locking = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({CreationLock})", connection, transaction))
        {
            await locking.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var create = new NpgsqlCommand(QueryTable + tables, connection, transaction))
        {
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var (key, text) in queries)
        {
            await using var upsert = new NpgsqlCommand(
                "INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES (@key, @text) ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText",
                connection,
                transaction);
            upsert.Parameters.AddWithValue("key", key);
            upsert.Parameters.AddWithValue("text", text);
            await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }
}
