using Stemma.Storage;
using Stemma.Testing.Storage;

namespace Stemma.Cluster.Tests;

/// <summary>The cluster's store obeys the whole store contract, like SQLite and the in-memory store.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterStoreContractTests(ClusterFixture fixture) : StoreContractTests
{
    protected override async Task<IStore> CreateStoreAsync()
    {
        var store = fixture.NewStore(shards: 3);
        await store.InitializeAsync();
        return store;
    }
}
