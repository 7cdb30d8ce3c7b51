using System.Buffers;
using System.Globalization;
using System.Text;

namespace Stemma.Text;

/// <summary>
/// Folds text to the form Stemma compares: Unicode NFKC, curly quotes and dashes straightened,
/// invisible characters dropped, case folded, runs of whitespace collapsed to one space, trimmed.
/// </summary>
public static class TextNormalizer
{
    public static string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            return string.Empty;
        }

        // Pure ASCII is already NFKC; skipping the ICU call keeps the common case fast.
        if (text.AsSpan().ContainsAnyExceptInRange('\0', '\u007F') && !text.IsNormalized(NormalizationForm.FormKC))
        {
            text = text.Normalize(NormalizationForm.FormKC);
        }

        char[]? rented = null;
        Span<char> buffer = text.Length <= 1024 ? stackalloc char[text.Length] : (rented = ArrayPool<char>.Shared.Rent(text.Length));
        try
        {
            var length = Fold(text, buffer);
            return new string(buffer[..length]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Folds <paramref name="source"/> (already NFKC) into <paramref name="destination"/>, which must be at least as long; returns the length written.</summary>
    public static int Fold(ReadOnlySpan<char> source, Span<char> destination)
    {
        var written = 0;
        var pendingSpace = false;
        foreach (var raw in source)
        {
            var c = FoldChar(raw);
            if (c == '\0')
            {
                continue;
            }

            if (c == ' ')
            {
                pendingSpace = written > 0;
                continue;
            }

            if (pendingSpace)
            {
                destination[written++] = ' ';
                pendingSpace = false;
            }

            destination[written++] = c;
        }

        return written;
    }

    /// <summary>Maps one character to its folded form: ' ' for any whitespace, '\0' for characters to drop.</summary>
    public static char FoldChar(char c)
    {
        if (c < 0x80)
        {
            if (c is >= 'A' and <= 'Z')
            {
                return (char)(c | 0x20);
            }

            return c is ' ' or '\t' or '\n' or '\r' or '\f' or '\v' ? ' ' : c;
        }

        switch (c)
        {
            case '\u2018' or '\u2019' or '\u201A' or '\u201B' or '\u2032' or '\u00B4' or '\u02BC':
                return '\'';
            case '\u201C' or '\u201D' or '\u201E' or '\u201F' or '\u2033' or '\u00AB' or '\u00BB':
                return '"';
            case '\u2010' or '\u2011' or '\u2012' or '\u2013' or '\u2014' or '\u2015' or '\u2212':
                return '-';
            case '\u00AD' or '\u200B' or '\u200C' or '\u200D' or '\u2060' or '\uFEFF':
                return '\0';
        }

        if (char.IsWhiteSpace(c))
        {
            return ' ';
        }

        return CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.Format or UnicodeCategory.Control
            ? '\0'
            : char.ToLowerInvariant(c);
    }
}
