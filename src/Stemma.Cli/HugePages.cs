using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using Stemma.Pipeline;

namespace Stemma.Cli;

/// <summary>
/// Asks Linux to back the garbage-collected heap with transparent huge pages when the system leaves that to each process
/// (<c>/sys/kernel/mm/transparent_hugepage/enabled</c> reads <c>[madvise]</c>, Debian's default). A run over a corpus keeps
/// most of what it reads, so its heap grows by gigabytes, and every 4 KB page of it is faulted in and cleared on its first
/// touch; where the collector commits 2 MB or more at once (the pauses of the sketch and statistics steps, the heap's
/// growth during collections) one fault then serves 512 pages. <c>STEMMA_HUGE_PAGES=0</c> turns it off.
/// </summary>
internal static class HugePages
{
    /// <summary>The variable that turns the advice off (<c>0</c>).</summary>
    public const string Variable = "STEMMA_HUGE_PAGES";

    private const string ModeFile = "/sys/kernel/mm/transparent_hugepage/enabled";
    private const int AdviseHugePage = 14;

    /// <summary>Gives the advice unless the variable turns it off; whether it was given.</summary>
    public static bool AdviseUnlessTurnedOff() =>
        Environment.GetEnvironmentVariable(Variable) != "0" && AdviseHeap();

    /// <summary>How much of the heap the CLI has committed in one piece at start (<see cref="CommitHeapStart"/>).</summary>
    public const long HeapStartBytes = 1L << 30;

    /// <summary>
    /// Has the collector commit the heap's first <paramref name="bytes"/> in one piece, then collect as usual. It commits
    /// a growing young generation 64 KB at a time, so the first touch of a 2 MB range mostly finds the range partly
    /// committed and takes 4 KB pages, a fault each (about 11 µs on the 2-core benchmark VM); a range committed whole takes
    /// one 2 MB page. A collection pause of that size (<see cref="CollectionPause"/>) commits it whole, and the young
    /// collection right after ends the pause's allowance, so the run collects when it would have and touches no more
    /// memory (what it leaves untouched is committed, not resident). Whether it was done: not while a pause is held, or
    /// when the runtime refuses the size.
    /// </summary>
    public static bool CommitHeapStart(long bytes)
    {
        using (CollectionPause.For(bytes))
        {
            if (GCSettings.LatencyMode != GCLatencyMode.NoGCRegion)
            {
                return false;
            }
        }

        GC.Collect(0, GCCollectionMode.Forced, blocking: true);
        return true;
    }

    /// <summary>
    /// Marks the address range the collector reserved for the heap; false when the system does not leave huge pages to
    /// the process (<c>always</c> needs no advice, <c>never</c> refuses it), or the range is not found.
    /// </summary>
    public static bool AdviseHeap()
    {
        if (!OperatingSystem.IsLinux() || !LeftToProcesses())
        {
            return false;
        }

        try
        {
            if (HeapRange() is { } range && Advise(range))
            {
                advised = range;
                return true;
            }

            return false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    /// <summary>
    /// Gives the advice again over the range <see cref="AdviseHeap"/> marked, when it marked one. The collector hands a
    /// region it no longer needs back to the system by mapping fresh memory over it, and the fresh mapping has no advice:
    /// committed again whole later (a collection pause's budget, <see cref="CollectionPause"/>), it took 4 KB pages, a
    /// fault each (midway through the 100k JSONL extract, 681 MB of the heap on 4 KB pages beside 631 MB on 2 MB ones; a
    /// fifth of the faults after this). Marking a committed range before its first touch is enough, so this runs when a
    /// pause has committed its budget.
    /// </summary>
    public static void AdviseAgain()
    {
        if (advised is { } range)
        {
            Advise(range);
        }
    }

    /// <summary>The range <see cref="AdviseHeap"/> marked, if any.</summary>
    internal static (ulong Start, ulong End)? Advised => advised;

    // The range marked at start: the reservation does not move, and reading /proc/self/maps again costs milliseconds.
    private static (ulong Start, ulong End)? advised;

    private static bool Advise((ulong Start, ulong End) range) =>
        NativeMethods.Madvise((nint)range.Start, (nuint)(range.End - range.Start), AdviseHugePage) == 0;

    /// <summary>
    /// The collector's reservation: the run of adjacent private anonymous mappings (committed and not yet committed parts
    /// alike) around a new object. Executable mappings end the run: code is left as it is.
    /// </summary>
    internal static (ulong Start, ulong End)? HeapRange()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/proc/self/maps"))
        {
            return null;
        }

        var address = AddressOf(new byte[64]);
        var mappings = File.ReadLines("/proc/self/maps").Select(Mapping.Parse).ToList();
        var at = mappings.FindIndex(m => m.Start <= address && address < m.End);
        if (at < 0 || !mappings[at].IsHeapLike)
        {
            return null;
        }

        int first = at, last = at;
        while (first > 0 && mappings[first - 1].IsHeapLike && mappings[first - 1].End == mappings[first].Start)
        {
            first--;
        }

        while (last + 1 < mappings.Count && mappings[last + 1].IsHeapLike && mappings[last + 1].Start == mappings[last].End)
        {
            last++;
        }

        return (mappings[first].Start, mappings[last].End);
    }

    /// <summary>Where an array lies in memory now (pinned while asked).</summary>
    internal static ulong AddressOf(byte[] block)
    {
        var handle = GCHandle.Alloc(block, GCHandleType.Pinned);
        try
        {
            return (ulong)handle.AddrOfPinnedObject();
        }
        finally
        {
            handle.Free();
        }
    }

    private static bool LeftToProcesses()
    {
        try
        {
            return File.ReadAllText(ModeFile).Contains("[madvise]", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>One line of <c>/proc/self/maps</c>: <c>start-end perms offset device inode [path]</c>.</summary>
    internal readonly record struct Mapping(ulong Start, ulong End, bool IsHeapLike)
    {
        /// <summary>The mapping a line describes; a line of another shape is an empty range that is no heap.</summary>
        public static Mapping Parse(string line)
        {
            var fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
            var dash = fields.Length >= 5 ? fields[0].IndexOf('-', StringComparison.Ordinal) : -1;
            if (dash <= 0
                || !ulong.TryParse(fields[0].AsSpan(0, dash), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var start)
                || !ulong.TryParse(fields[0].AsSpan(dash + 1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var end)
                || end < start)
            {
                return default;
            }

            var permissions = fields[1];
            var anonymous = fields[4] == "0" && (fields.Length < 6 || string.IsNullOrWhiteSpace(fields[5]));
            return new Mapping(start, end, anonymous && permissions.Length == 4 && permissions[2] != 'x' && permissions[3] == 'p');
        }
    }

    private static class NativeMethods
    {
        [DllImport("libc", EntryPoint = "madvise", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Madvise(nint address, nuint length, int advice);
    }
}
