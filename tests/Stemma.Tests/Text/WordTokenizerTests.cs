using Stemma.Text;

namespace Stemma.Tests.Text;

public class WordTokenizerTests
{
    private static List<string> Words(string text)
    {
        var words = new List<string>();
        foreach (var token in WordTokenizer.Tokenize(text))
        {
            words.Add(token.In(text).ToString());
        }

        return words;
    }

    [Fact]
    public void Splits_on_punctuation_and_keeps_contractions_and_figures_whole()
    {
        Assert.Equal(
            ["the", "council", "didn't", "approve", "2.5", "billion", "for", "1,000", "homes"],
            Words("the council didn't approve $2.5 billion -- for 1,000 homes."));
    }

    [Fact]
    public void Trailing_joiners_are_not_part_of_a_word()
    {
        Assert.Equal(["end", "rock'n", "2"], Words("end. rock'n' 2,"));
    }

    [Fact]
    public void Token_offsets_point_into_the_source_text()
    {
        const string text = "  über   naïve café ";
        foreach (var token in WordTokenizer.Tokenize(text))
        {
            Assert.True(token.Start >= 0 && token.End <= text.Length);
            Assert.True(WordTokenizer.IsWordChar(text[token.Start]));
        }

        Assert.Equal(["über", "naïve", "café"], Words(text));
        Assert.Equal(3, WordTokenizer.Count(text));
    }

    [Fact]
    public void Empty_and_punctuation_only_text_has_no_words()
    {
        Assert.Empty(Words(string.Empty));
        Assert.Empty(Words(" ... -- !! "));
    }

    [Fact]
    public void Word_hashes_match_for_equal_words_and_differ_for_different_ones()
    {
        var hashes = TokenHasher.HashWords("copy paste copy");
        Assert.Equal(3, hashes.Length);
        Assert.Equal(hashes[0], hashes[2]);
        Assert.NotEqual(hashes[0], hashes[1]);
    }
}
