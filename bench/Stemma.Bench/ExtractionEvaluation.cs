namespace Stemma.Bench;

/// <summary>Scores the HTML extractor on the shared extraction development set. (Placeholder.)</summary>
internal static class ExtractionEvaluation
{
    public static int Run(string[] args)
    {
        Console.Error.WriteLine($"extract-eval: not built yet ({args.Length} arguments)");
        return 2;
    }
}
