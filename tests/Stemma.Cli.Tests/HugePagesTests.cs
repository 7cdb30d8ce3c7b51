namespace Stemma.Cli.Tests;

/// <summary>The huge-page advice the CLI gives its heap at start: which mappings it takes for the heap, and that Linux records it.</summary>
public sealed class HugePagesTests
{
    [Theory]
    [InlineData("7f13fb452000-7f1f34000000 ---p 00000000 00:00 0 ", true)]
    [InlineData("7f139d400000-7f13cc561000 rw-p 00000000 00:00 0", true)]
    [InlineData("7f3525200000-7f3525400000 rwxp 00000000 00:00 0 ", false)]
    [InlineData("7f3525200000-7f3525400000 r-xp 00000000 08:01 1234   /usr/lib/x86_64-linux-gnu/libc.so.6", false)]
    [InlineData("7f3525200000-7f3525400000 rw-p 00000000 08:01 1234   /usr/lib/x86_64-linux-gnu/libc.so.6", false)]
    [InlineData("7ffc3ad5e000-7ffc3ad7f000 rw-p 00000000 00:00 0                          [stack]", false)]
    [InlineData("7f3525200000-7f3525400000 rw-s 00000000 00:01 77   /dev/shm/doublemapper (deleted)", false)]
    public void Only_private_anonymous_data_mappings_count_as_heap(string line, bool heapLike)
    {
        var mapping = HugePages.Mapping.Parse(line);

        Assert.Equal(heapLike, mapping.IsHeapLike);
        Assert.True(mapping.End > mapping.Start);
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("7f13fb452000 ---p 00000000 00:00 0")]
    [InlineData("zz-7f1f34000000 ---p 00000000 00:00 0")]
    [InlineData("7f1f34000000-7f13fb452000 ---p 00000000 00:00 0")]
    [InlineData("7f13fb452000-7f1f34000000 ---p")]
    public void A_line_of_another_shape_is_no_heap_and_no_error(string line)
    {
        var mapping = HugePages.Mapping.Parse(line);

        Assert.False(mapping.IsHeapLike);
        Assert.Equal(0UL, mapping.End - mapping.Start);
    }

