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

    public async Task<Versioned<AddResult>> AddDocumentsAsync(IReadOnlyList<StoredDocument> documents, int documentShards)
    {
        var store = await Store;
        var before = await store.GetVersionAsync();
        var outcomes = await store.AddDocumentsAsync(documents);
        var after = await store.GetVersionAsync();
        var changed = outcomes.Where(o => o.Status is AddStatus.Added or AddStatus.Updated).Select(o => o.Id).Distinct(StringComparer.Ordinal).ToList();

        // The documents as the store now returns them: their positions for the index shards, themselves for the document shards.
        var stored = new List<StoredDocument>(changed.Count);
        foreach (var chunk in changed.Chunk(2000))
        {
            stored.AddRange(await store.GetDocumentsAsync(chunk));
        }

        var positions = stored.ToDictionary(d => d.Article.Id, d => d.Position, StringComparer.Ordinal);
        await TellDocumentShardsAsync(before, after, documentShards, stored, [], clear: false);
        return new Versioned<AddResult>(new AddResult(outcomes, positions), before, after);
    }

    public async Task<long> CountDocumentsAsync() => await (await Store).CountDocumentsAsync();

    public async IAsyncEnumerable<StoredDocument> ListDocumentsAsync()
    {
        var store = await Store;
        await foreach (var document in store.ListDocumentsAsync())
        {
            yield return document;
        }
    }

    public Task<Versioned<int>> DeleteDocumentsAsync(IReadOnlyList<string> ids, int documentShards) =>
        WriteAsync(store => store.DeleteDocumentsAsync(ids), documentShards, removed: [.. ids.Where(id => id is not null)]);

    public Task<Versioned<bool>> ClearAsync(int documentShards) => WriteAsync(
        async store =>
        {
            await store.ClearAsync();
            return true;
        },
        documentShards,
        clear: true);

    public Task<Versioned<int>> AddPairsAsync(IReadOnlyList<PairScore> pairs, int documentShards) => WriteAsync(store => store.AddPairsAsync(pairs), documentShards);

    public async Task<IReadOnlyList<PairScore>> GetPairsAsync(string documentId) =>
        await (await Store).GetPairsAsync(documentId);

    public async Task<IReadOnlyList<PairScore>> GetPairsAmongAsync(IReadOnlyList<string> documentIds) =>
        await (await Store).GetPairsAmongAsync(documentIds);

    public async Task<long> CountPairsAsync() => await (await Store).CountPairsAsync();

    public Task<Versioned<int>> SetGroupsAsync(IReadOnlyList<GroupAssignment> assignments, int documentShards) => WriteAsync(store => store.SetGroupsAsync(assignments), documentShards);

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

    public Task<Versioned<long>> CommitRelateAsync(RelateCommit commit, int documentShards) => WriteAsync(store => store.CommitRelateAsync(commit), documentShards);

    public async Task<long> GetVersionAsync() => await (await Store).GetVersionAsync();

    /// <summary>One write to the store, then every document shard told of it (what it removed, or nothing but the versions).</summary>
    private async Task<Versioned<T>> WriteAsync<T>(Func<IStore, Task<T>> write, int documentShards, string[]? removed = null, bool clear = false)
    {
        var store = await Store;
        var before = await store.GetVersionAsync();
        var value = await write(store);
        var after = await store.GetVersionAsync();
        await TellDocumentShardsAsync(before, after, documentShards, [], removed ?? [], clear);
        return new Versioned<T>(value, before, after);
    }

    /// <summary>
    /// Sends every document shard its part of a write the store has made, one message each, from the silo that read the
    /// documents back (so bodies do not travel back to the client first). A call that fails fails the write: the client
    /// repeats it, and the repeat's versions send a shard that missed this one back to the store.
    /// </summary>
    private Task TellDocumentShardsAsync(long before, long after, int documentShards, IReadOnlyList<StoredDocument> upserts, string[] removed, bool clear)
    {
        var bySlice = Shards.Split(upserts, d => Shards.OfDocument(d.Article.Id, documentShards), documentShards);
        var removedBySlice = Shards.Split(removed, id => Shards.OfDocument(id, documentShards), documentShards);

        var name = this.GetPrimaryKeyString();
        return Task.WhenAll(Enumerable.Range(0, documentShards).Select(s =>
            GrainFactory.GetGrain<IDocumentShardGrain>(Shards.Key(name, s, documentShards))
                .ApplyAsync(new DocumentShardUpdate(before, after, [.. bySlice[s] ?? []], [.. removedBySlice[s] ?? []], clear))));
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
