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

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Utf16_without_a_bom_is_an_article_not_binary(bool bigEndian)
    {
        // Some Windows exports save "Unicode" text with no byte order mark.
        var text = "Ferry fares rise\n\nThe harbour board raised the fare to Orrin Isle by 40 cents on Monday, its first rise since 2019.\n";
        var encoding = bigEndian ? Encoding.BigEndianUnicode : Encoding.Unicode;

        var article = Reading.Single(ArticleReader.ReadBytes(encoding.GetBytes(text), "fares.txt"));

        Assert.Equal("Ferry fares rise", article.Title);
        Assert.Equal("The harbour board raised the fare to Orrin Isle by 40 cents on Monday, its first rise since 2019.", article.Body);
    }

    [Theory]
    [InlineData("utf-16le-bom")]
    [InlineData("utf-16le")]
    [InlineData("utf-16be-bom")]
    public void Jsonl_and_wordpress_json_in_utf16_are_read(string form)
    {
        // Windows PowerShell redirects output as UTF-16 (with a mark); other tools save it without one.
        var encoding = form.StartsWith("utf-16be", StringComparison.Ordinal) ? Encoding.BigEndianUnicode : Encoding.Unicode;
        byte[] Encode(string text) => [.. (form.EndsWith("-bom", StringComparison.Ordinal) ? encoding.GetPreamble() : []), .. encoding.GetBytes(text)];
        var jsonl = "{\"id\":\"f1\",\"title\":\"Ferry fares rise\",\"body\":\"The harbour board raised the fare by 40 cents.\"}\n"
            + "{\"id\":\"f2\",\"title\":\"Caf\u00e9 closes\",\"body\":\"The caf\u00e9 on Mill Street closed on Friday.\"}\n";
        var wordPress = "[{\"id\":7,\"link\":\"https://harbour.example/fares\",\"date\":\"2026-01-02T10:00:00\",\"title\":{\"rendered\":\"Ferry fares rise\"},\"content\":{\"rendered\":\"<p>The harbour board raised the fare by 40 cents.</p>\"}}]";

        var records = ArticleReader.ReadBytes(Encode(jsonl), "feed.jsonl").ToList();
        var post = Reading.Single(ArticleReader.ReadBytes(Encode(wordPress), "posts.json"));

        Assert.All(records, r => Assert.Null(r.Error));
        Assert.Equal(["f1", "f2"], records.Select(r => r.Article!.Id));
        Assert.Equal("The caf\u00e9 on Mill Street closed on Friday.", records[1].Article!.Body);
        Assert.Equal("The harbour board raised the fare by 40 cents.", post.Body);
    }

    [Fact]
    public void Zero_bytes_that_do_not_alternate_with_text_stay_binary()
    {
        // UTF-32 without a mark (half its byte pairs all zero) and a run of binary records with zeros in them.
        var utf32 = new UTF32Encoding(bigEndian: false, byteOrderMark: false).GetBytes("Ferry fares rise on Monday morning at the harbour.");
        var records = Enumerable.Range(0, 200).SelectMany(i => new byte[] { (byte)(i * 37), 0, 0, (byte)(i * 11 + 1) }).ToArray();

        Assert.False(TextDecoding.TryDetectUnmarkedUtf16(utf32, out _));
        Assert.False(TextDecoding.TryDetectUnmarkedUtf16(records, out _));
        Assert.Contains("binary", Assert.Single(ArticleReader.ReadBytes(records, "data.txt")).Error, StringComparison.Ordinal);
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