    [Fact]
    public void The_heap_range_holds_new_objects_and_what_the_collector_committed()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Null(HugePages.HeapRange());
            return;
        }

        // Enough live data that the heap spans more than one committed piece.
        var kept = Enumerable.Range(0, 64).Select(_ => new byte[1 << 20]).ToList();
        var range = HugePages.HeapRange();

        Assert.NotNull(range);
        var (start, end) = range.Value;
        foreach (var block in kept.Where((_, k) => k % 16 == 0).Append(new byte[64]))
        {
            var address = HugePages.AddressOf(block);
            Assert.InRange(address, start, end - 1);
        }

        Assert.True(end - start >= (ulong)GC.GetGCMemoryInfo().TotalCommittedBytes, $"{end - start} bytes reserved");
        GC.KeepAlive(kept);
    }

    [Fact]
    public void Where_the_system_leaves_huge_pages_to_processes_the_heap_is_marked_for_them()
    {
        var mode = OperatingSystem.IsLinux() && File.Exists("/sys/kernel/mm/transparent_hugepage/enabled")
            ? File.ReadAllText("/sys/kernel/mm/transparent_hugepage/enabled")
            : string.Empty;

        var advised = HugePages.AdviseHeap();

        Assert.Equal(mode.Contains("[madvise]", StringComparison.Ordinal), advised);
        if (advised)
        {
            // The kernel shows the advice as the "hg" flag of every mapping in the range, the one holding a new object among them.
            var flags = FlagsOfMappingHolding(HugePages.AddressOf(new byte[64]));
            Assert.Contains("hg", flags);
        }
    }

    [Theory]
    // From the middle of a 2 MB page: the range starts at the next boundary and runs the bytes asked.
    [InlineData(0x7f0000100000UL, 0x7f0000000000UL, 0x7f1000000000UL, 64L << 20, 0x7f0000200000UL, 0x7f0004200000UL)]
    // From a boundary: it starts there.
    [InlineData(0x7f0000200000UL, 0x7f0000000000UL, 0x7f1000000000UL, 4L << 20, 0x7f0000200000UL, 0x7f0000600000UL)]
    // Near the reservation's end: cut at its last 2 MB boundary.
    [InlineData(0x7f0000200000UL, 0x7f0000000000UL, 0x7f0000b80000UL, 1L << 30, 0x7f0000200000UL, 0x7f0000a00000UL)]
    // Bytes that do not end on a boundary: cut at the last one within them.
    [InlineData(0x7f0000200000UL, 0x7f0000000000UL, 0x7f1000000000UL, (5L << 20) + 12345, 0x7f0000200000UL, 0x7f0000600000UL)]
    // From below the reservation: from its first boundary.
    [InlineData(0x7e0000000000UL, 0x7f0000001000UL, 0x7f1000000000UL, 2L << 20, 0x7f0000200000UL, 0x7f0000400000UL)]
    public void The_range_opened_runs_upward_from_the_heap_on_2_MB_boundaries(ulong from, ulong start, ulong end, long bytes, ulong openedStart, ulong openedEnd)
    {
        Assert.Equal((openedStart, openedEnd), HugePages.OpenRange(from, (start, end), bytes));
    }

    [Theory]
    [InlineData(0x7f0000200000UL, 0x7f0000000000UL, 0x7f1000000000UL, (2L << 20) - 1)]
    [InlineData(0x7f0000200000UL, 0x7f0000000000UL, 0x7f1000000000UL, 0L)]
    [InlineData(0x7f0000300000UL, 0x7f0000000000UL, 0x7f0000500000UL, 1L << 30)]
    [InlineData(0x7f2000000000UL, 0x7f0000000000UL, 0x7f1000000000UL, 1L << 30)]
    public void No_range_is_opened_where_no_whole_2_MB_page_fits(ulong from, ulong start, ulong end, long bytes)
    {
        Assert.Null(HugePages.OpenRange(from, (start, end), bytes));
    }

    [Fact]
    public void The_heap_is_opened_upward_from_where_it_holds_objects()
    {
        const long Bytes = 4L << 30;
        var loose = File.Exists("/proc/sys/vm/overcommit_memory") && File.ReadAllText("/proc/sys/vm/overcommit_memory").Trim() is "0" or "1";
        if (!HugePages.AdviseHeap() || !loose)
        {
            Assert.False(HugePages.OpenHeap(Bytes));
            return;
        }

        Assert.True(HugePages.OpenHeap(Bytes));

        var (start, end) = HugePages.Opened!.Value;
        var (reservedStart, reservedEnd) = HugePages.Advised!.Value;
        Assert.Equal(0UL, start % Chunk);
        Assert.Equal(0UL, end % Chunk);
        Assert.InRange(start, reservedStart, reservedEnd);
        Assert.InRange(end, start + Chunk, Math.Min(reservedEnd, start + Bytes));

        // The heap holds a few hundred megabytes here, so the top of the range is never committed while this runs: it is
        // open as the collector's commit would leave it, and marked.
        var (permissions, flags, _) = MappingHolding(end - 1);
        Assert.Equal("rw-p", permissions);
        Assert.Contains("hg", flags);
        Assert.DoesNotContain("dd", flags);
    }

    [Fact]
    public void Memory_opened_takes_2_MB_pages_and_is_opened_again_when_the_collector_maps_it_afresh()
    {
        if (!HugePages.AdviseHeap())
        {
            // Nothing is marked where the system does not leave huge pages to processes (the test above checks which).
            Assert.Null(HugePages.Advised);
            return;
        }

        // 2 MB at the far end of the reservation's last uncommitted part: the collector takes regions from the low end, so
        // a part of 256 MB or more at the top is one this process never reaches, and nothing in it is committed meanwhile.
        var (start, end) = HugePages.Advised!.Value;
        var reserved = File.ReadLines("/proc/self/maps")
            .Where(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [_, "---p", ..])
            .Select(HugePages.Mapping.Parse)
            .Last(mapping => mapping.Start >= start && mapping.End <= end && mapping.End - mapping.Start >= 128 * Chunk);
        var at = (reserved.End - Chunk) & ~(Chunk - 1);
        try
        {
            Assert.True(HugePages.Open((at, at + Chunk)));
            Assert.Equal("rw-p", MappingHolding(at).Permissions);

            // One touch faults in one 2 MB page.
            System.Runtime.InteropServices.Marshal.WriteByte((nint)at + 4096, 1);
            Assert.Equal(2048, MappingHolding(at).HugeKilobytes);

            // The collector gives a region back by mapping fresh, inaccessible memory over it: unmarked, and zeroed.
            GiveBack(at);
            var (permissions, flags, _) = MappingHolding(at);
            Assert.Equal("---p", permissions);
            Assert.DoesNotContain("hg", flags);

            HugePages.Reopen();

            (permissions, flags, _) = MappingHolding(at);
            Assert.Equal("rw-p", permissions);
            Assert.Contains("hg", flags);
            Assert.Equal(0, System.Runtime.InteropServices.Marshal.ReadByte((nint)at + 4096));
        }
        finally
        {
            // Left as the collector's reservation: inaccessible, nothing resident.
            GiveBack(at);
        }
    }

    private const ulong Chunk = 2 << 20;

    private static void GiveBack(ulong at) =>
        Assert.Equal((nint)at, Native.Mmap((nint)at, (nuint)Chunk, 0, MapPrivate | MapFixed | MapAnonymous, -1, 0));

    private const int MapPrivate = 0x02;
    private const int MapFixed = 0x10;
    private const int MapAnonymous = 0x20;

    private static class Native
    {
        [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "mmap", SetLastError = true)]
        [System.Runtime.InteropServices.DefaultDllImportSearchPaths(System.Runtime.InteropServices.DllImportSearchPath.SafeDirectories)]
        public static extern nint Mmap(nint address, nuint length, int protection, int flags, int descriptor, nint offset);
    }

    private static string[] FlagsOfMappingHolding(ulong address) => MappingHolding(address).Flags;

    /// <summary>The permissions, flags and huge-page kilobytes of the mapping holding an address, from /proc/self/smaps.</summary>
    private static (string Permissions, string[] Flags, int HugeKilobytes) MappingHolding(ulong address)
    {
        var inside = false;
        var (permissions, huge) = (string.Empty, 0);
        foreach (var line in File.ReadLines("/proc/self/smaps"))
        {
            // A mapping's first line is its range; its other lines ("Size: 4 kB", "VmFlags: rd wr") parse as no range.
            var mapping = HugePages.Mapping.Parse(line);
            if (mapping.End > mapping.Start)
            {
                inside = mapping.Start <= address && address < mapping.End;
                permissions = inside ? line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1] : permissions;
            }
            else if (inside && line.StartsWith("AnonHugePages:", StringComparison.Ordinal))
            {
                huge = int.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
            }
            else if (inside && line.StartsWith("VmFlags:", StringComparison.Ordinal))
            {
                return (permissions, line["VmFlags:".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries), huge);
            }
        }

        return (string.Empty, [], 0);
    }
}
