using System.Runtime;

namespace Stemma.Pipeline;

/// <summary>
/// No garbage collection while a stage runs that keeps nearly everything it allocates (the features and term weights of a
/// one-shot analysis, the corpus annotation's sentence lists): the workstation collector stops every thread and works on one
/// core to copy what lives on anyway, a quarter of such a stage's wall time. The pause is process-wide, so it is for a
/// process that runs one job (the CLI), held by one stage at a time; a stage that allocates more than its budget gets
/// a collection as usual, which ends the pause early. Not for stages that make much garbage: without collections their
/// garbage lands on fresh pages, and a page fault costs more than the collection that would have let it reuse memory.
/// </summary>
public static class CollectionPause
{
    /// <summary>Below this budget a stage is short and the collection that starts a pause costs more than it saves.</summary>
    public const long MinBytes = 64L << 20;

    // 1 while a stage holds the pause: a second one (another thread's stage) runs with collections as usual.
    private static int held;

    /// <summary>
    /// Pauses collections until the result is disposed, for at most <paramref name="bytes"/> of allocation (capped at a
    /// quarter of the memory the collector may use). Does nothing below <see cref="MinBytes"/>, when another stage holds the
    /// pause, or when the runtime refuses the budget.
    /// </summary>
    public static IDisposable For(long bytes) => Start(bytes, compactAfter: false);

    /// <summary>
    /// <see cref="For"/> a stage that keeps most, but not all, of what it allocates (a read that keeps its articles'
    /// text): when the pause holds to the end, one compacting collection of the whole heap follows it, which takes what the
    /// stage kept out of the young generation in one pass (collected as usual, the young generation is collected a couple
    /// of hundred times, each copying the text read so far once more) and frees the rest for the next stage. A stage that
    /// outgrew its budget was collected as usual and gets no extra collection.
    /// </summary>
    public static IDisposable ForKept(long bytes) => Start(bytes, compactAfter: true);

    private static IDisposable Start(long bytes, bool compactAfter)
    {
        bytes = Math.Min(bytes, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 4);
        if (bytes < MinBytes || Interlocked.CompareExchange(ref held, 1, 0) != 0)
        {
            return Resumed.None;
        }

        try
        {
            if (GC.TryStartNoGCRegion(bytes))
            {
                Committed?.Invoke();
                return new Resumed(compactAfter);
            }
        }
        catch (Exception exception) when (exception is ArgumentOutOfRangeException or InvalidOperationException)
        {
            // A budget larger than the runtime allows, or a pause someone else started: collect as usual.
        }

        Volatile.Write(ref held, 0);
        return Resumed.None;
    }

    /// <summary>
    /// <see cref="For"/> a stage over <paramref name="articles"/> that allocates about <paramref name="bytesPerCharacter"/>
    /// bytes a character of body, and a kilobyte an article; <see cref="ForKept"/> with <paramref name="compactAfter"/>.
    /// </summary>
    public static IDisposable ForBodies(IReadOnlyList<Article> articles, int bytesPerCharacter, bool compactAfter = false)
    {
        ArgumentNullException.ThrowIfNull(articles);
        long characters = 0;
        foreach (var article in articles)
        {
            characters += article.Body.Length;
        }

        return Start((bytesPerCharacter * characters) + (1024L * articles.Count), compactAfter);
    }

    /// <summary>
    /// Called when a pause has started, its budget committed and not yet touched (the CLI opens the heap for huge pages
    /// again there: memory the collector gave back is mapped afresh, without them).
    /// </summary>
    public static Action? Committed { get; set; }

    /// <summary>Whether a stage holds the pause now.</summary>
    internal static bool Held => Volatile.Read(ref held) == 1;

    private sealed class Resumed(bool compactAfter = false) : IDisposable
    {
        public static readonly IDisposable None = new NoPause();

        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) != 0)
            {
                return;
            }

            // A stage that outgrew its budget was collected, which already ended the pause.
            var heldToTheEnd = false;
            if (GCSettings.LatencyMode == GCLatencyMode.NoGCRegion)
            {
                try
                {
                    GC.EndNoGCRegion();
                    heldToTheEnd = true;
                }
                catch (InvalidOperationException)
                {
                    // Ended by a collection between the check and the call.
                }
            }

            // Before the pause is let go, so no other stage's pause starts under this collection (which would end it).
            if (heldToTheEnd && compactAfter)
            {
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            }

            Volatile.Write(ref held, 0);
        }

        private sealed class NoPause : IDisposable
        {
            public void Dispose()
            {
            }
        }
    }
}
