using Stemma.Storage;
using Stemma.Testing.Storage;

namespace Stemma.Storage.Sqlite.Tests;

/// <summary>
/// The shared store contract with the bucket index moving from its recent table to the large one at nearly every batch
/// (a floor of 3 rows instead of a million), so every contract case also runs with bucket rows in both tables.
/// </summary>
public sealed class SqliteStoreMovingBucketsContractTests : StoreContractTests
{
    private readonly TemporaryFolder _folder = new();

    private string DatabasePath => Path.Combine(_folder.Path, "contract.db");

    protected override Task<IStore> CreateStoreAsync() => OpenAsync();

    protected override async Task<IStore?> ReopenAsync() => await OpenAsync();

    private async Task<IStore> OpenAsync()
    {
        var store = new SqliteStore(DatabasePath) { RecentBucketsFloor = 3 };
        await store.InitializeAsync();
        return store;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _folder.Dispose();
    }
}
