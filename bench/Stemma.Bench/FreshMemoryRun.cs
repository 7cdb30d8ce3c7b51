using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Stemma.Bench;

/// <summary>
/// What the machine charges for memory a process touches for the first time, which every whole-process run pays in its
/// system time for its peak: a block touched once per 4 KB page after a wait in which nothing ran, again at once after it
/// was freed, and again after a second wait. On the 2-core benchmark VM memory freed moments ago is still backed and
/// cheap, memory left free for a few seconds costs about ten times as much (docs/benchmarks.md, twenty-fourth pass), so
/// whole-process A/B runs wait before each run (bench/scripts/throughput-ab.sh, SETTLE).
/// Usage: fresh-memory [MB=1024] [SECONDS=10]
/// </summary>
internal static class FreshMemoryRun
{
    private const int PageBytes = 4096;
    private const int HugePageBytes = 2 << 20;
    private const int AdviseHugePage = 14;

    public static int Run(string[] args)
    {
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        var megabytes = 1024;
        var seconds = 10.0;
        if ((args.Length > 0 && (!int.TryParse(args[0], invariant, out megabytes) || megabytes is < 1 or > 1 << 20))
            || (args.Length > 1 && (!double.TryParse(args[1], invariant, out seconds) || seconds is < 0 or > 3600)))
        {
            Console.Error.WriteLine("fresh-memory: usage: fresh-memory [MB (1 to 1048576, default 1024)] [SECONDS to wait (0 to 3600, default 10)]");
            return 2;
        }

        var wait = TimeSpan.FromSeconds(seconds);
        Console.WriteLine($"fresh-memory: {megabytes} MB, one write per 4 KB page, 2 MB pages advised; {Environment.ProcessorCount} cores");
        Thread.Sleep(wait);
        Report($"after {wait.TotalSeconds:0} s idle", Touch(megabytes));
        Report("at once after freeing it", Touch(megabytes));
        Thread.Sleep(wait);
        Report($"after {wait.TotalSeconds:0} s idle again", Touch(megabytes));
        return 0;

        void Report(string when, TimeSpan took) =>
            Console.WriteLine($"{when,-28} {took.TotalSeconds,6:0.000} s ({took.TotalSeconds * 1024 / megabytes:0.00} s a GB)");
    }

    /// <summary>Allocates the block, touches each page once, frees it; how long the touching took.</summary>
    private static TimeSpan Touch(int megabytes)
    {
        var bytes = (nint)megabytes << 20;
        var block = Marshal.AllocHGlobal(bytes);
        try
        {
            if (OperatingSystem.IsLinux())
            {
                // Whole 2 MB pages inside the block (a large allocation is its own mapping); failure only means 4 KB pages.
                var start = (block + HugePageBytes - 1) & ~((nint)HugePageBytes - 1);
                _ = Madvise(start, (nuint)(bytes - (start - block)) & ~((nuint)HugePageBytes - 1), AdviseHugePage);
            }

            var watch = Stopwatch.StartNew();
            for (nint offset = 0; offset < bytes; offset += PageBytes)
            {
                Marshal.WriteByte(block + offset, 1);
            }

            return watch.Elapsed;
        }
        finally
        {
            Marshal.FreeHGlobal(block);
        }
    }

    [DllImport("libc", EntryPoint = "madvise", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Madvise(nint address, nuint length, int advice);
}
