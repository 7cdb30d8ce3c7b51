using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Serialization;
using Stemma.Storage;

namespace Stemma.Cluster;

/// <summary>How a silo or a client finds the cluster.</summary>
/// <param name="Membership">
/// Null or empty: development clustering on this machine (a silo without <see cref="PrimarySilo"/> is the primary);
/// a PostgreSQL URI or connection string: membership in that database through the ADO.NET provider (the Orleans
/// membership tables must exist there, see docs/cluster.md).
/// </param>
public sealed record ClusterSettings(string? Membership = null)
{
    public const string ClusterId = "stemma";
    public const string ServiceId = "stemma";

    /// <summary>Silo-to-silo port.</summary>
    public int SiloPort { get; init; } = 11111;

    /// <summary>Port clients connect to.</summary>
    public int GatewayPort { get; init; } = 30000;

    /// <summary>Membership in PostgreSQL: the address this silo tells the others and the clients (null: this machine's first address).</summary>
    public IPAddress? AdvertisedAddress { get; init; }

    /// <summary>Development clustering: the primary silo's endpoint (null: this silo is the primary).</summary>
    public IPEndPoint? PrimarySilo { get; init; }

    /// <summary>Development clustering, clients: the gateways to connect to (empty: 127.0.0.1 at <see cref="GatewayPort"/>).</summary>
    public IReadOnlyList<IPEndPoint> Gateways { get; init; } = [];

    public bool UsesDatabase => !string.IsNullOrWhiteSpace(Membership);

    /// <summary>
    /// Where the index shards keep their snapshots and change logs: a PostgreSQL URI or connection string (Orleans' ADO.NET
    /// grain storage; see <see cref="GrainStateSchema"/>), or null for memory grain storage, which lives as long as the
    /// silos (a shard whose storage went with its silo rebuilds from the store).
    /// </summary>
    public string? GrainState { get; init; }

    /// <summary>
    /// Reads <c>--cluster</c>: a PostgreSQL URI or connection string (membership in that database), or a comma-separated
    /// list of HOST:PORT endpoints (development clustering: for a silo the primary silo, for a client the gateways).
    /// </summary>
    public static ClusterSettings Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return new ClusterSettings();
        }

        if (value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) || value.Contains('='))
        {
            return new ClusterSettings(value);
        }

        var endpoints = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ParseEndpoint).ToList();
        return new ClusterSettings { PrimarySilo = endpoints[0], Gateways = endpoints };
    }

    private static IPEndPoint ParseEndpoint(string text)
    {
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new FormatException($"--cluster: '{text}' is not HOST:PORT or a postgres:// URI");
        }

        var host = text[..colon];
        var address = host is "localhost" ? IPAddress.Loopback
            : IPAddress.TryParse(host, out var parsed) ? parsed
            : Dns.GetHostAddresses(host).FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
              ?? throw new FormatException($"--cluster: cannot resolve '{host}'");
        return new IPEndPoint(address, port);
    }
}

/// <summary>How the index shards persist their state.</summary>
public sealed class ShardStateOptions
{
    /// <summary>Changes a shard logs one by one before it writes a snapshot (and deletes those log entries).</summary>
    public int SnapshotEvery { get; set; } = 64;

    /// <summary>
    /// Pages (key ranges) a shard's stored state is split into. A snapshot writes the keys changed since the previous one
    /// and rewrites one page, the oldest; a full write (after a rebuild or a clear) writes every page.
    /// </summary>
    public int SnapshotPages { get; set; } = 64;
}

/// <summary>Builds Stemma silos and clients: the grains, the serializer for the core's types, membership.</summary>
public static class ClusterHosting
{
    /// <summary>The grain storage provider the index shards keep their snapshots and change logs in.</summary>
    public const string StateStorage = "stemma";

    /// <summary>
    /// Grain storage for the shards: Orleans' ADO.NET provider over PostgreSQL (invariant Npgsql, Stemma's statements, see
    /// <see cref="GrainStateSchema"/>, which must have been created), or memory grain storage when
    /// <paramref name="postgres"/> is null. States are written with Orleans' binary codec, not JSON.
    /// </summary>
    public static ISiloBuilder UseStemmaGrainState(this ISiloBuilder silo, string? postgres)
    {
        ArgumentNullException.ThrowIfNull(silo);
        if (postgres is not null)
        {
            silo.AddAdoNetGrainStorage(StateStorage, options => options.Configure<Serializer>((o, serializer) =>
            {
                o.Invariant = "Npgsql";
                o.ConnectionString = PostgresConnectionString(postgres);
                o.DeleteStateOnClear = true;
                o.GrainStorageSerializer = new Orleans.Storage.OrleansGrainStorageSerializer(serializer);
            }));
        }
        else
        {
            silo.AddMemoryGrainStorage(StateStorage, options => options.Configure<Serializer>((o, serializer) =>
                o.GrainStorageSerializer = new Orleans.Storage.OrleansGrainStorageSerializer(serializer)));
        }

        return silo;
    }

    /// <summary>Messages carry batches of whole documents and relate commits; the default cap is too small for them.</summary>
    public const int MaxMessageBytes = 512 * 1024 * 1024;

