using Stemma.Align;
using Stemma.Relate;

namespace Stemma.Tests.Relate;

public class LexiconTests
{
    /// <summary>The table's answer for a hash is exactly which of the three lists hold it: for every listed word and for many other hashes.</summary>
    [Fact]
    public void Classify_answers_the_lists_that_hold_a_word_and_nothing_for_other_words()
    {
        var (function, months, units) = Lexicon.Lists;
        Lexicon.WordKind Expected(uint hash) =>
            (function.Contains(hash) ? Lexicon.WordKind.Function : 0) | (months.Contains(hash) ? Lexicon.WordKind.Month : 0) | (units.Contains(hash) ? Lexicon.WordKind.Unit : 0);

        var random = new Random(7);
        var hashes = function.Concat(months).Concat(units)
            .Concat(Enumerable.Range(0, 200_000).Select(_ => (uint)random.NextInt64(0, 1L << 32)))
            .Concat(new[] { "council", "mayor", "march", "per", "tuesday", "0", "1,000" }.Select(TokenizedText.HashFolded))
            .Append(0u).Append(uint.MaxValue)
            .ToList();
        Assert.All(hashes, hash => Assert.Equal(Expected(hash), Lexicon.Classify(hash)));

        // A word on two lists ("per" is a function word and a unit) has both kinds; a plain word has none.
        Assert.Equal(Lexicon.WordKind.Function | Lexicon.WordKind.Unit, Lexicon.Classify(TokenizedText.HashFolded("per")));
        Assert.Equal(Lexicon.WordKind.Month, Lexicon.Classify(TokenizedText.HashFolded("March")));
        Assert.Equal(Lexicon.WordKind.None, Lexicon.Classify(TokenizedText.HashFolded("council")));
    }
}
