using System.Text.Json;
using Stemma.Relate;
using Stemma.Testing.PostgreSql;

namespace Stemma.Cli.Tests;

/// <summary>
/// A cluster whose membership lives in PostgreSQL through Orleans' ADO.NET provider, over a store in the same database:
/// two `stemma silo --cluster postgres://...` commands find each other there, and clients find them there too.
/// </summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class ClusterPostgreSqlTests(PostgreSqlServer server)
{
    [Fact]
    public async Task Two_silos_with_membership_in_postgres_take_an_ingest_and_a_check_from_clients_that_find_them_there()
    {
        using var directory = new TempDirectory();
        var (input, spun) = ClusterCommandTests.WriteFiveFormsWithoutSpun(directory);
        var connection = await server.CreateDatabaseAsync();
        var database = PostgreSqlServer.UriOf(connection);
        try
        {
            await using (var silos = await ClusterCommandTests.Silos.StartAsync(database, membership: database))
            {
                // Both silos are active members in the table the provider keeps, on the addresses and ports they were given.
                var active = 0L;
                for (var attempt = 0; attempt < 300 && active < 2; attempt++)
                {
                    active = (long)(await PostgreSqlServer.ScalarAsync(connection, "SELECT count(*) FROM stemma_cluster_silo WHERE status = 3 AND address = '127.0.0.1'"))!;
                    await Task.Delay(100);
                }

                Assert.Equal(2L, active);
                Assert.Equal(2L, await PostgreSqlServer.ScalarAsync(connection, "SELECT count(DISTINCT proxy_port) FROM stemma_cluster_silo WHERE status = 3"));

                var ingest = await CliRunner.RunAsync("ingest", input, "--cluster", database);
                Assert.True(ingest.ExitCode == 0, ingest.Error);
                Assert.StartsWith("7 added, 0 updated, 0 unchanged, 0 rejected", ingest.Out, StringComparison.Ordinal);

                var check = await CliRunner.RunAsync("check", spun, "--cluster", database, "--format", "json");
                Assert.True(check.ExitCode == 0, check.Error);
                using var matches = JsonDocument.Parse(check.Out);
                Assert.Contains(matches.RootElement[0].GetProperty("id").GetString(), ClusterCommandTests.SpunSources);
                Assert.Contains(matches.RootElement[0].GetProperty("relation").GetString(), new[] { Relations.Spun, Relations.Edited });

                // The store is the same database: reading it directly gives what the cluster gave.
                var direct = await CliRunner.RunAsync("check", spun, "--db", database, "--format", "json");
                Assert.Equal(direct.Out, check.Out);
            }

            var stories = await CliRunner.RunAsync("stories", "--db", database, "--format", "json");
            using var listed = JsonDocument.Parse(stories.Out);
            Assert.Contains(5, listed.RootElement.EnumerateArray().Select(s => s.GetProperty("size").GetInt32()));

            // Stopped silos leave the membership table marked dead, not active.
            Assert.Equal(0L, await PostgreSqlServer.ScalarAsync(connection, "SELECT count(*) FROM stemma_cluster_silo WHERE status = 3"));
        }
        finally
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            await server.DropDatabaseAsync(connection);
        }
    }
}
