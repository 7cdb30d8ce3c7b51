using System.Globalization;
using System.Runtime.InteropServices;
using Stemma.Pipeline;

namespace Stemma.Cli;

/// <summary>
/// Asks Linux to back the garbage-collected heap with transparent huge pages when the system leaves that to each process
/// (<c>/sys/kernel/mm/transparent_hugepage/enabled</c> reads <c>[madvise]</c>, Debian's default). A run over a corpus keeps
/// most of what it reads, so its heap grows by gigabytes, and every 4 KB page of it is faulted in and cleared on its first
/// touch (about 11 µs a fault on the 2-core benchmark VM); a 2 MB page serves 512 of them with one fault. The kernel gives
/// one only where a whole 2 MB range lies in one mapping that is writable, marked, and alike in its other flags, and the
/// collector's own commits never make such a range: it commits the young generation 64 KB at a time, each commit an
/// <c>mprotect</c> and an <c>madvise(MADV_DODUMP)</c> of its own, which split the mapping into 64 KB pieces. So the CLI opens
/// the part of the reservation the heap grows into ahead of the collector (<see cref="OpenHeap"/>): writable, marked for
/// dumps and for huge pages, one mapping, which the collector's commits then leave whole. Nothing becomes resident by it;
/// a page is still faulted in on its first touch, only 2 MB at a time. <c>STEMMA_HUGE_PAGES=0</c> turns it off.
/// </summary>
internal static class HugePages
{
    /// <summary>The variable that turns the advice off (<c>0</c>).</summary>
    public const string Variable = "STEMMA_HUGE_PAGES";

    /// <summary>How often the opened range is opened again (<see cref="KeepOpen"/>).</summary>
    public static readonly TimeSpan ReopenPeriod = TimeSpan.FromMilliseconds(100);

    private const string ModeFile = "/sys/kernel/mm/transparent_hugepage/enabled";
    private const string OvercommitFile = "/proc/sys/vm/overcommit_memory";
    private const ulong HugePageBytes = 2UL << 20;
    private const int ProtectReadWrite = 0x1 | 0x2;
    private const int AdviseDump = 17;
    private const int AdviseHugePage = 14;

