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
            while (i < span.Length)
            {
                var c = span[i];
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
