using System.Text;
using System.Text.RegularExpressions;
using System.Text.Unicode;

namespace Stemma.Ingest.Formats;

/// <summary>How the encoding of a document was decided.</summary>
public enum EncodingSource
{
    ByteOrderMark,
    /// <summary>No byte order mark, but the bytes alternate with zeros as UTF-16 text in a Latin script does.</summary>
    Utf16Pattern,
    HttpCharset,
    DeclaredCharset,
    Utf8,
    /// <summary>The bytes were not valid UTF-8 and nothing reliable was declared: decoded as Windows-1252, or Windows-1251 when the letters are Cyrillic bytes.</summary>
    Windows1252Fallback,
}

/// <param name="Text">The decoded text, without a byte order mark.</param>
/// <param name="Encoding">The encoding used.</param>
/// <param name="Source">Why that encoding was chosen.</param>
public sealed record DecodedText(string Text, Encoding Encoding, EncodingSource Source);

/// <summary>
/// Turns document bytes into text: byte order mark first, then the HTTP charset, then a charset declared
/// in the first bytes (HTML meta or XML declaration), else strict UTF-8 with a Windows-1252 fallback.
/// </summary>
public static class TextDecoding
{
    /// <summary>
    /// How far into the document a declared charset is looked for. Browsers look at the first 1024 bytes, but pages saved
    /// from browsers often carry long heads (inline styles, scripts) before their meta charset.
    /// </summary>
    public const int SniffBytes = 16 * 1024;

    private static readonly Encoding Windows1252 = CreateWindows1252();

    private static readonly Encoding Windows1251 = Encoding.GetEncoding(1251);

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static Encoding Windows1252Encoding => Windows1252;

    /// <summary>Decodes a whole document.</summary>
    public static DecodedText Decode(ReadOnlySpan<byte> bytes, string? httpCharset = null)
    {
        var (encoding, bomLength, source) = DetectEncoding(bytes, httpCharset);
        var payload = bytes[bomLength..];
        if (encoding.CodePage == Encoding.UTF8.CodePage && !Utf8.IsValid(payload))
        {
            // Declared or presumed UTF-8 that is not: pages in the wild are most often Windows-1252 then, or, when the
            // letters are nearly all high bytes (Russian, Ukrainian, Bulgarian text files), Windows-1251.
            var fallback = LooksCyrillic(payload) ? Windows1251 : Windows1252;
            return new DecodedText(fallback.GetString(payload), fallback, EncodingSource.Windows1252Fallback);
        }

        // A page saved or re-encoded by a crawler often keeps its single-byte declaration while its bytes are UTF-8;
        // real Latin text that forms valid multi-byte UTF-8 by chance is very rare, so trust the bytes then.
        if (source is EncodingSource.HttpCharset or EncodingSource.DeclaredCharset && encoding.IsSingleByte
            && payload.IndexOfAnyExceptInRange((byte)0, (byte)0x7F) >= 0 && Utf8.IsValid(payload))
        {
            return new DecodedText(Encoding.UTF8.GetString(payload), Encoding.UTF8, EncodingSource.Utf8);
        }

        return new DecodedText(encoding.GetString(payload), encoding, source);
    }

    /// <summary>Decides the encoding of a document from its first bytes (and the HTTP charset). Returns the BOM length to skip.</summary>
    public static (Encoding Encoding, int BomLength, EncodingSource Source) DetectEncoding(ReadOnlySpan<byte> bytes, string? httpCharset = null)
    {
        _ = Windows1252;
        if (TryDetectFromBytes(bytes, out var shown, out var bomLength))
        {
            return (shown, bomLength, bomLength > 0 ? EncodingSource.ByteOrderMark : EncodingSource.Utf16Pattern);
        }

        if (TryGetEncoding(httpCharset, out var httpEncoding))
        {
            return (httpEncoding, 0, EncodingSource.HttpCharset);
        }

        var declared = SniffDeclaredCharset(bytes[..Math.Min(bytes.Length, SniffBytes)]);
        if (TryGetEncoding(declared, out var declaredEncoding))
        {
            return (declaredEncoding, 0, EncodingSource.DeclaredCharset);
        }

        return (Encoding.UTF8, 0, EncodingSource.Utf8);
    }