    /// <summary>
    /// Marks the heap for huge pages and opens the part it grows into (half the memory the collector may use), then keeps
    /// it open (<see cref="KeepOpen"/>), unless the variable turns it off; whether the heap was marked.
    /// </summary>
    public static bool AdviseUnlessTurnedOff()
    {
        if (Environment.GetEnvironmentVariable(Variable) == "0" || !AdviseHeap())
        {
            return false;
        }

        if (OpenHeap(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 2))
        {
            KeepOpen(ReopenPeriod);
        }

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
            if (HeapMappings() is { } heap && Advise(heap.Range))
            {
                (advised, holding) = (heap.Range, heap.Holding);
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
    /// Opens the part of the marked reservation the heap grows into: from the mapping that held a new object at start (the
    /// collector takes regions upward from its low end) for <paramref name="bytes"/> at most, made writable and marked
    /// for dumps and huge pages, as the collector's commit would make it, so that its commits find it so and leave it one
    /// mapping. Only the collector touches memory there, and only what it has committed, so nothing else changes: no page
    /// is resident before its first touch, and memory it gives back comes back zeroed as before. Not done where the
    /// system counts every writable page against a strict limit (<c>vm.overcommit_memory</c> 2): the range would take
    /// that much of the limit from other processes. Whether a range was opened.
    /// </summary>
    public static bool OpenHeap(long bytes)
    {
        if (advised is not { } range || holding is not { } from || !OvercommitIsLoose()
            || OpenRange(from, range, bytes) is not { } opening)
        {
            return false;
        }

        try
        {
            return Open(opening);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    /// <summary>
    /// The range <see cref="OpenHeap"/> opens: from <paramref name="from"/> rounded up to a 2 MB boundary, for at most
    /// <paramref name="bytes"/>, within <paramref name="reservation"/>, ending on a 2 MB boundary; null when that is empty.
    /// </summary>
    internal static (ulong Start, ulong End)? OpenRange(ulong from, (ulong Start, ulong End) reservation, long bytes)
    {
        var start = Math.Max(from, reservation.Start);
        start = (start + HugePageBytes - 1) & ~(HugePageBytes - 1);
        if (bytes <= 0 || start >= reservation.End)
        {
            return null;
        }

        var end = (start + Math.Min((ulong)bytes, reservation.End - start)) & ~(HugePageBytes - 1);
        return end > start ? (start, end) : null;
    }

    /// <summary>Opens <paramref name="range"/> and keeps it as the range <see cref="Reopen"/> opens again; whether it was opened.</summary>
    internal static bool Open((ulong Start, ulong End) range)
    {
        if (!Apply(range))
        {
            return false;
        }

        opened = range;
        return true;
    }

    /// <summary>
    /// Opens the opened range again (or, when none was opened, marks the reservation again). The collector gives a region
    /// back by mapping fresh, inaccessible, unmarked memory over it; committed again, that memory took 4 KB pages, a fault
    /// each (the 100k ingest, whose young generation comes and goes, took some 750,000). Called every
    /// <see cref="ReopenPeriod"/> (<see cref="KeepOpen"/>) and when a collection pause has committed its budget
    /// (<see cref="CollectionPause.Committed"/>), before the stage touches it.
    /// </summary>
    public static void Reopen()
    {
        if (opened is { } range)
        {
            Apply(range);
        }
        else if (advised is { } reservation)
        {
            Advise(reservation);
        }
    }

    /// <summary>
    /// Opens the range again every <paramref name="period"/> for the rest of the process: a handful of system calls over
    /// a few hundred mappings, some microseconds each time.
    /// </summary>
    public static void KeepOpen(TimeSpan period) =>
        reopening ??= new Timer(_ => Reopen(), null, period, period);

    /// <summary>The range <see cref="AdviseHeap"/> marked, if any.</summary>
    internal static (ulong Start, ulong End)? Advised => advised;

    /// <summary>The range opened (<see cref="OpenHeap"/>, <see cref="Open"/>), if any.</summary>
    internal static (ulong Start, ulong End)? Opened => opened;

    // Kept from start: the reservation does not move, and reading /proc/self/maps again costs milliseconds.
    private static (ulong Start, ulong End)? advised;
    private static ulong? holding;
    private static (ulong Start, ulong End)? opened;
    private static Timer? reopening;

    private static bool Advise((ulong Start, ulong End) range) =>
        NativeMethods.Madvise((nint)range.Start, (nuint)(range.End - range.Start), AdviseHugePage) == 0;

    // Writable first: the advice is kept by the mapping the protection change leaves.
    private static bool Apply((ulong Start, ulong End) range)
    {
        var (address, length) = ((nint)range.Start, (nuint)(range.End - range.Start));
        return NativeMethods.Mprotect(address, length, ProtectReadWrite) == 0
            && NativeMethods.Madvise(address, length, AdviseDump) == 0
            && NativeMethods.Madvise(address, length, AdviseHugePage) == 0;
    }

    private static bool OvercommitIsLoose()
    {
        try
        {
            return File.ReadAllText(OvercommitFile).Trim() is "0" or "1";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// The collector's reservation: the run of adjacent private anonymous mappings (committed and not yet committed parts
    /// alike) around a new object. Executable mappings end the run: code is left as it is.
    /// </summary>
    internal static (ulong Start, ulong End)? HeapRange() => HeapMappings()?.Range;

    /// <summary><see cref="HeapRange"/>, and where the mapping holding the new object starts.</summary>
    private static ((ulong Start, ulong End) Range, ulong Holding)? HeapMappings()
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

        return ((mappings[first].Start, mappings[last].End), mappings[at].Start);
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
        [DllImport("libc", EntryPoint = "mprotect", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Mprotect(nint address, nuint length, int protection);

        [DllImport("libc", EntryPoint = "madvise", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Madvise(nint address, nuint length, int advice);
    }
}
