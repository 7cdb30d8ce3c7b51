using System.Runtime;

namespace Stemma.Cli;

/// <summary>
/// Multi-core JIT (<see cref="ProfileOptimization"/>): each command records the methods it compiled, and the next run of
/// the same command compiles them on a background thread ahead of their first call instead of on the thread that needs
/// them. Compiling was a fifth of the CPU of an ingest or extract of 10,000 small files (2,300 methods).
/// </summary>
/// <remarks>
/// The runtime writes a profile into the file it played. Each run therefore plays and records a copy of its own and
/// renames it over the command's profile at the end, so a run that starts while another ends never reads half a file.
/// The profile only orders compilation: what a command computes is the same with, without or with a stale profile.
/// </remarks>
internal sealed class JitProfile : IDisposable
{
    /// <summary>Set to <c>0</c> to run without a profile.</summary>
    public const string Switch = "STEMMA_JIT_PROFILE";

    private const string Extension = ".jitprofile";

    private readonly string recording;
    private readonly string kept;

    private JitProfile(string recording, string kept) => (this.recording, this.kept) = (recording, kept);

    /// <summary>Starts playing and recording the named command's profile; null when profiles are off or have nowhere to live.</summary>
    public static JitProfile? Start(string[] args)
    {
        var folder = Folder(Environment.GetEnvironmentVariable);
        if (folder is null)
        {
            return null;
        }

        try
        {
            Directory.CreateDirectory(folder);
            var name = StemmaApp.NamedCommand(args) ?? "stemma";
            var kept = Path.Combine(folder, name + Extension);
            var recordingName = $"{name}.{Environment.ProcessId}{Extension}";
            var recording = Path.Combine(folder, recordingName);
            RemoveAbandoned(folder, name);
            if (File.Exists(kept))
            {
                File.Copy(kept, recording, overwrite: true);
            }

            ProfileOptimization.SetProfileRoot(folder);
            ProfileOptimization.StartProfile(recordingName);
            return new JitProfile(recording, kept);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A cache that cannot be written: the run compiles as it goes, as without a profile.
            return null;
        }
    }

    /// <summary>Copies left by runs that ended without putting them in place (killed), once they are a day old.</summary>
    private static void RemoveAbandoned(string folder, string name)
    {
        var dayAgo = DateTime.UtcNow.AddDays(-1);
        foreach (var file in Directory.EnumerateFiles(folder, name + ".*" + Extension))
        {
            if (File.GetLastWriteTimeUtc(file) < dayAgo)
            {
                File.Delete(file);
            }
        }
    }

    /// <summary>
    /// Where profiles live: <c>$XDG_CACHE_HOME/stemma/jit</c>, else <c>$HOME/.cache/stemma/jit</c>; null when
    /// <see cref="Switch"/> is <c>0</c> or neither names an absolute folder (never a folder relative to where the command runs).
    /// </summary>
    internal static string? Folder(Func<string, string?> environment)
    {
        if (environment(Switch) is "0")
        {
            return null;
        }

        if (environment("XDG_CACHE_HOME") is { } cache && Path.IsPathFullyQualified(cache))
        {
            return Path.Combine(cache, "stemma", "jit");
        }

        return environment("HOME") is { } home && Path.IsPathFullyQualified(home) ? Path.Combine(home, ".cache", "stemma", "jit") : null;
    }

    /// <summary>Stops recording (the runtime writes the profile then) and puts it in place of the command's profile.</summary>
    public void Dispose()
    {
        ProfileOptimization.StartProfile(null);
        try
        {
            if (File.Exists(recording))
            {
                File.Move(recording, kept, overwrite: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The next run plays the profile it finds, or none.
        }
    }
}
