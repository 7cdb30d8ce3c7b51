using Orleans.Placement;
using Orleans.Runtime.Placement;

namespace Stemma.Cluster;

/// <summary>
/// Placement of index and document shards: round the compatible silos by shard number (<see cref="Shards.SiloOf"/>), so
/// a store's shards, and the work of its reads and writes, are spread evenly. Orleans' default placement prefers the
/// silo that asks, and every shard is first asked by the gateway of one ingest, so the shards could all land on one silo.
/// </summary>
[Serializable]
[GenerateSerializer]
[Immutable]
[SuppressReferenceTracking]
public sealed class ShardPlacementStrategy : PlacementStrategy
{
    internal static ShardPlacementStrategy Instance { get; } = new();
}

/// <summary>Places a grain class's activations by <see cref="ShardPlacementStrategy"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class ShardPlacementAttribute : PlacementAttribute
{
    public ShardPlacementAttribute()
        : base(ShardPlacementStrategy.Instance)
    {
    }
}

/// <summary>Picks the silo for a new shard activation among those compatible with it, in address order.</summary>
internal sealed class ShardPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var silos = context.GetCompatibleSilos(target).Order().ToArray();
        return Task.FromResult(silos[Shards.SiloOf(target.GrainIdentity.Key.ToString()!, silos.Length)]);
    }
}
