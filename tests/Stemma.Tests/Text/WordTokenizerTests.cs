using FsCheck;
using FsCheck.Fluent;
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
    public void Chinese_and_japanese_are_a_word_per_ideograph_or_kana()
    {
        Assert.Equal(["东", "京", "2026", "年", "tokyo", "の", "カ", "フ", "ェ"], Words("东京2026年tokyoのカフェ。"));
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

public class TokenHasherTests
{
    [Fact]
    public void Ascii_fast_path_finds_and_hashes_the_same_words_as_normalize_then_tokenize()
    {
        Prop.ForAll(
            Gen.Elements("Don't", "2.5", "1,000", "A", "b", " ", "  ", ".", ",", "'", "\n", "\t", "$", "x'", "9.", "END", "-", "rock'n'roll").ListOf().ToArbitrary(),
            parts =>
            {
                var raw = string.Concat(parts);
                var normalized = TextNormalizer.Normalize(raw);
                var fast = new ulong[raw.Length + 1];
                var general = new ulong[raw.Length + 1];
                var fastCount = TokenHasher.HashAsciiWords(raw, fast);
                var generalCount = TokenHasher.HashTokens(normalized, general);
                return TokenHasher.IsPlainAscii(raw) && fast.AsSpan(0, fastCount).SequenceEqual(general.AsSpan(0, generalCount));
            }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Text_outside_plain_ascii_takes_the_general_path()
    {
        Assert.False(TokenHasher.IsPlainAscii("caf\u00E9"));
        Assert.False(TokenHasher.IsPlainAscii("a\u0001b"));
        Assert.True(TokenHasher.IsPlainAscii("Plain text, with $2.5 and \"quotes\".\n"));
        var sketcher = new Stemma.Sketch.Sketcher();
        Assert.Equal(sketcher.Sketch("The Mayor SAID it.").ContentHash, sketcher.Sketch("the mayor said it").ContentHash);
        Assert.Equal(sketcher.Sketch("The Mayor said \u201Cit\u201D.").ContentHash, sketcher.Sketch("the mayor said \"it\"").ContentHash);
    }
}

public class RadixSortTests
{
    [Fact]
    public void Radix_sort_sorts_like_array_sort()
    {
        Prop.ForAll<uint[]>(values =>
        {
            var expected = (uint[])values.Clone();
            Array.Sort(expected);
            Stemma.Index.SortedSets.RadixSort(values);
            return values.SequenceEqual(expected);
        }).QuickCheckThrowOnFailure();
        var large = Enumerable.Range(0, 5000).Select(i => (uint)(i * 2654435761u)).ToArray();
        var sorted = large.Order().ToArray();
        Stemma.Index.SortedSets.RadixSort(large);
        Assert.Equal(sorted, large);
    }

    /// <summary>Arrays long enough for the radix passes, one after another on one thread (its scratch reused, larger and smaller), with values crowded into few high bytes as well as spread.</summary>
    [Fact]
    public void Radix_sort_sorts_long_arrays_one_after_another()
    {
        var random = new Random(3);
        foreach (var length in new[] { 64, 5000, 65, 300, 20000, 1000, 64, 70000 })
        {
            var crowded = random.Next(2) == 0;
            var values = Enumerable.Range(0, length).Select(_ => crowded ? (uint)random.Next(0, 4096) : (uint)random.NextInt64(0, 1L << 32)).ToArray();
            var expected = values.Order().ToArray();
            Stemma.Index.SortedSets.RadixSort(values);
            Assert.Equal(expected, values);
        }
    }

    /// <summary>
    /// Spans short enough for the bucket pass: hashes spread (one value per bucket or so), repeated words (many equal
    /// values in a bucket), and values crowded into a few buckets (more than a bucket may hold: the radix passes instead),
    /// at the lengths where the bucket count changes.
    /// </summary>
    [Fact]
    public void Bucket_sorted_spans_sort_like_array_sort_whatever_their_values()
    {
        var random = new Random(11);
        foreach (var length in new[] { 64, 65, 127, 128, 129, 600, 2047, 2048, 4095, 4096, 4097 })
        {
            var spread = Enumerable.Range(0, length).Select(_ => (uint)random.NextInt64(0, 1L << 32)).ToArray();
            var repeated = Enumerable.Range(0, length).Select(_ => spread[random.Next(Math.Max(1, length / 20))]).ToArray();
            var crowded = Enumerable.Range(0, length).Select(_ => (uint)random.Next(0, 1 << 20) | (random.Next(3) == 0 ? 0xFFF00000u : 0u)).ToArray();
            var descending = spread.OrderDescending().ToArray();
            foreach (var values in new[] { spread, repeated, crowded, descending })
            {
                var expected = values.Order().ToArray();
                Stemma.Index.SortedSets.RadixSort(values);
                Assert.Equal(expected, values);
            }
        }
    }
}
