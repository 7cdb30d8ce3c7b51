using System.Collections.Concurrent;
using Stemma.Storage;

namespace Stemma.Cluster;

/// <summary>
/// The stores a silo serves, by name, opened on first use and kept open for the silo's life. In a deployment every silo
/// opens the same database (PostgreSQL) under the name <see cref="Default"/>; a test cluster may serve several.
/// </summary>
public sealed class BackingStores : IAsyncDisposable
{
    /// <summary>The name the command line uses for the one store given with <c>--db</c>.</summary>
    public const string Default = "default";

    private readonly Func<string, CancellationToken, Task<IStore>> open;
    private readonly ConcurrentDictionary<string, Lazy<Task<IStore>>> stores = new(StringComparer.Ordinal);

    /// <param name="open">Opens (and initializes) the store of a name; throws <see cref="StoreException"/> for a name it does not serve.</param>
    public BackingStores(Func<string, CancellationToken, Task<IStore>> open) => this.open = open ?? throw new ArgumentNullException(nameof(open));

    public Task<IStore> GetAsync(string name)
    {
        var lazy = stores.GetOrAdd(name, n => new Lazy<Task<IStore>>(() => open(n, CancellationToken.None)));
        var task = lazy.Value;
        if (task.IsFaulted || task.IsCanceled)
        {
            // A store that failed to open is tried again on the next call rather than failing for good.
            stores.TryRemove(new KeyValuePair<string, Lazy<Task<IStore>>>(name, lazy));
        }

        return task;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var lazy in stores.Values)
        {
            if (lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully)
            {
                await lazy.Value.Result.DisposeAsync().ConfigureAwait(false);
            }
        }

        stores.Clear();
    }
}
