using Stemma.Cli;

return await StemmaApp.RunAsync(args, Console.Out, Console.Error);
