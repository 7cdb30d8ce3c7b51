using Stemma.Storage;
using Stemma.Testing.Storage;

namespace Stemma.Tests.Storage;

public sealed class InMemoryStoreContractTests : StoreContractTests
{
    protected override Task<IStore> CreateStoreAsync() => Task.FromResult<IStore>(new InMemoryStore());
}
