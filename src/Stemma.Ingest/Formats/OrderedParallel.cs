namespace Stemma.Ingest.Formats;

/// <summary>
/// Maps a lazy sequence on the thread pool while the caller goes on enumerating it, and yields the results in input
/// order: at most <c>window</c> items are in flight, so memory stays bounded and the output does not depend on which
/// core finished first. The source itself is enumerated on the caller's thread (reading stays sequential).
/// </summary>
internal static class OrderedParallel
{
    /// <summary>Items in flight per core: enough to keep both cores busy when item costs vary, few enough to bound memory.</summary>
    private const int ItemsPerCore = 16;

    /// <summary>Whether mapping in parallel can pay at all (one core: everything runs in order on the caller's thread).</summary>
    public static bool Enabled => Environment.ProcessorCount > 1 && Environment.GetEnvironmentVariable("STEMMA_READ_THREADS") != "1";

    public static IEnumerable<TOut> Map<TIn, TOut>(IEnumerable<TIn> source, Func<TIn, TOut> map) => Map(source, map, ItemsPerCore);

    /// <summary>As <see cref="Map{TIn, TOut}(IEnumerable{TIn}, Func{TIn, TOut})"/>, with <paramref name="itemsPerCore"/> items in flight per core (fewer when each item is a batch).</summary>
    public static IEnumerable<TOut> Map<TIn, TOut>(IEnumerable<TIn> source, Func<TIn, TOut> map, int itemsPerCore)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(map);
        ArgumentOutOfRangeException.ThrowIfLessThan(itemsPerCore, 1);
        return Enabled ? MapParallel(source, map, itemsPerCore * Environment.ProcessorCount) : source.Select(map);
    }

    private static IEnumerable<TOut> MapParallel<TIn, TOut>(IEnumerable<TIn> source, Func<TIn, TOut> map, int window)
    {
        var pending = new Queue<Slot<TIn, TOut>>(window);
        System.Runtime.ExceptionServices.ExceptionDispatchInfo? failure = null;
        using var items = source.GetEnumerator();
        try
        {
            while (true)
            {
                try
                {
                    if (!items.MoveNext())
                    {
                        break;
                    }
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    // The source failed (a truncated stream): what was read before it still comes out first, then the failure.
                    failure = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex);
                    break;
                }

                var slot = new Slot<TIn, TOut>(items.Current, map);
                ThreadPool.UnsafeQueueUserWorkItem(static slot => slot.TryRun(), slot, preferLocal: false);
                pending.Enqueue(slot);
                if (pending.Count >= window)
                {
                    // An exception thrown by the map surfaces here, in order, as it would have in a sequential loop.
                    yield return pending.Dequeue().Take();
                }
            }

            while (pending.Count > 0)
            {
                yield return pending.Dequeue().Take();
            }

            failure?.Throw();
        }
        finally
        {
            // Stopped early (or failed): what no thread has started is dropped, and the work in flight finishes, so nothing
            // runs on after the caller moved on.
            foreach (var slot in pending)
            {
                slot.Abandon();
            }
        }
    }

    /// <summary>
    /// One item in flight. Whoever comes first maps it: a pool thread, or the caller when it needs the result and no pool
    /// thread has started it, so the caller works instead of spinning and waiting (on a busy machine the pool thread may not
    /// run for a while, and the caller's spinning in Task.Wait was a tenth of a sampled read).
    /// </summary>
    private sealed class Slot<TIn, TOut>(TIn item, Func<TIn, TOut> map)
    {
        private const int Queued = 0;
        private const int Running = 1;
        private const int Dropped = 2;
        private readonly ManualResetEventSlim done = new(false, spinCount: 0);
        private int state = Queued;
        private TOut? result;
        private System.Runtime.ExceptionServices.ExceptionDispatchInfo? error;

        /// <summary>Maps the item unless someone else already took it.</summary>
        public void TryRun()
        {
            if (Interlocked.CompareExchange(ref state, Running, Queued) != Queued)
            {
                return;
            }

            try
            {
                result = map(item);
            }
            catch (Exception ex)
            {
                error = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex);
            }
            finally
            {
                done.Set();
            }
        }

        /// <summary>The result (mapped here if no pool thread has started it), or the map's exception.</summary>
        public TOut Take()
        {
            TryRun();
            done.Wait();
            error?.Throw();
            return result!;
        }

        /// <summary>Drops the item if no thread has started it; otherwise returns once it is mapped.</summary>
        public void Abandon()
        {
            if (Interlocked.CompareExchange(ref state, Dropped, Queued) != Queued)
            {
                done.Wait();
            }
        }
    }
}
