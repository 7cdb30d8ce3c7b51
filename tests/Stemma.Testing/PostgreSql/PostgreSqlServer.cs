using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;
using Stemma.Storage.PostgreSql;

namespace Stemma.Testing.PostgreSql;

/// <summary>
/// A PostgreSQL server for the tests: the one <c>STEMMA_TEST_POSTGRES</c> names (a connection string whose role may
/// create databases), or else a throw-away cluster made with Debian's <c>initdb</c> in a temporary folder, listening on
/// 127.0.0.1 on a free port, stopped and deleted when the tests end. Each test gets a database of its own.
/// Shared by the test projects that need a server (storage, CLI, web); each declares its own collection over it
/// (xunit looks for collection definitions in the test assembly).
/// </summary>
public sealed class PostgreSqlServer : IAsyncLifetime
{
    public const string EnvironmentVariable = "STEMMA_TEST_POSTGRES";

    private string? _folder;
    private string? _binaries;

    /// <summary>A connection string to the server's maintenance database, for creating and dropping test databases.</summary>
    public string AdminConnectionString { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        var given = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(given))
        {
            AdminConnectionString = PostgreSqlConnectionString.Parse(given).ConnectionString;
            return;
        }

        // Debian keeps each major version's programs under /usr/lib/postgresql/N/bin; take the newest installed.
        _binaries = (Directory.Exists("/usr/lib/postgresql") ? Directory.GetDirectories("/usr/lib/postgresql") : [])
            .Select(folder => Path.Combine(folder, "bin"))
            .Where(folder => File.Exists(Path.Combine(folder, "initdb")))
            .OrderByDescending(folder => int.TryParse(Path.GetFileName(Path.GetDirectoryName(folder)), out var major) ? major : 0)
            .FirstOrDefault()
            ?? throw new InvalidOperationException(
                $"No PostgreSQL server for the tests: install Debian's postgresql package (initdb) or set {EnvironmentVariable} to a connection string.");
        _folder = Path.Combine(Path.GetTempPath(), "stemma-pg-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            // initdb and postgres refuse to run as root: the cluster belongs to the postgres user.
            await RunAsync("chown", ["postgres:postgres", _folder]);
        }

        var data = Path.Combine(_folder, "data");
        await RunPostgresToolAsync(asRoot, "initdb", ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"]);
        var port = FreePort();

        // fsync off: a throw-away cluster needs no durability against power loss, and tests run much faster.
        var options = string.Create(
            CultureInfo.InvariantCulture,
            $"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories={_folder} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200");
        await RunPostgresToolAsync(asRoot, "pg_ctl", ["-D", data, "-l", Path.Combine(_folder, "server.log"), "-o", options, "-w", "-t", "60", "start"]);
        AdminConnectionString = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = port,
            Username = "postgres",
            Database = "postgres",
        }.ConnectionString;
    }

    public async Task DisposeAsync()
    {
        if (_folder is null || _binaries is null)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        try
        {
            await RunPostgresToolAsync(Environment.UserName == "root", "pg_ctl", ["-D", Path.Combine(_folder, "data"), "-m", "immediate", "-w", "stop"]);
        }
        finally
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    /// <summary>Creates an empty database and returns a connection string to it.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "stemma_test_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>
    /// The same database as a postgres:// URI (user, password and database percent-encoded), the form users give
    /// <c>--db</c>.
    /// </summary>
    public static string UriOf(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var user = builder.Username is { Length: > 0 } name
            ? Uri.EscapeDataString(name) + (builder.Password is { Length: > 0 } password ? ":" + Uri.EscapeDataString(password) : string.Empty) + "@"
            : string.Empty;
        return string.Create(CultureInfo.InvariantCulture, $"postgres://{user}{builder.Host}:{builder.Port}/{Uri.EscapeDataString(builder.Database!)}");
    }

    /// <summary>Drops a database made by <see cref="CreateDatabaseAsync"/>, closing what is still connected to it.</summary>
    public async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Runs SQL on the given database outside any store (to inspect or to break things).</summary>
    public static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return value is DBNull ? null : value;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private Task RunPostgresToolAsync(bool asRoot, string tool, string[] arguments)
    {
        var path = Path.Combine(_binaries!, tool);
        return asRoot ? RunAsync("runuser", ["-u", "postgres", "--", path, .. arguments]) : RunAsync(path, arguments);
    }

    private static async Task RunAsync(string program, string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Cannot start {program}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await error}{await output}");
        }
    }
}
