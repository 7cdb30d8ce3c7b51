using System.Text;
using System.Text.RegularExpressions;
using System.Text.Unicode;

namespace Stemma.Ingest.Html;

/// <summary>
/// Turns the bytes of an HTML page into text. Order of evidence: byte-order mark, the HTTP charset,
/// a charset declared in a meta tag near the top, else UTF-8 when the bytes are valid UTF-8 and
/// Windows-1252 otherwise.
/// </summary>
public static partial class HtmlDecoding
{
    /// <summary>How far into the page to look for a meta charset declaration.</summary>
    private const int MetaPrescanBytes = 16 * 1024;

    private static readonly Encoding StrictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    static HtmlDecoding() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>Decodes <paramref name="bytes"/> to a string; never throws on odd or unknown charsets.</summary>
    /// <param name="bytes">The raw page.</param>
    /// <param name="httpCharset">The charset from the HTTP Content-Type header, when known.</param>
    public static string Decode(byte[] bytes, string? httpCharset = null)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var span = bytes.AsSpan();

        if (span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return StrictUtf8.GetString(span[3..]);
        }
        if (span.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            return Encoding.Unicode.GetString(span[2..]);
        }
        if (span.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return Encoding.BigEndianUnicode.GetString(span[2..]);
        }

        var declared = ResolveEncoding(httpCharset) ?? ResolveEncoding(FindMetaCharset(span));
        var isValidUtf8 = Utf8.IsValid(span);
        if (declared is not null)
        {
            // A page saved by a browser or re-encoded by a crawler often keeps its original
            // single-byte declaration while the bytes are UTF-8; real Latin text that happens to
            // form valid multi-byte UTF-8 sequences is very rare, so trust the bytes then.
            if (declared.CodePage != Encoding.UTF8.CodePage && declared.IsSingleByte && isValidUtf8 && HasNonAscii(span))
            {
                return StrictUtf8.GetString(span);
            }
            return declared.GetString(span);
        }

        return isValidUtf8 ? StrictUtf8.GetString(span) : Encoding.GetEncoding(1252).GetString(span);
    }

    /// <summary>Maps a charset label to an encoding, following the web convention that Latin-1 and ASCII mean Windows-1252.</summary>
    internal static Encoding? ResolveEncoding(string? label)
    {
        if (string.IsNullOrWhiteSpace(label))
        {
            return null;
        }
        var name = label.Trim().Trim('"', '\'').ToLowerInvariant();
        switch (name)
        {
            case "iso-8859-1" or "iso8859-1" or "latin1" or "latin-1" or "l1" or "us-ascii" or "ascii" or "cp1252" or "windows-1252" or "x-cp1252":
                return Encoding.GetEncoding(1252);
            case "utf8" or "utf-8" or "unicode-1-1-utf-8":
                return Encoding.UTF8;
            // A byte-oriented page cannot really be UTF-16 when it declares so in ASCII; browsers read it as UTF-8.
            case "utf-16" or "utf-16le" or "utf-16be" or "unicode":
                return Encoding.UTF8;
            default:
                break;
        }
        try
        {
            return Encoding.GetEncoding(name);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static string? FindMetaCharset(ReadOnlySpan<byte> bytes)
    {
        var head = Encoding.Latin1.GetString(bytes[..Math.Min(bytes.Length, MetaPrescanBytes)]);
        var match = MetaCharsetPattern().Match(head);
        return match.Success ? match.Groups["charset"].Value : null;
    }

    private static bool HasNonAscii(ReadOnlySpan<byte> bytes) => bytes.IndexOfAnyExceptInRange((byte)0, (byte)0x7F) >= 0;

    // Matches <meta charset="x"> and <meta http-equiv="Content-Type" content="text/html; charset=x">.
    [GeneratedRegex("""<meta\b[^>]*?charset\s*=\s*["']?\s*(?<charset>[A-Za-z0-9_\-:.]+)""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MetaCharsetPattern();
}
