using System.Runtime;

namespace Stemma.Cli.Tests;

/// <summary>Runs alone: a collection pause is process-wide, and another test's command could hold one.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HeapStartCollection
{
    public const string Name = "heap start";
}

/// <summary>The heap's first part committed at start: committed, and the run collects afterwards as it would have.</summary>
[Collection(HeapStartCollection.Name)]
public sealed class HeapStartTests
{
    private static byte[]? sink;

    [Fact]
    public void The_heap_start_is_committed_and_collections_go_on_as_before()
    {
        const long Bytes = 256L << 20;

        // What earlier tests left committed is given back first, so what is committed and free after is the start's.
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var freeBefore = FreeCommitted();

        Assert.True(HugePages.CommitHeapStart(Bytes));

        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
        var free = FreeCommitted();
        Assert.True(free >= Bytes, $"{free} bytes committed and free after, {freeBefore} before");

        // The pause's allowance ended with it: 128 MB of garbage, half the size committed, is collected as usual (left
        // with the allowance, none of it would be).
        var before = GC.CollectionCount(0);
        for (var i = 0; i < 32_768; i++)
        {
            sink = new byte[4096];
        }

        Assert.True(GC.CollectionCount(0) > before, "no collection after the heap start was committed");
        GC.KeepAlive(sink);
    }

    /// <summary>Committed heap not holding objects, as the last collection left it.</summary>
    private static long FreeCommitted()
    {
        var info = GC.GetGCMemoryInfo();
        return info.TotalCommittedBytes - info.HeapSizeBytes;
    }
}
