using System.Diagnostics;
using System.Globalization;
using System.Runtime;

namespace Stemma.Pipeline;

/// <summary>
/// Optional profiling of whole runs: when a sink is set (the CLI sets one when STEMMA_TIMINGS=1), each timed stage
/// reports its wall time, the process's CPU time, the garbage collections and the JIT compilations during it, one line per stage.
/// </summary>
public static class StageTimings
{
    /// <summary>The environment variable that turns the CLI's stage timings on.</summary>
    public const string Variable = "STEMMA_TIMINGS";

    /// <summary>Where the lines go; null (the default) turns timing off.</summary>
    public static Action<string>? Sink { get; set; }

    /// <summary>Starts timing a stage; dispose the result when the stage is done.</summary>
    public static Stage Start(string name) => Sink is null ? default : new Stage(name);

    /// <summary>One stage being timed (a default value times nothing).</summary>
    public readonly struct Stage : IDisposable
    {
        private readonly string? name;
        private readonly long started;
        private readonly TimeSpan cpu;
        private readonly int collections;
        private readonly TimeSpan paused;
        private readonly TimeSpan compiling;
        private readonly long compiled;
        private readonly long allocated;

        internal Stage(string name)
        {
            this.name = name;
            started = Stopwatch.GetTimestamp();
            cpu = Process.GetCurrentProcess().TotalProcessorTime;
            collections = GC.CollectionCount(0);
            paused = GC.GetTotalPauseDuration();
            compiling = JitInfo.GetCompilationTime();
            compiled = JitInfo.GetCompiledMethodCount();
            allocated = GC.GetTotalAllocatedBytes();
        }

        public void Dispose()
        {
            if (name is null || Sink is not { } sink)
            {
                return;
            }

            var wall = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var usedCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            sink(string.Create(CultureInfo.InvariantCulture, $"timing {name}: {wall:F2} s wall, {usedCpu:F2} s CPU, {GC.CollectionCount(0) - collections} gen0 GCs ({(GC.GetTotalPauseDuration() - paused).TotalSeconds:F2} s paused), {(GC.GetTotalAllocatedBytes() - allocated) / 1e6:F0} MB allocated, {JitInfo.GetCompiledMethodCount() - compiled} methods compiled ({(JitInfo.GetCompilationTime() - compiling).TotalSeconds:F2} s), {Memory()}"));
        }
    }

    /// <summary>Where memory stands: the managed heap now, after the last collection, and the process's peak resident set so far.</summary>
    public static string Memory()
    {
        var info = GC.GetGCMemoryInfo();
        using var process = Process.GetCurrentProcess();
        return string.Create(CultureInfo.InvariantCulture, $"{GC.GetTotalMemory(false) / 1e6:F0} MB managed, {info.HeapSizeBytes / 1e6:F0} MB heap after the last GC, {process.PeakWorkingSet64 / 1e6:F0} MB peak RSS");
    }

    /// <summary>With timings on, a line saying where memory stands at each point <paramref name="then"/> is called at.</summary>
    public static Action<string>? WithMemory(Action<string>? then) =>
        Sink is not { } sink ? then : reached =>
        {
            sink($"memory at {reached}: {Memory()}");
            then?.Invoke(reached);
        };
}
