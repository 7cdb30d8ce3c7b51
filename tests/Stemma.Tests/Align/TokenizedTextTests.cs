using FsCheck.Xunit;
using Stemma.Align;
using Stemma.Text;

namespace Stemma.Tests.Align;

public class TokenizedTextTests
{
    [Property(MaxTest = 300)]
    public bool Plain_ascii_text_gets_the_words_offsets_and_hashes_of_the_general_tokenizer(int seed)
    {
        var random = new Random(seed);
        string[] parts = ["Don't", "2.5", "1,000", "A", "b", " ", "  ", ".", ",", "'", "\n", "\t", "$", "x'", "9.", "END", "-", "rock'n'roll", "Mayor", "\"quoted\""];
        var text = string.Concat(Enumerable.Range(0, random.Next(0, 60)).Select(_ => parts[random.Next(parts.Length)]));
        var tokens = TokenizedText.Create(text);
        var general = Stemma.Text.WordTokenizer.Tokenize(text);
        var w = 0;
        foreach (var token in general)
        {
            if (w >= tokens.Count || tokens.StartOf(w) != token.Start || tokens.EndOf(w) != token.End
                || tokens.HashAt(w) != TokenizedText.HashFolded(token.In(text)))
            {
                return false;
            }

            w++;
        }

        return w == tokens.Count;
    }

    [Fact]
    public void Words_hash_alike_whatever_their_case_and_quote_style()
    {
        var a = TokenizedText.Create("The MAYOR\u2019s plan");
        var b = TokenizedText.Create("the mayor's Plan");
        Assert.Equal(a.Count, b.Count);
        Assert.All(Enumerable.Range(0, a.Count), w => Assert.Equal(a.HashAt(w), b.HashAt(w)));
    }

    // Word offsets are kept in 16 bits for texts under 65,536 characters and in 32 above: both must say the same as the tokenizer.
    private static readonly string[] Pieces = ["council", "Ünited", "2,400", "don't", "  ", "\n", ". ", "—", "naïve", "\"quoted\"", "x", "東京"];

    // A text of about `length` characters drawn from words, numbers, accents, punctuation and runs of spaces.
    private static string TextOf(int seed, int length)
    {
        var random = new Random(seed);
        var builder = new System.Text.StringBuilder(length + 16);
        while (builder.Length < length)
        {
            builder.Append(Pieces[random.Next(Pieces.Length)]).Append(random.Next(4) == 0 ? "" : " ");
            if (random.Next(500) == 0)
            {
                // A long run without words: starts beyond it still have to be exact.
                builder.Append(' ', random.Next(100, 3000));
            }
        }

        return builder.ToString();
    }

    private static void AssertMatchesTokenizer(string text, int seed)
    {
        var words = TokenizedText.Create(text);
        var expected = new List<(int Start, int Length)>();
        foreach (var token in WordTokenizer.Tokenize(text))
        {
            expected.Add((token.Start, token.Length));
        }

        Assert.Equal(expected.Count, words.Count);
        var starts = expected.Select(token => token.Start).ToArray();
        for (var w = 0; w < expected.Count; w++)
        {
            Assert.Equal(expected[w].Start, words.StartOf(w));
            Assert.Equal(expected[w].Start + expected[w].Length, words.EndOf(w));
            Assert.Equal(text.AsSpan(expected[w].Start, expected[w].Length).ToString(), words.WordAt(w).ToString());
        }

        // Every word start finds its word; positions between words, before the first and past the end (also past 16 bits)
        // give the complement of the next word, as a binary search over the 32-bit starts does.
        var random = new Random(seed);
        var probes = starts.Concat(Enumerable.Range(0, 200).Select(_ => random.Next(-5, text.Length + 70_000))).Append(-1).Append(text.Length).Append(ushort.MaxValue + 1);
        foreach (var position in probes)
        {
            Assert.Equal(Array.BinarySearch(starts, position), words.WordStartingAt(position));
        }
    }

    [Property(MaxTest = 60)]
    public void Short_texts_keep_the_tokenizers_offsets(int seed) => AssertMatchesTokenizer(TextOf(seed, 1 + Math.Abs(seed % 5000)), seed);

    [Theory]
    [InlineData(65_535)]
    [InlineData(65_536)]
    [InlineData(140_000)]
    public void Texts_at_and_past_16_bits_keep_the_tokenizers_offsets(int length)
    {
        // TextOf overshoots by up to one piece: cut to the exact length so the boundary itself is tested.
        var text = TextOf(length, length)[..length];
        AssertMatchesTokenizer(text, length);
    }

    [Fact]
    public void Words_after_the_16_bit_boundary_are_found_where_they_are()
    {
        var text = new string(' ', 70_000) + "council approved";
        var words = TokenizedText.Create(text);
        Assert.Equal(2, words.Count);
        Assert.Equal(70_000, words.StartOf(0));
        Assert.Equal("approved", words.WordAt(1).ToString());
        Assert.Equal(1, words.WordStartingAt(70_008));
    }
}
