using System.Globalization;

namespace Stemma.Text;

/// <summary>A word's place in the text it was read from.</summary>
public readonly record struct Token(int Start, int Length)
{
    public int End => Start + Length;

    public ReadOnlySpan<char> In(ReadOnlySpan<char> text) => text.Slice(Start, Length);
}

/// <summary>
/// Splits text into words without allocating: a word is a run of letters, digits and combining marks,
/// keeping an apostrophe between letters ("don't") and a '.' or ',' between digits ("2.5", "1,000").
/// Chinese and Japanese, written without spaces, are a word per ideograph or kana (see <see cref="IsUnspaced"/>).
/// Use it over normalized text (see <see cref="TextNormalizer"/>) when the tokens are compared.
/// </summary>
public static class WordTokenizer
{
    public static TokenEnumerator Tokenize(ReadOnlySpan<char> text) => new(text);

    /// <summary>Counts the words of <paramref name="text"/>.</summary>
    public static int Count(ReadOnlySpan<char> text)
    {
        var count = 0;
        foreach (var _ in Tokenize(text))
        {
            count++;
        }

        return count;
    }

    public static bool IsWordChar(char c)
    {
        if (c < 0x80)
        {
            return (uint)((c | 0x20) - 'a') <= 'z' - 'a' || (uint)(c - '0') <= 9;
        }

        return char.IsLetterOrDigit(c) || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark;
    }

    /// <summary>
    /// Ideographs and kana: Chinese and Japanese run a whole clause together without spaces, so each such character is a
    /// word of its own; as one word per clause, a changed character changed the whole clause and a lightly edited copy
    /// shared no shingle with its source.
    /// </summary>
    public static bool IsUnspaced(char c) =>
        c is (>= '\u3040' and <= '\u30FF') or (>= '\u3400' and <= '\u4DBF') or (>= '\u4E00' and <= '\u9FFF') or (>= '\uF900' and <= '\uFAFF');

    /// <summary>An upper bound on the number of words in <paramref name="text"/>: words are apart by a character, except unspaced ones.</summary>
    public static int MaxWords(ReadOnlySpan<char> text) =>
        text.ContainsAnyInRange('\u3040', '\uFAFF') ? text.Length + 1 : (text.Length / 2) + 1;

    public ref struct TokenEnumerator
    {
        private readonly ReadOnlySpan<char> text;
        private int position;

        internal TokenEnumerator(ReadOnlySpan<char> text)
        {
            this.text = text;
            position = 0;
            Current = default;
        }

        public Token Current { get; private set; }

        public readonly TokenEnumerator GetEnumerator() => this;

        public bool MoveNext()
        {
            var span = text;
            var i = position;
            while (i < span.Length && !IsWordChar(span[i]))
            {
                i++;
            }

            if (i >= span.Length)
            {
                position = i;
                return false;
            }

            var start = i;
            i++;

            // An ideograph or kana is a word alone; any other word runs on until an unspaced character or a separator.
            var alone = IsUnspaced(span[start]);
            while (!alone && i < span.Length)
            {
                var c = span[i];
                if (IsUnspaced(c))
                {
                    break;
                }

                if (IsWordChar(c))
                {
                    i++;
                    continue;
                }

                // Keep "don't" and "2.5" / "1,000" whole: a joiner counts only between two word characters of the right kind.
                if (i + 1 < span.Length && IsJoiner(span[i - 1], c, span[i + 1]))
                {
                    i += 2;
                    continue;
                }

                break;
            }

            Current = new Token(start, i - start);
            position = i;
            return true;
        }

        private static bool IsJoiner(char before, char joiner, char after) => joiner switch
        {
            // The typographic apostrophe too: text as written (not normalized) keeps "mayor\u2019s" one word, as "mayor's".
            '\'' or '\u2019' or '\u02BC' => char.IsLetter(before) && char.IsLetter(after),
            '.' or ',' => char.IsAsciiDigit(before) && char.IsAsciiDigit(after),
            _ => false,
        };
    }
}
