using Orleans.Concurrency;

namespace Stemma.Cluster;

/// <inheritdoc cref="IWriteLedgerGrain"/>
/// <remarks>
/// Held in memory only. A new activation (the first, or after its silo died or it was deactivated) knows nothing of the
/// steps before it: it treats every step up to the store's version then as not reported, so every story grain reads its
/// story from the store once more. Reentrant: reads of the version interleave, and each answer only ever adds knowledge.
/// </remarks>
[Reentrant]
internal sealed class WriteLedgerGrain(BackingStores stores) : Grain, IWriteLedgerGrain
{
    /// <summary>Steps remembered one by one; beyond this many, the oldest are folded into <see cref="floor"/>.</summary>
    internal const int Remembered = 4096;

    // Every step up to `known` is classified: reported, or in `unreported`, or at most `floor` (folded, counted unreported).
    private long known = -1;
    private long floor;
    private readonly SortedSet<long> unreported = [];

    // Steps reported beyond `known` (the ledger has not seen the store's version reach them yet).
    private readonly SortedSet<long> reported = [];

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        known = await (await stores.GetAsync(this.GetPrimaryKeyString())).GetVersionAsync(cancellationToken);
        floor = known;
    }

    public Task ReportAsync(long before, long after)
    {
        for (var step = before + 1; step <= after; step++)
        {
            if (step <= known)
            {
                unreported.Remove(step);
            }
            else
            {
                reported.Add(step);
            }
        }

        while (reported.Count > 0 && reported.Min == known + 1)
        {
            reported.Remove(known + 1);
            known++;
        }

        if (reported.Count > Remembered)
        {
            // A gap the version reads never closed: the steps in it are someone else's.
            Advance(reported.Max);
        }

        return Task.CompletedTask;
    }

    public async Task<long> GetUnreportedAsync()
    {
        Advance(await (await stores.GetAsync(this.GetPrimaryKeyString())).GetVersionAsync());
        return unreported.Count > 0 ? Math.Max(floor, unreported.Max) : floor;
    }

    /// <summary>Classifies every step up to <paramref name="version"/>: those not reported by now are not the cluster's (yet).</summary>
    private void Advance(long version)
    {
        if (version - known > Remembered)
        {
            // Too many at once to list: the older ones fold into the floor.
            known = version - Remembered;
            floor = Math.Max(floor, known);
            reported.RemoveWhere(step => step <= known);
        }

        for (var step = known + 1; step <= version; step++)
        {
            if (!reported.Remove(step))
            {
                unreported.Add(step);
            }
        }

        known = Math.Max(known, version);
        while (unreported.Count > Remembered)
        {
            floor = Math.Max(floor, unreported.Min);
            unreported.Remove(unreported.Min);
        }
    }
}