    public static bool TryDetectBom(ReadOnlySpan<byte> bytes, out Encoding encoding, out int length)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            (encoding, length) = (Encoding.UTF8, 3);
            return true;
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE, 0x00, 0x00]))
        {
            (encoding, length) = (Encoding.UTF32, 4);
            return true;
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            (encoding, length) = (Encoding.Unicode, 2);
            return true;
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            (encoding, length) = (Encoding.BigEndianUnicode, 2);
            return true;
        }

        (encoding, length) = (Encoding.UTF8, 0);
        return false;
    }

    /// <summary>
    /// The encoding the bytes themselves show, before any declaration: a byte order mark (its length in
    /// <paramref name="bomLength"/>), else UTF-16 without one (<see cref="TryDetectUnmarkedUtf16"/>, length 0).
    /// </summary>
    public static bool TryDetectFromBytes(ReadOnlySpan<byte> bytes, out Encoding encoding, out int bomLength)
    {
        if (TryDetectBom(bytes, out encoding, out bomLength))
        {
            return true;
        }

        return TryDetectUnmarkedUtf16(bytes, out encoding);
    }

    /// <summary>
    /// UTF-16 saved without a byte order mark (some Windows exports): in text of a Latin script every other byte is zero.
    /// True when at least 70 % of the first byte pairs (and at least 8) are one non-zero byte and one zero, the zero on the
    /// same side each time; binary data and UTF-32 (half its pairs all zero) do not look like that.
    /// </summary>
    public static bool TryDetectUnmarkedUtf16(ReadOnlySpan<byte> bytes, out Encoding encoding)
    {
        encoding = Encoding.UTF8;
        var pairs = Math.Min(bytes.Length, 4096) / 2;
        // No zero byte, no pair with a zero in it (one vector search instead of a loop over every pair of a text file).
        if (pairs < 8 || !bytes[..(2 * pairs)].Contains((byte)0))
        {
            return false;
        }

        int little = 0, big = 0;
        for (var i = 0; i < pairs; i++)
        {
            var (first, second) = (bytes[2 * i], bytes[(2 * i) + 1]);
            little += first != 0 && second == 0 ? 1 : 0;
            big += first == 0 && second != 0 ? 1 : 0;
        }

        if (little * 10 >= pairs * 7)
        {
            encoding = Encoding.Unicode;
            return true;
        }

        if (big * 10 >= pairs * 7)
        {
            encoding = Encoding.BigEndianUnicode;
            return true;
        }

        return false;
    }

    /// <summary>Finds a charset declared in an HTML meta tag or an XML declaration among the given bytes.</summary>
    public static string? SniffDeclaredCharset(ReadOnlySpan<byte> head)
    {
        // Both declarations open with '<': a plain-text file (most small inputs) has none to look for.
        if (!head.Contains((byte)'<'))
        {
            return null;
        }

        // Declarations are ASCII; Latin-1 maps each byte to one char, so offsets and tags survive whatever the real encoding is.
        var text = Encoding.Latin1.GetString(head);
        var meta = MetaCharsetPattern.Match(text);
        if (meta.Success)
        {
            return meta.Groups["charset"].Value;
        }

        var xml = XmlDeclarationPattern.Match(text);
        return xml.Success ? xml.Groups["charset"].Value : null;
    }

    /// <summary>Resolves a charset label, mapping the labels browsers treat as Windows-1252 and refusing UTF-16 declared in ASCII-compatible bytes.</summary>
    public static bool TryGetEncoding(string? charset, out Encoding encoding)
    {
        _ = Windows1252;
        encoding = Encoding.UTF8;
        if (string.IsNullOrWhiteSpace(charset))
        {
            return false;
        }

        var label = charset.Trim().Trim('"', '\'').ToLowerInvariant();
        switch (label)
        {
            case "utf8" or "utf-8" or "unicode-1-1-utf-8":
                encoding = Encoding.UTF8;
                return true;
            case "iso-8859-1" or "latin1" or "latin-1" or "us-ascii" or "ascii" or "iso8859-1" or "cp1252" or "windows-1252" or "x-cp1252":
                encoding = Windows1252;
                return true;
            case "utf-16" or "utf-16le" or "utf-16be" or "unicode":
                // A UTF-16 label in a byte-sniffed declaration cannot be true (we could read it as ASCII): use UTF-8 as browsers do.
                encoding = Encoding.UTF8;
                return true;
            default:
                break;
        }

        try
        {
            encoding = Encoding.GetEncoding(label);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Extracts the charset parameter of a Content-Type header value.</summary>
    public static string? CharsetOfContentType(string? contentType)
    {
        if (contentType is null)
        {
            return null;
        }

        var match = ContentTypeCharsetPattern.Match(contentType);
        return match.Success ? match.Groups["charset"].Value : null;
    }

    public static bool IsValidUtf8(ReadOnlySpan<byte> bytes) => Utf8.IsValid(bytes);

    /// <summary>Decodes bytes that must be UTF-8 (JSON): returns null when they are not.</summary>
    public static string? DecodeStrictUtf8(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            bytes = bytes[3..];
        }

        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    /// <summary>
    /// Windows-1251 Cyrillic: most letters are bytes 0xC0-0xFF (and 0xA8, 0xB8 for Ё, ё), with few ASCII letters between.
    /// Windows-1252 text in any language written with Latin letters is mostly ASCII letters with some accented ones.
    /// </summary>
    private static bool LooksCyrillic(ReadOnlySpan<byte> bytes)
    {
        var ascii = 0;
        var high = 0;
        foreach (var b in bytes)
        {
            if ((uint)((b | 0x20) - 'a') <= 'z' - 'a')
            {
                ascii++;
            }
            else if (b >= 0xC0 || b is 0xA8 or 0xB8)
            {
                high++;
            }
        }

        return high > 3 * ascii;
    }

    private static Encoding CreateWindows1252()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(1252);
    }

    private static readonly Regex MetaCharsetPattern = new("""<meta\b[^>]*?charset\s*=\s*["']?\s*(?<charset>[A-Za-z0-9_\-:.]+)""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    private static readonly Regex XmlDeclarationPattern = new("""<\?xml\b[^>]*?encoding\s*=\s*["'](?<charset>[A-Za-z0-9_\-:.]+)["']""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    private static readonly Regex ContentTypeCharsetPattern = new("""charset\s*=\s*["']?(?<charset>[A-Za-z0-9_\-:.]+)""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
}
