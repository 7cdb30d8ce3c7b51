using Stemma.Ingest.Annotations;

namespace Stemma.Ingest.Tests.Annotations;

/// <summary>
/// The classifier's word count (with its ASCII shortcut) against the rule it implements: a word is a run of characters that
/// are not white space (<see cref="char.IsWhiteSpace(char)"/>), and every two Chinese or Japanese characters count as one.
/// </summary>
public sealed class WordCountTests
{
    private static readonly string[] Pieces =
    [
        "Rain", "harbour", "42", "É", "—", " ", "  ", "\t", "\n", "\r\n", "\v", "\f", "\u00A0", "\u0085", "\u2003", "\u3000",
        "\u001C", "\u001F", "\u007F", "東", "京都", "カタ", "ひ", ",", ".", "'", "\u00AD",
    ];

    [Theory]
    [InlineData("", 0)]
    [InlineData("   \t\n ", 0)]
    [InlineData("one two  three", 3)]
    [InlineData("one\ttwo\nthree\r\nfour\vfive\fsix", 6)]
    [InlineData("no\u00A0break and\u2003em", 4)]
    [InlineData("x\u001Cy\u007Fz", 1)]
    [InlineData("東京都", 2)]
    [InlineData("Tokyo 東京 rain", 3)]
    public void Words_are_runs_without_white_space(string text, int words) =>
        Assert.Equal(words, LineClassifier.CountWords(text));

    [Fact]
    public void Counting_stops_at_the_cap() =>
        Assert.Equal(3, LineClassifier.CountWords("one two three four five", 3));

    [Fact]
    public void Random_text_counts_as_the_rule_says()
    {
        var random = new Random(29);
        for (var trial = 0; trial < 20_000; trial++)
        {
            var text = string.Concat(Enumerable.Range(0, random.Next(0, 40)).Select(_ => Pieces[random.Next(Pieces.Length)]));
            var cap = random.Next(2) == 0 ? int.MaxValue : random.Next(1, 12);
            Assert.True(Math.Min(cap, ByTheRule(text)) == LineClassifier.CountWords(text, cap), $"'{text}' (cap {cap})");
        }
    }

    /// <summary>
    /// Mostly ASCII text of up to a few hundred characters, so that most sixteen-character blocks are counted as bit masks
    /// and words run across block edges, with now and then a character that sends its block through the character rules.
    /// </summary>
    [Fact]
    public void Long_mostly_ascii_text_counts_as_the_rule_says()
    {
        string[] ascii = ["a", "Rain", "harbour", "42", " ", "  ", "\t", "\n", "\r\n", "\v", "\f", ",", ".", "\u001C", "\u007F", "-"];
        var random = new Random(31);
        for (var trial = 0; trial < 20_000; trial++)
        {
            var text = string.Concat(Enumerable.Range(0, random.Next(0, 120)).Select(_ => random.Next(25) == 0 ? Pieces[random.Next(Pieces.Length)] : ascii[random.Next(ascii.Length)]));
            var cap = random.Next(3) == 0 ? int.MaxValue : random.Next(1, 40);
            Assert.True(Math.Min(cap, ByTheRule(text)) == LineClassifier.CountWords(text, cap), $"'{text}' (cap {cap})");
        }
    }

    /// <summary>The rule itself, one character at a time, without shortcuts.</summary>
    private static int ByTheRule(string text)
    {
        var (words, unspaced, inWord) = (0, 0, false);
        foreach (var c in text)
        {
            if (c is (>= '\u3040' and <= '\u30FF') or (>= '\u3400' and <= '\u4DBF') or (>= '\u4E00' and <= '\u9FFF') or (>= '\uF900' and <= '\uFAFF'))
            {
                words += unspaced++ % 2 == 0 ? 1 : 0;
                inWord = false;
            }
            else
            {
                words += !char.IsWhiteSpace(c) && !inWord ? 1 : 0;
                inWord = !char.IsWhiteSpace(c);
            }
        }

        return words;
    }
}
