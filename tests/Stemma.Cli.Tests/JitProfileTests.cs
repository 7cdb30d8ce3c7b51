using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Stemma.Cli.Tests;

/// <summary>The multi-core JIT profile each command keeps: where it lives, that a run leaves one, that it changes no output.</summary>
public sealed class JitProfileTests
{
    [Theory]
    [InlineData(null, "/home/ana/.cache", "/home/ana", "/home/ana/.cache/stemma/jit")]
    [InlineData(null, null, "/home/ana", "/home/ana/.cache/stemma/jit")]
    [InlineData(null, "relative/cache", "/home/ana", "/home/ana/.cache/stemma/jit")]
    [InlineData(null, null, "relative", null)]
    [InlineData(null, null, null, null)]
    [InlineData("0", "/home/ana/.cache", "/home/ana", null)]
    [InlineData("1", "/tmp/cache", "/home/ana", "/tmp/cache/stemma/jit")]
    public void The_profile_folder_follows_the_cache_conventions(string? switchValue, string? cache, string? home, string? expected)
    {
        var environment = new Dictionary<string, string?> { [JitProfile.Switch] = switchValue, ["XDG_CACHE_HOME"] = cache, ["HOME"] = home };

        Assert.Equal(expected, JitProfile.Folder(name => environment.GetValueOrDefault(name)));
    }

    [Fact]
    public async Task A_run_leaves_its_commands_profile_and_the_next_run_plays_it_with_the_same_output()
    {
        using var folder = new TempDirectory();
        var article = WriteArticle(folder);
        var cache = Path.Combine(folder.Path, "cache");

        var first = await RunStemmaAsync(cache, null, "extract", article, "--format", "json");
        var profiles = Path.Combine(cache, "stemma", "jit");
        var kept = Path.Combine(profiles, "extract.jitprofile");
        Assert.True(File.Exists(kept), first.Error);
        Assert.True(new FileInfo(kept).Length > 0);

        var second = await RunStemmaAsync(cache, null, "extract", article, "--format", "json");

        Assert.Equal((0, first.Out), (second.ExitCode, second.Out));
        Assert.Contains("ferry.txt", second.Out, StringComparison.Ordinal);

        // Each run recorded into a copy of its own and put it in place: nothing else is left in the folder.
        Assert.Equal(["extract.jitprofile"], Directory.GetFiles(profiles).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_damaged_profile_changes_nothing_and_is_replaced()
    {
        using var folder = new TempDirectory();
        var article = WriteArticle(folder);
        var cache = Path.Combine(folder.Path, "cache");
        var clean = await RunStemmaAsync(cache, "0", "extract", article, "--format", "json");

        // Bytes that are no profile at all (a disk error, another program's file under the name).
        var kept = Path.Combine(cache, "stemma", "jit", "extract.jitprofile");
        Directory.CreateDirectory(Path.GetDirectoryName(kept)!);
        var noise = new byte[20_000];
        new Random(7).NextBytes(noise);
        await File.WriteAllBytesAsync(kept, noise);

        var result = await RunStemmaAsync(cache, null, "extract", article, "--format", "json");

        Assert.Equal((0, clean.Out), (result.ExitCode, result.Out));
        Assert.False((await File.ReadAllBytesAsync(kept)).AsSpan().SequenceEqual(noise));
    }

    [Fact]
    public async Task A_copy_abandoned_by_a_killed_run_is_removed_once_a_day_old()
    {
        using var folder = new TempDirectory();
        var article = WriteArticle(folder);
        var cache = Path.Combine(folder.Path, "cache");
        var profiles = Path.Combine(cache, "stemma", "jit");
        Directory.CreateDirectory(profiles);
        var old = Path.Combine(profiles, "extract.999999991.jitprofile");
        var recent = Path.Combine(profiles, "extract.999999992.jitprofile");
        var otherCommand = Path.Combine(profiles, "ingest.999999993.jitprofile");
        foreach (var file in new[] { old, recent, otherCommand })
        {
            await File.WriteAllBytesAsync(file, [1, 2, 3]);
        }

        File.SetLastWriteTimeUtc(old, DateTime.UtcNow.AddDays(-2));
        File.SetLastWriteTimeUtc(otherCommand, DateTime.UtcNow.AddDays(-2));

        var result = await RunStemmaAsync(cache, null, "extract", article);

        Assert.Equal(0, result.ExitCode);
        Assert.False(File.Exists(old));
        Assert.True(File.Exists(recent));
        Assert.True(File.Exists(otherCommand));
    }

    [Fact]
    public async Task With_the_switch_at_zero_nothing_is_written()
    {
        using var folder = new TempDirectory();
        var article = WriteArticle(folder);
        var cache = Path.Combine(folder.Path, "cache");

        var result = await RunStemmaAsync(cache, "0", "extract", article);

        Assert.Equal(0, result.ExitCode);
        Assert.False(Directory.Exists(cache));
    }

    private static string WriteArticle(TempDirectory folder) =>
        folder.Write("input/ferry.txt", "Ferry timetable changes\n\nThe island council said on Monday that the first crossing would leave an hour later.\n");

    /// <summary>The built command as its own process: the runtime plays and writes a profile only for a real process.</summary>
    private static async Task<CliRunner.Result> RunStemmaAsync(string cache, string? switchValue, params string[] args)
    {
        // The test host runs on the same runtime as the command: the dotnet host sits three folders above the runtime's.
        var host = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..", "dotnet"));
        var start = new ProcessStartInfo(host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "stemma.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["XDG_CACHE_HOME"] = cache;
        start.Environment[JitProfile.Switch] = switchValue;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new CliRunner.Result(process.ExitCode, await output, await error);
    }
}
