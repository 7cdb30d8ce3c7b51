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

    public static IEnumerable<TOut> Map<TIn, TOut>(IEnumerable<TIn> source, Func<TIn, TOut> map)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(map);
        return Enabled ? MapParallel(source, map, ItemsPerCore * Environment.ProcessorCount) : source.Select(map);
    }

    private static IEnumerable<TOut> MapParallel<TIn, TOut>(IEnumerable<TIn> source, Func<TIn, TOut> map, int window)
    {
        var pending = new Queue<Task<TOut>>(window);
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

                var item = items.Current;
                pending.Enqueue(Task.Factory.StartNew(() => map(item), CancellationToken.None, TaskCreationOptions.None, TaskScheduler.Default));
                if (pending.Count >= window)
                {
                    // An exception thrown by the map surfaces here, in order, as it would have in a sequential loop.
                    yield return pending.Dequeue().GetAwaiter().GetResult();
                }
            }

            while (pending.Count > 0)
            {
                yield return pending.Dequeue().GetAwaiter().GetResult();
            }

            failure?.Throw();
        }
        finally
        {
            // Stopped early (or failed): let the work in flight finish so nothing runs on after the caller moved on.
            foreach (var task in pending)
            {
                try
                {
                    task.Wait();
                }
                catch (AggregateException)
                {
                    // Already reported through the item that failed first, or never asked for.
                }
            }
        }
    }
}
