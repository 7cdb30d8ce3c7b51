using System.Runtime;
using Stemma.Pipeline;

namespace Stemma.Tests.Pipeline;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CollectionPauseCollection
{
    // The pause is process-wide: these tests run alone, so no other test's allocations end a pause under them.
    public const string Name = "collection pause";
}

[Collection(CollectionPauseCollection.Name)]
public class CollectionPauseTests
{
    private const long Budget = 128L << 20;

    [Fact]
    public void A_stage_within_its_budget_runs_without_collections_and_collections_resume_after()
    {
        int before;
        using (CollectionPause.For(Budget))
        {
            Assert.True(CollectionPause.Held);
            Assert.Equal(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
            before = GC.CollectionCount(0);

            // 16 MB of small arrays, kept: far more than a gen0 budget, far less than the pause's.
            var kept = new List<byte[]>();
            for (var i = 0; i < 4096; i++)
            {
                kept.Add(new byte[4096]);
            }

            Assert.Equal(before, GC.CollectionCount(0));
            GC.KeepAlive(kept);
        }

        Assert.False(CollectionPause.Held);
        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
        GC.Collect(0);
        Assert.True(GC.CollectionCount(0) > before);
    }

    [Fact]
    public void A_stage_that_outgrows_its_budget_is_collected_and_ends_without_error()
    {
        var pause = CollectionPause.For(CollectionPause.MinBytes);
        Assert.True(CollectionPause.Held);
        var before = GC.CollectionCount(0);
        for (var i = 0; i < 64; i++)
        {
            // 256 MB in all, dropped as it goes: the budget of 64 MB runs out.
            GC.KeepAlive(new byte[4 << 20]);
            GC.KeepAlive(new object[1024]);
        }

        Assert.True(GC.CollectionCount(0) > before);
        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
        pause.Dispose();
        pause.Dispose();
        Assert.False(CollectionPause.Held);
    }

    [Fact]
    public void A_kept_stage_held_to_its_end_is_followed_by_one_compacting_collection_of_the_whole_heap()
    {
        List<byte[]> kept = [];
        int before;
        using (CollectionPause.ForKept(Budget))
        {
            Assert.True(CollectionPause.Held);
            before = GC.CollectionCount(GC.MaxGeneration);
            for (var i = 0; i < 2048; i++)
            {
                kept.Add(new byte[4096]);
                GC.KeepAlive(new byte[4096]);
            }

            Assert.Equal(before, GC.CollectionCount(GC.MaxGeneration));
        }

        // Exactly one full collection, and what the stage kept has left the young generation.
        Assert.Equal(before + 1, GC.CollectionCount(GC.MaxGeneration));
        Assert.True(GC.GetGeneration(kept[^1]) > 0);
        Assert.True(GC.GetGCMemoryInfo(GCKind.FullBlocking).Compacted);
        Assert.False(CollectionPause.Held);
        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
    }

    [Fact]
    public void A_kept_stage_that_outgrew_its_budget_gets_no_extra_collection_at_its_end()
    {
        var pause = CollectionPause.ForKept(CollectionPause.MinBytes);
        for (var i = 0; i < 64; i++)
        {
            GC.KeepAlive(new byte[4 << 20]);
            GC.KeepAlive(new object[1024]);
        }

        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
        var before = GC.CollectionCount(0);
        pause.Dispose();
        Assert.Equal(before, GC.CollectionCount(0));
        Assert.False(CollectionPause.Held);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_stage_over_bodies_ends_in_a_full_collection_only_when_asked(bool compactAfter)
    {
        // 70,000 one-line articles: a budget of a kilobyte each, above the minimum.
        var articles = Enumerable.Range(0, 70_000).Select(i => new Article { Id = $"a{i}", Body = "One line." }).ToList();
        int before;
        using (CollectionPause.ForBodies(articles, 2, compactAfter))
        {
            Assert.True(CollectionPause.Held);
            before = GC.CollectionCount(GC.MaxGeneration);
        }

        Assert.Equal(before + (compactAfter ? 1 : 0), GC.CollectionCount(GC.MaxGeneration));
    }

    [Fact]
    public void One_stage_holds_the_pause_at_a_time()
    {
        using (CollectionPause.For(Budget))
        {
            // A second stage (another thread's) runs as usual, and its end does not end the first one's pause.
            using (CollectionPause.For(Budget))
            {
                Assert.True(CollectionPause.Held);
            }

            Assert.True(CollectionPause.Held);
            Assert.Equal(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
        }

        Assert.False(CollectionPause.Held);
    }

    [Fact]
    public void The_commit_hook_runs_once_a_pause_has_started_and_not_for_a_pause_not_taken()
    {
        var calls = new List<GCLatencyMode>();
        CollectionPause.Committed = () => calls.Add(GCSettings.LatencyMode);
        try
        {
            using (CollectionPause.For(Budget))
            {
                // Inside the pause, with its budget committed.
                Assert.Equal([GCLatencyMode.NoGCRegion], calls);

                // A second stage gets no pause, so no call.
                using (CollectionPause.For(Budget))
                {
                }
            }

            using (CollectionPause.For(CollectionPause.MinBytes - 1))
            {
            }

            Assert.Single(calls);
        }
        finally
        {
            CollectionPause.Committed = null;
        }
    }

    [Fact]
    public void Small_budgets_pause_nothing()
    {
        using (CollectionPause.For(CollectionPause.MinBytes - 1))
        {
            Assert.False(CollectionPause.Held);
            Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
        }

        var articles = new[] { new Article { Id = "a", Body = "A short body of a few words." } };
        using (CollectionPause.ForBodies(articles, 3))
        {
            Assert.False(CollectionPause.Held);
        }
    }
}
