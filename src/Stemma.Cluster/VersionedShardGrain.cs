namespace Stemma.Cluster;

/// <summary>
/// What every shard kind (<see cref="IndexShardGrain"/>, <see cref="DocumentShardGrain"/>) does to stay equal to the store,
/// which is the record: a shard holds derived state at a store version. Every write sends each shard the store's version
/// before and after it. A shard at the version before applies the change (the write was the only one in between);
/// a shard already at or past the version after ignores it; any other shard (a fresh activation, a missed message, a
/// concurrent writer) reads its slice again from the store, which already holds the write.
/// </summary>
internal abstract class VersionedShardGrain : Grain
{
    /// <summary>The store version the shard stands at; below zero until it has read or restored anything.</summary>
    protected long Version { get; set; } = -1;

    /// <summary>Times the shard read its slice from the store.</summary>
    protected int Rebuilds { get; private set; }

    /// <summary>Applies a write made between store versions <paramref name="before"/> and <paramref name="after"/> as the protocol says.</summary>
    protected async Task ApplyAtVersionAsync(long before, long after, Func<Task> apply)
    {
        ArgumentNullException.ThrowIfNull(apply);
        if (Version >= after && Version >= 0)
        {
            return;
        }

        if (Version != before || after - before > 1)
        {
            await RebuildAsync();
            return;
        }

        await apply();
    }

    /// <summary>Reads the slice again unless the shard already stands at <paramref name="storeVersion"/>.</summary>
    public async Task EnsureAsync(long storeVersion)
    {
        if (Version != storeVersion)
        {
            await RebuildAsync();
        }
    }

    /// <summary>Before a read: a shard that holds nothing yet reads its slice.</summary>
    protected async Task LoadedAsync()
    {
        if (Version < 0)
        {
            await RebuildAsync();
        }
    }

    protected async Task RebuildAsync()
    {
        Version = await ReadSliceAsync();
        Rebuilds++;
        await RebuiltAsync();
    }

    /// <summary>Replaces what the shard holds with its slice of the store; answers the store version read before the slice.</summary>
    protected abstract Task<long> ReadSliceAsync();

    /// <summary>After a rebuild (persisting shards write their state whole).</summary>
    protected virtual Task RebuiltAsync() => Task.CompletedTask;
}
