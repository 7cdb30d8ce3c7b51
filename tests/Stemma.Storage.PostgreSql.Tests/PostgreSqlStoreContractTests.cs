using Stemma.Testing.Storage;

namespace Stemma.Storage.PostgreSql.Tests;

/// <summary>The shared store contract against a real PostgreSQL server, each test in a fresh database.</summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlStoreContractTests(PostgreSqlServer server) : StoreContractTests
{
    private string? _database;

    protected override async Task<IStore> CreateStoreAsync()
    {
        _database = await server.CreateDatabaseAsync();
        return await PostgreSqlStore.OpenAsync(_database);
    }

    protected override async Task<IStore?> ReopenAsync() => await PostgreSqlStore.OpenAsync(_database!);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_database is not null)
        {
            await server.DropDatabaseAsync(_database);
        }
    }
}
