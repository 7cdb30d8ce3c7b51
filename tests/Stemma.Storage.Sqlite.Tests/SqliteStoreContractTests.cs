using Stemma.Storage;
using Stemma.Testing.Storage;

namespace Stemma.Storage.Sqlite.Tests;

/// <summary>The shared store contract against a real database file in a temporary folder.</summary>
public sealed class SqliteStoreContractTests : StoreContractTests
{
    private readonly TemporaryFolder _folder = new();

    private string DatabasePath => Path.Combine(_folder.Path, "contract.db");

    protected override async Task<IStore> CreateStoreAsync() => await SqliteStore.OpenAsync(DatabasePath);

    protected override async Task<IStore?> ReopenAsync() => await SqliteStore.OpenAsync(DatabasePath);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _folder.Dispose();
    }
}
