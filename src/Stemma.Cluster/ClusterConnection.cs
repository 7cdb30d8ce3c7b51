using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Stemma.Storage;

namespace Stemma.Cluster;

/// <summary>A started cluster client and the store it reaches; disposing closes the connection.</summary>
public sealed class ClusterConnection : IAsyncDisposable
{
    private readonly IHost host;

    private ClusterConnection(IHost host, ClusterStore store)
    {
        this.host = host;
        Store = store;
    }

    public ClusterStore Store { get; }

    /// <exception cref="StoreException">No silo answered.</exception>
    public static async Task<ClusterConnection> ConnectAsync(ClusterSettings settings, string storeName = BackingStores.Default, int shards = Shards.DefaultCount, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        // Orleans' own connection warnings would bury the one line the caller reports.
        var host = ClusterHosting.BuildClient(settings, Microsoft.Extensions.Logging.LogLevel.None);
        try
        {
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            host.Dispose();
            throw new StoreException($"cluster {Describe(settings)}: no silo answered ({error.Message})", error);
        }

        return new ClusterConnection(host, new ClusterStore(host.Services.GetRequiredService<IClusterClient>(), storeName, shards));
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync().ConfigureAwait(false);
        try
        {
            await host.StopAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        finally
        {
            host.Dispose();
        }
    }

    /// <summary>The cluster for messages: its gateways, or that membership is in PostgreSQL (never the connection string).</summary>
    public static string Describe(ClusterSettings settings) =>
        settings is null ? throw new ArgumentNullException(nameof(settings))
        : settings.UsesDatabase ? "(membership in PostgreSQL)"
        : string.Join(",", settings.Gateways.Count > 0 ? settings.Gateways.Select(g => g.ToString()) : [$"127.0.0.1:{settings.GatewayPort}"]);
}
