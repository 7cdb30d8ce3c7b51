namespace Stemma.Bench;

/// <summary>End-to-end ingest and clustering over a generated corpus. (Placeholder.)</summary>
internal static class EndToEndRun
{
    public static int Run(string[] args)
    {
        Console.Error.WriteLine($"e2e: not built yet ({args.Length} arguments)");
        return 2;
    }
}
