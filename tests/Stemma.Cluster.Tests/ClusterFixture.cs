using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.TestingHost;
using Stemma.Storage;
using Stemma.Storage.Sqlite;

namespace Stemma.Cluster.Tests;

/// <summary>Silos of the test cluster serve SQLite stores named by their file path.</summary>
public sealed class SqliteSilo : ISiloConfigurator
{
    /// <summary>The test cluster's configuration key for a PostgreSQL database to keep grain state in (absent: memory).</summary>
    public const string GrainStateKey = "StemmaGrainState";

    /// <summary>Snapshot every so many shard changes (absent: the default).</summary>
    public const string SnapshotEveryKey = "StemmaSnapshotEvery";

    /// <summary>Pages a shard's stored state is split into (absent: the default).</summary>
    public const string SnapshotPagesKey = "StemmaSnapshotPages";

    public void Configure(ISiloBuilder siloBuilder)
    {
        siloBuilder.UseStemmaGrainState(siloBuilder.Configuration[GrainStateKey])
            .AddStemma(async (name, cancellationToken) => await SqliteStore.OpenAsync(name, cancellationToken));
        if (siloBuilder.Configuration[SnapshotEveryKey] is { } every)
        {
            siloBuilder.Services.Configure<ShardStateOptions>(o => o.SnapshotEvery = int.Parse(every, System.Globalization.CultureInfo.InvariantCulture));
        }

        if (siloBuilder.Configuration[SnapshotPagesKey] is { } pages)
        {
            siloBuilder.Services.Configure<ShardStateOptions>(o => o.SnapshotPages = int.Parse(pages, System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}

public sealed class StemmaClient : IClientBuilderConfigurator
{
    public void Configure(IConfiguration configuration, IClientBuilder clientBuilder) => clientBuilder.AddStemma();
}

/// <summary>An in-process Orleans cluster of three silos (Orleans TestingHost), and a folder for the stores it serves.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public TestCluster Cluster { get; private set; } = null!;

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "stemma-cluster-" + Guid.NewGuid().ToString("N"));

    public static async Task<TestCluster> StartAsync(short silos, IReadOnlyDictionary<string, string>? properties = null)
    {
        var builder = new TestClusterBuilder(silos);
        foreach (var (key, value) in properties ?? new Dictionary<string, string>())
        {
            builder.Properties[key] = value;
        }

        builder.AddSiloBuilderConfigurator<SqliteSilo>();
        builder.AddClientBuilderConfigurator<StemmaClient>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    /// <summary>
    /// The secondary silo holding the most index shards, so stopping it surely takes shards down; with
    /// <paramref name="documentShardToo"/>, the busiest of those that also hold a document shard.
    /// </summary>
    public static async Task<SiloHandle> BusiestSecondaryAsync(TestCluster cluster, bool documentShardToo = false)
    {
        var statistics = await cluster.Client.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics();
        var bySilo = statistics.Where(s => s.GrainType.Contains(nameof(IndexShardGrain), StringComparison.Ordinal))
            .GroupBy(s => s.SiloAddress).ToDictionary(g => g.Key, g => g.Count());
        var documentHosts = statistics.Where(s => s.GrainType.Contains(nameof(DocumentShardGrain), StringComparison.Ordinal)).Select(s => s.SiloAddress).ToHashSet();
        var victim = cluster.SecondarySilos
            .OrderByDescending(s => documentShardToo && documentHosts.Contains(s.SiloAddress))
            .ThenByDescending(s => bySilo.GetValueOrDefault(s.SiloAddress)).First();
        Assert.True(bySilo.GetValueOrDefault(victim.SiloAddress) > 0, "no secondary silo holds an index shard");
        Assert.True(!documentShardToo || documentHosts.Contains(victim.SiloAddress), "no secondary silo holds a document shard");
        return victim;
    }

    /// <summary>The silo each index shard of <paramref name="store"/> is active on.</summary>
    public static async Task<Dictionary<string, SiloAddress>> ShardHostsAsync(TestCluster cluster, ClusterStore store) =>
        (await cluster.Client.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics())
            .Where(s => s.GrainType.Contains(nameof(IndexShardGrain), StringComparison.Ordinal) && s.GrainId.ToString().Contains(store.Name, StringComparison.Ordinal))
            .ToDictionary(s => s.GrainId.Key.ToString()!, s => s.SiloAddress, StringComparer.Ordinal);

    /// <summary>A new, empty store served by the cluster.</summary>
    public ClusterStore NewStore(int shards = Shards.DefaultCount) =>
        new(Cluster.Client, Path.Combine(Folder, Guid.NewGuid().ToString("N") + ".db"), shards);

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Folder);
        Cluster = await StartAsync(3);
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "three silos";
}
