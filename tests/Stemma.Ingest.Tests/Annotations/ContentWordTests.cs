using Stemma.Ingest.Annotations;

namespace Stemma.Ingest.Tests.Annotations;

/// <summary>
/// The injected-sentence pass's content words (<see cref="InjectedSentences.ContentWords"/>) against their definition,
/// written out here the plain way: letters and digits (char.IsLetterOrDigit) lowered with char.ToLowerInvariant, the first
/// six kept, three or more in all, an apostrophe between a letter-or-digit and a letter kept inside the word, stop words
/// (six characters or fewer) left out; a word of ASCII characters after lowering is its own code, any other is the table's.
/// </summary>
public sealed class ContentWordTests
{
    // Characters the text is drawn from: ASCII letters, digits, punctuation, apostrophes, accented and other-script
    // letters, the Kelvin sign and dotted capital I (which lower to ASCII or to more than one form), non-breaking space.
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789   ..,,''’\"-\n\u00E9\u00C9\u00FC\u00DF\u0416\u0436\u212A\u0130\u00A0\u3042\u0663";

    [Fact]
    public void Content_words_are_those_of_the_plain_definition()
    {
        var random = new Random(13);
        var stopWords = new[] { "the", "and", "said", "because", "should", "before", "there" };
        for (var trial = 0; trial < 3000; trial++)
        {
            var length = random.Next(0, 80);
            var chars = new char[length];
            for (var i = 0; i < length; i++)
            {
                chars[i] = Alphabet[random.Next(Alphabet.Length)];
            }

            var text = new string(chars);
            if (random.Next(4) == 0)
            {
                // Stop words and long words around them, in any case.
                text = string.Join(' ', Enumerable.Range(0, random.Next(1, 8)).Select(_ => random.Next(3) == 0 ? stopWords[random.Next(stopWords.Length)].ToUpperInvariant() : stopWords[random.Next(stopWords.Length)])) + " " + text;
            }

            var table = new InjectedSentences.WordTable();
            var found = new WordList { Words = [] };
            InjectedSentences.ContentWords(text, table, ref found);
            Assert.Equal(Expected(text, table), found.Words);
        }
    }

    [Fact]
    public void Long_mostly_ascii_texts_give_the_words_of_the_plain_definition()
    {
        // Long texts as news is: ASCII words of every length, apostrophes inside and around words, now and then a character
        // past ASCII (a letter inside a word, a curly quote, another script), words at the very end.
        var random = new Random(1717);
        const string ascii = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789      ..,,''\"-\n@[`{";
        const string other = "\u00E9\u00DF\u0416\u212A\u0130\u00A0\u3042’“”";
        for (var trial = 0; trial < 3000; trial++)
        {
            var chars = new char[random.Next(0, 400)];
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = random.Next(trial % 3 == 0 ? 20 : 300) == 0 ? other[random.Next(other.Length)] : ascii[random.Next(ascii.Length)];
            }

            var text = new string(chars);
            var table = new InjectedSentences.WordTable();
            var found = new WordList { Words = [] };
            InjectedSentences.ContentWords(text, table, ref found);
            Assert.Equal(Expected(text, table), found.Words);
        }
    }

    /// <summary>The words a scan gives, in order, with their codes.</summary>
    internal struct WordList : InjectedSentences.IContentWordSink
    {
        public List<(long Code, string Word)> Words;

        public readonly void Add(long code, ReadOnlySpan<char> word) => Words.Add((code, new string(word)));
    }

    private static List<(long Code, string Word)> Expected(string text, InjectedSentences.WordTable table)
    {
        var expected = new List<(long, string)>();
        var kept = new System.Text.StringBuilder();
        var full = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            var c = i < text.Length ? text[i] : ' ';
            if (char.IsLetterOrDigit(c))
            {
                if (kept.Length < 6)
                {
                    kept.Append(char.ToLowerInvariant(c));
                }

                full++;
                continue;
            }

            if (c is '\'' or '’' && full > 0 && i + 1 < text.Length && char.IsLetter(text[i + 1]))
            {
                continue;
            }

            if (full >= 3)
            {
                var word = kept.ToString();
                var code = word.All(ch => ch < 128) ? InjectedSentences.WordTable.AsciiCode(word) : table.Code(word);
                if (full > 6 || !InjectedSentences.IsStopCode(code))
                {
                    expected.Add((code, word));
                }
            }

            kept.Clear();
            full = 0;
        }

        return expected;
    }
}
