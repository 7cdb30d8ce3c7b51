using FsCheck.Xunit;
using Stemma.Relate;

namespace Stemma.Tests.Relate;

/// <summary>
/// <see cref="FigureValues.Restatement"/> remembers its recent answers per thread: whatever the order and repetition of the
/// questions, and past the point where it forgets, each answer is the one worked out afresh.
/// </summary>
public sealed class FigureValuesTests
{
    private static readonly string[] Figures =
    [
        "$2 billion", "$2.5 billion", "2 billion", "two billion", "$2bn", "2,000", "2000", "2.03 million", "2 million",
        "$2.5b ($US2 billion)", "35 percent", "30 percent", "12", "twelve", "A$3 million", "3.1 million", "half", "0",
    ];

    [Property(MaxTest = 30)]
    public bool Remembered_answers_are_the_answers(ushort[] questions)
    {
        // Pairs drawn from a small set, so they repeat in both orders; 5,000 extra pairs push earlier ones out.
        var asked = questions.Select(q => (Figures[q % Figures.Length], Figures[(q / Figures.Length) % Figures.Length] + ((q & 0x8000) != 0 ? string.Empty : " ")))
            .Concat(Enumerable.Range(0, questions.Length == 0 ? 0 : 5_000).Select(i => ($"{i} million", $"{i + 1} million")))
            .Concat(questions.Select(q => (Figures[(q / Figures.Length) % Figures.Length], Figures[q % Figures.Length])));
        return asked.All(q => FigureValues.Restatement(q.Item1, q.Item2) == FigureValues.Explain(q.Item1, q.Item2));
    }
}
