using Microsoft.Extensions.Configuration;
using Orleans.TestingHost;
using Stemma.Storage;
using Stemma.Storage.Sqlite;

namespace Stemma.Cluster.Tests;

/// <summary>Silos of the test cluster serve SQLite stores named by their file path.</summary>
public sealed class SqliteSilo : ISiloConfigurator
{
    public void Configure(ISiloBuilder siloBuilder) =>
        siloBuilder.AddStemma(async (name, cancellationToken) => await SqliteStore.OpenAsync(name, cancellationToken));
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

    public static async Task<TestCluster> StartAsync(short silos)
    {
        var builder = new TestClusterBuilder(silos);
        builder.AddSiloBuilderConfigurator<SqliteSilo>();
        builder.AddClientBuilderConfigurator<StemmaClient>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

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
