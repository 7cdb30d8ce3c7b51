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

    [Fact]
    public void Memory_the_collector_maps_afresh_is_marked_again()
    {
        if (!HugePages.AdviseHeap())
        {
            // Nothing is marked where the system does not leave huge pages to processes (the test above checks which).
            Assert.Null(HugePages.Advised);
            return;
        }

        // The collector gives a region back by mapping fresh, inaccessible memory over it; done here to 2 MB at the far end
        // of the reservation's last uncommitted part (the collector takes regions from the low end, so a part of 256 MB
        // or more at the top is one this process never reaches, and nothing in it can be committed meanwhile).
        var (start, end) = HugePages.Advised!.Value;
        const ulong Chunk = 2 << 20;
        var reserved = File.ReadLines("/proc/self/maps")
            .Where(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [_, "---p", ..])
            .Select(HugePages.Mapping.Parse)
            .Last(mapping => mapping.Start >= start && mapping.End <= end && mapping.End - mapping.Start >= 128 * Chunk);
        var at = (reserved.End - Chunk) & ~(Chunk - 1);
        Assert.Equal((nint)at, Native.Mmap((nint)at, (nuint)Chunk, 0, MapPrivate | MapFixed | MapAnonymous, -1, 0));
        Assert.DoesNotContain("hg", FlagsOfMappingHolding(at));

        HugePages.AdviseAgain();

        Assert.Contains("hg", FlagsOfMappingHolding(at));
    }

    private const int MapPrivate = 0x02;
    private const int MapFixed = 0x10;
    private const int MapAnonymous = 0x20;

    private static class Native
    {
        [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "mmap", SetLastError = true)]
        [System.Runtime.InteropServices.DefaultDllImportSearchPaths(System.Runtime.InteropServices.DllImportSearchPath.SafeDirectories)]
        public static extern nint Mmap(nint address, nuint length, int protection, int flags, int descriptor, nint offset);
    }

    private static string[] FlagsOfMappingHolding(ulong address)
    {
        var inside = false;
        foreach (var line in File.ReadLines("/proc/self/smaps"))
        {
            // A mapping's first line is its range; its other lines ("Size: 4 kB", "VmFlags: rd wr") parse as no range.
            var mapping = HugePages.Mapping.Parse(line);
            if (mapping.End > mapping.Start)
            {
                inside = mapping.Start <= address && address < mapping.End;
            }
            else if (inside && line.StartsWith("VmFlags:", StringComparison.Ordinal))
            {
                return line["VmFlags:".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            }
        }

        return [];
    }
}
