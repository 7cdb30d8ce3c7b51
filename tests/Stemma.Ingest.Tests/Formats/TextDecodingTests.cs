using System.Text;
using Stemma.Ingest.Formats;
using Stemma.Ingest.Tests.Support;

namespace Stemma.Ingest.Tests.Formats;

public sealed class TextDecodingTests
{
    public static Encoding Windows1252 => TextDecoding.Windows1252Encoding;

    [Fact]
    public void Utf16_with_bom_is_decoded()
    {
        var text = "Caf\u00e9 opens\nThe caf\u00e9 on Mill Street opens today.\n";
        var bytes = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(text)).ToArray();

        var article = Reading.Single(ArticleReader.ReadBytes(bytes, "cafe.txt"));

        Assert.Equal("Caf\u00e9 opens", article.Title);
        Assert.Equal("The caf\u00e9 on Mill Street opens today.", article.Body);
    }

    [Fact]
    public void Utf16_big_endian_html_with_bom_is_detected_and_decoded()
    {
        var html = Reading.Html("R\u00e9sum\u00e9", "Un r\u00e9sum\u00e9 complet de la s\u00e9ance.");
        var bytes = Encoding.BigEndianUnicode.GetPreamble().Concat(Encoding.BigEndianUnicode.GetBytes(html)).ToArray();

        var article = Reading.Single(ArticleReader.ReadBytes(bytes, "page.html"));

        Assert.Equal("Un r\u00e9sum\u00e9 complet de la s\u00e9ance.", article.Body);
    }

    [Fact]
    public void Meta_charset_windows_1252_is_honoured()
    {
        var html = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\"><title>Quote</title></head><body><article><p>\u201cIt\u2019s fine,\u201d she said \u2013 twice.</p></article></body></html>";
        var bytes = Windows1252.GetBytes(html);

        var outcome = Assert.Single(ArticleReader.ReadBytes(bytes, "quote.html"));

        Assert.Null(outcome.Warning);
        Assert.Equal("\u201cIt\u2019s fine,\u201d she said \u2013 twice.", outcome.Article!.Body);
    }

    [Fact]
    public void Invalid_utf8_falls_back_to_windows_1252_with_a_warning()
    {
        var bytes = Windows1252.GetBytes("Na\u00efve title\nThe na\u00efve caf\u00e9 owner smiled.\n");

        var outcome = Assert.Single(ArticleReader.ReadBytes(bytes, "naive.txt"));

        Assert.Equal("The na\u00efve caf\u00e9 owner smiled.", outcome.Article!.Body);
        Assert.Contains("Windows-1252", outcome.Warning);
    }

    [Fact]
    public void Undeclared_cyrillic_bytes_fall_back_to_windows_1251()
    {
        // A Russian text file saved by Windows in its Cyrillic code page: read as Windows-1252 it was all accented Latin letters.
        const string title = "Новый план транспорта";
        const string body = "Правительство объявило о новом плане общественного транспорта после роста числа пассажиров на 38 процентов. Ещё ёлки.";
        var bytes = Encoding.GetEncoding(1251).GetBytes($"{title}\n{body}\n");

        var outcome = Assert.Single(ArticleReader.ReadBytes(bytes, "plan.txt"));

        Assert.Equal((title, body), (outcome.Article!.Title, outcome.Article.Body));
        Assert.Contains("Windows-1251", outcome.Warning);
    }

    [Fact]
    public void Http_charset_beats_the_meta_declaration()
    {
        var bytes = Windows1252.GetBytes("<meta charset=\"utf-8\"><p>na\u00efve</p>");
        var decoded = TextDecoding.Decode(bytes, "windows-1252");
        Assert.Equal(EncodingSource.HttpCharset, decoded.Source);
        Assert.Contains("na\u00efve", decoded.Text);
    }

    [Fact]
    public void Latin1_labels_mean_windows_1252()
    {
        Assert.True(TextDecoding.TryGetEncoding("ISO-8859-1", out var encoding));
        Assert.Equal(1252, encoding.CodePage);
    }

    [Fact]
    public void Valid_utf8_without_declaration_is_utf8()
    {
        var decoded = TextDecoding.Decode(Encoding.UTF8.GetBytes("\u00fcber"));
        Assert.Equal(EncodingSource.Utf8, decoded.Source);
        Assert.Equal("\u00fcber", decoded.Text);
    }
}
