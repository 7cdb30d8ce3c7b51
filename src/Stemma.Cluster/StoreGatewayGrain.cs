using Orleans.Concurrency;
using Stemma.Lineage;
using Stemma.Storage;

namespace Stemma.Cluster;

/// <inheritdoc cref="IStoreGatewayGrain"/>
[StatelessWorker]
internal sealed class StoreGatewayGrain(BackingStores stores) : Grain, IStoreGatewayGrain
{
    private Task<IStore> Store => stores.GetAsync(this.GetPrimaryKeyString());

    public async Task InitializeAsync() => await (await Store).InitializeAsync();

    public async Task<Versioned<AddResult>> AddDocumentsAsync(IReadOnlyList<StoredDocument> documents)
    {
        var store = await Store;
        var before = await store.GetVersionAsync();
        var outcomes = await store.AddDocumentsAsync(documents);
        var after = await store.GetVersionAsync();
        var changed = outcomes.Where(o => o.Status is AddStatus.Added or AddStatus.Updated).Select(o => o.Id).Distinct(StringComparer.Ordinal).ToList();
        var positions = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var chunk in changed.Chunk(2000))
        {
            foreach (var document in await store.GetDocumentsAsync(chunk))
            {
                positions[document.Article.Id] = document.Position;
            }
        }

        return new Versioned<AddResult>(new AddResult(outcomes, positions), before, after);
    }

    public async Task<IReadOnlyList<StoredDocument>> GetDocumentsAsync(IReadOnlyList<string> ids) =>
        await (await Store).GetDocumentsAsync(ids);

    public async Task<long> CountDocumentsAsync() => await (await Store).CountDocumentsAsync();

    public async IAsyncEnumerable<StoredDocument> ListDocumentsAsync()
    {
        var store = await Store;
        await foreach (var document in store.ListDocumentsAsync())
        {
            yield return document;
        }
    }

    public Task<Versioned<int>> DeleteDocumentsAsync(IReadOnlyList<string> ids) => WriteAsync(store => store.DeleteDocumentsAsync(ids));

    public Task<Versioned<bool>> ClearAsync() => WriteAsync(async store =>
    {
        await store.ClearAsync();
        return true;
    });

    public Task<Versioned<int>> AddPairsAsync(IReadOnlyList<PairScore> pairs) => WriteAsync(store => store.AddPairsAsync(pairs));

    public async Task<IReadOnlyList<PairScore>> GetPairsAsync(string documentId) =>
        await (await Store).GetPairsAsync(documentId);

    public async Task<IReadOnlyList<PairScore>> GetPairsAmongAsync(IReadOnlyList<string> documentIds) =>
        await (await Store).GetPairsAmongAsync(documentIds);

    public async Task<long> CountPairsAsync() => await (await Store).CountPairsAsync();

    public Task<Versioned<int>> SetGroupsAsync(IReadOnlyList<GroupAssignment> assignments) => WriteAsync(store => store.SetGroupsAsync(assignments));

    public async Task<GroupAssignment?> GetGroupAsync(string documentId) =>
        await (await Store).GetGroupAsync(documentId);

    public async Task<IReadOnlyList<FamilySummary>> ListFamiliesAsync(int minSize) =>
        await (await Store).ListFamiliesAsync(minSize);

    public async Task<IReadOnlyList<string>> GetFamilyMembersAsync(string familyId) =>
        await (await Store).GetFamilyMembersAsync(familyId);

    public async Task<StoryPage> ListStoriesAsync(StoryQuery query) =>
        await (await Store).ListStoriesAsync(query);

    public async Task<IReadOnlyList<string>> GetStoryMembersAsync(string storyId) =>
        await (await Store).GetStoryMembersAsync(storyId);

    public async Task<IReadOnlyList<IReadOnlyList<string>>> GetMembersOfStoriesAsync(IReadOnlyList<string> storyIds) =>
        await (await Store).GetStoryMembersAsync(storyIds);

    public async Task<IReadOnlyList<StoredPlacement>> GetPlacementsAsync(IReadOnlyList<string> documentIds) =>
        await (await Store).GetPlacementsAsync(documentIds);

    public async Task<IReadOnlyList<LineageTree>> GetTreesAsync(string storyId) =>
        await (await Store).GetTreesAsync(storyId);

    public async Task<IReadOnlyList<string>> GetPendingAsync(int limit) =>
        await (await Store).GetPendingAsync(limit);

    public async Task<IReadOnlyList<string>> GetLabeledBeforeAsync(long documentCount, int limit) =>
        await (await Store).GetLabeledBeforeAsync(documentCount, limit);

    public Task<Versioned<long>> CommitRelateAsync(RelateCommit commit) => WriteAsync(store => store.CommitRelateAsync(commit));

    public async Task<long> GetVersionAsync() => await (await Store).GetVersionAsync();

    private async Task<Versioned<T>> WriteAsync<T>(Func<IStore, Task<T>> write)
    {
        var store = await Store;
        var before = await store.GetVersionAsync();
        var value = await write(store);
        var after = await store.GetVersionAsync();
        return new Versioned<T>(value, before, after);
    }
}

/// <inheritdoc cref="IWriterLockGrain"/>
internal sealed class WriterLockGrain(TimeProvider time) : Grain, IWriterLockGrain
{
    private Guid holder;
    private DateTimeOffset expires;

    public Task<bool> TryAcquireAsync(Guid owner, TimeSpan lease)
    {
        var now = time.GetUtcNow();
        if (holder != Guid.Empty && holder != owner && now < expires)
        {
            return Task.FromResult(false);
        }

        holder = owner;
        expires = now + lease;
        return Task.FromResult(true);
    }

    public Task ReleaseAsync(Guid owner)
    {
        if (holder == owner)
        {
            holder = Guid.Empty;
        }

        return Task.CompletedTask;
    }
}
