using System.Runtime.InteropServices;
using Stemma.Cli;

// `stemma --version` is answered before anything else is set up: the same line the parser prints, in a fraction of the start-up.
if (args is ["--version"])
{
    await using var versionOutput = StandardStreams.Open(1);
    versionOutput.WriteLine(StemmaApp.Version);
    return 0;
}

// The heap grows by gigabytes over a corpus: 2 MB pages where the system leaves them to the process (HugePages), the
// part it grows into opened ahead of the collector so that its 64 KB commits get them too, and opened again whenever a
// collection pause has committed its budget (memory the collector gave back is mapped afresh, without them).
if (HugePages.AdviseUnlessTurnedOff())
{
    Stemma.Pipeline.CollectionPause.Committed = HugePages.Reopen;
}

// Compiles what the last run of this command compiled on a spare core, ahead of its first call.
using var jitProfile = JitProfile.Start(args);

// Standard output and error are written through the descriptors, not System.Console, and Ctrl+C is caught as a
// signal rather than through Console.CancelKeyPress: either Console path switches a terminal's keypad into
// application mode (it prints ESC[?1h ESC=), which left a stray escape sequence at the top of every command's output.
var terminal = StandardStreams.Detect();
await using var output = StandardStreams.Open(1);
await using var error = StandardStreams.Open(2);

// What libraries write to System.Console (the web server's console logger under `serve`) goes through the same
// descriptors: Console's own terminal streams would print ESC[?1h ESC= on their first write to a terminal.
Console.SetOut(output);
Console.SetError(error);
using var cancel = new CancellationTokenSource();
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, signal =>
{
    // The first Ctrl+C stops the command cleanly; a second one ends the process at once.
    signal.Cancel = !cancel.IsCancellationRequested;
    cancel.Cancel();
});
return await StemmaApp.RunAsync(args, output, error, terminal, cancel.Token);
