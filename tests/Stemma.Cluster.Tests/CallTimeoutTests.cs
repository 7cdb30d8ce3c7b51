using Orleans.Serialization.Invocation;

namespace Stemma.Cluster.Tests;

/// <summary>
/// A message sent to a silo as it dies can vanish without an error; for quick calls the client must give up on it and ask
/// again in time (within the store's retry budget, before the writer lock's lease lapses), not wait out the cluster's
/// response timeout for large writes.
/// </summary>
public sealed class CallTimeoutTests
{
    [Fact]
    public void The_writer_locks_calls_time_out_soon_enough_for_a_lost_renewal_to_be_sent_again_before_the_lease_lapses()
    {
        var calls = ResponseTimeouts(typeof(IWriterLockGrain));
        Assert.Equal(["ReleaseAsync", "TryAcquireAsync"], calls.Keys.Order(StringComparer.Ordinal));
        Assert.All(calls, call => Assert.True(call.Value is { } t && t * 3 <= ClusterStore.Lease,
            $"{call.Key}: response timeout {call.Value?.ToString() ?? "none"} against a lease of {ClusterStore.Lease}"));
    }

    /// <summary>What Orleans uses: the response timeout of each call's generated invoker, by method name.</summary>
    private static Dictionary<string, TimeSpan?> ResponseTimeouts(Type grainInterface) =>
        typeof(IIndexShardGrain).Assembly.GetTypes()
            .Where(t => typeof(IInvokable).IsAssignableFrom(t) && !t.IsAbstract && !t.ContainsGenericParameters)
            .Select(t => (IInvokable)Activator.CreateInstance(t, nonPublic: true)!)
            .Where(call => call.GetInterfaceType() == grainInterface)
            .ToDictionary(call => call.GetMethodName(), call => call.GetDefaultResponseTimeout(), StringComparer.Ordinal);

    [Theory]
    [InlineData(typeof(IIndexShardGrain))]
    [InlineData(typeof(IDocumentShardGrain))]
    public void Every_read_of_a_shard_times_out_soon_enough_to_be_asked_again_within_the_retry_budget(Type shard)
    {
        var calls = ResponseTimeouts(shard);
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
