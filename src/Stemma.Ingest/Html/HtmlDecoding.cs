namespace Stemma.Ingest.Html;

/// <summary>
/// Turns the bytes of an HTML page into text: byte-order mark, the HTTP charset, a charset declared near the top,
/// else UTF-8 when the bytes are valid UTF-8 and Windows-1252 otherwise. One decoder serves every reader:
/// this is <see cref="Formats.TextDecoding.Decode"/> for callers that hold a page.
/// </summary>
public static class HtmlDecoding
{
    /// <summary>Decodes <paramref name="bytes"/> to a string; never throws on odd or unknown charsets.</summary>
    /// <param name="bytes">The raw page.</param>
    /// <param name="httpCharset">The charset from the HTTP Content-Type header, when known.</param>
    public static string Decode(byte[] bytes, string? httpCharset = null)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        return Formats.TextDecoding.Decode(bytes, httpCharset).Text;
    }
}
