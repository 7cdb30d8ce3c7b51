using Orleans.Serialization.Invocation;

namespace Stemma.Cluster.Tests;

/// <summary>
/// A read sent to a silo as it dies can vanish without an error; the client must give up on it and ask again while the
/// store's retry budget lasts, not wait out the cluster's response timeout for large writes.
/// </summary>
public sealed class ShardReadTimeoutTests
{
    [Theory]
    [InlineData(typeof(IIndexShardGrain))]
    [InlineData(typeof(IDocumentShardGrain))]
    public void Every_read_of_a_shard_times_out_soon_enough_to_be_asked_again_within_the_retry_budget(Type shard)
    {
        // What Orleans uses: the response timeout of each call's generated invoker.
        var calls = typeof(IIndexShardGrain).Assembly.GetTypes()
            .Where(t => typeof(IInvokable).IsAssignableFrom(t) && !t.IsAbstract && !t.ContainsGenericParameters)
            .Select(t => (IInvokable)Activator.CreateInstance(t, nonPublic: true)!)
            .Where(call => call.GetInterfaceType() == shard)
            .ToDictionary(call => call.GetMethodName(), call => call.GetDefaultResponseTimeout(), StringComparer.Ordinal);
        Assert.Equal(shard.GetMethods().Select(m => m.Name).Order(StringComparer.Ordinal), calls.Keys.Order(StringComparer.Ordinal));

        var reads = calls.Where(c => c.Key.StartsWith("Get", StringComparison.Ordinal) || c.Key.StartsWith("Find", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(reads);
        Assert.All(reads, read => Assert.True(read.Value is { } t && t * 3 <= ClusterStore.DefaultRetryBudget,
            $"{shard.Name}.{read.Key}: response timeout {read.Value?.ToString() ?? "none"} against a retry budget of {ClusterStore.DefaultRetryBudget}"));

        // Writes and rebuilds may take long on a large shard: they keep the cluster's response timeout.
        Assert.Null(calls["ApplyAsync"]);
        Assert.Null(calls["EnsureAsync"]);
    }
}
