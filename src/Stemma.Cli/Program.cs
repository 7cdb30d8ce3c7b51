using Stemma.Cli;

// Standard output and error are written through plain file streams on descriptors 1 and 2: System.Console switches a
// terminal's keypad into application mode (it prints ESC[?1h ESC=) the first time it writes to one, which left a stray
// escape sequence at the top of every command's output.
var terminal = StandardStreams.Detect();
await using var output = StandardStreams.Open(1);
await using var error = StandardStreams.Open(2);
return await StemmaApp.RunAsync(args, output, error, terminal);
