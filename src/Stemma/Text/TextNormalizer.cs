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
        var buffer = NormalizeToPooled(text, out var length);
        try
        {
            return new string(buffer, 0, length);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Normalizes into a buffer rented from <see cref="ArrayPool{T}.Shared"/> (the caller returns it), so hot paths
    /// that only hash the normalized text allocate nothing for it.
    /// </summary>
    public static char[] NormalizeToPooled(string text, out int length)
    {
        ArgumentNullException.ThrowIfNull(text);

        // Pure ASCII is already NFKC; skipping the ICU call keeps the common case fast.
        if (text.AsSpan().ContainsAnyExceptInRange('\0', '\u007F') && !text.IsNormalized(NormalizationForm.FormKC))
        {
            text = text.Normalize(NormalizationForm.FormKC);
        }

        var buffer = ArrayPool<char>.Shared.Rent(Math.Max(1, text.Length));
        length = Fold(text, buffer);
        return buffer;
    }

    /// <summary>Folds <paramref name="source"/> (already NFKC) into <paramref name="destination"/>, which must be at least as long; returns the length written.</summary>
    public static int Fold(ReadOnlySpan<char> source, Span<char> destination)
    {
        if (destination.Length < source.Length)
        {
            throw new ArgumentException("destination is shorter than source", nameof(destination));
        }

        ReadOnlySpan<byte> ascii = AsciiFold;
        var written = 0;
        var pendingSpace = false;
        foreach (var raw in source)
        {
            var c = raw < 0x80 ? (char)ascii[raw] : FoldChar(raw);

            // '\0' (dropped) and ' ' (whitespace) are the only folded values at or below a space.
            if (c <= ' ')
            {
                pendingSpace |= c == ' ' && written > 0;
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

    /// <summary>ASCII folded by table: upper case to lower, whitespace to ' ', other control characters to '\0'.</summary>
    private static ReadOnlySpan<byte> AsciiFold =>
    [
        0, 0, 0, 0, 0, 0, 0, 0, 0, 32, 32, 32, 32, 32, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47,
        48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63,
        64, 97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111,
        112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 91, 92, 93, 94, 95,
        96, 97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111,
        112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 123, 124, 125, 126, 0,
    ];

    /// <summary>Maps one character to its folded form: ' ' for any whitespace, '\0' for characters to drop.</summary>
    public static char FoldChar(char c)
    {
        if (c < 0x80)
        {
            return (char)AsciiFold[c];
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
