using System.Diagnostics;

namespace Stemma.Cli;

/// <summary>
/// Crash tests of ingest need a process to die at a known point: <c>STEMMA_FAULT=SIGNAL@CHECKPOINT</c> (e.g.
/// <c>KILL@added:1</c>, <c>INT@related:1</c>) makes the ingest send itself that signal right after that commit.
/// Unset, it does nothing.
/// </summary>
internal static class FaultInjection
{
    public const string Variable = "STEMMA_FAULT";

    /// <param name="stopping">The command's token: after an INT the run goes on only once the signal has cancelled it,
    /// however late a loaded machine delivers the signal.</param>
    public static Action<string>? At(string? specification, CancellationToken stopping = default)
    {
        if (string.IsNullOrWhiteSpace(specification) || specification.Split('@') is not [var signal, var checkpoint])
        {
            return null;
        }

        return reached =>
        {
            if (reached != checkpoint)
            {
                return;
            }

            using (var kill = Process.Start(new ProcessStartInfo("kill", $"-{signal} {Environment.ProcessId}") { UseShellExecute = false }))
            {
                kill?.WaitForExit();
            }

            // Wait for the signal to arrive before the run goes on (a KILL never returns from here).
            if (signal == "INT" && stopping.CanBeCanceled)
            {
                stopping.WaitHandle.WaitOne(TimeSpan.FromSeconds(60));
            }
            else
            {
                Thread.Sleep(500);
            }
        };
    }
}
