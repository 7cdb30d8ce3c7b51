using Stemma.Cli;

// Ctrl+C asks the running command to stop at its next safe point (an ingest finishes the batch it is writing and says
// so); a second Ctrl+C ends the process at once.
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    if (!stop.IsCancellationRequested)
    {
        e.Cancel = true;
        stop.Cancel();
    }
};

return await StemmaApp.RunAsync(args, Console.Out, Console.Error, stop.Token);
