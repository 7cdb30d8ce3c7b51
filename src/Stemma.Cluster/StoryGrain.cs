using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace Stemma.Cluster;

/// <inheritdoc cref="IStoryGrain"/>
/// <remarks>
/// The view is kept in grain storage (<see cref="ClusterHosting.StateStorage"/>) when the silo has it. Only commits
/// through the cluster reach the grains, so every read first asks the store's <see cref="IWriteLedgerGrain"/> for the
/// newest step of the store's version the cluster did not report (a write without the cluster, or one whose grains are
/// still being told): a view older than that step, or no view (never told, storage lost), is read from the store again.
/// </remarks>
internal sealed class StoryGrain(BackingStores stores) : Grain, IStoryGrain
{
    private const char Separator = '\u001f';
    private const string State = "stemma-story";

    private IGrainStorage? storage;
    private GrainState<StoryView> view = new();

    /// <summary>The grain key of a story of a store (a separator neither paths nor ids use).</summary>
    public static string Key(string store, string storyId) => store + Separator + storyId;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        storage = ServiceProvider.GetKeyedService<IGrainStorage>(ClusterHosting.StateStorage);
        if (storage is not null)
        {
            await storage.ReadStateAsync(State, this.GetGrainId(), view);

            // Storage answers a missing state with a blank instance: nothing is held then.
            if (!view.RecordExists)
            {
                view.State = null!;
            }
        }
    }

    public async Task UpdateAsync(StoryView update)
    {
        ArgumentNullException.ThrowIfNull(update);
        if (view.State is { } held && held.Version >= update.Version)
        {
            return;
        }

        view.State = update;
        await SaveAsync();
    }

    public async Task ForgetAsync()
    {
        if (storage is not null && view.RecordExists)
        {
            await storage.ClearStateAsync(State, this.GetGrainId(), view);
        }

        view.State = null!;
    }

    public async Task<StoryView> GetAsync()
    {
        var key = this.GetPrimaryKeyString();
        var cut = key.IndexOf(Separator, StringComparison.Ordinal);
        var (name, story) = (key[..cut], key[(cut + 1)..]);
        if (view.State is null || view.State.Version < await GrainFactory.GetGrain<IWriteLedgerGrain>(name).GetUnreportedAsync())
        {
            var store = await stores.GetAsync(name);
            var version = await store.GetVersionAsync();
            var members = await store.GetStoryMembersAsync(story);
            var trees = members.Count == 0 ? [] : await store.GetTreesAsync(story);
            view.State = new StoryView(version, members.Count == 0, [.. members], [.. trees]);
            await SaveAsync();
        }

        return view.State;
    }

    private async Task SaveAsync()
    {
        if (storage is null)
        {
            return;
        }

        await storage.WriteOverAsync(State, this.GetGrainId(), view);
    }
}
