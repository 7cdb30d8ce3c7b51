using Stemma.Ingest.Annotations;

namespace Stemma.Ingest.Tests.Annotations;

/// <summary>
/// The word-key comparisons that run without building keys agree with the keys themselves (<see cref="LineClassifier.WordKey"/>):
/// a title line cut from the lead is found the same way, on random lines of letters, digits, case, punctuation and breaks.
/// </summary>
public sealed class WordKeyComparisonTests
{
    private static readonly string[] Pieces = ["Rain", "rain", "closed", "CLOSED", "the", "harbour", "road", "42", "É", "é", "—", "-", " ", "  ", "\n", ",", ".", "'", "\"", "road's", "on", "Tuesday", "\t"];

    [Fact]
    public void Words_continue_exactly_when_the_paragraph_key_starts_with_the_line_key_and_a_space()
    {
        var random = new Random(13);
        var continued = 0;
        for (var trial = 0; trial < 20_000; trial++)
        {
            var line = RandomText(random, random.Next(0, 6));

            // Half the paragraphs start with the line (as a cut lead does), the rest are unrelated.
            var paragraph = random.Next(2) == 0 ? line + RandomText(random, random.Next(0, 6)) : RandomText(random, random.Next(0, 10));
            var (lineKey, paragraphKey) = (LineClassifier.WordKey(line), LineClassifier.WordKey(paragraph));
            var expected = paragraphKey.Length > lineKey.Length && paragraphKey.StartsWith(lineKey + " ", StringComparison.Ordinal);
            continued += expected ? 1 : 0;
            Assert.True(expected == LineClassifier.WordsContinue(paragraph, line), $"line '{line}', paragraph '{paragraph}'");
        }

        // Both answers occur often enough for the comparison to mean something.
        Assert.InRange(continued, 2_000, 18_000);
    }

    [Theory]
    [InlineData("Rain closed the harbour road", "Rain closed the harbour road on Tuesday.", true)]
    [InlineData("Rain closed the harbour road", "Rain closed the harbour road.", false)]
    [InlineData("Rain closed the harbour", "Rain closed the harbour-road", true)]
    [InlineData("Rain closed the harbour", "Rain closed the harbours", false)]
    [InlineData("", "Rain", false)]
    [InlineData("...", "Rain", false)]
    public void A_line_is_continued_only_by_more_words(string line, string paragraph, bool continues) =>
        Assert.Equal(continues, LineClassifier.WordsContinue(paragraph, line));

    private static string RandomText(Random random, int pieces) =>
        string.Concat(Enumerable.Range(0, pieces).Select(_ => Pieces[random.Next(Pieces.Length)]));
}