    /// <summary>Everything a silo needs besides membership: the stores it serves, the serializer, message limits.</summary>
    public static ISiloBuilder AddStemma(this ISiloBuilder silo, Func<string, CancellationToken, Task<IStore>> openStore)
    {
        ArgumentNullException.ThrowIfNull(silo);
        silo.Services.AddSingleton(_ => new BackingStores(openStore));
        silo.Services.AddSingleton(TimeProvider.System);
        silo.Services.AddSerializer(UseJsonForCoreTypes);
        silo.Services.Configure<MessagingOptions>(o => o.MaxMessageBodySize = MaxMessageBytes);
        silo.Services.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromMinutes(5));
        silo.AddPlacementDirector<ShardPlacementStrategy, ShardPlacementDirector>();
        return silo;
    }

    /// <summary>How many times a client tries to reach a gateway at start before it gives up.</summary>
    public const int ConnectAttempts = 5;

    /// <summary>What a client needs besides membership.</summary>
    public static IClientBuilder AddStemma(this IClientBuilder client)
    {
        ArgumentNullException.ThrowIfNull(client);
        var attempts = 0;
        client.UseConnectionRetryFilter(async (_, cancellationToken) =>
        {
            if (++attempts >= ConnectAttempts)
            {
                return false;
            }

            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            return true;
        });
        client.Services.AddSerializer(UseJsonForCoreTypes);
        client.Services.Configure<MessagingOptions>(o => o.MaxMessageBodySize = MaxMessageBytes);
        client.Services.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromMinutes(5));
        return client;
    }

    /// <summary>Membership for a silo as <paramref name="settings"/> say.</summary>
    public static ISiloBuilder UseStemmaClustering(this ISiloBuilder silo, ClusterSettings settings)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(settings);
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = ClusterSettings.ClusterId;
            o.ServiceId = ClusterSettings.ServiceId;
        });
        if (settings.UsesDatabase)
        {
            if (settings.AdvertisedAddress is { } address)
            {
                silo.ConfigureEndpoints(address, settings.SiloPort, settings.GatewayPort);
            }
            else
            {
                silo.ConfigureEndpoints(settings.SiloPort, settings.GatewayPort);
            }

            silo.UseAdoNetClustering(o =>
            {
                o.Invariant = "Npgsql";
                o.ConnectionString = PostgresConnectionString(settings.Membership!);
            });
        }
        else
        {
            silo.UseLocalhostClustering(settings.SiloPort, settings.GatewayPort, settings.PrimarySilo, ClusterSettings.ServiceId, ClusterSettings.ClusterId);
        }

        return silo;
    }

    /// <summary>Membership for a client as <paramref name="settings"/> say.</summary>
    public static IClientBuilder UseStemmaClustering(this IClientBuilder client, ClusterSettings settings)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(settings);
        client.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = ClusterSettings.ClusterId;
            o.ServiceId = ClusterSettings.ServiceId;
        });
        if (settings.UsesDatabase)
        {
            client.UseAdoNetClustering(o =>
            {
                o.Invariant = "Npgsql";
                o.ConnectionString = PostgresConnectionString(settings.Membership!);
            });
        }
        else
        {
            var gateways = settings.Gateways.Count > 0 ? settings.Gateways : [new IPEndPoint(IPAddress.Loopback, settings.GatewayPort)];
            client.UseStaticClustering([.. gateways]);
        }

        return client;
    }

    /// <summary>A silo host: <see cref="AddStemma(ISiloBuilder, Func{string, CancellationToken, Task{IStore}})"/> plus membership, warnings-only logging.</summary>
    public static IHost BuildSilo(ClusterSettings settings, Func<string, CancellationToken, Task<IStore>> openStore, LogLevel logLevel = LogLevel.Warning) =>
        Host.CreateDefaultBuilder()
            .ConfigureLogging(logging => logging.SetMinimumLevel(logLevel))
            .UseOrleans(silo => silo.UseStemmaClustering(settings).UseStemmaGrainState(settings.GrainState).AddStemma(openStore))
            .Build();

    /// <summary>A client host; start it, then take <see cref="IClusterClient"/> from its services.</summary>
    public static IHost BuildClient(ClusterSettings settings, LogLevel logLevel = LogLevel.Warning) =>
        Host.CreateDefaultBuilder()
            .ConfigureLogging(logging => logging.SetMinimumLevel(logLevel))
            .UseOrleansClient(client => client.UseStemmaClustering(settings).AddStemma())
            .Build();

    /// <summary>Npgsql takes connection strings; a postgres:// URI is turned into one (user, password, host, port, database, query keywords).</summary>
    public static string PostgresConnectionString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) && !value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            return value;
        }

        var uri = new Uri(value);
        var builder = new Npgsql.NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')),
        };
        var user = uri.UserInfo.Split(':', 2);
        if (user[0].Length > 0)
        {
            builder.Username = Uri.UnescapeDataString(user[0]);
        }

        if (user.Length > 1)
        {
            builder.Password = Uri.UnescapeDataString(user[1]);
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            builder[Uri.UnescapeDataString(kv[0])] = kv.Length > 1 ? Uri.UnescapeDataString(kv[1]) : string.Empty;
        }

        return builder.ConnectionString;
    }

    /// <summary>The core's records (documents, pairs, trees...) cross the wire as JSON; the cluster's own messages use Orleans' codecs.</summary>
    /// <remarks>
    /// Fields are included: the core carries tuples (a relate commit's postings are (document, terms) pairs), whose
    /// members are fields; without them a commit reached the store with its postings empty.
    /// </remarks>
    private static void UseJsonForCoreTypes(ISerializerBuilder serializer) =>
        serializer.AddJsonSerializer(
            isSupported: type =>
                type.Namespace is { } ns
                && ns.StartsWith("Stemma", StringComparison.Ordinal)
                && !ns.StartsWith("Stemma.Cluster", StringComparison.Ordinal),
            jsonSerializerOptions: new System.Text.Json.JsonSerializerOptions { IncludeFields = true });
}
